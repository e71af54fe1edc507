"""Change a planned visit after it was sent: move it to another specialist, change its
proposed date, or cancel it with a reason.

The specialist who loses a visit is told by an assignments bundle that withdraws it (their
laptop keeps whatever was typed, read-only); the one who gets it receives it as a new
assignment under a new uuid (a uuid belongs to one specialist's laptop: `visit_owners`). A
re-dated visit is sent again under its uuid. Nothing changes once the visit has reached the
office, and a cancelled plan is not changed again: the factory is due and is planned afresh.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office import assignments
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.office.console.outbox import publish
from ietp_desktop.office.planning import calendar
from ietp_desktop.office.planning.assigning import active_specialists
from ietp_desktop.office.planning.calendar import DateWarning
from ietp_desktop.office.planning.history import add_redate_event
from ietp_desktop.office.planning.withdrawals import withdrawal_document
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_plan_change_models import OfficePlanEvent
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit
from ietp_desktop.storage.types import utcnow

MAX_REASON = 500


@dataclass(frozen=True)
class ChangeResult:
    kind: str  # move | redate | cancel
    plan_id: int
    uuid: str  # the plan's visit uuid after the change (a new one after a move)
    withdrawn_uuid: str  # taken back from the previous specialist's laptop ("" for a re-date)
    ietp_id: str
    specialist_email: str
    day: date
    warnings: list[DateWarning] = field(default_factory=list)
    published: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """What a change needs to know of the plan, read before the bundles are written."""

    id: int
    uuid: str
    ietp_id: str
    seal_issued_on: date | None
    factory_id: int
    email: str
    name: str
    proposed_date: date
    man_days: Any


@dataclass
class _Office:
    office_dir: Path
    passphrase: str | None
    db_url: str | None
    published: list[Path] = field(default_factory=list)


def find_plan(session: Session, uuid: str) -> OfficePlannedVisit:
    """The plan of visit `uuid`, also under a uuid it had before it was moved."""
    uuid = uuid.strip().lower()
    plan = session.scalars(
        select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == uuid)
    ).first()
    if plan is None:
        plan_id = session.scalars(
            select(OfficePlanEvent.plan_id)
            .where(OfficePlanEvent.withdrawn_uuid == uuid)
            .order_by(OfficePlanEvent.id.desc())
        ).first()
        plan = session.get(OfficePlannedVisit, plan_id) if plan_id is not None else None
    if plan is None:
        raise NotFound("there is no planned visit {id}", id=uuid[:36])
    return plan


def _changeable(session: Session, uuid: str) -> _Plan:
    plan = find_plan(session, uuid)
    factory = session.get(Factory, plan.factory_id)
    assert factory is not None  # the foreign key cascades
    if plan.cancelled_at is not None:
        raise UserError(
            "the PV of {id} was cancelled on {date}; plan the factory again from the board",
            id=factory.ietp_id,
            date=plan.cancelled_at.date(),
        )
    received = session.scalars(
        select(Visit.id).where(Visit.uuid == plan.visit_uuid, Visit.received_at.is_not(None))
    ).first()
    if received is not None:
        raise UserError(
            "the PV of {id} has already reached the office; it can no longer be moved, "
            "re-dated or cancelled",
            id=factory.ietp_id,
        )
    return _Plan(
        plan.id,
        plan.visit_uuid,
        factory.ietp_id,
        factory.seal_issued_on,
        factory.id,
        plan.specialist_email,
        plan.specialist_name,
        plan.proposed_date,
        plan.man_days,
    )


def _reason(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise UserError("say why the visit is cancelled: the specialist reads it on the laptop")
    if len(text) > MAX_REASON:
        raise UserError("the reason is longer than {max} characters", max=MAX_REASON)
    return text


def _warnings(session: Session, plan: _Plan, day: date) -> list[DateWarning]:
    return calendar.date_warnings(
        day,
        plan.seal_issued_on,
        calendar.blackouts(session),
        calendar.unavailable(session, [plan.factory_id]),
    )


def change_warnings(db: Database, uuid: str, day: date) -> list[DateWarning]:
    """Why `day` is a poor new date for the plan (outside the window, in a blackout…)."""
    with db.session() as session:
        return _warnings(session, _changeable(session, uuid), day)


def _send(
    office: _Office,
    email: str,
    visits: list[assignments.AssignedVisit],
    withdrawals: list[dict[str, Any]],
) -> str:
    """Write an assignments bundle for `email` and publish it in their outbox; its id."""
    folder = Path(office.office_dir) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".change-{uuid_module.uuid4().hex}.ietpbundle"
    try:
        result = assignments.assign(
            office.office_dir,
            email,
            [],
            visits,
            [],
            [],
            temporary,
            office_passphrase=office.passphrase,
            db_url=office.db_url,
            withdrawals=withdrawals,
        )
        office.published.append(publish(office.office_dir, result.path, email))
    finally:
        temporary.unlink(missing_ok=True)
    return result.bundle_id


def _withdraw(office: _Office, email: str, document: dict[str, Any]) -> None:
    try:
        assignments.find_specialist_certificate(office.office_dir, email)
    except NotFound:
        return  # no certificate was ever issued to that address: no laptop to tell
    _send(office, email, [], [document])


@contextmanager
def _unpublished_on_failure(office: _Office) -> Iterator[None]:
    """The bundles go out only if the change is recorded: else they are taken back."""
    try:
        yield
    except BaseException:
        for path in office.published:
            path.unlink(missing_ok=True)
        raise


def _current(session: Session, plan: _Plan) -> OfficePlannedVisit:
    row = session.get(OfficePlannedVisit, plan.id)
    if row is None or row.visit_uuid != plan.uuid or row.cancelled_at is not None:
        raise UserError("the plan of {id} changed meanwhile; open the board again", id=plan.ietp_id)
    return row


def move_plan(
    office_dir: Path,
    db: Database,
    uuid: str,
    specialist_email: str,
    day: date | None = None,
    *,
    reason: str = "",
    actor: str,
    remote: str = "",
    office_passphrase: str | None = None,
    db_url: str | None = None,
) -> ChangeResult:
    """Give the planned visit to another specialist (on `day`, else on the same date)."""
    reason = _reason(reason, required=False)
    chosen = {e.lower(): (e, n) for e, n in active_specialists(office_dir, db)}
    if specialist_email.strip().lower() not in chosen:
        raise NotFound(
            "no specialist with a valid certificate has e-mail {email}", email=specialist_email
        )
    email, name = chosen[specialist_email.strip().lower()]
    with db.session() as session:
        plan = _changeable(session, uuid)
        day = day or plan.proposed_date
        warnings = _warnings(session, plan, day)
    if plan.email.lower() == email.lower():
        raise UserError(
            "{name} already has the PV of {id}; change its date instead",
            name=plan.name or plan.email,
            id=plan.ietp_id,
        )
    new_uuid = str(uuid_module.uuid4())
    now = utcnow()
    office = _Office(Path(office_dir), office_passphrase, db_url)
    with _unpublished_on_failure(office):
        bundle_id = _send(
            office,
            email,
            [assignments.AssignedVisit(plan.ietp_id, day, plan.man_days, new_uuid)],
            [],
        )
        event = OfficePlanEvent(
            kind="move",
            at=now,
            actor=actor[:120],
            specialist_email=email,
            specialist_name=name,
            day=day,
            previous_email=plan.email,
            previous_name=plan.name,
            previous_day=plan.proposed_date,
            reason=reason,
            withdrawn_uuid=plan.uuid,
        )
        _withdraw(office, plan.email, withdrawal_document(event))
        with db.session() as session:
            row = _current(session, plan)
            row.visit_uuid = new_uuid
            row.specialist_email = email
            row.specialist_name = name
            row.proposed_date = day
            row.confirmed_date = None  # the new specialist agrees the date again
            row.confirmed_via = ""
            row.bundle_id = bundle_id
            row.sent_at = now
            event.plan_id = plan.id
            session.add(event)
            record(
                session,
                actor,
                "planning.move",
                plan.ietp_id,
                f"{plan.name} <{plan.email}> → {name} <{email}> on {day}, visit {plan.uuid} → "
                f"{new_uuid}; {reason}",
                remote,
            )
    return ChangeResult(
        "move", plan.id, new_uuid, plan.uuid, plan.ietp_id, email, day, warnings, office.published
    )


def redate_plan(
    office_dir: Path,
    db: Database,
    uuid: str,
    day: date,
    *,
    reason: str = "",
    actor: str,
    remote: str = "",
    office_passphrase: str | None = None,
    db_url: str | None = None,
) -> ChangeResult:
    """Propose another date for the planned visit and send it to the specialist's laptop."""
    reason = _reason(reason, required=False)
    with db.session() as session:
        plan = _changeable(session, uuid)
        warnings = _warnings(session, plan, day)
    if day == plan.proposed_date:
        raise UserError("the PV of {id} is already proposed for {date}", id=plan.ietp_id, date=day)
    now = utcnow()
    office = _Office(Path(office_dir), office_passphrase, db_url)
    with _unpublished_on_failure(office):
        bundle_id = _send(
            office,
            plan.email,
            [assignments.AssignedVisit(plan.ietp_id, day, plan.man_days, plan.uuid)],
            [],
        )
        with db.session() as session:
            row = _current(session, plan)
            row.proposed_date = day
            if row.confirmed_date is not None and row.confirmed_date != day:
                row.confirmed_date = None  # the factory must agree the new date
                row.confirmed_via = ""
            row.bundle_id = bundle_id
            row.sent_at = now
            add_redate_event(
                session, plan.id, actor, plan.email, plan.name, plan.proposed_date, day, reason
            )
            record(
                session,
                actor,
                "planning.redate",
                plan.ietp_id,
                f"visit {plan.uuid}: {plan.proposed_date} → {day}; {reason}",
                remote,
            )
    return ChangeResult(
        "redate", plan.id, plan.uuid, "", plan.ietp_id, plan.email, day, warnings, office.published
    )


def cancel_plan(
    office_dir: Path,
    db: Database,
    uuid: str,
    reason: str,
    *,
    actor: str,
    remote: str = "",
    office_passphrase: str | None = None,
    db_url: str | None = None,
) -> ChangeResult:
    """Cancel the planned visit: withdrawn from the laptop, the factory is due again."""
    reason = _reason(reason, required=True)
    with db.session() as session:
        plan = _changeable(session, uuid)
    now = utcnow()
    event = OfficePlanEvent(
        kind="cancel",
        at=now,
        actor=actor[:120],
        specialist_email=plan.email,
        specialist_name=plan.name,
        day=plan.proposed_date,
        previous_email=plan.email,
        previous_name=plan.name,
        previous_day=plan.proposed_date,
        reason=reason,
        withdrawn_uuid=plan.uuid,
    )
    office = _Office(Path(office_dir), office_passphrase, db_url)
    with _unpublished_on_failure(office):
        _withdraw(office, plan.email, withdrawal_document(event))
        with db.session() as session:
            row = _current(session, plan)
            row.cancelled_at = now
            row.cancelled_by = actor[:120]
            row.cancel_reason = reason
            event.plan_id = plan.id
            session.add(event)
            record(
                session,
                actor,
                "planning.cancel",
                plan.ietp_id,
                f"visit {plan.uuid}: {reason}",
                remote,
            )
    return ChangeResult(
        "cancel",
        plan.id,
        plan.uuid,
        plan.uuid,
        plan.ietp_id,
        plan.email,
        plan.proposed_date,
        [],
        office.published,
    )
