"""Punches (one moment each, perhaps with a direction) paired into clock-in/clock-out
intervals, per worker and in time order.

A worker's punches are first grouped into shifts: a punch on a later calendar day than the
shift's first punch still belongs to the shift while the shift is open (an odd number of
punches, or a last punch that was a clock-in) or the punch follows within a break, and it
is less than 20 h after the shift's first punch. So a night shift 20:00 → 05:00 is one shift
of the day it started, and a day without its last clock-out does not swallow the next day.

Within a shift, punches with a direction pair in → out. Without directions, an even number
of punches pairs in time order; an odd number cannot be paired without guessing which punch
is missing, so the shift is kept as one interval without its end: the day is flagged and its
hours are not counted (the same as a missing clock-out in a daily report).

A punch within a minute of the worker's previous one (the same direction, or none) is the
same punch given twice: it is dropped and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from operator import itemgetter
from typing import NamedTuple

from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import Punch

SHIFT_SPAN = timedelta(hours=20)
BREAK = timedelta(hours=3)
MAX_INTERVAL = timedelta(hours=16)
DUPLICATE = timedelta(minutes=1)
_by_time = itemgetter(1, 3)  # (at, row)


class Direction(Enum):
    IN = "in"
    OUT = "out"


_IN_WORDS = ("上班", "签到", "进", "入")
_OUT_WORDS = ("下班", "签退", "出", "离")


def read_direction(value: object) -> Direction | str | None:
    """IN, OUT, None for a blank cell, or the text itself when it is not a direction."""
    if value is None:
        return None
    s = str(value).strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if not s:
        return None
    # break-out/break-in and overtime-in/out (Hikvision, ZKTeco) count as out/in
    if s.endswith("out") or s.startswith("checkout") or any(w in s for w in _OUT_WORDS):
        return Direction.OUT
    if s.endswith("in") or s.startswith("checkin") or any(w in s for w in _IN_WORDS):
        return Direction.IN
    return str(value).strip()


class Moment(NamedTuple):
    """One punch (a named tuple: a year of the whole workforce is millions of them)."""

    worker_code: str
    at: datetime
    direction: Direction | None
    row: int


@dataclass(frozen=True, slots=True)
class Paired:
    punches: list[Punch]
    rows: list[int]  # the row of each punch's first moment
    duplicates: list[tuple[Moment, Moment]]  # (dropped, the one it repeats)
    unpaired: list[tuple[Moment, str | Phrase]]  # a moment that ends up without its partner, why


def pair(moments: Iterable[Moment]) -> Paired:
    """`moments` of any number of workers in any order."""
    by_worker: dict[str, list[Moment]] = {}
    for m in moments:
        by_worker.setdefault(m.worker_code, []).append(m)
    punches: list[Punch] = []
    rows: list[int] = []
    duplicates: list[tuple[Moment, Moment]] = []
    unpaired: list[tuple[Moment, str | Phrase]] = []
    for code in sorted(by_worker):
        ordered = sorted(by_worker[code], key=_by_time)
        kept: list[Moment] = []
        for m in ordered:
            last = kept[-1] if kept else None
            if (
                last is not None
                and m.at - last.at < DUPLICATE
                and (m.direction is None or last.direction is None or m.direction == last.direction)
            ):
                duplicates.append((m, last))
                continue
            kept.append(m)
        for shift in _shifts(kept):
            _pair_shift(code, shift, punches, rows, unpaired)
    return Paired(punches, rows, duplicates, unpaired)


def _open(shift: list[Moment]) -> bool:
    last = shift[-1].direction
    if last is not None:
        return last is Direction.IN
    return len(shift) % 2 == 1


def _shifts(moments: list[Moment]) -> list[list[Moment]]:
    shifts: list[list[Moment]] = []
    current: list[Moment] = []
    for m in moments:
        if current:
            first, last = current[0], current[-1]
            if m.at - first.at < SHIFT_SPAN and (
                m.at.date() == first.at.date() or _open(current) or m.at - last.at < BREAK
            ):
                current.append(m)
                continue
            shifts.append(current)
        current = [m]
    if current:
        shifts.append(current)
    return shifts


def _pair_shift(
    code: str,
    shift: list[Moment],
    punches: list[Punch],
    rows: list[int],
    unpaired: list[tuple[Moment, str | Phrase]],
) -> None:
    first = shift[0]
    work_date = first.at.date()
    new = tuple.__new__
    if len(shift) == 2 and first.direction is None and shift[1].direction is None:
        punches.append(new(Punch, (code, work_date, first.at, shift[1].at)))  # the common day
        rows.append(first.row)
        return
    if all(m.direction is None for m in shift):
        if len(shift) % 2:
            punches.append(new(Punch, (code, work_date, shift[0].at, None)))
            rows.append(shift[0].row)
            unpaired.append(
                (
                    shift[-1],
                    Phrase(
                        "{count} punches on this day: one is missing and which cannot be "
                        "told; the day is flagged and its hours are not counted",
                        count=len(shift),
                    ),
                )
            )
            return
        for start, end in zip(shift[::2], shift[1::2], strict=True):
            punches.append(new(Punch, (code, work_date, start.at, end.at)))
            rows.append(start.row)
        return
    opened: Moment | None = None
    for m in shift:
        direction = m.direction
        if direction is None:
            direction = Direction.OUT if opened is not None else Direction.IN
        if direction is Direction.IN:
            if opened is not None:
                punches.append(new(Punch, (code, work_date, opened.at, None)))
                rows.append(opened.row)
                unpaired.append((opened, "clock-in without a clock-out: the day is flagged"))
            opened = m
        elif opened is not None and m.at - opened.at <= MAX_INTERVAL:
            punches.append(new(Punch, (code, work_date, opened.at, m.at)))
            rows.append(opened.row)
            opened = None
        else:
            if opened is not None:
                punches.append(new(Punch, (code, work_date, opened.at, None)))
                rows.append(opened.row)
                unpaired.append((opened, "clock-in without a clock-out: the day is flagged"))
                opened = None
            punches.append(new(Punch, (code, work_date, None, m.at)))
            rows.append(m.row)
            unpaired.append((m, "clock-out without a clock-in: the day is flagged"))
    if opened is not None:
        punches.append(new(Punch, (code, work_date, opened.at, None)))
        rows.append(opened.row)
        unpaired.append((opened, "clock-in without a clock-out: the day is flagged"))
