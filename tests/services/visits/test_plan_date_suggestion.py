"""The date offered when a visit is planned is never in the past: the window's first day while
it is ahead, else the earliest working day from today (an overdue factory included)."""

from __future__ import annotations

from datetime import date

from ietp_desktop.services.visits.planning import suggested_plan_date, window_passed

WEDNESDAY = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)


def test_a_window_still_ahead_offers_its_first_day() -> None:
    assert suggested_plan_date(date(2027, 1, 10), date(2027, 3, 10), WEDNESDAY) == date(2027, 1, 10)


def test_an_open_window_offers_today() -> None:
    assert suggested_plan_date(date(2026, 11, 1), date(2027, 1, 1), WEDNESDAY) == WEDNESDAY


def test_a_passed_window_offers_today_not_its_start() -> None:
    opens, closes = date(2026, 6, 1), date(2026, 8, 1)
    assert window_passed(closes, WEDNESDAY)
    assert suggested_plan_date(opens, closes, WEDNESDAY) == WEDNESDAY


def test_on_a_weekend_the_next_monday_is_offered() -> None:
    assert suggested_plan_date(date(2026, 6, 1), date(2026, 8, 1), SATURDAY) == date(2026, 12, 7)
    assert suggested_plan_date(None, None, SATURDAY) == date(2026, 12, 7)


def test_a_window_closing_today_has_not_passed() -> None:
    assert not window_passed(WEDNESDAY, WEDNESDAY)
    assert not window_passed(None, WEDNESDAY)
