"""Planned visits as the board shows them: planned → confirmed → visited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit


class PlanState(StrEnum):
    PLANNED = "planned"  # assigned and sent; the date is not agreed with the factory yet
    CONFIRMED = "confirmed"  # the specialist agreed the date with the factory
    VISITED = "visited"  # the visit reached the office
    CANCELLED = "cancelled"  # the office cancelled it; the factory is due again


PLAN_STATE_LABELS: dict[str, str] = {
    PlanState.PLANNED: "Planned",
    PlanState.CONFIRMED: "Confirmed",
    PlanState.VISITED: "Visited",
}


@dataclass(frozen=True)
class PlanView:
    uuid: str
    factory_id: int
    factory_ietp_id: str
    specialist_email: str
    specialist_name: str
    proposed_date: date
    confirmed_date: date | None
    man_days: Decimal | None
    state: PlanState
    visit_start: date | None
    sent_at: datetime | None
    plan_id: int = 0
    cancelled_at: datetime | None = None
    cancel_reason: str = ""

    @property
    def day(self) -> date:
        """The date the visit is expected on: the agreed one, else the proposed one."""
        return self.visit_start or self.confirmed_date or self.proposed_date


def _query() -> Select[*tuple[Any, ...]]:
    """Plain columns (a board reads hundreds of plans), the received visit beside each."""
    return (
        select(
            OfficePlannedVisit.visit_uuid,
            OfficePlannedVisit.factory_id,
            OfficePlannedVisit.specialist_email,
            OfficePlannedVisit.specialist_name,
            OfficePlannedVisit.proposed_date,
            OfficePlannedVisit.confirmed_date,
            OfficePlannedVisit.man_days,
            OfficePlannedVisit.sent_at,
            OfficePlannedVisit.id.label("plan_id"),
            OfficePlannedVisit.cancelled_at,
            OfficePlannedVisit.cancel_reason,
            Factory.ietp_id,
            Visit.received_at,
            Visit.visit_start,
            Visit.confirmed_date.label("visit_confirmed"),
        )
        .join(Factory, Factory.id == OfficePlannedVisit.factory_id)
        .outerjoin(Visit, Visit.uuid == OfficePlannedVisit.visit_uuid)
    )


def _view(row: Any) -> PlanView:
    confirmed = row.confirmed_date or row.visit_confirmed
    if row.received_at is not None:
        state = PlanState.VISITED
    elif row.cancelled_at is not None:
        state = PlanState.CANCELLED
    elif confirmed is not None:
        state = PlanState.CONFIRMED
    else:
        state = PlanState.PLANNED
    return PlanView(
        uuid=row.visit_uuid,
        factory_id=row.factory_id,
        factory_ietp_id=row.ietp_id,
        specialist_email=row.specialist_email,
        specialist_name=row.specialist_name,
        proposed_date=row.proposed_date,
        confirmed_date=confirmed,
        man_days=row.man_days,
        state=state,
        visit_start=row.visit_start if row.received_at is not None else None,
        sent_at=row.sent_at,
        plan_id=row.plan_id,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
    )


def all_plans(session: Session, since: date | None = None) -> list[PlanView]:
    query = _query().order_by(OfficePlannedVisit.id)
    if since is not None:
        query = query.where(OfficePlannedVisit.proposed_date >= since)
    return [_view(row) for row in session.execute(query)]


def get_plan(session: Session, uuid: str) -> PlanView:
    row = session.execute(_query().where(OfficePlannedVisit.visit_uuid == uuid)).first()
    if row is None:
        raise NotFound("there is no planned visit {id}", id=uuid[:36])
    return _view(row)
