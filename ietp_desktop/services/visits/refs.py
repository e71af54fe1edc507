"""Finding a visit from what a user types: a number, a full uuid or a unique uuid prefix."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.storage.models import Visit

MIN_PREFIX = 4
SHORT_ID_LENGTH = 8
UUID_LENGTH = 36


def short_id(uuid: str) -> str:
    return uuid[:SHORT_ID_LENGTH]


def _by_prefix(session: Session, text: str) -> Visit | None:
    matches = list(
        session.scalars(select(Visit).where(Visit.uuid.startswith(text.lower())).limit(2))
    )
    if len(matches) > 1:
        raise UserError("visit id {text!r} is ambiguous; type more of it", text=text)
    return matches[0] if matches else None


def resolve_visit(session: Session, ref: str | int) -> Visit:
    """A short number is the visit's number; anything else, or a number that is no visit's
    number, is read as (the start of) its uuid — short ids can be all digits."""
    text = str(ref).strip()
    visit: Visit | None = None
    if text.isdigit() and len(text) < SHORT_ID_LENGTH:
        visit = session.get(Visit, int(text))
    if visit is None and len(text) == UUID_LENGTH:
        visit = session.scalars(select(Visit).where(Visit.uuid == text.lower())).first()
    elif visit is None and len(text) >= MIN_PREFIX:
        visit = _by_prefix(session, text)
    if visit is None and text.isdigit() and len(text) >= SHORT_ID_LENGTH:
        visit = session.get(Visit, int(text))
    if visit is None:
        raise NotFound(
            "no visit {text!r} (use a number or an id from 'ietp-desktop visits list')", text=text
        )
    return visit


def require_editable(visit: Visit) -> None:
    """Content changes are allowed only while the visit is open; signing locks it."""
    status = VisitStatus(visit.status)
    if status.content_locked:
        raise UserError(
            "visit {visit} is {status} (revision {revision}); open a new "
            "revision with a reason to change it",
            visit=short_id(visit.uuid),
            status=status.label.lower(),
            revision=visit.revision,
        )
    if status is VisitStatus.WITHDRAWN:
        raise UserError(
            "visit {visit} was withdrawn by the office; it is kept as it was and cannot change",
            visit=short_id(visit.uuid),
        )
    if status in (VisitStatus.COMPLETED, VisitStatus.REFUSED):
        raise UserError(
            "visit {visit} is {status}; reopen it to change it",
            visit=short_id(visit.uuid),
            status=status.label.lower(),
        )
