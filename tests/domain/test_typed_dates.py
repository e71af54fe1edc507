"""Dates as typed: every common form, and impossible days refused with the reason."""

from __future__ import annotations

from datetime import date

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.typed_dates import parse_typed_date


@pytest.mark.parametrize(
    "text",
    [
        "2027-02-15",
        "2027/2/15",
        "2027/02/15",
        "2027.2.15",
        " 2027-2-15 ",
        "20270215",
        "2027年2月15日",
        "2027年02月15号",
        "2027 年 2 月 15 日",
        "２０２７－０２－１５",  # full-width, as a Chinese input method types it
        "２０２７年２月１５日",
    ],
)
def test_typed_forms_read_as_the_same_day(text: str) -> None:
    assert parse_typed_date(text) == date(2027, 2, 15)


def test_the_typed_year_is_kept() -> None:
    assert parse_typed_date("2031-12-31") == date(2031, 12, 31)


def test_leap_day_only_in_a_leap_year() -> None:
    assert parse_typed_date("2028-02-29") == date(2028, 2, 29)
    with pytest.raises(UserError, match="2027-02 has 28 days"):
        parse_typed_date("2027-02-29")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-02-30", "2027-02-30 does not exist: 2027-02 has 28 days"),
        ("2027-04-31", "2027-04-31 does not exist: 2027-04 has 30 days"),
        ("2027年2月30日", "2027年2月30日 does not exist: 2027-02 has 28 days"),
        ("2027-13-01", "2027-13-01: there is no month 13"),
        ("2027-00-10", "2027-00-10: there is no month 0"),
        ("0027-01-01", "the year must be between 1900 and 2999"),
        ("15/02/2027", "is not a date"),
        ("next Tuesday", "is not a date"),
        ("2027-02", "is not a date"),
        ("", "Enter a date"),
    ],
)
def test_impossible_or_unreadable_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_typed_date(text)
    assert reason in str(caught.value)


def test_the_reason_reads_in_chinese() -> None:
    with pytest.raises(UserError) as caught:
        parse_typed_date("2027-02-30")
    assert "28" in caught.value.text("zh") and "不存在" in caught.value.text("zh")
