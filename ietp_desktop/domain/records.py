"""The sampled workers and their time and pay records, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ietp_desktop.domain.errors import Localized, current, render
from ietp_desktop.domain.phrases import Phrase

ZERO = Decimal(0)


class Origin(StrEnum):
    LOCAL = "local"
    MIGRANT = "migrant"


class WageType(StrEnum):
    MONTHLY = "monthly"
    HOURLY = "hourly"
    PIECE = "piece"


@dataclass(frozen=True, slots=True)
class Worker:
    code: str  # "W01": shown in reports instead of the name
    department: str = ""
    name: str | None = None
    gender: str | None = None
    origin: Origin | None = None
    hire_date: date | None = None
    wage_type: WageType = WageType.MONTHLY
    base_rate: Decimal | None = None  # monthly wage, or hourly rate for hourly workers
    region: str | None = None  # minimum-wage region, e.g. "CN-GD-Dongguan"


class Punch(NamedTuple):
    """One clock-in/clock-out interval. A night shift crossing midnight belongs to the day it
    started. A missing clock-in or clock-out is kept as None: the day is flagged, not guessed.

    A named tuple rather than a dataclass: a year of attendance is a few hundred thousand
    punches, and tuples of plain values are built several times faster and leave the cyclic
    garbage collector's tracking once collected."""

    worker_code: str
    work_date: date
    start: datetime | None
    end: datetime | None

    @property
    def complete(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def minutes(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class PayRecord:
    worker_code: str
    period_start: date
    period_end: date
    base_pay: Decimal
    overtime_pay: Decimal = ZERO
    allowances: Decimal = ZERO  # count towards the minimum wage (e.g. attendance bonus)
    special_allowances: Decimal = ZERO  # night shift, heat, hazard: excluded from the test
    deductions: Decimal = ZERO
    damage_deductions: Decimal = ZERO
    social_insurance: Decimal = ZERO  # the worker's own contribution
    net_pay: Decimal | None = None
    paid_on: date | None = None
    agreed_pay_day: date | None = None
    overtime_hours_paid: Decimal | None = None
    piece_earnings_standard_hours: Decimal | None = None  # piece-rate workers only

    @property
    def gross_pay(self) -> Decimal:
        return self.base_pay + self.overtime_pay + self.allowances + self.special_allowances


@dataclass(frozen=True)
class Breach(Localized):
    """One rule broken by one worker over one period. `message` is English, `text(language)`
    in a language; `template` and `params` (periods and rule texts among them render in the
    reader's language) let a front end translate it: tr(template, **params)."""

    worker_code: str
    rule_id: str
    rule_text: str
    citation: str
    period_start: date
    period_end: date
    figure: Decimal
    limit: Decimal
    unit: str
    template: str
    params: dict[str, object]
    rule_text_zh: str = ""  # when the rule set gives the rule in Chinese

    @property
    def message(self) -> str:
        return self.text("en")

    def text(self, language: str | None = None) -> str:
        return render(self.template, self.params, language)


@dataclass(frozen=True, slots=True)
class WeekHours:
    monday: date
    hours: float


@dataclass(frozen=True, slots=True)
class WorkerFigures:
    worker_code: str
    days_worked: int
    total_hours: float
    max_daily_hours: float
    max_weekly_hours: float
    max_rolling7_hours: float
    max_overtime_month_hours: float
    longest_run_days: int
    longest_run_start: date | None
    longest_run_end: date | None
    rest_days_worked: int  # without a day off in lieu
    days_off_in_lieu: int
    holidays_worked: int
    incomplete_days: int  # a missing clock-in or clock-out
    min_wage_shortfall: Decimal
    premium_shortfall: Decimal
    late_payments: int
    weekly_hours: tuple[WeekHours, ...]


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    workers: int
    workers_with_breaches: int
    breaches: int
    breaches_by_rule: dict[str, int]
    punch_days: int
    incomplete_days: int
    pay_records: int


@dataclass(frozen=True, slots=True)
class Analysis:
    rule_set_id: str
    workers: tuple[WorkerFigures, ...]
    breaches: tuple[Breach, ...]
    summary: AnalysisSummary
    notes: tuple[Phrase, ...]  # checks that could not run, e.g. a region without a minimum wage
    legal_weekly_hours: float  # standard hours, for the chart's reference lines
    programme_weekly_hours: float


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(d: date, language: str = "en") -> str:
    """'14 Sep 2026'; in Chinese '2026年9月14日'."""
    if language == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def format_month(d: date, language: str = "en") -> str:
    if language == "zh":
        return f"{d.year}年{d.month}月"
    return f"{_MONTHS[d.month - 1]} {d.year}"


def format_period(start: date, end: date, language: str = "en") -> str:
    """'1–13 Oct 2026', '28 Sep – 4 Oct 2026', '28 Dec 2026 – 3 Jan 2027'; in Chinese
    '2026年10月1日–13日', '2026年9月28日–10月4日', '2026年12月28日–2027年1月3日'."""
    if start == end:
        return format_day(start, language)
    if language == "zh":
        if start.year != end.year:
            return f"{format_day(start, language)}–{format_day(end, language)}"
        if start.month != end.month:
            return f"{format_day(start, language)}–{end.month}月{end.day}日"
        return f"{format_day(start, language)}–{end.day}日"
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTHS[start.month - 1]} – {format_day(end)}"
    return f"{start.day}–{format_day(end)}"


@dataclass(frozen=True, slots=True)
class Day(Localized):
    """A day shown in the reader's language (a value of a breach or a note)."""

    day: date

    def text(self, language: str | None = None) -> str:
        return format_day(self.day, current(language))


@dataclass(frozen=True, slots=True)
class Month(Localized):
    month: date

    def text(self, language: str | None = None) -> str:
        return format_month(self.month, current(language))


@dataclass(frozen=True, slots=True)
class Period(Localized):
    start: date
    end: date

    def text(self, language: str | None = None) -> str:
        return format_period(self.start, self.end, current(language))


def format_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def format_hours(hours: float | Decimal) -> str:
    text = f"{float(hours):.2f}".rstrip("0").rstrip(".")
    return text or "0"
