"""PV programme health: visits inside or outside their window, days from the visit to the report
reaching the office, how long CAP lines take to close, and how long fees take to be paid.

Fee payment times come from the fees feature's invoices (`office/fees/`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from ietp_desktop.domain.pv_window import WINDOW_CLOSES_MONTHS, WINDOW_OPENS_MONTHS
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table, share
from ietp_desktop.office.analytics.sql import (
    days_between,
    dialect,
    quarter_key,
    received,
)
from ietp_desktop.office.analytics.sql import (
    month_of as sql_month,
)
from ietp_desktop.office.analytics.sql import (
    year_of as sql_year,
)
from ietp_desktop.storage.models import CorrectiveAction, Factory, RemediationRecord, Visit
from ietp_desktop.storage.office_money_models import OfficeInvoice

WINDOW_ORDER = ("inside", "before", "after", "no_date")
DELAY_BANDS = ((7, "up to 7 days"), (14, "8 to 14 days"), (30, "15 to 30 days"))


def add_months(session: Session, column: Any, months: int) -> ColumnElement[Any]:
    """`column` + months, clamped to the month's end like domain.pv_window.add_months."""
    if dialect(session) == "sqlite":
        same_day = func.date(column, f"+{months} months")
        month_end = func.date(column, "start of month", f"+{months + 1} months", "-1 day")
        return func.min(same_day, month_end)  # SQLite's scalar min; dates compare as text
    return cast(column + text(f"interval '{months} months'"), Date)


def window_position(session: Session, period: Period) -> Table:
    """Each factory's first received visit on or after its current seal date, against the
    window (seal + 2 months … seal + 4 months)."""
    ordered = (
        select(
            Visit.id.label("visit_id"),
            Visit.visit_start.label("visit_start"),
            Factory.seal_issued_on.label("seal"),
            func.row_number()
            .over(partition_by=Visit.factory_id, order_by=(Visit.visit_start, Visit.id))
            .label("n"),
        )
        .join(Factory, Factory.id == Visit.factory_id)
        .where(
            Visit.received_at.is_not(None),
            Factory.seal_issued_on.is_not(None),
            Visit.visit_start >= Factory.seal_issued_on,
        )
        .subquery("after_seal")
    )
    opens = add_months(session, ordered.c.seal, WINDOW_OPENS_MONTHS)
    closes = add_months(session, ordered.c.seal, WINDOW_CLOSES_MONTHS)
    start = ordered.c.visit_start
    position = case(
        (start.is_(None), literal("no_date")),
        (start < opens, literal("before")),
        (start > closes, literal("after")),
        else_=literal("inside"),
    )
    conditions = [ordered.c.n == 1]
    if period.start is not None:
        conditions.append(start >= period.start)
    if period.end is not None:
        conditions.append(start <= period.end)
    counted: dict[str, int] = {
        str(k): int(v)
        for k, v in session.execute(
            select(position, func.count()).where(*conditions).group_by(position)
        ).all()
    }
    total = sum(int(v) for v in counted.values())
    data = tuple(
        (key, int(counted[key]), share(int(counted[key]), total))
        for key in WINDOW_ORDER
        if key in counted
    )
    no_seal = session.scalar(
        select(func.count(distinct(Visit.factory_id)))
        .join(Factory, Factory.id == Visit.factory_id)
        .where(*received(period), Factory.seal_issued_on.is_(None))
    )
    return Table(
        "window",
        "Visits inside and outside the PV window",
        ("Position", "Visits", "Share (%)"),
        data,
        kinds=("window",),
        note="Judged for each factory's first received visit on or after its current seal date; "
        "{no_seal} factories visited in the period have no seal date.",
        params={"no_seal": int(no_seal or 0)},
        chart=Chart(
            "bar", tuple(str(r[0]) for r in data), (("Visits", tuple(float(r[1]) for r in data)),)
        ),
    )


def report_delay(session: Session, period: Period) -> Table:
    days = days_between(
        session, func.coalesce(Visit.visit_end, Visit.visit_start), Visit.received_at
    )
    year, month = sql_year(Visit.visit_start), sql_month(Visit.visit_start)
    bands = [
        func.count().filter(days <= limit)
        if index == 0
        else func.count().filter(and_(days > DELAY_BANDS[index - 1][0], days <= limit))
        for index, (limit, _) in enumerate(DELAY_BANDS)
    ]
    rows = session.execute(
        select(
            year,
            month,
            func.count(),
            func.avg(days),
            func.max(days),
            *bands,
            func.count().filter(days > DELAY_BANDS[-1][0]),
        )
        .where(*received(period), Visit.visit_start.is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    per_quarter: dict[str, list[float]] = {}
    for r in rows:
        key = quarter_key(r[0], r[1])
        acc = per_quarter.setdefault(key, [0, 0.0, 0.0, 0, 0, 0, 0])
        n = int(r[2])
        acc[0] += n
        acc[1] += float(r[3] or 0) * n
        acc[2] = max(acc[2], float(r[4] or 0))
        for i in range(4):
            acc[3 + i] += int(r[5 + i])
    data = tuple(
        (
            key,
            int(a[0]),
            round(a[1] / a[0], 1) if a[0] else None,
            int(a[2]),
            *(int(x) for x in a[3:]),
        )
        for key, a in per_quarter.items()
    )
    return Table(
        "report_delay",
        "Days from the visit to the report received, by quarter",
        (
            "Quarter",
            "Visits",
            "Average days",
            "Longest (days)",
            "up to 7 days",
            "8 to 14 days",
            "15 to 30 days",
            "more than 30 days",
        ),
        data,
        chart=Chart(
            "line",
            tuple(str(r[0]) for r in data),
            (("Average days", tuple(float(r[2] or 0) for r in data)),),
        ),
        note="From the visit's last day to the office receiving the signed visit.",
    )


def cap_closure(session: Session, period: Period) -> Table:
    """CAP lines of received visits: closed (with the day the last remediation record came),
    still open, open past their due date."""
    last_record = (
        select(
            RemediationRecord.corrective_action_id.label("line_id"),
            func.max(RemediationRecord.received_on).label("last_on"),
        )
        .group_by(RemediationRecord.corrective_action_id)
        .subquery("last_record")
    )
    closed = CorrectiveAction.status == "closed"
    days = days_between(
        session, func.coalesce(Visit.visit_end, Visit.visit_start), last_record.c.last_on
    )
    dated = and_(closed, last_record.c.last_on.is_not(None))
    year, month = sql_year(Visit.visit_start), sql_month(Visit.visit_start)
    rows = session.execute(
        select(
            year,
            month,
            func.count(CorrectiveAction.id),
            func.count().filter(closed),
            func.count().filter(dated),
            func.sum(case((dated, days), else_=None)),
            func.count().filter(~closed),
            func.count().filter(and_(~closed, CorrectiveAction.due_date < date.today())),
        )
        .select_from(CorrectiveAction)
        .join(Visit, Visit.id == CorrectiveAction.visit_id)
        .outerjoin(last_record, last_record.c.line_id == CorrectiveAction.id)
        .where(*received(period), Visit.visit_start.is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    per_quarter: dict[str, list[float]] = {}
    for r in rows:
        acc = per_quarter.setdefault(quarter_key(r[0], r[1]), [0, 0, 0, 0.0, 0, 0])
        acc[0] += int(r[2])
        acc[1] += int(r[3])
        acc[2] += int(r[4])
        acc[3] += float(r[5] or 0)
        acc[4] += int(r[6])
        acc[5] += int(r[7])
    data = tuple(
        (
            key,
            int(a[0]),
            int(a[1]),
            round(a[3] / a[2], 1) if a[2] else None,
            int(a[4]),
            int(a[5]),
        )
        for key, a in per_quarter.items()
    )
    return Table(
        "cap_closure",
        "CAP closure, by quarter of the visit",
        (
            "Quarter",
            "CAP lines",
            "Closed",
            "Average days to close",
            "Still open",
            "Open past the due date",
        ),
        data,
        note="Days to close: from the visit's last day to the last remediation record of a "
        "closed line; lines closed without a dated record are counted as closed only.",
        chart=Chart(
            "stacked",
            tuple(str(r[0]) for r in data),
            (
                ("Closed", tuple(float(r[2]) for r in data)),
                ("Still open", tuple(float(r[4]) for r in data)),
            ),
        ),
    )


def fee_payment(session: Session, period: Period) -> Table:
    """Invoices paid in full, by quarter of the factory's receipt: how many, the average days
    from receipt to payment, and how many were paid after their due date."""
    columns = ("Quarter", "Invoices paid", "Average days to payment", "Paid late")
    paid = select(OfficeInvoice.received_on, OfficeInvoice.due_on, OfficeInvoice.paid_on).where(
        OfficeInvoice.settled.is_(True),
        OfficeInvoice.received_on.is_not(None),
        OfficeInvoice.paid_on.is_not(None),
    )
    if period.start is not None:
        paid = paid.where(OfficeInvoice.received_on >= period.start)
    if period.end is not None:
        paid = paid.where(OfficeInvoice.received_on <= period.end)
    per_quarter: dict[str, list[int]] = {}
    for received_on, due_on, paid_on in session.execute(paid):
        assert received_on is not None and paid_on is not None  # the query's own condition
        acc = per_quarter.setdefault(quarter_key(received_on.year, received_on.month), [0, 0, 0])
        acc[0] += 1
        acc[1] += (paid_on - received_on).days
        acc[2] += int(due_on is not None and paid_on > due_on)
    rows = tuple(
        (key, n, round(days / n, 1), late) for key, (n, days, late) in sorted(per_quarter.items())
    )
    return Table(
        "fee_payment",
        "Fee payment time",
        columns,
        rows,
        note="From the invoice's receipt to its payment; due within 15 working days.",
        unavailable=""
        if rows
        else "No invoice received by a factory in this period has been paid in full yet.",
    )


def health_report(session: Session, period: Period, grain: str = "month") -> Report:
    return Report(
        "health",
        period,
        (
            window_position(session, period),
            report_delay(session, period),
            cap_closure(session, period),
            fee_payment(session, period),
        ),
    )
