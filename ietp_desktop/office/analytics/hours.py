"""Hours and wages across factories, from the time and pay records the received visits carried:
the share of workers above 60 hours in a week, above the monthly overtime cap, without a rest
day in 7, and paid below the minimum wage, by month and by region.

Two populations: the specialist's sample (workers drawn into the sample) and, for visits that
carried the factory's whole workforce, every worker. All of it is computed in SQL: per worker
and month into two summary tables (storage/office_analytics_models.py), rebuilt only for visits
whose revision or limits changed, then aggregated by month and region. The limits come from the
office's latest rule set (or the shipped one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy import Date as SqlDate
from sqlalchemy import String as SqlString
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table, share
from ietp_desktop.office.analytics.sql import (
    day_number,
    hours_between,
    month_key,
    month_of,
    received,
    year_of,
)
from ietp_desktop.paths import forms_dir
from ietp_desktop.services.catalogue.definitions import latest_rule_set_sha, rules_by_sha
from ietp_desktop.storage.models import Factory, PayRecord, TimeRecord, Visit, Worker
from ietp_desktop.storage.office_analytics_models import (
    OfficeAnalyticsRefresh,
    OfficeWorkerMonth,
    OfficeWorkerPayMonth,
)
from ietp_desktop.storage.types import UtcDateTime, utcnow

POPULATIONS = ("sample", "workforce")
FULL_MONTH_DAYS = 27  # a pay period shorter than this is a part month: not compared
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Limits:
    week_hours: Decimal
    day_hours: Decimal
    overtime_month: Decimal
    max_consecutive_days: int
    rule_set: str
    minimum_wages: tuple[tuple[str, date, date, Decimal], ...]  # region, from, until, amount


def limits(session: Session) -> Limits:
    sha = latest_rule_set_sha(session)
    if sha is not None:
        rules = rules_by_sha(session, sha)
    else:
        path = forms_dir() / "rules" / "cn-guangdong-v1.json"
        rules = parse_rule_set(path.read_text(encoding="utf-8"), path.name)
    return _limits(rules)


def _limits(rules: RuleSet) -> Limits:
    by_region: dict[str, list[tuple[date, Decimal | None]]] = {}
    for entry in rules.minimum_wages:
        by_region.setdefault(entry.region, []).append((entry.effective_from, entry.amount))
    spans: list[tuple[str, date, date, Decimal]] = []
    for region, entries in by_region.items():
        entries.sort()
        for index, (start, amount) in enumerate(entries):
            following = entries[index + 1][0] if index + 1 < len(entries) else FAR_FUTURE
            if amount is not None:
                spans.append((region, start, following, amount))
    return Limits(
        week_hours=rules.programme_limits.total_hours_per_7_days.value,
        day_hours=rules.rules.standard_hours_per_day.value,
        overtime_month=rules.rules.overtime_hours_per_month.value,
        max_consecutive_days=int(rules.programme_limits.max_consecutive_days.value),
        rule_set=f"{rules.rule_set_id} {rules.version}",
        minimum_wages=tuple(spans),
    )


def _carried_workforce(visit_id: Any) -> ColumnElement[bool]:
    """The visit carried the whole workforce: some of its workers are not in the sample."""
    others = aliased(Worker)
    return exists().where(others.visit_id == visit_id, others.in_sample.is_(False))


SUMMARY_VERSION = "2"  # bump when what the summaries hold changes: every visit is rebuilt


def limits_key(lim: Limits) -> str:
    return (
        f"v{SUMMARY_VERSION}|{lim.week_hours:g}|{lim.day_hours:g}|{lim.overtime_month:g}|"
        f"{lim.max_consecutive_days}|{len(lim.minimum_wages)}"
    )


def _hour_flags(session: Session, visit_ids: Any, lim: Limits) -> Any:
    """Per worker of the given visits and month of their time records: (worker_id, year,
    month, visit_id, in_sample, whole_workforce, above_week, above_overtime, no_rest)."""
    hours = hours_between(session, TimeRecord.start_at, TimeRecord.end_at)
    daily = (
        select(
            TimeRecord.worker_id.label("worker_id"),
            TimeRecord.work_date.label("work_date"),
            day_number(session, TimeRecord.work_date).label("day_no"),
            func.sum(hours).label("h"),
        )
        .join(Worker, Worker.id == TimeRecord.worker_id)
        .where(
            Worker.visit_id.in_(visit_ids),
            TimeRecord.start_at.is_not(None),
            TimeRecord.end_at.is_not(None),
        )
        .group_by(TimeRecord.worker_id, TimeRecord.work_date)
        .cte("daily")
    )
    worked = select(daily).where(daily.c.h > 0).cte("worked")
    base = (
        select(
            daily.c.worker_id,
            year_of(daily.c.work_date).label("y"),
            month_of(daily.c.work_date).label("m"),
            func.sum(case((daily.c.h > lim.day_hours, daily.c.h - lim.day_hours), else_=0.0)).label(
                "overtime"
            ),
        )
        .group_by(daily.c.worker_id, year_of(daily.c.work_date), month_of(daily.c.work_date))
        .cte("months")
    )
    week_no = (daily.c.day_no + 3) // 7  # 1970-01-01 was a Thursday: weeks start on Monday
    weeks = (
        select(
            daily.c.worker_id,
            func.min(daily.c.work_date).label("first_day"),
            func.sum(daily.c.h).label("total"),
        )
        .group_by(daily.c.worker_id, week_no)
        .cte("weeks")
    )
    long_weeks = (
        select(
            weeks.c.worker_id,
            year_of(weeks.c.first_day).label("y"),
            month_of(weeks.c.first_day).label("m"),
        )
        .where(weeks.c.total > lim.week_hours)
        .distinct()
        .cte("long_weeks")
    )
    island = worked.c.day_no - func.row_number().over(
        partition_by=worked.c.worker_id, order_by=worked.c.day_no
    )
    runs_in = select(worked.c.worker_id, worked.c.work_date, island.label("island")).cte("runs_in")
    runs = (
        select(
            runs_in.c.worker_id,
            func.min(runs_in.c.work_date).label("first_day"),
            func.count().label("days"),
        )
        .group_by(runs_in.c.worker_id, runs_in.c.island)
        .cte("runs")
    )
    long_runs = (
        select(
            runs.c.worker_id,
            year_of(runs.c.first_day).label("y"),
            month_of(runs.c.first_day).label("m"),
        )
        .where(runs.c.days > lim.max_consecutive_days)
        .distinct()
        .cte("long_runs")
    )

    def flagged(table: Any) -> ColumnElement[int]:
        return case((table.c.worker_id.is_not(None), 1), else_=0)

    return (
        select(
            base.c.worker_id,
            base.c.y,
            base.c.m,
            Worker.visit_id,
            Worker.in_sample,
            _carried_workforce(Worker.visit_id).label("whole_workforce"),
            flagged(long_weeks).label("above_week"),
            case((base.c.overtime > lim.overtime_month, 1), else_=0).label("above_overtime"),
            flagged(long_runs).label("no_rest"),
        )
        .select_from(base)
        .join(Worker, Worker.id == base.c.worker_id)
        .outerjoin(
            long_weeks,
            and_(
                long_weeks.c.worker_id == base.c.worker_id,
                long_weeks.c.y == base.c.y,
                long_weeks.c.m == base.c.m,
            ),
        )
        .outerjoin(
            long_runs,
            and_(
                long_runs.c.worker_id == base.c.worker_id,
                long_runs.c.y == base.c.y,
                long_runs.c.m == base.c.m,
            ),
        )
    )


def refresh_summaries(session: Session, lim: Limits) -> int:
    """Rebuild, in SQL, the worker-month summaries (hours and pay) of every received visit
    whose revision or limits changed since they were built; returns how many were rebuilt."""
    key = limits_key(lim)
    stale = (
        select(Visit.id)
        .outerjoin(OfficeAnalyticsRefresh, OfficeAnalyticsRefresh.visit_id == Visit.id)
        .where(
            Visit.received_at.is_not(None),
            or_(
                OfficeAnalyticsRefresh.visit_id.is_(None),
                OfficeAnalyticsRefresh.revision != Visit.revision,
                OfficeAnalyticsRefresh.limits != key,
            ),
        )
    )
    visit_ids = [int(v) for v in session.scalars(stale)]
    if not visit_ids:
        return 0
    try:
        with session.begin_nested():  # another worker may be rebuilding the same visits
            for start in range(0, len(visit_ids), 500):
                chunk = visit_ids[start : start + 500]
                session.execute(
                    delete(OfficeWorkerMonth).where(OfficeWorkerMonth.visit_id.in_(chunk))
                )
                session.execute(
                    delete(OfficeAnalyticsRefresh).where(OfficeAnalyticsRefresh.visit_id.in_(chunk))
                )
                session.execute(
                    delete(OfficeWorkerPayMonth).where(OfficeWorkerPayMonth.visit_id.in_(chunk))
                )
                session.execute(
                    insert(OfficeWorkerPayMonth).from_select(
                        [
                            "worker_id", "year", "month", "visit_id", "in_sample",
                            "whole_workforce", "below_minimum", "minimum_known",
                        ],
                        _pay_flags(session, chunk, lim),
                    )
                )  # fmt: skip
                flags = _hour_flags(session, chunk, lim)
                session.execute(
                    insert(OfficeWorkerMonth).from_select(
                        [
                            "worker_id", "year", "month", "visit_id", "in_sample",
                            "whole_workforce", "above_week", "above_overtime", "no_rest",
                        ],
                        flags,
                    )
                )  # fmt: skip
                session.execute(
                    insert(OfficeAnalyticsRefresh).from_select(
                        ["visit_id", "revision", "limits", "refreshed_at"],
                        select(
                            Visit.id, Visit.revision, literal(key), literal(utcnow(), UtcDateTime)
                        ).where(Visit.id.in_(chunk)),
                    )
                )
    except IntegrityError:
        return 0
    return len(visit_ids)


def _minimum_table(lim: Limits) -> Any:
    """The rule set's minimum wages as a small inline table (one SELECT of literals a row:
    SQLite has no column list for a VALUES alias)."""
    if not lim.minimum_wages:
        return None
    rows = [
        select(
            literal(region, SqlString).label("region"),
            literal(start, SqlDate).label("valid_from"),
            literal(until, SqlDate).label("valid_until"),
            literal(amount, Numeric(12, 2)).label("amount"),
        )
        for region, start, until, amount in lim.minimum_wages
    ]
    return union_all(*rows).cte("minimum_wages")


def _pay_flags(session: Session, visit_ids: Any, lim: Limits) -> Any:
    """Per worker of the given visits and month of full-month pay: (worker_id, year, month,
    visit_id, in_sample, whole_workforce, below_minimum, minimum_known)."""
    pay = cast(func.coalesce(PayRecord.base_pay, PayRecord.piece_earnings), Numeric(14, 2))
    minimum = _minimum_table(lim)
    year, month = year_of(PayRecord.period_start), month_of(PayRecord.period_start)
    if minimum is None:
        below: Any = literal(0)
        known: Any = literal(0)
    else:
        below = case((and_(minimum.c.amount.is_not(None), pay < minimum.c.amount), 1), else_=0)
        known = case((minimum.c.amount.is_not(None), 1), else_=0)
    records = (
        select(
            PayRecord.worker_id.label("worker_id"),
            year.label("y"),
            month.label("m"),
            func.max(below).label("below"),
            func.max(known).label("known"),
        )
        .select_from(PayRecord)
        .join(Worker, Worker.id == PayRecord.worker_id)
        .where(
            Worker.visit_id.in_(visit_ids),
            PayRecord.period_end >= PayRecord.period_start,
            func.coalesce(PayRecord.base_pay, PayRecord.piece_earnings).is_not(None),
            day_number(session, PayRecord.period_end) - day_number(session, PayRecord.period_start)
            >= FULL_MONTH_DAYS,
        )
        .group_by(PayRecord.worker_id, year, month)
    )
    if minimum is not None:
        records = records.outerjoin(
            minimum,
            and_(
                minimum.c.region == Worker.region,
                minimum.c.valid_from <= PayRecord.period_start,
                minimum.c.valid_until > PayRecord.period_start,
            ),
        )
    months = records.subquery("pay_months")
    return select(
        months.c.worker_id,
        months.c.y,
        months.c.m,
        Worker.visit_id,
        Worker.in_sample,
        _carried_workforce(Worker.visit_id).label("whole_workforce"),
        months.c.below,
        months.c.known,
    ).join(Worker, Worker.id == months.c.worker_id)


def _hours_rows(session: Session, period: Period, by_region: bool) -> list[tuple[object, ...]]:
    summary = OfficeWorkerMonth
    chosen = (summary.in_sample.is_(True), summary.whole_workforce.is_(True))
    conditions = [
        c
        for population in chosen
        for c in (
            population,
            *(
                and_(population, flag == 1)
                for flag in (summary.above_week, summary.above_overtime, summary.no_rest)
            ),
        )
    ]
    found = _grouped(session, summary, conditions, period, by_region)
    rows: list[tuple[object, ...]] = []
    for key, population, (n, week, overtime, rest) in _split(found, by_region, 4):
        rows.append(
            (
                key,
                population,
                n,
                week,
                share(week, n),
                overtime,
                share(overtime, n),
                rest,
                share(rest, n),
            )
        )
    return rows


def _grouped(
    session: Session,
    summary: type[OfficeWorkerMonth] | type[OfficeWorkerPayMonth],
    conditions: list[ColumnElement[bool]],
    period: Period,
    by_region: bool,
) -> list[Any]:
    """For each condition, the workers of the received visits' summary rows that meet it, by
    region or by month. A worker has one row a month (the primary key), so a month counts
    rows; a region counts workers over their months (one factory each: first a hash aggregate
    per worker, then a sum, instead of a sorting count(DISTINCT …) per measure)."""
    base = select().select_from(summary).join(Visit, Visit.id == summary.visit_id)
    base = base.where(*received(period))
    if by_region:
        per_worker = (
            base.add_columns(
                Factory.region.label("region"),
                *(func.max(case((c, 1), else_=0)).label(f"m{i}") for i, c in enumerate(conditions)),
            )
            .join(Factory, Factory.id == Visit.factory_id)
            .group_by(summary.worker_id, Factory.region)
            .subquery("per_worker")
        )
        return list(
            session.execute(
                select(
                    per_worker.c.region,
                    *(func.sum(per_worker.c[f"m{i}"]) for i in range(len(conditions))),
                )
                .group_by(per_worker.c.region)
                .order_by(per_worker.c.region)
            ).all()
        )
    return list(
        session.execute(
            base.add_columns(
                summary.year, summary.month, *(func.count(case((c, 1))) for c in conditions)
            )
            .group_by(summary.year, summary.month)
            .order_by(summary.year, summary.month)
        ).all()
    )


def _split(found: list[Any], by_region: bool, width: int) -> list[tuple[str, str, tuple[int, ...]]]:
    """Rows of (key…, sample measures…, workforce measures…) → (key, population, measures)."""
    keys = 1 if by_region else 2
    split = []
    for r in found:
        key = str(r[0]) if by_region else month_key(r[0], r[1])
        for index, population in enumerate(POPULATIONS):
            values = tuple(
                int(v or 0) for v in r[keys + index * width : keys + (index + 1) * width]
            )
            if values[0]:
                split.append((key, population, values))
    return split


def _wage_rows(session: Session, period: Period, by_region: bool) -> list[tuple[object, ...]]:
    summary = OfficeWorkerPayMonth
    chosen = (summary.in_sample.is_(True), summary.whole_workforce.is_(True))
    conditions = [
        c
        for population in chosen
        for c in (
            population,
            and_(population, summary.below_minimum == 1),
            and_(population, summary.minimum_known == 1),
        )
    ]
    found = _grouped(session, summary, conditions, period, by_region)
    rows: list[tuple[object, ...]] = []
    for key, population, (n, below, known) in _split(found, by_region, 3):
        rows.append((key, population, n, known, below, share(below, known), n - known))
    return rows


HOURS_COLUMNS = (
    "Workers with time records",
    "Above {week} h in a week",
    "Share above {week} h (%)",
    "Above the overtime cap ({overtime} h a month)",
    "Share above the overtime cap (%)",
    "Without a rest day in 7",
    "Share without a rest day (%)",
)
WAGE_COLUMNS = (
    "Workers with full-month pay",
    "Of them with a known minimum wage",
    "Below the minimum wage",
    "Share below the minimum wage (%)",
    "Minimum wage not known",
)


def _share_chart(
    rows: list[tuple[object, ...]], indexes: tuple[int, ...], names: tuple[str, ...], kind: str
) -> Chart | None:
    chosen = [r for r in rows if r[1] == "sample"]
    if not chosen:
        return None
    return Chart(
        kind,
        tuple(str(r[0]) for r in chosen),
        tuple(
            (name, tuple(float(r[i] or 0.0) for r in chosen))  # type: ignore[arg-type]
            for name, i in zip(names, indexes, strict=True)
        ),
        label_kind="region" if kind != "line" else "",
    )


def hours_report(session: Session, period: Period, grain: str = "month") -> Report:
    lim = limits(session)
    refresh_summaries(session, lim)
    params: dict[str, object] = {
        "rule_set": lim.rule_set,
        "week": f"{lim.week_hours:g}",
        "overtime": f"{lim.overtime_month:g}",
        "days": lim.max_consecutive_days,
    }
    has_time = session.scalar(
        select(OfficeWorkerMonth.visit_id)
        .join(Visit, Visit.id == OfficeWorkerMonth.visit_id)
        .where(*received(period))
        .limit(1)
    )
    has_pay = session.scalar(
        select(OfficeWorkerPayMonth.visit_id)
        .join(Visit, Visit.id == OfficeWorkerPayMonth.visit_id)
        .where(*received(period))
        .limit(1)
    )
    no_time = (
        ""
        if has_time
        else "No received visit in this period carried time records: these shares cannot be "
        "computed."
    )
    no_pay = (
        ""
        if has_pay
        else "No received visit in this period carried pay records: this share cannot be computed."
    )
    hour_names = (
        "Share above {week} h (%)",
        "Share above the overtime cap (%)",
        "Share without a rest day (%)",
    )
    tables: list[Table] = []
    for by_region in (False, True):
        rows = _hours_rows(session, period, by_region) if has_time else []
        tables.append(
            Table(
                "hours_by_region" if by_region else "hours_by_month",
                "Working hours by region" if by_region else "Working hours by month",
                ("Region" if by_region else "Month", "Population", *HOURS_COLUMNS),
                tuple(rows),
                kinds=("region" if by_region else "", "population"),
                unavailable=no_time,
                params=params,
                chart=_share_chart(rows, (4, 6, 8), hour_names, "grouped" if by_region else "line"),
                note="Chart: sampled workers. Weeks run Monday to Sunday; overtime is the time "
                "beyond the standard day; a run of more than the programme's consecutive days "
                "counts as no rest day in 7.",
            )
        )
    for by_region in (False, True):
        rows = _wage_rows(session, period, by_region) if has_pay else []
        tables.append(
            Table(
                "wages_by_region" if by_region else "wages_by_month",
                "Minimum wage by region" if by_region else "Minimum wage by month",
                ("Region" if by_region else "Month", "Population", *WAGE_COLUMNS),
                tuple(rows),
                kinds=("region" if by_region else "", "population"),
                unavailable=no_pay,
                chart=_share_chart(
                    rows,
                    (5,),
                    ("Share below the minimum wage (%)",),
                    "bar" if by_region else "line",
                ),
                note="Pay for standard hours (base pay, else piece earnings) of full-month pay "
                "periods, against the minimum wage of the worker's region on the period's first "
                "day. Workers whose region has no minimum wage in the rule set are counted apart.",
            )
        )
    notes = (
        "Figures from the time and pay records the received visits carried: the specialist's "
        "sample, and the whole workforce where the visit carried it.",
        "Limits from the rule set {rule_set}: {week} h in a week, {overtime} h of overtime a "
        "month, at most {days} consecutive working days.",
    )
    return Report("hours", period, tuple(tables), notes, params)
