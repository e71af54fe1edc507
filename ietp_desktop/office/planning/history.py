"""The history of planned visits as the board shows it: assigned to X, moved to Y on a date
by whom, re-dated, cancelled with the reason."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.i18n import tr
from ietp_desktop.storage.office_plan_change_models import OfficePlanEvent
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit
from ietp_desktop.storage.types import utcnow

TEMPLATES = {
    "assign": "Assigned to {name} for {date} by {who} on {on}",
    "move": "Moved from {previous} to {name} for {date} by {who} on {on}",
    "redate": "Date changed from {previous_date} to {date} by {who} on {on}",
    "cancel": "Cancelled by {who} on {on}",
}


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # assign | move | redate | cancel
    at: datetime
    actor: str
    specialist_name: str
    day: date | None
    previous_name: str
    previous_day: date | None
    reason: str

    def text(self, language: str | None = None) -> str:
        return tr(
            TEMPLATES[self.kind],
            language=language,
            name=self.specialist_name,
            date=self.day or "–",
            previous=self.previous_name,
            previous_date=self.previous_day or "–",
            who=self.actor or "–",
            on=self.at.date(),
        )


def plan_histories(session: Session, plan_ids: list[int]) -> dict[int, list[HistoryEntry]]:
    """plan id → its history, oldest first; the first entry is the original assignment."""
    if not plan_ids:
        return {}
    events: dict[int, list[OfficePlanEvent]] = defaultdict(list)
    for chunk in range(0, len(plan_ids), 900):
        ids = plan_ids[chunk : chunk + 900]
        for event in session.scalars(
            select(OfficePlanEvent)
            .where(OfficePlanEvent.plan_id.in_(ids))
            .order_by(OfficePlanEvent.id)
        ):
            events[event.plan_id].append(event)
    histories: dict[int, list[HistoryEntry]] = {}
    for chunk in range(0, len(plan_ids), 900):
        ids = plan_ids[chunk : chunk + 900]
        for plan in session.scalars(
            select(OfficePlannedVisit).where(OfficePlannedVisit.id.in_(ids))
        ):
            changes = events.get(plan.id, [])
            first = changes[0] if changes else None
            entries = [
                HistoryEntry(
                    "assign",
                    plan.created_at,
                    plan.planned_by,
                    first.previous_name if first else plan.specialist_name,
                    first.previous_day if first else plan.proposed_date,
                    "",
                    None,
                    "",
                )
            ]
            entries += [
                HistoryEntry(
                    e.kind,
                    e.at,
                    e.actor,
                    e.specialist_name,
                    e.day,
                    e.previous_name,
                    e.previous_day,
                    e.reason,
                )
                for e in changes
            ]
            histories[plan.id] = entries
    return histories


def add_redate_event(
    session: Session,
    plan_id: int,
    actor: str,
    email: str,
    name: str,
    before: date,
    after: date,
    reason: str = "",
) -> None:
    session.add(
        OfficePlanEvent(
            plan_id=plan_id,
            kind="redate",
            at=utcnow(),
            actor=actor[:120],
            specialist_email=email,
            specialist_name=name,
            day=after,
            previous_email=email,
            previous_name=name,
            previous_day=before,
            reason=reason,
        )
    )


def last_changes(session: Session, plan_ids: list[int]) -> dict[int, HistoryEntry]:
    """plan id → its latest move, re-date or cancellation (plans never changed are absent)."""
    return {
        plan_id: entries[-1]
        for plan_id, entries in plan_histories(session, plan_ids).items()
        if len(entries) > 1
    }
