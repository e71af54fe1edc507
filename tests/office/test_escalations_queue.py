"""The escalation queues through the office functions: a zero-tolerance visit waits for IETP's
decision and the factory's certificate follows it; a refused visit's Progress Audit deadline;
transparency findings go to status review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office import money_followup
from ietp_desktop.office.escalations import factory_overview, queue
from ietp_desktop.office.fees import settings
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_models import OfficeAuditEntry
from ietp_desktop.storage.office_money_models import OfficeEscalation
from tests.bundle_world import World, database_state

from .money_fixtures import money_world

__all__ = ["money_world"]

TODAY = date(2026, 12, 2)


@pytest.fixture
def office_db(money_world: World) -> Iterator[Database]:
    db = open_office_db(money_world.office_dir)
    yield db
    db.dispose()


def _classify(db: Database, uuid: str, classification: str, index: int = 0) -> None:
    """One of the visit's findings as if the specialist had classified it so, then the visit
    arriving (what intake does)."""
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
        chosen = session.scalars(
            select(Finding.id).where(Finding.visit_id == visit.id).order_by(Finding.code)
        ).all()[index]
        session.execute(
            update(Finding).where(Finding.id == chosen).values(classification=classification)
        )
        money_followup.visits_received(session, [uuid], TODAY)


def _factory_status(db: Database, uuid: str) -> str:
    with db.session() as session:
        return session.scalars(
            select(Factory.certificate_status)
            .join(Visit, Visit.factory_id == Factory.id)
            .where(Visit.uuid == uuid)
        ).one()


def test_clean_visits_enter_no_queue(office_db: Database) -> None:
    with office_db.session() as session:
        assert queue.list_escalations(session, queue.EscalationFilter(), TODAY) == []


def test_zero_tolerance_waits_for_ietps_decision_and_the_factory_follows_it(
    money_world: World, office_db: Database
) -> None:
    uuid = money_world.visit_uuid
    _classify(office_db, uuid, "zero_tolerance")
    with office_db.session() as session:
        rows = queue.list_escalations(
            session, queue.EscalationFilter(kind="zero_tolerance", state="open"), TODAY
        )
    assert [(r.visit_uuid, r.state, r.certificate_status) for r in rows] == [
        (uuid, "open", "certified")
    ]
    assert rows[0].findings.startswith("F")
    # a decision without a reason, or one the queue does not offer, is refused
    before = database_state(office_db)
    for decision, reason, message in (
        ("terminate", "  ", "give the reason for the decision"),
        ("pa_arranged", "why", "choose a decision for the zero_tolerance queue"),
    ):
        with (
            pytest.raises(UserError, match=re.escape(message)),
            office_db.session() as session,
        ):
            queue.decide(session, uuid, "zero_tolerance", decision, reason, "cora", today=TODAY)
    assert database_state(office_db) == before

    with office_db.session() as session:
        queue.decide(
            session,
            uuid,
            "zero_tolerance",
            "terminate",
            "Second attendance ledger confirmed by IETP",
            "cora",
            today=TODAY,
        )
    assert _factory_status(office_db, uuid) == "terminated"
    with office_db.session() as session:
        decided = queue.list_escalations(session, queue.EscalationFilter(state="decided"), TODAY)
        ietp_id = decided[0].factory_ietp_id
        page = factory_overview.load(session, ietp_id, TODAY)
        audit_details = session.scalars(
            select(OfficeAuditEntry.detail).where(OfficeAuditEntry.action == "escalation.decide")
        ).all()
    assert [(d.decision, d.decided_by) for d in decided] == [("terminate", "cora")]
    assert [(h.old_status, h.new_status, h.by) for h in page.history] == [
        ("certified", "terminated", "cora")
    ]
    assert "Second attendance ledger confirmed by IETP" in page.history[0].reason
    assert page.certificate_status == "terminated"
    assert audit_details == [
        "terminate: Second attendance ledger confirmed by IETP (certificate terminated)"
    ]
    # decided once: a second decision is refused
    with pytest.raises(UserError, match="was decided on"), office_db.session() as session:
        queue.decide(session, uuid, "zero_tolerance", "maintain", "again", "ada", today=TODAY)


def test_downgrade_then_maintain_keep_the_history(money_world: World, office_db: Database) -> None:
    uuid = money_world.visit_uuid
    _classify(office_db, uuid, "zero_tolerance", 0)
    _classify(office_db, uuid, "transparency", 1)
    with office_db.session() as session:
        kinds = session.scalars(select(OfficeEscalation.kind).order_by(OfficeEscalation.id)).all()
        queue.decide(
            session, uuid, "zero_tolerance", "downgrade", "first offence", "cora", today=TODAY
        )
        queue.decide(
            session, uuid, "status_review", "maintain", "records fixed", "ada", today=TODAY
        )
        ietp_id = session.scalars(
            select(Factory.ietp_id)
            .join(Visit, Visit.factory_id == Factory.id)
            .where(Visit.uuid == uuid)
        ).one()
        history = factory_overview.load(session, ietp_id, TODAY).history
    assert kinds == ["zero_tolerance", "status_review"]
    # newest first; maintaining keeps the status it had
    assert [(h.old_status, h.new_status, h.by) for h in history] == [
        ("downgraded", "downgraded", "ada"),
        ("certified", "downgraded", "cora"),
    ]
    assert _factory_status(office_db, uuid) == "downgraded"


def test_a_refused_visit_needs_a_progress_audit_within_the_configured_days(
    money_world: World, office_db: Database
) -> None:
    uuid = money_world.second_uuid
    with office_db.session() as session:
        session.execute(
            update(Visit).where(Visit.uuid == uuid).values(refusal_note="GM refused entry")
        )
        money_followup.visits_received(session, [uuid], TODAY)
        settings.write(session, settings.PA_ARRANGE_DAYS, "20", "ada")

    def risky(today: date) -> list[str]:
        with office_db.session() as session:
            flt = queue.EscalationFilter(state="termination_risk")
            return [r.visit_uuid for r in queue.list_escalations(session, flt, today)]

    assert risky(TODAY + timedelta(days=20)) == []
    assert risky(TODAY + timedelta(days=21)) == [uuid]
    with office_db.session() as session:
        row = queue.list_escalations(session, queue.EscalationFilter(kind="progress_audit"), TODAY)
    assert row[0].pa_deadline == date(2026, 12, 22)
    with pytest.raises(UserError, match="give the date"), office_db.session() as session:
        queue.decide(session, uuid, "progress_audit", "pa_arranged", "booked", "cora", today=TODAY)
    with office_db.session() as session:
        queue.decide(
            session, uuid, "progress_audit", "pa_arranged", "booked with the GM", "cora",
            pa_arranged_on=date(2027, 1, 12), today=TODAY,
        )  # fmt: skip
    assert risky(TODAY + timedelta(days=30)) == []  # arranged: no longer a risk
    with office_db.session() as session:
        still_open = queue.list_escalations(session, queue.EscalationFilter(state="open"), TODAY)
        queue.decide(
            session, uuid, "progress_audit", "terminate", "factory refused the PA too", "cora",
            today=TODAY,
        )  # fmt: skip
    assert [r.pa_arranged_on for r in still_open] == [date(2027, 1, 12)]
    assert _factory_status(office_db, uuid) == "terminated"
