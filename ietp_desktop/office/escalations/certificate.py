"""A factory's certificate status and its history: every decision that sets it is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.storage.models import Factory
from ietp_desktop.storage.office_money_models import OfficeFactoryStatusChange

CERTIFIED, DOWNGRADED, TERMINATED = "certified", "downgraded", "terminated"


@dataclass(frozen=True)
class StatusStep:
    at: datetime
    old_status: str
    new_status: str
    reason: str
    by: str


def change(
    session: Session,
    factory: Factory,
    new_status: str,
    reason: str,
    actor: str,
    escalation_id: int | None = None,
) -> OfficeFactoryStatusChange:
    """Set the status and keep the step, in the caller's transaction (a decision that keeps
    the status is kept as well: it is the record that the question was decided)."""
    step = OfficeFactoryStatusChange(
        factory_id=factory.id,
        old_status=factory.certificate_status,
        new_status=new_status,
        reason=reason[:4000],
        escalation_id=escalation_id,
        changed_by=actor[:200],
    )
    factory.certificate_status = new_status
    session.add(step)
    return step


def history(session: Session, factory_id: int) -> list[StatusStep]:
    rows = session.scalars(
        select(OfficeFactoryStatusChange)
        .where(OfficeFactoryStatusChange.factory_id == factory_id)
        .order_by(OfficeFactoryStatusChange.changed_at.desc(), OfficeFactoryStatusChange.id.desc())
    ).all()
    return [
        StatusStep(r.changed_at, r.old_status, r.new_status, r.reason, r.changed_by) for r in rows
    ]
