"""The Progress Visit window (seal + 2 months .. seal + 4 months), hand-computed."""

from __future__ import annotations

from datetime import date

import pytest

from ietp_desktop.domain.pv_window import (
    DueState,
    PvWindow,
    WindowPosition,
    add_months,
    pv_window,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 2, date(2026, 3, 15)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),  # into the next year
        (date(2026, 12, 31), 2, date(2027, 2, 28)),  # clamped to the month's last day
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # leap year
        (date(2026, 10, 31), 4, date(2027, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
        (date(2026, 1, 31), 12, date(2027, 1, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_window_from_seal_date() -> None:
    assert pv_window(date(2026, 6, 30)) == PvWindow(date(2026, 8, 30), date(2026, 10, 30))
    assert pv_window(date(2026, 12, 31)) == PvWindow(date(2027, 2, 28), date(2027, 4, 30))


WINDOW = PvWindow(date(2026, 8, 30), date(2026, 10, 30))


@pytest.mark.parametrize(
    ("day", "position", "due", "warning"),
    [
        (
            date(2026, 8, 29),
            WindowPosition.BEFORE,
            DueState.NOT_YET_DUE,
            "2026-08-29 is before the Progress Visit window (2026-08-30 to 2026-10-30).",
        ),
        (date(2026, 8, 30), WindowPosition.INSIDE, DueState.DUE, None),  # first day
        (date(2026, 9, 15), WindowPosition.INSIDE, DueState.DUE, None),
        (date(2026, 10, 30), WindowPosition.INSIDE, DueState.DUE, None),  # last day
        (
            date(2026, 10, 31),
            WindowPosition.AFTER,
            DueState.OVERDUE,
            "2026-10-31 is after the Progress Visit window (2026-08-30 to 2026-10-30).",
        ),
    ],
)
def test_position_due_state_and_warning(
    day: date, position: WindowPosition, due: DueState, warning: str | None
) -> None:
    assert WINDOW.position(day) is position
    assert WINDOW.due_state(day) is due
    assert WINDOW.warning(day) == warning
