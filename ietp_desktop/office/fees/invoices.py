"""Invoices: each received visit's fee note becomes one invoice (man-days × day rate, capped at
US$1,500), sent, received by the factory, due 15 working days after receipt, paid.

Every change takes the caller's session (one transaction) and writes the office audit trail;
a refused change raises UserError before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.fees import fee_note
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.fees import fund, settings
from ietp_desktop.office.fees.calendar import working_day_adder
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_money_models import OfficeInvoice

CENT = Decimal("0.01")
STATUSES = ("draft", "sent", "unpaid", "overdue", "termination_risk", "paid")
LISTS = ("unpaid", "overdue", "termination_risk", "paid")
MAX_ROWS = 50_000


@dataclass(slots=True)  # not frozen: building thousands of rows for a list stays cheap
class InvoiceRow:
    number: str
    visit_uuid: str
    factory_ietp_id: str
    factory_en: str
    factory_zh: str
    visit_start: date | None
    man_days: Decimal
    day_rate_usd: Decimal
    amount_usd: Decimal
    sent_on: date | None
    received_on: date | None
    due_on: date | None
    paid_on: date | None
    amount_paid_usd: Decimal
    outstanding_usd: Decimal
    status: str
    days_overdue: int


@dataclass(frozen=True)
class InvoiceFilter:
    show: str = ""  # one of LISTS, or "" for every invoice
    text: str = ""  # factory id or name, invoice number
    due_from: date | None = None
    due_to: date | None = None
    factory_id: int | None = None


def status_of(
    settled: bool,
    sent_on: date | None,
    received_on: date | None,
    due_on: date | None,
    today: date,
    grace_days: int,
) -> str:
    if settled:
        return "paid"
    if sent_on is None:
        return "draft"
    if received_on is None or due_on is None:
        return "sent"
    if today <= due_on:
        return "unpaid"
    if today > due_on + timedelta(days=grace_days):
        return "termination_risk"
    return "overdue"


# --- issuing ---------------------------------------------------------------------------------


def _next_number(session: Session, year: int) -> str:
    prefix = f"PV-{year}-"
    numbers = session.scalars(
        select(OfficeInvoice.number).where(OfficeInvoice.number.like(prefix + "%"))
    ).all()
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def issue_for_visit(
    session: Session, visit: Visit, actor: str, today: date, remote: str = ""
) -> OfficeInvoice | None:
    """The visit's invoice, made from its fee note the first time; an unsent invoice follows a
    later revision's man-days and day rate. None while the visit has no fee note."""
    if visit.man_days is None or visit.day_rate_usd is None or visit.man_days <= 0:
        return None
    note = fee_note(visit.man_days, visit.day_rate_usd, None, working_day_adder(session, visit))
    invoice = session.scalars(
        select(OfficeInvoice).where(OfficeInvoice.visit_id == visit.id)
    ).first()
    if invoice is None:
        invoice = OfficeInvoice(
            number=_next_number(session, today.year),
            visit_id=visit.id,
            factory_id=visit.factory_id,
            man_days=note.man_days,
            day_rate_usd=note.day_rate_usd,
            amount_usd=note.total_usd,
            amount_paid_usd=Decimal("0.00"),
            settled=False,
        )
        session.add(invoice)
        session.flush()
        audit.record(
            session,
            actor,
            "invoice.issue",
            invoice.number,
            f"visit {visit.uuid[:8]}: {note.man_days} man-days × {note.day_rate_usd} USD "
            f"= {note.total_usd} USD",
            remote,
        )
    elif invoice.sent_on is None and invoice.amount_usd != note.total_usd:
        old = invoice.amount_usd
        invoice.man_days, invoice.day_rate_usd = note.man_days, note.day_rate_usd
        invoice.amount_usd = note.total_usd
        audit.record(
            session,
            actor,
            "invoice.amend",
            invoice.number,
            f"visit {visit.uuid[:8]} r{visit.revision}: {old} → {note.total_usd} USD",
            remote,
        )
    return invoice


def issue_missing(session: Session, actor: str, today: date, remote: str = "") -> list[str]:
    """Invoices for received visits that have a fee note but no invoice yet (visits received
    before the office invoiced from the console). Returns the new invoice numbers."""
    visits = session.scalars(
        select(Visit)
        .outerjoin(OfficeInvoice, OfficeInvoice.visit_id == Visit.id)
        .where(Visit.received_at.is_not(None), OfficeInvoice.id.is_(None))
        .order_by(Visit.received_at, Visit.id)
    ).all()
    made = [issue_for_visit(session, v, actor, today, remote) for v in visits]
    return [m.number for m in made if m is not None]


def issue_for_uuids(session: Session, uuids: Iterable[str], actor: str, today: date) -> None:
    for uuid in uuids:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
        if visit is not None:
            issue_for_visit(session, visit, actor, today)


# --- finding one -----------------------------------------------------------------------------


_VISIT_PREFIX = re.compile(r"[0-9a-f-]{8,36}")


def find(session: Session, ref: str) -> OfficeInvoice:
    """An invoice by its number (PV-2026-0001) or its visit's id."""
    text = ref.strip()
    invoice = session.scalars(
        select(OfficeInvoice).where(OfficeInvoice.number == text.upper())
    ).first()
    if invoice is None and len(text) >= 8 and _VISIT_PREFIX.fullmatch(text.lower()):
        invoice = session.scalars(
            select(OfficeInvoice)
            .join(Visit, Visit.id == OfficeInvoice.visit_id)
            .where(Visit.uuid.like(text.lower()[:36] + "%"))
        ).first()
    if invoice is None:
        raise NotFound("no invoice {ref} (give its number, e.g. PV-2026-0001)", ref=text[:40])
    return invoice


# --- sending, receipt, payment ---------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "").removeprefix("US$").removeprefix("$"))
    except InvalidOperation:
        raise UserError("the amount “{text}” is not a number", text=text[:40]) from None
    if not value.is_finite():
        raise UserError("the amount “{text}” is not a number", text=text[:40])
    return value


def send(
    session: Session, ref: str, sent_on: date, actor: str, today: date, remote: str = ""
) -> OfficeInvoice:
    invoice = find(session, ref)
    visit = session.get(Visit, invoice.visit_id)
    assert visit is not None
    if invoice.settled:
        raise UserError("invoice {number} is paid; it cannot be sent again", number=invoice.number)
    if sent_on > today:
        raise UserError(
            "invoice {number}: the sending date {date} is in the future",
            number=invoice.number,
            date=sent_on.isoformat(),
        )
    last_day = visit.visit_end or visit.visit_start
    if last_day and sent_on < last_day:
        raise UserError(
            "invoice {number}: sent on {sent} is before the visit ended ({end})",
            number=invoice.number,
            sent=sent_on.isoformat(),
            end=last_day.isoformat(),
        )
    if invoice.received_on and sent_on > invoice.received_on:
        raise UserError(
            "invoice {number}: sent on {sent} is after the factory received it ({received})",
            number=invoice.number,
            sent=sent_on.isoformat(),
            received=invoice.received_on.isoformat(),
        )
    invoice.sent_on = sent_on
    audit.record(session, actor, "invoice.send", invoice.number, sent_on.isoformat(), remote)
    return invoice


def receive(
    session: Session, ref: str, received_on: date, actor: str, today: date, remote: str = ""
) -> OfficeInvoice:
    """The factory's receipt date; the due date is 15 working days after it."""
    invoice = find(session, ref)
    if invoice.sent_on is None:
        raise UserError(
            "invoice {number} has not been sent; record when it was sent first",
            number=invoice.number,
        )
    if received_on < invoice.sent_on:
        raise UserError(
            "invoice {number}: received on {received} is before it was sent ({sent})",
            number=invoice.number,
            received=received_on.isoformat(),
            sent=invoice.sent_on.isoformat(),
        )
    if received_on > today:
        raise UserError(
            "invoice {number}: the receipt date {date} is in the future",
            number=invoice.number,
            date=received_on.isoformat(),
        )
    visit = session.get(Visit, invoice.visit_id)
    assert visit is not None
    note = fee_note(
        invoice.man_days, invoice.day_rate_usd, received_on, working_day_adder(session, visit)
    )
    invoice.received_on, invoice.due_on = received_on, note.due_on
    audit.record(
        session,
        actor,
        "invoice.receive",
        invoice.number,
        f"received {received_on.isoformat()}, due {note.due_on}",
        remote,
    )
    return invoice


def pay(
    session: Session,
    ref: str,
    paid_on: date,
    amount: Decimal,
    actor: str,
    today: date,
    remote: str = "",
) -> OfficeInvoice:
    """Record a payment; payments add up. Paid in full, the fund's share is booked."""
    invoice = find(session, ref)
    if amount <= 0:
        raise UserError(
            "invoice {number}: a payment must be more than 0 (got {amount})",
            number=invoice.number,
            amount=amount,
        )
    if amount != amount.quantize(CENT):
        raise UserError(
            "invoice {number}: {amount} has more than two decimals",
            number=invoice.number,
            amount=amount,
        )
    if invoice.sent_on is None:
        raise UserError(
            "invoice {number} has not been sent; record when it was sent first",
            number=invoice.number,
        )
    if paid_on < invoice.sent_on:
        raise UserError(
            "invoice {number}: paid on {paid} is before it was sent ({sent})",
            number=invoice.number,
            paid=paid_on.isoformat(),
            sent=invoice.sent_on.isoformat(),
        )
    if paid_on > today:
        raise UserError(
            "invoice {number}: the payment date {date} is in the future",
            number=invoice.number,
            date=paid_on.isoformat(),
        )
    outstanding = invoice.amount_usd - invoice.amount_paid_usd
    if amount > outstanding:
        raise UserError(
            "invoice {number}: {amount} USD is more than the {outstanding} USD still owed "
            "(invoice {total} USD)",
            number=invoice.number,
            amount=amount,
            outstanding=outstanding,
            total=invoice.amount_usd,
        )
    amount = amount.quantize(CENT)
    invoice.amount_paid_usd = (invoice.amount_paid_usd + amount).quantize(CENT)
    invoice.paid_on = paid_on
    invoice.settled = invoice.amount_paid_usd == invoice.amount_usd
    audit.record(
        session,
        actor,
        "invoice.pay",
        invoice.number,
        f"{amount} USD on {paid_on.isoformat()}; paid {invoice.amount_paid_usd} of "
        f"{invoice.amount_usd} USD",
        remote,
    )
    if invoice.settled:
        fund.book(session, invoice, actor, remote)
    return invoice


# --- lists -----------------------------------------------------------------------------------


# Only the columns a list shows: loading whole Visit rows (and their ORM bookkeeping) made the
# overdue list of 10,000 invoices several times slower than the bare SELECT.
_COLUMNS = (
    OfficeInvoice.id,
    OfficeInvoice.number,
    OfficeInvoice.man_days,
    OfficeInvoice.day_rate_usd,
    OfficeInvoice.amount_usd,
    OfficeInvoice.sent_on,
    OfficeInvoice.received_on,
    OfficeInvoice.due_on,
    OfficeInvoice.paid_on,
    OfficeInvoice.amount_paid_usd,
    OfficeInvoice.settled,
    Visit.uuid,
    Visit.visit_start,
    Factory.ietp_id,
    Factory.name_en,
    Factory.name_zh,
)


def _query(flt: InvoiceFilter, today: date, grace_days: int) -> Select[*tuple[Any, ...]]:
    query = (
        select(*_COLUMNS)
        .join(Visit, Visit.id == OfficeInvoice.visit_id)
        .join(Factory, Factory.id == OfficeInvoice.factory_id)
    )
    if flt.factory_id is not None:
        query = query.where(OfficeInvoice.factory_id == flt.factory_id)
    if flt.show == "paid":
        query = query.where(OfficeInvoice.settled.is_(True))
    elif flt.show == "unpaid":
        query = query.where(OfficeInvoice.settled.is_(False))
    elif flt.show == "overdue":
        query = query.where(OfficeInvoice.settled.is_(False), OfficeInvoice.due_on < today)
    elif flt.show == "termination_risk":
        query = query.where(
            OfficeInvoice.settled.is_(False),
            OfficeInvoice.due_on < today - timedelta(days=grace_days),
        )
    if flt.text:
        like = f"%{flt.text}%"
        query = query.where(
            or_(
                Factory.ietp_id.ilike(like),
                Factory.name_en.ilike(like),
                Factory.name_zh.like(like),
                OfficeInvoice.number.ilike(like),
            )
        )
    if flt.due_from:
        query = query.where(OfficeInvoice.due_on >= flt.due_from)
    if flt.due_to:
        query = query.where(OfficeInvoice.due_on <= flt.due_to)
    if flt.show in ("overdue", "termination_risk"):
        return query.order_by(OfficeInvoice.due_on, OfficeInvoice.id)
    return query.order_by(OfficeInvoice.id.desc())


def _row(r: Any, today: date, grace: int) -> InvoiceRow:
    (_, number, man_days, rate, amount, sent, received, due, paid_on, paid, settled) = r[:11]
    status = status_of(settled, sent, received, due, today, grace)
    overdue = (today - due).days if status in ("overdue", "termination_risk") else 0
    return InvoiceRow(
        number, r[11], r[13], r[14], r[15], r[12], man_days, rate, amount, sent, received, due,
        paid_on, paid, amount - paid, status, overdue,
    )  # fmt: skip


def list_invoices(
    session: Session, flt: InvoiceFilter, today: date, limit: int = MAX_ROWS
) -> list[InvoiceRow]:
    grace = settings.read_days(session, settings.TERMINATION_GRACE_DAYS)
    rows = session.execute(_query(flt, today, grace).limit(limit)).all()
    return [_row(r, today, grace) for r in rows]


def invoice_row(session: Session, ref: str, today: date) -> InvoiceRow:
    invoice = find(session, ref)
    grace = settings.read_days(session, settings.TERMINATION_GRACE_DAYS)
    row = session.execute(
        _query(InvoiceFilter(), today, grace).where(OfficeInvoice.id == invoice.id)
    ).one()
    return _row(row, today, grace)


EXPORT_HEADER = [
    "invoice",
    "factory id",
    "factory",
    "factory (zh)",
    "visit",
    "visit date",
    "man-days",
    "day rate USD",
    "amount USD",
    "sent on",
    "received on",
    "due on",
    "paid on",
    "paid USD",
    "outstanding USD",
    "status",
    "days overdue",
]


def export_rows(rows: Iterable[InvoiceRow]) -> Iterable[list[object]]:
    for r in rows:
        yield [
            r.number,
            r.factory_ietp_id,
            r.factory_en,
            r.factory_zh,
            r.visit_uuid,
            r.visit_start,
            r.man_days,
            r.day_rate_usd,
            r.amount_usd,
            r.sent_on,
            r.received_on,
            r.due_on,
            r.paid_on,
            r.amount_paid_usd,
            r.outstanding_usd,
            r.status,
            r.days_overdue,
        ]
