"""The Factory Training and Development Fund: a share of each fee paid in full is booked to it.

The office records only the fund's income here; `fund_balance` is what other features show
(for example beside the training needs the root causes point to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.office.accounts import audit
from ietp_desktop.office.fees import settings
from ietp_desktop.storage.office_money_models import OfficeFundEntry, OfficeInvoice

CENT = Decimal("0.01")


@dataclass(frozen=True)
class MonthIncome:
    month: str  # YYYY-MM
    amount_usd: Decimal
    invoices: int


@dataclass(frozen=True)
class Bar:
    month: str
    amount_usd: Decimal
    x: float
    y: float
    width: float
    height: float


def share_of(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def book(session: Session, invoice: OfficeInvoice, actor: str, remote: str = "") -> OfficeFundEntry:
    """Book the fund's share of a fully paid invoice once, dated the day it was paid."""
    existing = session.scalars(
        select(OfficeFundEntry).where(OfficeFundEntry.invoice_id == invoice.id)
    ).first()
    if existing is not None:
        return existing
    percent = settings.read(session, settings.FUND_SHARE_PERCENT)
    assert invoice.paid_on is not None
    entry = OfficeFundEntry(
        invoice_id=invoice.id,
        booked_on=invoice.paid_on,
        share_percent=percent,
        amount_usd=share_of(invoice.amount_paid_usd, percent),
        booked_by=actor[:200],
    )
    session.add(entry)
    audit.record(
        session,
        actor,
        "fund.book",
        invoice.number,
        f"{percent} % of {invoice.amount_paid_usd} USD = {entry.amount_usd} USD",
        remote,
    )
    return entry


def fund_balance(session: Session) -> Decimal:
    """Everything booked to the fund so far, in USD."""
    amounts = session.scalars(select(OfficeFundEntry.amount_usd)).all()
    return sum(amounts, Decimal("0.00"))


def income_by_month(
    session: Session, start: date | None = None, end: date | None = None
) -> list[MonthIncome]:
    query = select(OfficeFundEntry.booked_on, OfficeFundEntry.amount_usd)
    if start:
        query = query.where(OfficeFundEntry.booked_on >= start)
    if end:
        query = query.where(OfficeFundEntry.booked_on <= end)
    months: dict[str, tuple[Decimal, int]] = {}
    for booked_on, amount in session.execute(query):
        key = booked_on.strftime("%Y-%m")
        total, count = months.get(key, (Decimal("0.00"), 0))
        months[key] = (total + amount, count + 1)
    return [MonthIncome(m, months[m][0], months[m][1]) for m in sorted(months)]


CHART_WIDTH, CHART_HEIGHT, CHART_BOTTOM = 640.0, 200.0, 24.0


def chart_bars(months: list[MonthIncome]) -> list[Bar]:
    """Bar geometry for the console's SVG chart (drawn by the template, no script)."""
    if not months:
        return []
    top = max(m.amount_usd for m in months) or Decimal(1)
    slot = CHART_WIDTH / max(len(months), 12)  # a year's width, so one month is not a wall
    usable = CHART_HEIGHT - CHART_BOTTOM - 16
    bars = []
    for index, m in enumerate(months):
        height = float(m.amount_usd / top) * usable
        bars.append(
            Bar(
                month=m.month,
                amount_usd=m.amount_usd,
                x=round(index * slot + slot * 0.15, 1),
                y=round(CHART_HEIGHT - CHART_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
            )
        )
    return bars
