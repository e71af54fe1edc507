"""The findings counted per visit (what the findings, training and specialists pages read) are
the same as counting the findings themselves: right after an import, after a revision replaces
a visit, after review decisions, and after a visit arrives between two earlier ones (which
changes what counts as consecutive)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics import finding_counts
from ietp_desktop.office.analytics.findings import recurrence_pairs
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.office.analytics.sql import non_compliance
from ietp_desktop.office.review import decisions
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_analytics_models import (
    OfficeFindingCategory,
    OfficeFindingClassification,
    OfficeFindingRootCause,
    OfficeFindingVisit,
)

from ..bundle_world import SPECIALIST_PASSPHRASE, World
from .analytics_world import FORM_SHA
from .review_world import office_db, receive
from .test_analytics_findings import history
from .test_analytics_specialists_health import pg_history

__all__ = ["history", "pg_history"]


def counted(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    """What the summary tables hold."""
    result = {
        "visits": {
            tuple(r)
            for r in session.execute(
                select(
                    OfficeFindingVisit.visit_id,
                    OfficeFindingVisit.factory_id,
                    OfficeFindingVisit.visit_start,
                    OfficeFindingVisit.findings,
                    OfficeFindingVisit.non_compliances,
                    OfficeFindingVisit.zero_tolerance,
                )
            )
        }
    }
    for name, model in (
        ("classification", OfficeFindingClassification),
        ("category", OfficeFindingCategory),
        ("root_cause", OfficeFindingRootCause),
    ):
        result[name] = {
            tuple(r)
            for r in session.execute(
                select(
                    model.visit_id,
                    model.value,
                    model.factory_id,
                    model.visit_start,
                    model.findings,
                    model.non_compliances,
                )
            )
        }
    return result


def from_findings(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    """The same, counted straight from the findings of the received visits."""
    received = Visit.received_at.is_not(None)
    visits = {
        (v_id, factory, start, 0, 0, 0)
        for v_id, factory, start in session.execute(
            select(Visit.id, Visit.factory_id, Visit.visit_start).where(received)
        )
    }
    per_visit: dict[int, list[int]] = {}
    for visit_id, classification in session.execute(
        select(Finding.visit_id, Finding.classification)
        .join(Visit, Visit.id == Finding.visit_id)
        .where(received)
    ):
        totals = per_visit.setdefault(visit_id, [0, 0, 0])
        totals[0] += 1
        totals[1] += classification in ("standard_nc", "transparency", "zero_tolerance")
        totals[2] += classification == "zero_tolerance"
    result: dict[str, set[tuple[Any, ...]]] = {
        "visits": {(v, f, s, *per_visit.get(v, [0, 0, 0])) for v, f, s, *_ in visits}
    }
    for name, column in (
        ("classification", Finding.classification),
        ("category", Finding.category),
        ("root_cause", Finding.root_cause),
    ):
        result[name] = {
            (r[0], r[1], r[2], r[3], int(r[4]), int(r[5]))
            for r in session.execute(
                select(
                    Finding.visit_id,
                    column,
                    Visit.factory_id,
                    Visit.visit_start,
                    func.count(),
                    func.count().filter(non_compliance()),
                )
                .join(Visit, Visit.id == Finding.visit_id)
                .where(received)
                .group_by(Finding.visit_id, column, Visit.factory_id, Visit.visit_start)
            )
        }
    return result


def pairs(session: Session) -> set[tuple[Any, ...]]:
    found = recurrence_pairs(session, Period())
    columns = (found.c.factory_id, found.c.root_cause, found.c.earlier_visit, found.c.later_visit)
    return {tuple(r) for r in session.execute(select(*columns))}


def consecutive_pairs(session: Session) -> set[tuple[Any, ...]]:
    """Recurrences worked out in Python: the same root cause of a non-compliance at a visit
    and at the factory's previous received visit (by first day, then id)."""
    visits = session.execute(
        select(Visit.id, Visit.factory_id, Visit.visit_start)
        .where(Visit.received_at.is_not(None))
        .order_by(Visit.factory_id, Visit.visit_start, Visit.id)
    ).all()
    causes: dict[int, set[str]] = {}
    for visit_id, cause in session.execute(
        select(Finding.visit_id, Finding.root_cause).where(
            non_compliance(), Finding.root_cause != ""
        )
    ):
        causes.setdefault(visit_id, set()).add(cause)
    found = set()
    for before, after in itertools.pairwise(visits):
        if before.factory_id == after.factory_id:
            for cause in causes.get(after.id, set()) & causes.get(before.id, set()):
                found.add((after.factory_id, cause, before.id, after.id))
    return found


@pytest.fixture
def received(office: World, tmp_path: Path) -> World:
    return receive(office, tmp_path)


def test_the_import_counts_the_findings_of_each_visit_it_stores(received: World) -> None:
    db = office_db(received)
    try:
        with db.session() as session:
            assert finding_counts.refresh(session) == 0  # nothing left for the first view
            kept = counted(session)
            assert kept == from_findings(session)
            assert len(kept["visits"]) == 2
            assert sum(r[3] for r in kept["visits"]) == session.scalar(
                select(func.count()).select_from(Finding)
            )
    finally:
        db.dispose()


def test_a_revision_replaces_the_counts_of_its_visit(received: World, tmp_path: Path) -> None:
    from ietp_desktop.office.intake import import_bundles
    from ietp_desktop.services.outcome import findings
    from ietp_desktop.services.sync.bundles import export_visits
    from ietp_desktop.services.visits import lifecycle

    from ..bundle_world import sign_visit, signed_report

    uuid = received.visit_uuid
    laptop = received.laptop()
    try:
        lifecycle.open_new_revision(laptop, uuid, "A zero-tolerance finding was missed")
        findings.add_finding(
            laptop,
            uuid,
            findings.FindingInput(
                "zero_tolerance", "Child worker on the line", root_cause="recruitment_retention"
            ),
        )
        lifecycle.complete_visit(laptop, uuid)
        sign_visit(laptop, uuid, signed_report(received.data_dir, "r2"))
        export_visits(laptop, [uuid], tmp_path / "r2.ietpbundle", passphrase=SPECIALIST_PASSPHRASE)
    finally:
        laptop.dispose()
    db = office_db(received)
    try:
        with db.session() as session:
            visit_id = session.scalars(select(Visit.id).where(Visit.uuid == uuid)).one()
            before = session.get(OfficeFindingVisit, visit_id)
            assert before is not None and before.zero_tolerance == 0
    finally:
        db.dispose()
    [outcome] = import_bundles(received.office_dir, [tmp_path / "r2.ietpbundle"])
    assert outcome.status == "imported", outcome.message
    db = office_db(received)
    try:
        with db.session() as session:
            assert finding_counts.refresh(session) == 0
            assert counted(session) == from_findings(session)
            after = session.get(OfficeFindingVisit, visit_id)
            assert after is not None
            assert (after.revision, after.zero_tolerance) == (2, 1)
            assert after.findings == before.findings + 1
            cause = session.get(OfficeFindingRootCause, (visit_id, "recruitment_retention"))
            assert cause is not None and (cause.findings, cause.non_compliances) == (1, 1)
    finally:
        db.dispose()


def test_review_decisions_leave_the_counts_right(received: World) -> None:
    db = office_db(received)
    try:
        with db.session() as session:
            first = counted(session)
        decisions.start_review(db, received.visit_uuid, actor="rex", role="reviewer")
        decisions.accept_visit(db, received.visit_uuid, actor="rex", role="reviewer")
        decisions.start_review(db, received.second_uuid, actor="rex", role="reviewer")
        decisions.return_visit(db, received.second_uuid, "Photo?", actor="rex", role="reviewer")
        with db.session() as session:
            assert finding_counts.refresh(session) == 0
            assert counted(session) == first == from_findings(session)
    finally:
        db.dispose()


def _check_recurrences_follow_a_visit_arriving_in_between(db: Database) -> None:
    with db.session() as session:
        finding_counts.refresh(session)
        assert counted(session) == from_findings(session)
        first = pairs(session)
        assert first == consecutive_pairs(session)
        assert {(r[1]) for r in first} == {"production_planning", "health_safety_awareness"}
    # A-001's visit of March arrives late, between V1 (January) and V2 (April), without the
    # production-planning non-compliance: V1 → V2 is no longer a recurrence.
    with db.session() as session:
        alpha = session.scalars(select(Factory.id).where(Factory.ietp_id == "A-001")).one()
        late = Visit(
            uuid="00000000-0000-4000-8000-00000000000d",
            factory_id=alpha,
            form_sha256=FORM_SHA,
            status="signed",
            visit_start=date(2026, 3, 2),
            specialist_name="Lin Mei",
            received_at=datetime(2026, 3, 9, tzinfo=UTC),
        )
        session.add(late)
        session.flush()
        session.add(
            Finding(
                visit_id=late.id,
                code="F01",
                classification="standard_nc",
                category="ehs",
                root_cause="health_safety_awareness",
            )
        )
    with db.session() as session:
        assert finding_counts.refresh(session) == 1
        assert counted(session) == from_findings(session)
        second = pairs(session)
        assert second == consecutive_pairs(session)
        assert {r[1] for r in second} == {"health_safety_awareness"}
    # It is taken back (no longer received): V1 → V2 recurs again.
    with db.session() as session:
        gone = session.scalars(select(Visit).where(Visit.uuid == late.uuid)).one()
        gone.received_at = None
    with db.session() as session:
        assert finding_counts.refresh(session) == 1
        assert counted(session) == from_findings(session)
        assert pairs(session) == first


def test_recurrences_follow_a_visit_arriving_in_between(history: Database) -> None:
    _check_recurrences_follow_a_visit_arriving_in_between(history)


@pytest.mark.postgres
def test_recurrences_follow_a_visit_arriving_in_between_on_postgresql(
    pg_history: Database,
) -> None:
    _check_recurrences_follow_a_visit_arriving_in_between(pg_history)
