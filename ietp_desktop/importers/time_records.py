"""Preview an attendance export (CSV/XLSX): one row per worker and day, with up to four
clock-in/clock-out pairs (上班1/下班1 … 上班4/下班4).

A clock time earlier than the one before it means the shift crossed midnight, but only when
the shift then stays plausible (at most 16 h from the first clock-in); otherwise the row is
refused ("clock-out before clock-in"). A shift belongs to the day it started.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from os import PathLike
from pathlib import Path
from typing import TypeVar

from ietp_desktop.domain.records import Punch
from ietp_desktop.importers.mapping import TIME_FIELDS, ColumnMapping
from ietp_desktop.importers.preview import (
    ImportPreview,
    ProblemLog,
    blank_row,
    cell,
    open_table,
)
from ietp_desktop.importers.values import CellError, parse_date, parse_time, text

MAX_SHIFT = timedelta(hours=16)
_ONE_DAY = timedelta(days=1)
_BACKWARDS = ("clock-in before the previous clock-out", "clock-out before clock-in")
PAIRS = 4
V = TypeVar("V")


def memo(parse: Callable[[object], V]) -> Callable[[object], V]:
    """Attendance files repeat the same dates and times thousands of times."""
    seen: dict[object, V | CellError] = {}

    def cached(value: object) -> V:
        try:
            hit = seen[value]
        except KeyError:
            try:
                hit = parse(value)
            except CellError as exc:
                hit = exc
            seen[value] = hit
        except TypeError:  # unhashable: parse every time
            return parse(value)
        if isinstance(hit, CellError):
            raise hit
        return hit

    return cached


def preview_time_records(
    path: str | PathLike[str],
    mapping: ColumnMapping | None = None,
    known_worker_codes: set[str] | None = None,
) -> ImportPreview[Punch]:
    """`known_worker_codes`: the sample's codes as written in the file; None skips the check."""
    table = open_table(
        Path(path), TIME_FIELDS, mapping, (("worker_code",), ("date",), ("in_1",), ("out_1",))
    )
    preview: ImportPreview[Punch] = ImportPreview(
        table.file, [], table.problems, table.mapping, table.unmapped, table.header_row
    )
    if preview.errors:
        return preview
    log = ProblemLog(table.file, table.problems)
    cols = table.columns
    code_col, date_col = cols["worker_code"], cols["date"]
    pairs = [(cols.get(f"in_{k}"), cols.get(f"out_{k}")) for k in range(1, PAIRS + 1)]
    pairs = [(i, o) for i, o in pairs if i is not None or o is not None]
    reader = _RowReader(table.headers, pairs, memo(parse_date), memo(parse_time), log)
    punches: list[Punch] = []
    rows: list[int] = []
    for number, cells in table.body:
        if blank_row(cells):
            continue
        code = text(cell(cells, code_col)).lstrip("'")
        if not code:
            log.error(number, table.headers[code_col], "no worker code")
            continue
        if known_worker_codes is not None and code not in known_worker_codes:
            log.error(number, table.headers[code_col],
                      f"worker code {code} is not in the worker sample")
            continue
        try:
            work_date = reader.parse_date(cell(cells, date_col))
        except CellError as exc:
            log.error(number, table.headers[date_col], str(exc))
            continue
        found = reader.punches(code, work_date, cells, number)
        if found is None:
            continue
        if not found:
            log.warning(number, "", "no clock-in or clock-out on this row; skipped")
        for punch in found:
            punches.append(punch)
            rows.append(number)

    preview.rows, preview.row_numbers = _dedupe_and_check_overlaps(punches, rows, log)
    log.sort()
    return preview


_Offsets = tuple[timedelta | None, timedelta | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one row's clock cells turn into intervals, as offsets from the work date's
    midnight: the same cells on another day give the same plan, so plans are cached."""

    intervals: tuple[_Offsets, ...]
    messages: tuple[tuple[int | None, str, bool], ...]  # (column, reason, is_error)
    error: bool
    reusable: bool  # False when a cell carried its own date


class _RowReader:
    def __init__(
        self,
        headers: list[str],
        pairs: list[tuple[int | None, int | None]],
        parse_date: Callable[[object], date],
        parse_time: Callable[[object], time | datetime],
        log: ProblemLog,
    ) -> None:
        self.headers = headers
        self.columns = [c for pair in pairs for c in pair]
        self.parse_date = parse_date
        self.parse_time = parse_time
        self.log = log
        self.plans: dict[tuple[object, ...], _Plan] = {}
        self.midnights: dict[date, datetime] = {}

    def punches(
        self, code: str, work_date: date, cells: list[object], number: int
    ) -> list[Punch] | None:
        """The row's punches, or None when the row has an error (already logged)."""
        width = len(cells)
        values = tuple(cells[c] if c is not None and c < width else None for c in self.columns)
        try:
            plan = self.plans.get(values)
        except TypeError:  # an unhashable cell value
            plan = None
        if plan is None:
            plan = self._plan(values, work_date)
            if plan.reusable:
                self.plans[values] = plan
        for column, reason, is_error in plan.messages:
            header = self.headers[column] if column is not None else ""
            if is_error:
                self.log.error(number, header, reason)
            else:
                self.log.warning(number, header, reason)
        if plan.error:
            return None
        midnight = self.midnights.get(work_date)
        if midnight is None:
            midnight = self.midnights[work_date] = datetime.combine(work_date, time())
        return [
            Punch(code, work_date, None if s is None else midnight + s,
                  None if e is None else midnight + e)
            for s, e in plan.intervals
        ]

    def _plan(self, values: tuple[object, ...], work_date: date) -> _Plan:
        midnight = datetime.combine(work_date, time())
        intervals: list[_Offsets] = []
        messages: list[tuple[int | None, str, bool]] = []
        reusable = True
        first: datetime | None = None
        cursor: datetime | None = None
        for k in range(0, len(values), 2):
            moments: list[datetime | None] = [None, None]
            for slot in (0, 1):
                value = values[k + slot]
                col = self.columns[k + slot]
                if value is None or (isinstance(value, str) and (not value or value.isspace())):
                    continue
                try:
                    t = self.parse_time(value)
                except CellError as exc:
                    return _Plan((), ((col, str(exc), True),), True, reusable)
                if isinstance(t, datetime):
                    reusable = False
                    moment = t
                    if cursor is not None and moment < cursor:
                        return _Plan((), ((col, _BACKWARDS[slot], True),), True, False)
                else:
                    moment = midnight.replace(hour=t.hour, minute=t.minute, second=t.second)
                    if cursor is not None and moment < cursor:
                        while moment < cursor:  # crossed midnight
                            moment += _ONE_DAY
                        if first is not None and moment - first > MAX_SHIFT:
                            return _Plan((), ((col, _BACKWARDS[slot], True),), True, reusable)
                if first is None:
                    first = moment
                cursor = moment
                moments[slot] = moment
            start, end = moments
            if start is None and end is None:
                continue
            if start is not None and start == end:
                return _Plan((), ((self.columns[k + 1], "clock-out at the same time as clock-in",
                                   True),), True, reusable)
            if start is None or end is None:
                missing, col = ("clock-out", k + 1) if end is None else ("clock-in", k)
                messages.append((
                    self.columns[col],
                    f"missing {missing}: the day is flagged and its hours are not counted",
                    False,
                ))
            intervals.append((
                None if start is None else start - midnight,
                None if end is None else end - midnight,
            ))
        return _Plan(tuple(intervals), tuple(messages), False, reusable)


def _dedupe_and_check_overlaps(
    punches: list[Punch], rows: list[int], log: ProblemLog
) -> tuple[list[Punch], list[int]]:
    seen: dict[tuple[str, date, datetime | None, datetime | None], int] = {}
    kept: list[Punch] = []
    kept_rows: list[int] = []
    bad = log.bad_rows
    for punch, row in zip(punches, rows, strict=True):
        if row in bad:
            continue
        key = (punch.worker_code, punch.work_date, punch.start, punch.end)
        first = seen.get(key)
        if first is not None:
            if first != row:
                log.warning(row, "", f"duplicate of row {first}; ignored")
            continue
        seen[key] = row
        kept.append(punch)
        kept_rows.append(row)

    complete: dict[str, list[tuple[datetime, datetime, int]]] = {}
    for punch, row in zip(kept, kept_rows, strict=True):
        if punch.start is not None and punch.end is not None:
            items = complete.get(punch.worker_code)
            if items is None:
                items = complete[punch.worker_code] = []
            items.append((punch.start, punch.end, row))
    overlapping: set[int] = set()
    for items in complete.values():
        items.sort()
        latest_end = items[0][0]
        latest_row = 0
        for start, end, row in items:
            if start < latest_end and row != latest_row:
                log.error(row, "", f"overlaps the punch on row {latest_row} "
                                   f"(until {latest_end:%Y-%m-%d %H:%M})")
                overlapping.add(row)
            elif end > latest_end:
                latest_end, latest_row = end, row
    if not overlapping:
        return kept, kept_rows
    final = [(p, r) for p, r in zip(kept, kept_rows, strict=True) if r not in overlapping]
    return [p for p, _ in final], [r for _, r in final]
