"""Findings counted per received visit (office_finding_visits) and per visit and value of each
dimension (office_finding_classifications, _categories, _root_causes), so the findings,
training and specialists pages aggregate a few narrow rows per visit instead of joining every
finding to its visit. Each visit also knows the factory's received visit before it, and each
root cause whether a non-compliance gave it at that previous visit too (a recurrence).

Kept in two ways: the import counts each visit it stores, in its own transaction
(`count_visits`), and every analytics read first recounts the received visits whose revision,
last change, factory or first day differ from what was counted, and drops the counts of visits
no longer received (`refresh`): an office upgraded from an older schema, or rows written by
other means, are counted on the first view. Only the import writes findings in the office, and
it always sets the visit's `updated_at`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ietp_desktop.domain.findings import Classification
from ietp_desktop.office.analytics.sql import non_compliance
from ietp_desktop.storage.models import Finding, Visit
from ietp_desktop.storage.office_analytics_models import (
    OfficeFindingCategory,
    OfficeFindingClassification,
    OfficeFindingRootCause,
    OfficeFindingVisit,
)

COUNTED = OfficeFindingVisit
DIMENSIONS: tuple[tuple[Any, Any], ...] = (
    (OfficeFindingClassification, Finding.classification),
    (OfficeFindingCategory, Finding.category),
    (OfficeFindingRootCause, Finding.root_cause),
)
CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _stale_visits(session: Session) -> list[int]:
    changed = (
        select(Visit.id)
        .outerjoin(COUNTED, COUNTED.visit_id == Visit.id)
        .where(
            Visit.received_at.is_not(None),
            or_(
                COUNTED.visit_id.is_(None),
                COUNTED.revision != Visit.revision,
                COUNTED.visit_updated_at != Visit.updated_at,
                COUNTED.factory_id != Visit.factory_id,
                and_(COUNTED.visit_start.is_(None), Visit.visit_start.is_not(None)),
                and_(COUNTED.visit_start.is_not(None), Visit.visit_start.is_(None)),
                COUNTED.visit_start != Visit.visit_start,
            ),
        )
    )
    gone = (
        select(COUNTED.visit_id)
        .join(Visit, Visit.id == COUNTED.visit_id)
        .where(Visit.received_at.is_(None))
    )
    return sorted(int(v) for v in session.scalars(changed.union(gone)))  # one lock order


def _count_chunk(session: Session, visit_ids: list[int]) -> None:
    for model, _ in DIMENSIONS:
        session.execute(delete(model).where(model.visit_id.in_(visit_ids)))
    session.execute(delete(COUNTED).where(COUNTED.visit_id.in_(visit_ids)))
    received = and_(Visit.id.in_(visit_ids), Visit.received_at.is_not(None))
    session.execute(
        insert(COUNTED).from_select(
            [
                "visit_id", "factory_id", "visit_start", "revision", "visit_updated_at",
                "findings", "non_compliances", "zero_tolerance",
            ],
            select(
                Visit.id, Visit.factory_id, Visit.visit_start, Visit.revision, Visit.updated_at,
                func.count(Finding.id),
                func.count(Finding.id).filter(non_compliance()),
                func.count(Finding.id).filter(
                    Finding.classification == Classification.ZERO_TOLERANCE.value
                ),
            )
            .select_from(Visit)
            .outerjoin(Finding, Finding.visit_id == Visit.id)
            .where(received)
            .group_by(Visit.id, Visit.factory_id, Visit.visit_start, Visit.revision,
                      Visit.updated_at),
        )
    )  # fmt: skip
    for model, column in DIMENSIONS:
        session.execute(
            insert(model).from_select(
                ["visit_id", "value", "factory_id", "visit_start", "findings", "non_compliances"],
                select(
                    Finding.visit_id,
                    column,
                    Visit.factory_id,
                    Visit.visit_start,
                    func.count(Finding.id),
                    func.count(Finding.id).filter(non_compliance()),
                )
                .join(Visit, Visit.id == Finding.visit_id)
                .where(received)
                .group_by(Finding.visit_id, column, Visit.factory_id, Visit.visit_start),
            )
        )


def _order_key(row: Any) -> tuple[int, bool, date, int]:
    return (row.factory_id, row.visit_start is not None, row.visit_start or date.min, row.visit_id)


def _link_factories(session: Session, factory_ids: Sequence[int]) -> None:
    """Each counted visit of these factories: its previous received visit (by first day,
    undated first, then id), and each root cause whether it recurs from that visit."""
    for chunk in _chunks(sorted(set(factory_ids))):
        rows = sorted(
            session.execute(
                select(
                    COUNTED.visit_id,
                    COUNTED.factory_id,
                    COUNTED.visit_start,
                    COUNTED.previous_visit_id,
                ).where(COUNTED.factory_id.in_(chunk))
            ).all(),
            key=_order_key,
        )
        changes = []
        for before, row in zip([None, *rows], rows, strict=False):
            previous = before.visit_id if before and before.factory_id == row.factory_id else None
            if previous != row.previous_visit_id:
                changes.append({"visit_id": row.visit_id, "previous_visit_id": previous})
        if changes:
            session.execute(update(COUNTED), changes)
        earlier = aliased(OfficeFindingRootCause, name="earlier")
        recurs = exists().where(
            COUNTED.visit_id == OfficeFindingRootCause.visit_id,
            earlier.visit_id == COUNTED.previous_visit_id,
            earlier.value == OfficeFindingRootCause.value,
            earlier.non_compliances > 0,
        )
        session.execute(
            update(OfficeFindingRootCause)
            .where(OfficeFindingRootCause.factory_id.in_(chunk))
            .values(
                recurs=and_(
                    OfficeFindingRootCause.non_compliances > 0,
                    OfficeFindingRootCause.value != "",
                    recurs,
                )
            )
            .execution_options(synchronize_session=False)
        )


def count_visits(session: Session, visit_ids: Sequence[int]) -> None:
    """Count the findings of these visits again (in the caller's transaction), and link the
    visits of their factories (before and after) again."""
    factories: set[int] = set()
    for chunk in _chunks(visit_ids):
        factories.update(
            session.scalars(select(COUNTED.factory_id).where(COUNTED.visit_id.in_(chunk)))
        )
        factories.update(session.scalars(select(Visit.factory_id).where(Visit.id.in_(chunk))))
        _count_chunk(session, chunk)
    _link_factories(session, sorted(factories))


def refresh(session: Session) -> int:
    """Recount every visit whose counts are missing or out of date; returns how many."""
    visit_ids = _stale_visits(session)
    if not visit_ids:
        return 0
    try:
        with session.begin_nested():  # another worker may be counting the same visits
            count_visits(session, visit_ids)
    except IntegrityError:
        return 0
    return len(visit_ids)
