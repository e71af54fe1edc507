"""Hours worked: per day, week and rolling 7 days; overtime against the caps; runs of
consecutive working days; work on rest days (with days off in lieu) and statutory holidays.

Internally everything is whole minutes so that results are exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from ietp_desktop.domain.phrases import Wording
from ietp_desktop.domain.records import (
    Breach,
    Day,
    Month,
    Period,
    Punch,
    WeekHours,
    format_hours,
)
from ietp_desktop.domain.rules import Rule, RuleSet
from ietp_desktop.domain.workdays import is_working_day

_DAY = timedelta(days=1)


class DayHours(NamedTuple):
    """One worker's day (named tuples: a year for a few hundred workers is ~100,000 days)."""

    work_date: date
    minutes: int
    incomplete: bool  # a punch without its clock-in or clock-out: hours not guessed

    @property
    def hours(self) -> float:
        return self.minutes / 60


class OvertimeDay(NamedTuple):
    """Overtime minutes of one day by premium: beyond 8 h on a working day (or on a rest day
    compensated by a day off in lieu), all of an uncompensated rest day, all of a statutory
    holiday."""

    work_date: date
    workday_minutes: int
    rest_day_minutes: int
    holiday_minutes: int

    @property
    def total(self) -> int:
        return self.workday_minutes + self.rest_day_minutes + self.holiday_minutes


@dataclass(frozen=True, slots=True)
class Run:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class WorkerHours:
    worker_code: str
    days: tuple[DayHours, ...]  # days with at least one punch, in date order
    weekly: tuple[WeekHours, ...]  # Monday-to-Sunday totals, every week from first to last
    max_rolling7_minutes: int
    max_rolling7_start: date | None
    runs: tuple[Run, ...]  # runs of consecutive days worked
    rest_days_worked: tuple[date, ...]  # without a day off in lieu
    days_in_lieu: tuple[tuple[date, date], ...]  # (rest day worked, day off in lieu)
    holidays_worked: tuple[date, ...]
    overtime: tuple[OvertimeDay, ...]
    overtime_months: dict[date, int]  # first of the month → overtime minutes

    @property
    def longest_run(self) -> Run | None:
        return max(self.runs, key=lambda r: (r.days, -r.start.toordinal()), default=None)

    def overtime_by_month(self) -> dict[date, int]:
        return dict(self.overtime_months)


def daily_hours(punches: Iterable[Punch]) -> dict[str, list[DayHours]]:
    """Punches summed per worker and day (a night shift counts on the day it started)."""
    minutes: dict[str, dict[date, int]] = {}
    incomplete: set[tuple[str, date]] = set()
    worker: str | None = None
    days: dict[date, int] = {}
    for code, work_date, start, end in punches:
        if code != worker:  # files list a worker's punches together: one lookup per run
            worker = code
            days = minutes.setdefault(code, {})
        if start is None or end is None:
            incomplete.add((code, work_date))
            days[work_date] = days.get(work_date, 0)
        else:
            span = end - start
            days[work_date] = days.get(work_date, 0) + span.days * 1440 + span.seconds // 60
    new = tuple.__new__
    return {
        code: [
            new(DayHours, (day, total, bool(incomplete) and (code, day) in incomplete))
            for day, total in sorted(days.items())
        ]
        for code, days in minutes.items()
    }


class _Calendar(NamedTuple):
    """Each day from `first`: its date, whether it is a scheduled working day, whether it is
    a statutory holiday. The same for every worker whose records span the same days."""

    dates: tuple[date, ...]
    working: tuple[bool, ...]
    statutory: tuple[bool, ...]


_CALENDARS: dict[tuple[int, date, int], tuple[RuleSet, _Calendar]] = {}


def _calendar(rules: RuleSet, first: date, span: int) -> _Calendar:
    key = (id(rules), first, span)
    hit = _CALENDARS.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    dates = tuple(first + timedelta(days=i) for i in range(span))
    calendar = _Calendar(
        dates,
        tuple(is_working_day(d, rules) for d in dates),
        tuple(rules.is_statutory_holiday(d) for d in dates),
    )
    if len(_CALENDARS) >= 16:  # a few rule sets and record spans per session
        _CALENDARS.clear()
    _CALENDARS[key] = (rules, calendar)
    return calendar


def worker_hours(worker_code: str, days: list[DayHours], rules: RuleSet) -> WorkerHours:
    days = sorted(days, key=itemgetter(0))  # by work_date
    if not days:
        return WorkerHours(worker_code, (), (), 0, None, (), (), (), (), (), {})
    first, last = days[0].work_date, days[-1].work_date
    span = (last - first).days + 1
    dense = [0] * span
    worked = [False] * span
    index = [(d.work_date - first).days for d in days]
    for i, d in zip(index, days, strict=True):
        dense[i] = d.minutes
        worked[i] = True
    calendar = _calendar(rules, first, span)

    weekly = _weekly(first, dense)
    best, best_start = _max_rolling(first, dense)
    runs = _runs(first, worked)
    lieu, uncompensated, holidays = _rest_and_holiday_work(first, worked, rules, calendar)
    overtime = _overtime(days, index, rules, calendar, {rest for rest, _ in lieu})
    months: dict[date, int] = {}
    month_of: dict[tuple[int, int], date] = {}
    for ot in overtime:
        day = ot.work_date
        month = month_of.get((day.year, day.month))
        if month is None:
            month = month_of[(day.year, day.month)] = date(day.year, day.month, 1)
        months[month] = (
            months.get(month, 0) + ot.workday_minutes + ot.rest_day_minutes + (ot.holiday_minutes)
        )
    return WorkerHours(
        worker_code=worker_code,
        days=tuple(days),
        weekly=weekly,
        max_rolling7_minutes=best,
        max_rolling7_start=best_start,
        runs=runs,
        rest_days_worked=uncompensated,
        days_in_lieu=lieu,
        holidays_worked=holidays,
        overtime=overtime,
        overtime_months=dict(months),
    )


def _weekly(first: date, dense: list[int]) -> tuple[WeekHours, ...]:
    monday = first - timedelta(days=first.weekday())
    offset = (first - monday).days
    totals = [
        sum(dense[max(0, k - offset) : k + 7 - offset]) for k in range(0, len(dense) + offset, 7)
    ]
    return tuple(WeekHours(monday + timedelta(weeks=w), t / 60) for w, t in enumerate(totals))


def _max_rolling(first: date, dense: list[int]) -> tuple[int, date]:
    window = sum(dense[:7])
    best, best_i = window, 0
    for i in range(7, len(dense)):
        window += dense[i] - dense[i - 7]
        if window > best:
            best, best_i = window, i - 6
    return best, first + timedelta(days=best_i)


def rolling_windows_over(
    first: date, dense: list[int], limit_minutes: int
) -> list[tuple[Run, int]]:
    """Episodes of overlapping 7-day windows whose total exceeds the limit, each with the
    highest 7-day total in it."""
    spans: list[list[int]] = []  # [first window end index, last window end index, best]
    window = 0
    for i, m in enumerate(dense):
        window += m
        if i >= 7:
            window -= dense[i - 7]
        if window > limit_minutes:
            if spans and spans[-1][1] >= i - 7:
                span = spans[-1]
                span[1] = i
                if window > span[2]:
                    span[2] = window
            else:
                spans.append([i, i, window])
    return [
        (Run(first + timedelta(days=max(0, a - 6)), first + timedelta(days=b)), best)
        for a, b, best in spans
    ]


def _runs(first: date, worked: list[bool]) -> tuple[Run, ...]:
    runs: list[Run] = []
    start: int | None = None
    for i, w in enumerate([*worked, False]):
        if w and start is None:
            start = i
        elif not w and start is not None:
            runs.append(Run(first + timedelta(days=start), first + timedelta(days=i - 1)))
            start = None
    return tuple(runs)


def _rest_and_holiday_work(
    first: date, worked: list[bool], rules: RuleSet, calendar: _Calendar | None = None
) -> tuple[tuple[tuple[date, date], ...], tuple[date, ...], tuple[date, ...]]:
    """A rest day worked is compensated by a day off in lieu: a scheduled working day not
    worked within the 6 days that follow it (each day off compensates one rest day)."""
    span = len(worked)
    calendar = calendar or _calendar(rules, first, span)
    days, scheduled, statutory = calendar
    used: set[int] = set()
    lieu: list[tuple[date, date]] = []
    uncompensated: list[date] = []
    holidays: list[date] = []
    for i in range(span):
        if not worked[i] or scheduled[i]:
            continue
        if statutory[i]:
            holidays.append(days[i])
            continue
        for j in range(i + 1, min(i + 7, span)):
            if scheduled[j] and not worked[j] and j not in used:
                used.add(j)
                lieu.append((days[i], days[j]))
                break
        else:
            uncompensated.append(days[i])
    return tuple(lieu), tuple(uncompensated), tuple(holidays)


def _overtime(
    days: list[DayHours],
    index: list[int],
    rules: RuleSet,
    calendar: _Calendar,
    in_lieu: set[date],
) -> tuple[OvertimeDay, ...]:
    """`index`: each day's position in `calendar`."""
    standard = int(rules.rules.standard_hours_per_day.value * 60)
    _, working, statutory = calendar
    new = tuple.__new__
    result: list[OvertimeDay] = []
    for i, (work_date, minutes, _incomplete) in zip(index, days, strict=True):
        if not minutes:
            continue
        if statutory[i]:
            result.append(new(OvertimeDay, (work_date, 0, 0, minutes)))
        elif working[i] or work_date in in_lieu:
            if minutes > standard:
                result.append(new(OvertimeDay, (work_date, minutes - standard, 0, 0)))
        else:
            result.append(new(OvertimeDay, (work_date, 0, minutes, 0)))
    return tuple(result)


def make_breach(
    code: str,
    rule_id: str,
    rule: Rule,
    start: date,
    end: date,
    figure: Decimal,
    template: str,
    **params: object,
) -> Breach:
    rule_text = rule.text[:1].lower() + rule.text[1:]
    rule_text_zh = rule.text_zh
    return Breach(
        worker_code=code,
        rule_id=rule_id,
        rule_text=rule.text,
        rule_text_zh=rule.text_zh,
        citation=rule.citation,
        period_start=start,
        period_end=end,
        figure=figure,
        limit=rule.value,
        unit=rule.unit,
        template=template,
        params={
            "worker": code,
            "rule": Wording(rule_text, rule_text_zh),
            "citation": Wording(rule.citation, rule.citation_zh),
            **params,
        },
    )


def _dec_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def hours_breaches(wh: WorkerHours, rules: RuleSet) -> list[Breach]:
    law, programme = rules.rules, rules.programme_limits
    code = wh.worker_code
    out: list[Breach] = []

    rest_rule = law.rest_days_per_week
    law_max_run = 7 - int(rest_rule.value)
    programme_max_run = int(programme.max_consecutive_days.value)
    for run in wh.runs:
        if run.days > law_max_run:
            rule_id, rule = "rest_days_per_week", rest_rule
        elif run.days > programme_max_run:
            rule_id, rule = "max_consecutive_days", programme.max_consecutive_days
        else:
            continue
        out.append(
            make_breach(
                code,
                rule_id,
                rule,
                run.start,
                run.end,
                Decimal(run.days),
                "{worker} worked {days} consecutive days, {period}; rule: {rule}, {citation}",
                days=str(run.days),
                period=Period(run.start, run.end),
            )
        )

    out.extend(_daily_overtime_breaches(wh, rules))

    month_cap = law.overtime_hours_per_month
    for month, minutes in sorted(wh.overtime_by_month().items()):
        if minutes > month_cap.value * 60:
            month_end = (month + timedelta(days=32)).replace(day=1) - _DAY
            out.append(
                make_breach(
                    code,
                    "overtime_hours_per_month",
                    month_cap,
                    month,
                    month_end,
                    _dec_hours(minutes),
                    "{worker} worked {hours} h overtime in {month}; limit {limit} h a month; "
                    "rule: {rule}, {citation}",
                    hours=format_hours(minutes / 60),
                    month=Month(month),
                    limit=format_hours(month_cap.value),
                )
            )

    total_rule = programme.total_hours_per_7_days
    if wh.days:
        first = wh.days[0].work_date
        dense = [0] * ((wh.days[-1].work_date - first).days + 1)
        for d in wh.days:
            dense[(d.work_date - first).days] = d.minutes
        for episode, best in rolling_windows_over(first, dense, int(total_rule.value * 60)):
            out.append(
                make_breach(
                    code,
                    "total_hours_per_7_days",
                    total_rule,
                    episode.start,
                    episode.end,
                    _dec_hours(best),
                    "{worker} worked up to {hours} h in 7 days, {period}; limit {limit} h; "
                    "rule: {rule}, {citation}",
                    hours=format_hours(best / 60),
                    period=Period(episode.start, episode.end),
                    limit=format_hours(total_rule.value),
                )
            )
    out.extend(_regular_week_breaches(wh, rules))
    return out


def _daily_overtime_breaches(wh: WorkerHours, rules: RuleSet) -> list[Breach]:
    """One breach per month listing the days whose overtime exceeds the special daily cap."""
    cap = rules.rules.overtime_hours_per_day_special
    limit = int(cap.value * 60)
    by_month: dict[date, list[OvertimeDay]] = defaultdict(list)
    for ot in wh.overtime:
        if ot.workday_minutes > limit:
            by_month[ot.work_date.replace(day=1)].append(ot)
    out = []
    for month, days in sorted(by_month.items()):
        worst = max(days, key=lambda o: o.workday_minutes)
        out.append(
            make_breach(
                wh.worker_code,
                "overtime_hours_per_day_special",
                cap,
                days[0].work_date,
                days[-1].work_date,
                _dec_hours(worst.workday_minutes),
                "{worker} worked more than {limit} h overtime a day on {count} days in {month} "
                "(most: {hours} h on {day}); rule: {rule}, {citation}",
                limit=format_hours(cap.value),
                count=str(len(days)),
                month=Month(month),
                hours=format_hours(worst.workday_minutes / 60),
                day=Day(worst.work_date),
            )
        )
    return out


def _regular_week_breaches(wh: WorkerHours, rules: RuleSet) -> list[Breach]:
    rule = rules.programme_limits.regular_hours_per_week
    standard = int(rules.rules.standard_hours_per_day.value * 60)
    if not wh.days:
        return []
    first = wh.days[0].work_date
    calendar = _calendar(rules, first, (wh.days[-1].work_date - first).days + 1)
    working = calendar.working
    # the week of day i: (i + offset) // 7, its Monday counted from first's Monday
    offset = first.weekday()
    weeks: dict[int, int] = {}
    for d in wh.days:
        i = (d.work_date - first).days
        if working[i]:
            week = (i + offset) // 7
            weeks[week] = weeks.get(week, 0) + min(d.minutes, standard)
    first_monday = first - timedelta(days=offset)
    weeks_by_monday = {first_monday + timedelta(weeks=w): m for w, m in weeks.items()}
    out = []
    for monday, minutes in sorted(weeks_by_monday.items()):
        if minutes > rule.value * 60:
            sunday = monday + timedelta(days=6)
            out.append(
                make_breach(
                    wh.worker_code,
                    "regular_hours_per_week",
                    rule,
                    monday,
                    sunday,
                    _dec_hours(minutes),
                    "{worker} worked {hours} regular hours in the week {period}; limit {limit} h; "
                    "rule: {rule}, {citation}",
                    hours=format_hours(minutes / 60),
                    period=Period(monday, sunday),
                    limit=format_hours(rule.value),
                )
            )
    return out
