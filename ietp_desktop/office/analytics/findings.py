"""Findings across factories: by classification, category, root cause, over time, by place and
by factory size, and the root causes that came back at the next visit (recurrences).

Each breakdown is one grouped query over the findings counted per visit (finding_counts.py);
only the aggregate rows reach Python.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics import finding_counts
from ietp_desktop.office.analytics.labels import SIZE_BANDS
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table
from ietp_desktop.office.analytics.sql import month_key, month_of, quarter_key, year_of
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_analytics_models import (
    OfficeFindingCategory,
    OfficeFindingClassification,
    OfficeFindingRootCause,
    OfficeFindingVisit,
)

GRAINS = ("month", "quarter")
VISITS = OfficeFindingVisit
CAUSES = OfficeFindingRootCause


def _per_visit(ncs: int, visits: int) -> float | None:
    return round(ncs / visits, 2) if visits else None


def size_band() -> ColumnElement[str]:
    whens = [(Factory.headcount >= low, literal(key)) for key, low, _ in reversed(SIZE_BANDS)]
    return case(*whens, else_=literal("unknown"))


def in_period(period: Period, first_day: Any) -> list[ColumnElement[bool]]:
    """Counted visits (all received) whose first day is inside the period."""
    conditions: list[ColumnElement[bool]] = []
    if period.start is not None:
        conditions.append(first_day >= period.start)
    if period.end is not None:
        conditions.append(first_day <= period.end)
    return conditions


def per_factory(period: Period, model: Any, *where: ColumnElement[bool]) -> Any:
    """One row per value of a dimension and factory: findings, non-compliances and visits.
    Counting factories as rows of this (a hash aggregate) instead of count(DISTINCT …) keeps
    each breakdown one pass over the narrow per-visit counts."""
    return (
        select(
            model.value.label("value"),
            model.factory_id.label("factory_id"),
            func.sum(model.findings).label("findings"),
            func.sum(model.non_compliances).label("ncs"),
            func.count().label("visits"),
        )
        .where(*in_period(period, model.visit_start), *where)
        .group_by(model.value, model.factory_id)
        .subquery("per_factory")
    )


def _int(value: object) -> int:
    return int(str(value or 0))


def by_classification(session: Session, period: Period) -> Table:
    counted = per_factory(period, OfficeFindingClassification)
    findings = func.sum(counted.c.findings)
    rows = session.execute(
        select(counted.c.value, findings, func.sum(counted.c.visits), func.count())
        .group_by(counted.c.value)
        .order_by(findings.desc(), counted.c.value)
    ).all()
    data = tuple((r[0], _int(r[1]), _int(r[2]), _int(r[3])) for r in rows)
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
    counted = per_factory(period, OfficeFindingCategory)
    ncs = func.sum(counted.c.ncs)
    rows = session.execute(
        select(
            counted.c.value,
            ncs,
            func.sum(counted.c.findings),
            func.count().filter(counted.c.ncs > 0),
        )
        .group_by(counted.c.value)
        .order_by(ncs.desc(), counted.c.value)
    ).all()
    data = tuple((r[0], _int(r[1]), _int(r[2]) - _int(r[1]), _int(r[3])) for r in rows)
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
    counted = per_factory(period, CAUSES)
    ncs = func.sum(counted.c.ncs)
    rows = session.execute(
        select(
            counted.c.value,
            ncs,
            func.sum(counted.c.findings),
            func.count().filter(counted.c.ncs > 0),
            func.sum(counted.c.visits),
        )
        .group_by(counted.c.value)
        .order_by(ncs.desc(), counted.c.value)
    ).all()
    data = tuple((r[0], _int(r[1]), _int(r[2]), _int(r[3]), _int(r[4])) for r in rows)
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
    year, month = year_of(VISITS.visit_start), month_of(VISITS.visit_start)
    rows = session.execute(
        select(
            year,
            month,
            func.count(),
            func.sum(VISITS.non_compliances),
            func.sum(VISITS.findings),
        )
        .where(*in_period(period, VISITS.visit_start), VISITS.visit_start.is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    keyed: dict[str, list[int]] = {}
    for r in rows:
        key = quarter_key(r[0], r[1]) if grain == "quarter" else month_key(r[0], r[1])
        totals = keyed.setdefault(key, [0, 0, 0])
        for i in range(3):
            totals[i] += _int(r[2 + i])
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
    return list(
        session.execute(
            select(
                *columns,
                func.count(distinct(VISITS.factory_id)),
                func.count(),
                func.coalesce(func.sum(VISITS.non_compliances), 0),
            )
            .select_from(VISITS)
            .join(Factory, Factory.id == VISITS.factory_id)
            .where(*in_period(period, VISITS.visit_start))
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
    inside the period. Consecutive is counted over all received visits, in date order (kept
    with the counts, see finding_counts.py)."""
    return (
        select(
            CAUSES.factory_id.label("factory_id"),
            CAUSES.value.label("root_cause"),
            VISITS.previous_visit_id.label("earlier_visit"),
            CAUSES.visit_id.label("later_visit"),
            CAUSES.visit_start.label("visit_start"),
        )
        .join(VISITS, VISITS.visit_id == CAUSES.visit_id)
        .where(CAUSES.recurs.is_(True), *in_period(period, CAUSES.visit_start))
        .subquery("recurrences")
    )


def recurring(session: Session, period: Period, limit: int = 1000) -> Table:
    pairs = recurrence_pairs(session, period)
    # the newest `limit` pairs first (their later visit's first day is kept with the counts),
    # then the visits' dates and specialist for those rows only
    newest = (
        select(
            pairs.c.root_cause,
            pairs.c.earlier_visit,
            pairs.c.later_visit,
            Factory.ietp_id.label("ietp_id"),
            Factory.name_en.label("name_en"),
            Factory.name_zh.label("name_zh"),
        )
        .join(Factory, Factory.id == pairs.c.factory_id)
        .order_by(pairs.c.visit_start.desc(), Factory.ietp_id, pairs.c.root_cause)
        .limit(limit)
        .subquery("newest")
    )
    earlier = Visit.__table__.alias("earlier")
    later = Visit.__table__.alias("later")
    rows = session.execute(
        select(
            newest.c.ietp_id,
            newest.c.name_en,
            newest.c.name_zh,
            newest.c.root_cause,
            earlier.c.visit_start,
            later.c.visit_start,
            later.c.specialist_name,
        )
        .join(earlier, earlier.c.id == newest.c.earlier_visit)
        .join(later, later.c.id == newest.c.later_visit)
        .order_by(later.c.visit_start.desc(), newest.c.ietp_id, newest.c.root_cause)
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
    finding_counts.refresh(session)
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
