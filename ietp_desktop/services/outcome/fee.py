"""The Progress Visit fee note: man-days × day rate capped at US$1,500, due 15 working days
after the factory received the invoice. The total and the due date are stored on the visit
each time one of their inputs changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.services.dto import FeeView
from ietp_desktop.services.visits.read import fee_of
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit


class _Unset(Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET


def store_fee(session: Session, visit: Visit) -> FeeView | None:
    """Recompute the fee note from the visit's inputs and keep total and due date."""
    fee = fee_of(session, visit)
    visit.fee_total_usd = fee.total_usd if fee else None
    visit.fee_due_on = fee.due_on if fee else None
    return fee


def fee_for(db: Database, visit_ref: str | int) -> FeeView | None:
    """The fee note, or None while man-days or the day rate are missing."""
    with db.session() as session:
        return fee_of(session, resolve_visit(session, visit_ref))


def set_fee(
    db: Database,
    visit_ref: str | int,
    *,
    man_days: Decimal | _Unset | None = _UNSET,
    day_rate_usd: Decimal | _Unset | None = _UNSET,
    invoice_received_on: date | _Unset | None = _UNSET,
) -> FeeView | None:
    """Change the fee inputs (arguments left out stay as they are) and store the result.

    The invoice arrives after the visit, so its receipt date can be recorded on a signed
    visit; man-days and the day rate are part of the signed report and cannot.
    """
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        locked = VisitStatus(visit.status).content_locked
        if locked and (man_days is not _UNSET or day_rate_usd is not _UNSET):
            raise UserError(
                "visit {visit} is signed; open a new revision to change man-days or the day rate",
                visit=short_id(visit.uuid),
            )
        if not isinstance(man_days, _Unset):
            visit.man_days = man_days
        if not isinstance(day_rate_usd, _Unset):
            visit.day_rate_usd = day_rate_usd
        if not isinstance(invoice_received_on, _Unset):
            visit.invoice_received_on = invoice_received_on
        fee = store_fee(session, visit)
        session.flush()
        return fee
