"""Which date to offer when a visit is planned, from the factory's PV window and today."""

from __future__ import annotations

from datetime import date, timedelta


def next_weekday(day: date) -> date:
    """`day` itself on Monday to Friday, else the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def window_passed(closes: date | None, today: date) -> bool:
    """The factory's PV window closed before today: its visit is overdue."""
    return closes is not None and closes < today


def suggested_plan_date(opens: date | None, closes: date | None, today: date) -> date:
    """The window's first day while it is still ahead; otherwise (open or already passed)
    the earliest working day from today — never a day in the past."""
    if opens is not None and opens > today and not window_passed(closes, today):
        return opens
    return next_weekday(today)
