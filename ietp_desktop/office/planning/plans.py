"""Planned visits as the board shows them: planned → confirmed → visited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit


class PlanState(StrEnum):
    PLANNED = "planned"  # assigned and sent; the date is not agreed with the factory yet
    CONFIRMED = "confirmed"  # the specialist agreed the date with the factory
    VISITED = "visited"  # the visit reached the office


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

    @property
    def day(self) -> date:
        """The date the visit is expected on: the agreed one, else the proposed one."""
        return self.visit_start or self.confirmed_date or self.proposed_date


def _query() -> Select[OfficePlannedVisit, str, datetime | None, date | None, date | None]:
    return (
        select(
            OfficePlannedVisit,
            Factory.ietp_id,
            Visit.received_at,
            Visit.visit_start,
            Visit.confirmed_date,
        )
        .join(Factory, Factory.id == OfficePlannedVisit.factory_id)
        .outerjoin(Visit, Visit.uuid == OfficePlannedVisit.visit_uuid)
    )


def _view(
    plan: OfficePlannedVisit,
    ietp_id: str,
    received_at: datetime | None,
    visit_start: date | None,
    visit_confirmed: date | None,
) -> PlanView:
    confirmed = plan.confirmed_date or visit_confirmed
    if received_at is not None:
        state = PlanState.VISITED
    elif confirmed is not None:
        state = PlanState.CONFIRMED
    else:
        state = PlanState.PLANNED
    return PlanView(
        uuid=plan.visit_uuid,
        factory_id=plan.factory_id,
        factory_ietp_id=ietp_id,
        specialist_email=plan.specialist_email,
        specialist_name=plan.specialist_name,
        proposed_date=plan.proposed_date,
        confirmed_date=confirmed,
        man_days=plan.man_days,
        state=state,
        visit_start=visit_start if received_at is not None else None,
        sent_at=plan.sent_at,
    )


def all_plans(session: Session, since: date | None = None) -> list[PlanView]:
    query = _query().order_by(OfficePlannedVisit.id)
    if since is not None:
        query = query.where(OfficePlannedVisit.proposed_date >= since)
    return [_view(row[0], row[1], row[2], row[3], row[4]) for row in session.execute(query)]


def get_plan(session: Session, uuid: str) -> PlanView:
    row = session.execute(_query().where(OfficePlannedVisit.visit_uuid == uuid)).first()
    if row is None:
        raise NotFound("there is no planned visit {id}", id=uuid[:36])
    return _view(row[0], row[1], row[2], row[3], row[4])
