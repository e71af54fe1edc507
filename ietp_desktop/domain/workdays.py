"""Working days in the rule set's calendar: weekends and public holidays off, except the
weekend days a holiday notice declares working days (调休)."""

from __future__ import annotations

from datetime import date, timedelta

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.rules import RuleSet

_DAY = timedelta(days=1)


def is_working_day(d: date, rules: RuleSet) -> bool:
    cache = rules.workday_cache
    try:
        return cache[d]
    except KeyError:
        pass
    if rules.is_adjusted_workday(d):
        working = True
    elif rules.is_public_holiday(d):
        working = False
    else:
        working = d.weekday() < 5
    cache[d] = working
    return working


def add_working_days(start: date, n: int, rules: RuleSet) -> date:
    """The n-th working day after `start` (the count starts the day after; n = 0 gives
    `start`). Used for due dates such as "15 working days after receipt"."""
    if n < 0:
        raise UserError("a number of working days cannot be negative (got {n})", n=n)
    day = start
    while n:
        day += _DAY
        if is_working_day(day, rules):
            n -= 1
    return day


def working_days_between(a: date, b: date, rules: RuleSet) -> int:
    """Working days d with a < d <= b (negative when b is before a), so that
    working_days_between(a, add_working_days(a, n)) == n."""
    if b < a:
        return -working_days_between(b, a, rules)
    count = 0
    day = a + _DAY
    while day <= b:
        if is_working_day(day, rules):
            count += 1
        day += _DAY
    return count
