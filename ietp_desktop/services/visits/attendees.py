"""Opening and closing meeting attendance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.services.dto import AttendeeView
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Attendee


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    role: str = ""
    senior_management: bool = False
    present_opening: bool = False
    present_closing: bool = False


def _view(a: Attendee) -> AttendeeView:
    return AttendeeView(
        a.id, a.name, a.role, a.senior_management, a.present_opening, a.present_closing
    )


def _check(data: AttendeeInput) -> None:
    if not data.name.strip():
        raise ValidationFailed("an attendee needs a name")
    if data.senior_management and not data.role.strip():
        raise ValidationFailed("attendee {name}: give the senior manager's role", name=data.name)


def add_attendee(db: Database, visit_ref: str | int, data: AttendeeInput) -> AttendeeView:
    _check(data)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        attendee = Attendee(visit_id=visit.id, **data.__dict__)
        session.add(attendee)
        session.flush()
        return _view(attendee)


def _attendee(session: Session, visit_ref: str | int, attendee_id: int) -> Attendee:
    visit = resolve_visit(session, visit_ref)
    require_editable(visit)
    attendee = session.get(Attendee, attendee_id)
    if attendee is None or attendee.visit_id != visit.id:
        raise NotFound("no attendee {attendee_id} in this visit", attendee_id=attendee_id)
    return attendee


def update_attendee(
    db: Database, visit_ref: str | int, attendee_id: int, data: AttendeeInput
) -> AttendeeView:
    _check(data)
    with db.session() as session:
        attendee = _attendee(session, visit_ref, attendee_id)
        for name, value in data.__dict__.items():
            setattr(attendee, name, value)
        session.flush()
        return _view(attendee)


def remove_attendee(db: Database, visit_ref: str | int, attendee_id: int) -> None:
    with db.session() as session:
        session.delete(_attendee(session, visit_ref, attendee_id))
