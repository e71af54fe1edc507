"""Findings across factories: by classification, category, root cause, over time, by place and
by factory size, and the root causes that came back at the next visit (recurrences).

Each breakdown is one grouped query; only the aggregate rows reach Python.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics.labels import SIZE_BANDS
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table
from ietp_desktop.office.analytics.sql import (
    month_key,
    month_of,
    non_compliance,
    quarter_key,
    received,
    year_of,
)
from ietp_desktop.storage.models import Factory, Finding, Visit

GRAINS = ("month", "quarter")


def _nc_count() -> ColumnElement[int]:
    return func.count(case((non_compliance(), Finding.id)))  # a finding is one joined row


def _visit_counts() -> Any:
    """Findings and non-compliances of each visit that has findings (one hash aggregate, so
    the breakdowns by visit attributes need no DISTINCT over a join)."""
    return (
        select(
            Finding.visit_id.label("visit_id"),
            func.count().label("findings"),
            _nc_count().label("ncs"),
        )
        .group_by(Finding.visit_id)
        .subquery("per_visit")
    )


def _per_visit(ncs: int, visits: int) -> float | None:
    return round(ncs / visits, 2) if visits else None


def size_band() -> ColumnElement[str]:
    whens = [(Factory.headcount >= low, literal(key)) for key, low, _ in reversed(SIZE_BANDS)]
    return case(*whens, else_=literal("unknown"))


def by_classification(session: Session, period: Period) -> Table:
    rows = session.execute(
        select(
            Finding.classification,
            func.count(Finding.id),
            func.count(distinct(Visit.id)),
            func.count(distinct(Visit.factory_id)),
        )
        .join(Visit, Visit.id == Finding.visit_id)
        .where(*received(period))
        .group_by(Finding.classification)
        .order_by(func.count(Finding.id).desc(), Finding.classification)
    ).all()
    data = tuple((r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows)
    return Table(
        "by_classification",
        "Findings by classification",
        ("Classification", "Findings", "Visits", "Factories"),
        data,
        kinds=("classification",),
        chart=Chart("bar", tuple(str(r[0]) for r in data), (("Findings", _f(data, 1)),)),
    )


def _f(rows: tuple[tuple[object, ...], ...], index: int) -> tuple[float, ...]:
    return tuple(float(r[index] or 0) for r in rows)  # type: ignore[arg-type]


def by_category(session: Session, period: Period) -> Table:
    rows = session.execute(
        select(
            Finding.category,
            _nc_count(),
            func.count(Finding.id),
            func.count(distinct(case((non_compliance(), Visit.factory_id)))),
        )
        .join(Visit, Visit.id == Finding.visit_id)
        .where(*received(period))
        .group_by(Finding.category)
        .order_by(_nc_count().desc(), Finding.category)
    ).all()
    data = tuple((r[0], int(r[1]), int(r[2]) - int(r[1]), int(r[3])) for r in rows)
    return Table(
        "by_category",
        "Findings by category",
        ("Category", "Non-compliances", "Other findings", "Factories with a non-compliance"),
        data,
        kinds=("category",),
        chart=Chart(
            "stacked",
            tuple(str(r[0]) for r in data),
            (("Non-compliances", _f(data, 1)), ("Other findings", _f(data, 2))),
        ),
    )


def by_root_cause(session: Session, period: Period) -> Table:
    rows = session.execute(
        select(
            Finding.root_cause,
            _nc_count(),
            func.count(Finding.id),
            func.count(distinct(case((non_compliance(), Visit.factory_id)))),
            func.count(distinct(Visit.id)),
        )
        .join(Visit, Visit.id == Finding.visit_id)
        .where(*received(period))
        .group_by(Finding.root_cause)
        .order_by(_nc_count().desc(), Finding.root_cause)
    ).all()
    data = tuple((r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows)
    return Table(
        "by_root_cause",
        "Findings by root cause",
        (
            "Root cause",
            "Non-compliances",
            "All findings",
            "Factories with a non-compliance",
            "Visits",
        ),
        data,
        kinds=("root_cause",),
        chart=Chart("bar", tuple(str(r[0]) for r in data), (("Non-compliances", _f(data, 1)),)),
    )


def over_time(session: Session, period: Period, grain: str = "month") -> Table:
    year, month = year_of(Visit.visit_start), month_of(Visit.visit_start)
    per_visit = _visit_counts()
    rows = session.execute(
        select(
            year,
            month,
            func.count(Visit.id),
            func.coalesce(func.sum(per_visit.c.ncs), 0),
            func.coalesce(func.sum(per_visit.c.findings), 0),
        )
        .select_from(Visit)
        .outerjoin(per_visit, per_visit.c.visit_id == Visit.id)
        .where(*received(period), Visit.visit_start.is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    keyed: dict[str, list[int]] = {}
    for r in rows:
        key = quarter_key(r[0], r[1]) if grain == "quarter" else month_key(r[0], r[1])
        totals = keyed.setdefault(key, [0, 0, 0])
        for i in range(3):
            totals[i] += int(r[2 + i])
    data = tuple((key, v, nc, total, _per_visit(nc, v)) for key, (v, nc, total) in keyed.items())
    return Table(
        "over_time",
        "Findings by quarter" if grain == "quarter" else "Findings by month",
        (
            "Quarter" if grain == "quarter" else "Month",
            "Visits",
            "Non-compliances",
            "All findings",
            "Non-compliances per visit",
        ),
        data,
        chart=Chart(
            "line",
            tuple(str(r[0]) for r in data),
            (("Non-compliances", _f(data, 2)), ("All findings", _f(data, 3))),
        ),
    )


def _by_factory_attribute(session: Session, period: Period, *columns: Any) -> list[tuple[Any, ...]]:
    per_visit = _visit_counts()
    return list(
        session.execute(
            select(
                *columns,
                func.count(distinct(Visit.factory_id)),
                func.count(Visit.id),
                func.coalesce(func.sum(per_visit.c.ncs), 0),
            )
            .select_from(Visit)
            .join(Factory, Factory.id == Visit.factory_id)
            .outerjoin(per_visit, per_visit.c.visit_id == Visit.id)
            .where(*received(period))
            .group_by(*columns)
            .order_by(*columns)
        ).all()
    )


def by_place(session: Session, period: Period) -> Table:
    rows = _by_factory_attribute(session, period, Factory.region, Factory.city)
    data = tuple(
        (r[0], r[1], int(r[2]), int(r[3]), int(r[4]), _per_visit(int(r[4]), int(r[3])))
        for r in rows
    )
    return Table(
        "by_place",
        "Findings by region and city",
        ("Region", "City", "Factories", "Visits", "Non-compliances", "Non-compliances per visit"),
        data,
        kinds=("region", "city"),
        chart=Chart(
            "bar",
            tuple(" · ".join(x for x in (str(r[0]), str(r[1])) if x) or "–" for r in data),
            (("Non-compliances per visit", _f(data, 5)),),
        ),
    )


def by_size(session: Session, period: Period) -> Table:
    band = size_band()
    counted = {str(r[0]): r for r in _by_factory_attribute(session, period, band)}
    order = [key for key, _, _ in SIZE_BANDS] + ["unknown"]
    data = tuple(
        (key, int(r[1]), int(r[2]), int(r[3]), _per_visit(int(r[3]), int(r[2])))
        for key in order
        if (r := counted.get(key)) is not None
    )
    return Table(
        "by_size",
        "Findings by factory size",
        ("Headcount", "Factories", "Visits", "Non-compliances", "Non-compliances per visit"),
        data,
        kinds=("band",),
        chart=Chart(
            "bar", tuple(str(r[0]) for r in data), (("Non-compliances per visit", _f(data, 4)),)
        ),
    )


def recurrence_pairs(session: Session, period: Period) -> Any:
    """(factory_id, root_cause, earlier visit id, later visit id) for every root cause that a
    non-compliance gave at two consecutive received visits of one factory, the later visit
    inside the period. Consecutive is counted over all received visits, in date order."""
    ordered = (
        select(
            Visit.id.label("visit_id"),
            Visit.factory_id.label("factory_id"),
            Visit.visit_start.label("visit_start"),
            func.row_number()
            .over(partition_by=Visit.factory_id, order_by=(Visit.visit_start, Visit.id))
            .label("n"),
        )
        .where(Visit.received_at.is_not(None))
        .cte("ordered")
    )
    causes = (
        select(
            ordered.c.factory_id,
            Finding.root_cause.label("root_cause"),
            ordered.c.visit_id,
            ordered.c.visit_start,
            ordered.c.n,
        )
        .join(ordered, ordered.c.visit_id == Finding.visit_id)
        .where(non_compliance(), Finding.root_cause != "")
        .distinct()
        .subquery("causes")
    )
    # One window pass: the previous visit of the same factory that gave the same root cause.
    same_cause = (causes.c.factory_id, causes.c.root_cause)
    chained = select(
        causes.c.factory_id,
        causes.c.root_cause,
        causes.c.visit_id,
        causes.c.visit_start,
        causes.c.n,
        func.lag(causes.c.n).over(partition_by=same_cause, order_by=causes.c.n).label("previous_n"),
        func.lag(causes.c.visit_id)
        .over(partition_by=same_cause, order_by=causes.c.n)
        .label("previous_visit"),
    ).subquery("chained")
    statement = select(
        chained.c.factory_id,
        chained.c.root_cause,
        chained.c.previous_visit.label("earlier_visit"),
        chained.c.visit_id.label("later_visit"),
    ).where(chained.c.previous_n == chained.c.n - 1)
    if period.start is not None:
        statement = statement.where(chained.c.visit_start >= period.start)
    if period.end is not None:
        statement = statement.where(chained.c.visit_start <= period.end)
    return statement.subquery("recurrences")


def recurring(session: Session, period: Period, limit: int = 1000) -> Table:
    pairs = recurrence_pairs(session, period)
    earlier = Visit.__table__.alias("earlier")
    later = Visit.__table__.alias("later")
    rows = session.execute(
        select(
            Factory.ietp_id,
            Factory.name_en,
            Factory.name_zh,
            pairs.c.root_cause,
            earlier.c.visit_start,
            later.c.visit_start,
            later.c.specialist_name,
        )
        .select_from(pairs)
        .join(Factory, Factory.id == pairs.c.factory_id)
        .join(earlier, earlier.c.id == pairs.c.earlier_visit)
        .join(later, later.c.id == pairs.c.later_visit)
        .order_by(later.c.visit_start.desc(), Factory.ietp_id, pairs.c.root_cause)
        .limit(limit)
    ).all()
    return Table(
        "recurring",
        "Recurring root causes (same factory, consecutive visits)",
        (
            "IETP id",
            "Factory",
            "Factory (Chinese)",
            "Root cause",
            "Earlier visit",
            "Later visit",
            "Specialist (later visit)",
        ),
        tuple(tuple(r) for r in rows),
        kinds=("", "", "", "root_cause", "", "", "specialist"),
        note="A root cause counts when a non-compliance gave it at both visits.",
    )


def findings_report(session: Session, period: Period, grain: str = "month") -> Report:
    return Report(
        "findings",
        period,
        (
            by_classification(session, period),
            by_category(session, period),
            by_root_cause(session, period),
            over_time(session, period, grain if grain in GRAINS else "month"),
            by_place(session, period),
            by_size(session, period),
            recurring(session, period),
        ),
    )
