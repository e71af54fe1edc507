"""Where a factory stands with its Progress Visit on a given day (the window is domain's)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache

from ietp_desktop.domain.pv_window import DueState, PvWindow, pv_window


class FactoryState(StrEnum):
    NO_SEAL = "no_seal"  # no seal issue date recorded: no window to compute
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"  # the window is open
    OVERDUE = "overdue"  # the window closed without a visit
    VISITED = "visited"  # a visit on or after the seal date reached the office


STATE_LABELS: dict[str, str] = {
    FactoryState.NO_SEAL: "No seal date",
    FactoryState.NOT_YET_DUE: "Not yet due",
    FactoryState.DUE: "Due (window open)",
    FactoryState.OVERDUE: "Overdue",
    FactoryState.VISITED: "Visited",
}


@lru_cache(maxsize=4096)  # the board asks for every factory's window; seals share days
def window_of(seal_issued_on: date | None) -> PvWindow | None:
    return pv_window(seal_issued_on) if seal_issued_on else None


def factory_state(
    seal_issued_on: date | None,
    last_visit_on: date | None,
    today: date,
    window: PvWindow | None = None,
) -> FactoryState:
    """`last_visit_on`: the first day of the latest visit the office received for it;
    `window`: the seal's window when the caller has it already."""
    if seal_issued_on is None:
        return FactoryState.VISITED if last_visit_on else FactoryState.NO_SEAL
    if last_visit_on is not None and last_visit_on >= seal_issued_on:
        return FactoryState.VISITED
    due = (window or pv_window(seal_issued_on)).due_state(today)
    return {
        DueState.NOT_YET_DUE: FactoryState.NOT_YET_DUE,
        DueState.DUE: FactoryState.DUE,
        DueState.OVERDUE: FactoryState.OVERDUE,
    }[due]
