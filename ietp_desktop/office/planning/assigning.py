"""Assign a planned visit to a specialist from the board and send it to the laptop.

The visit goes out as an assignments bundle (office/assignments.py) published in the
specialist's outbox, where `bundle fetch` on the laptop picks it up; the visit keeps the uuid
the board gave it, so a changed date is sent again under the same uuid and the results the
laptop sends back later make the plan "visited".
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office import assignments
from ietp_desktop.office.accounts import specialists
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.office.console.outbox import publish
from ietp_desktop.office.factories.register import get_factory
from ietp_desktop.office.planning import calendar
from ietp_desktop.office.planning.calendar import DateWarning
from ietp_desktop.office.planning.history import add_redate_event
from ietp_desktop.office.planning.plans import PlanState, get_plan
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit, OfficeSpecialistRegion
from ietp_desktop.storage.types import utcnow

MAX_MAN_DAYS = Decimal(30)


@dataclass(frozen=True)
class PlanResult:
    uuid: str
    ietp_id: str
    specialist_email: str
    day: date
    bundle: Path  # the published assignments bundle
    new: bool


def active_specialists(office_dir: Path, db: Database) -> list[tuple[str, str]]:
    """(e-mail, name) of every specialist with a valid certificate, one per e-mail."""
    found: dict[str, tuple[str, str]] = {}
    for view in specialists.list_specialists(office_dir, db):
        if view.state == "active":
            found[view.email.lower()] = (view.email, view.name)
    return sorted(found.values(), key=lambda s: s[1].lower())


def warnings_for(db: Database, ietp_id: str, day: date) -> list[DateWarning]:
    with db.session() as session:
        factory = get_factory(session, ietp_id)
        return calendar.date_warnings(
            day,
            factory.seal_issued_on,
            calendar.blackouts(session),
            calendar.unavailable(session, [factory.id]),
        )


def _open_plan(db: Database, factory: Factory) -> OfficePlannedVisit | None:
    """The factory's plan for its current seal that has not become a received visit."""
    with db.session() as session:
        query = (
            select(OfficePlannedVisit)
            .outerjoin(Visit, Visit.uuid == OfficePlannedVisit.visit_uuid)
            .where(
                OfficePlannedVisit.factory_id == factory.id,
                Visit.received_at.is_(None),
                OfficePlannedVisit.cancelled_at.is_(None),
            )
            .order_by(OfficePlannedVisit.id.desc())
        )
        if factory.seal_issued_on is not None:
            query = query.where(OfficePlannedVisit.proposed_date >= factory.seal_issued_on)
        plan = session.scalars(query).first()
        if plan is not None:
            session.expunge(plan)
        return plan


def plan_visit(
    office_dir: Path,
    db: Database,
    ietp_id: str,
    specialist_email: str,
    day: date,
    man_days: Decimal | None = None,
    *,
    actor: str,
    remote: str = "",
    office_passphrase: str | None = None,
    db_url: str | None = None,
) -> PlanResult:
    """Plan (or move) the factory's PV and publish it for the specialist's laptop."""
    if man_days is not None and not Decimal(0) < man_days <= MAX_MAN_DAYS:
        raise UserError("{days} man-days is not a plausible visit length", days=man_days)
    chosen = {email.lower(): (email, name) for email, name in active_specialists(office_dir, db)}
    if specialist_email.strip().lower() not in chosen:
        raise NotFound(
            "no specialist with a valid certificate has e-mail {email}", email=specialist_email
        )
    email, name = chosen[specialist_email.strip().lower()]
    with db.session() as session:
        factory = get_factory(session, ietp_id)
        session.expunge(factory)
    existing = _open_plan(db, factory)
    if existing is not None and existing.specialist_email.lower() != email.lower():
        raise UserError(
            "the PV of {id} is already assigned to {name}; move it to give it to someone else "
            "(Move, re-date or cancel, or office plan move)",
            id=ietp_id,
            name=existing.specialist_name or existing.specialist_email,
        )
    visit_uuid = existing.visit_uuid if existing else str(uuid_module.uuid4())
    folder = Path(office_dir) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".plan-{uuid_module.uuid4().hex}.ietpbundle"
    try:
        result = assignments.assign(
            office_dir,
            email,
            [],
            [assignments.AssignedVisit(ietp_id, day, man_days, visit_uuid)],
            [],
            [],
            temporary,
            office_passphrase=office_passphrase,
            db_url=db_url,
        )
        published = publish(office_dir, result.path, email)
    finally:
        temporary.unlink(missing_ok=True)
    try:
        with db.session() as session:
            if existing is None:
                session.add(
                    OfficePlannedVisit(
                        visit_uuid=visit_uuid,
                        factory_id=factory.id,
                        specialist_email=email,
                        specialist_name=name,
                        proposed_date=day,
                        man_days=man_days,
                        bundle_id=result.bundle_id,
                        sent_at=utcnow(),
                        planned_by=actor,
                    )
                )
            else:
                plan = session.scalars(
                    select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == visit_uuid)
                ).one()
                if plan.proposed_date != day:
                    add_redate_event(session, plan.id, actor, email, name, plan.proposed_date, day)
                plan.proposed_date = day
                plan.man_days = man_days
                plan.bundle_id = result.bundle_id
                plan.sent_at = utcnow()
                if plan.confirmed_date is not None and plan.confirmed_date != day:
                    plan.confirmed_date = None  # a new date must be agreed again
                    plan.confirmed_via = ""
            record(
                session,
                actor,
                "planning.assign" if existing is None else "planning.move",
                ietp_id,
                f"{name} <{email}> on {day}, visit {visit_uuid}",
                remote,
            )
    except BaseException:
        published.unlink(missing_ok=True)  # not on the board: not sent either
        raise
    return PlanResult(visit_uuid, ietp_id, email, day, published, existing is None)


def record_confirmation(
    db: Database, visit_uuid: str, day: date, *, actor: str, via: str, remote: str = ""
) -> None:
    """The date the specialist agreed with the factory (told by phone, or by the laptop)."""
    with db.session() as session:
        view = get_plan(session, visit_uuid)
        if view.state is PlanState.VISITED:
            raise UserError("the visit {id} has already been received", id=visit_uuid[:8])
        if view.state is PlanState.CANCELLED:
            raise UserError(
                "the PV of {id} was cancelled on {date}; plan the factory again from the board",
                id=view.factory_ietp_id,
                date=view.cancelled_at.date() if view.cancelled_at else "–",
            )
        plan = session.scalars(
            select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == visit_uuid)
        ).one()
        plan.confirmed_date = day
        plan.confirmed_via = via[:20]
        record(
            session,
            actor,
            "planning.confirm",
            view.factory_ietp_id,
            f"{visit_uuid} on {day}",
            remote,
        )


def set_region(db: Database, email: str, region: str, *, actor: str, remote: str = "") -> None:
    email = email.strip()
    if not email:
        raise UserError("say which specialist (e-mail)")
    with db.session() as session:
        row = session.get(OfficeSpecialistRegion, email.lower())
        if row is None:
            session.add(
                OfficeSpecialistRegion(specialist_email=email.lower(), region=region.strip()[:80])
            )
        else:
            row.region = region.strip()[:80]
        record(session, actor, "planning.specialist-region", email, region[:80], remote)
