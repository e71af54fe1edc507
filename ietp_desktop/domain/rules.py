"""A jurisdiction's working-hours and wage rules, read from a rule set file in forms/rules/.

The figures (hours, caps, premiums, holidays, minimum wages) are data with their sources;
the calculators read them from here and never hard-code them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.domain.phrases import Wording


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Model):
    id: str
    title: str


class Rule(_Model):
    """One figure with what it means and where it comes from."""

    value: Decimal
    unit: str
    text: str
    citation: str
    # Chinese, when the rule set gives it; otherwise the translation catalogue's, if any
    text_zh: str = ""
    citation_zh: str = ""


class LegalRules(_Model):
    standard_hours_per_day: Rule
    standard_hours_per_week: Rule
    rest_days_per_week: Rule
    overtime_hours_per_day: Rule
    overtime_hours_per_day_special: Rule
    overtime_hours_per_month: Rule
    premium_workday: Rule
    premium_rest_day: Rule
    premium_holiday: Rule
    monthly_hours_base: Rule
    minimum_wage: Rule
    piece_rate_minimum: Rule
    damage_deduction_share: Rule
    pay_at_least_monthly: Rule
    contract_within_months: Rule
    minimum_age: Rule
    juvenile_age: Rule


class ProgrammeLimits(_Model):
    total_hours_per_7_days: Rule
    regular_hours_per_week: Rule
    max_consecutive_days: Rule


class StatutoryHoliday(_Model):
    date: date
    name: str


class HolidayPeriod(_Model):
    name: str
    start: date
    end: date


class HolidayYear(_Model):
    year: int
    source: str
    provisional: bool = False
    statutory: tuple[StatutoryHoliday, ...]
    periods: tuple[HolidayPeriod, ...] = ()
    adjusted_workdays: tuple[date, ...] = ()


class MinimumWageEntry(_Model):
    region: str
    effective_from: date
    amount: Decimal | None  # None: the rate changed on this date but the figure is not entered
    source: str


class MinimumWage(_Model):
    region: str
    amount: Decimal
    effective_from: date
    source: str


class RuleSet(_Model):
    rule_set_id: str
    version: str
    jurisdiction: str
    title: str = ""
    sources: tuple[Source, ...] = Field(min_length=1)
    rules: LegalRules
    programme_limits: ProgrammeLimits
    holiday_years: tuple[HolidayYear, ...]
    minimum_wages: tuple[MinimumWageEntry, ...]

    @cached_property
    def _statutory(self) -> dict[date, str]:
        return {h.date: h.name for y in self.holiday_years for h in y.statutory}

    @cached_property
    def _days_off(self) -> frozenset[date]:
        days = set(self._statutory)
        for year in self.holiday_years:
            for period in year.periods:
                day = period.start
                while day <= period.end:
                    days.add(day)
                    day = date.fromordinal(day.toordinal() + 1)
        return frozenset(days)

    @cached_property
    def _adjusted(self) -> frozenset[date]:
        return frozenset(d for y in self.holiday_years for d in y.adjusted_workdays)

    @cached_property
    def workday_cache(self) -> dict[date, bool]:
        """Filled by workdays.is_working_day: analyses ask about the same dates many times."""
        return {}

    @property
    def holidays(self) -> dict[date, str]:
        """Statutory holiday dates (paid at the holiday premium) and their names."""
        return dict(self._statutory)

    @property
    def covered_years(self) -> frozenset[int]:
        return frozenset(y.year for y in self.holiday_years)

    @property
    def provisional_years(self) -> frozenset[int]:
        return frozenset(y.year for y in self.holiday_years if y.provisional)

    def is_statutory_holiday(self, d: date) -> bool:
        return d in self._statutory

    def is_public_holiday(self, d: date) -> bool:
        """A day off in a holiday period: a statutory holiday or a bridged day around it."""
        return d in self._days_off

    def is_adjusted_workday(self, d: date) -> bool:
        """A weekend day declared a working day (调休)."""
        return d in self._adjusted

    @property
    def regions(self) -> frozenset[str]:
        return frozenset(e.region for e in self.minimum_wages)

    def minimum_wage(self, region: str, on: date) -> MinimumWage:
        entries = [e for e in self.minimum_wages if e.region == region and e.effective_from <= on]
        if not entries:
            known = ", ".join(sorted(self.regions))
            raise UserError(
                "rule set {rule_set_id} has no minimum wage for region "
                "{region} on {day} (regions: {known})",
                rule_set_id=self.rule_set_id,
                region=region,
                day=on.isoformat(),
                known=known,
            )
        entry = max(entries, key=lambda e: e.effective_from)
        if entry.amount is None:
            raise UserError(
                "rule set {rule_set_id}: the minimum wage for {region} "
                "changed on {day} but the figure is not entered "
                "({source})",
                rule_set_id=self.rule_set_id,
                region=region,
                day=entry.effective_from.isoformat(),
                source=Wording(entry.source),
            )
        return MinimumWage(
            region=region,
            amount=entry.amount,
            effective_from=entry.effective_from,
            source=entry.source,
        )


def rule_set_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_rule_set(text: str, source: str) -> RuleSet:
    """Read a rule set file's text; `source` (the file name) is named in every error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            "{source}: not valid JSON (line {lineno}, column {colno}): {reason}",
            source=source,
            lineno=exc.lineno,
            colno=exc.colno,
            reason=exc.msg,
        ) from None
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{source}: field {'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ValidationFailed(
            f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            problems,
        ) from None
