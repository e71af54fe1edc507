from datetime import date
from functools import cache

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.domain.workdays import add_working_days, is_working_day, working_days_between
from ietp_desktop.paths import forms_dir


@cache
def shipped() -> RuleSet:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    return parse_rule_set(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 20), True),  # Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 10, 5), False),  # Monday in the National Day week
        (date(2026, 10, 10), True),  # adjusted working Saturday
        (date(2026, 2, 14), True),  # adjusted working Saturday before Spring Festival
        (date(2026, 2, 20), False),  # Friday in Spring Festival
        (date(2026, 4, 6), False),  # Qingming Monday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day, shipped()) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 20), 0, date(2026, 11, 20)),
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # across a weekend
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # adjusted working Saturday counts
        (date(2026, 2, 12), 2, date(2026, 2, 14)),
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # across Spring Festival
        (date(2026, 9, 25), 15, date(2026, 10, 22)),  # across Mid-Autumn and National Day
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # 2025: Sunday 28 Sep is a working day
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, shipped()) == expected
    assert working_days_between(start, expected, shipped()) == n


def test_working_days_between_is_signed_and_negative_counts_refused() -> None:
    assert working_days_between(date(2026, 10, 22), date(2026, 9, 25), shipped()) == -15
    with pytest.raises(UserError, match="cannot be negative"):
        add_working_days(date(2026, 1, 5), -1, shipped())
