"""On the laptop: visits the office withdrew (moved to another specialist, or cancelled).

They arrive with the assignments (services/sync/bundles). Nothing is deleted: a visit not yet
signed becomes `withdrawn` (read-only, never sent); a visit already signed or sent keeps its
status and only carries the office's note, since the office decides what to do with a visit
that took place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.services.dto import OfficeWithdrawal
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_plan_change_models import VisitWithdrawal

# what the office may take back: a visit that has not been signed
WITHDRAWABLE = (
    VisitStatus.PLANNED.value,
    VisitStatus.CONFIRMED.value,
    VisitStatus.IN_PROGRESS.value,
    VisitStatus.COMPLETED.value,
)


def apply_withdrawals(
    session: Session, records: Iterable[dict[str, Any]], office: str
) -> tuple[list[str], list[str]]:
    """Store each withdrawal once; (uuids withdrawn now, uuids this laptop does not hold)."""
    withdrawn: list[str] = []
    unknown: list[str] = []
    for record in records:
        uuid = str(record["visit_uuid"])
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
        if visit is None:
            unknown.append(uuid)
            continue
        already = session.scalars(
            select(VisitWithdrawal.id).where(VisitWithdrawal.visit_id == visit.id)
        ).first()
        if already is not None:
            continue
        session.add(
            VisitWithdrawal(
                visit_id=visit.id,
                kind=str(record["kind"]),
                reason=str(record.get("reason", "")),
                office=office[:200],
                withdrawn_by=str(record.get("withdrawn_by", ""))[:120],
                withdrawn_at=datetime.fromisoformat(str(record["withdrawn_at"])),
                previous_status=visit.status,
            )
        )
        if visit.status in WITHDRAWABLE:
            visit.status = VisitStatus.WITHDRAWN.value
        record_event(session, visit.id, "Visit", "withdrawn", str(record.get("reason", ""))[:500])
        withdrawn.append(uuid)
    return withdrawn, unknown


def withdrawal_reasons(session: Session, visit_id: int | None = None) -> dict[int, str]:
    """visit id → the office's reason, for the visits the office withdrew."""
    query = select(VisitWithdrawal.visit_id, VisitWithdrawal.reason)
    if visit_id is not None:
        query = query.where(VisitWithdrawal.visit_id == visit_id)
    return {visit: reason for visit, reason in session.execute(query)}


def office_withdrawal(session: Session, visit_id: int) -> OfficeWithdrawal | None:
    """The office's withdrawal of this visit, whatever its status (a signed or sent visit
    keeps its status and carries only this)."""
    row = session.scalars(
        select(VisitWithdrawal).where(VisitWithdrawal.visit_id == visit_id)
    ).first()
    if row is None:
        return None
    return OfficeWithdrawal(row.kind, row.reason, row.office, row.withdrawn_at)
