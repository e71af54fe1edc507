"""The Progress Visit window: 2 to 4 months after the Seal/Certificate is issued."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

WINDOW_OPENS_MONTHS = 2
WINDOW_CLOSES_MONTHS = 4


def add_months(start: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's last day
    (31 Jan + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


class WindowPosition(StrEnum):
    BEFORE = "before"
    INSIDE = "inside"
    AFTER = "after"


class DueState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class PvWindow:
    opens: date
    closes: date

    def position(self, visit_date: date) -> WindowPosition:
        if visit_date < self.opens:
            return WindowPosition.BEFORE
        if visit_date > self.closes:
            return WindowPosition.AFTER
        return WindowPosition.INSIDE

    def due_state(self, today: date) -> DueState:
        """Where a factory that has not had its visit stands on `today`."""
        position = self.position(today)
        if position is WindowPosition.BEFORE:
            return DueState.NOT_YET_DUE
        if position is WindowPosition.INSIDE:
            return DueState.DUE
        return DueState.OVERDUE

    def warning(self, visit_date: date) -> str | None:
        """A sentence for the specialist when `visit_date` falls outside the window."""
        position = self.position(visit_date)
        if position is WindowPosition.BEFORE:
            return (
                f"{visit_date.isoformat()} is before the Progress Visit window "
                f"({self.opens.isoformat()} to {self.closes.isoformat()})."
            )
        if position is WindowPosition.AFTER:
            return (
                f"{visit_date.isoformat()} is after the Progress Visit window "
                f"({self.opens.isoformat()} to {self.closes.isoformat()})."
            )
        return None


def pv_window(seal_issued: date) -> PvWindow:
    return PvWindow(
        opens=add_months(seal_issued, WINDOW_OPENS_MONTHS),
        closes=add_months(seal_issued, WINDOW_CLOSES_MONTHS),
    )
