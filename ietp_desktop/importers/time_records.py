"""Preview an attendance export (CSV/XLSX): one row per worker and day, with up to four
clock-in/clock-out pairs (上班1/下班1 … 上班4/下班4).

A clock time earlier than the one before it means the shift crossed midnight, but only when
the shift then stays plausible (at most 16 h from the first clock-in); otherwise the row is
refused ("clock-out before clock-in"). A shift belongs to the day it started.
"""

from __future__ import annotations

from collections.abc import Callable
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
        self.pairs = pairs
        self.parse_date = parse_date
        self.parse_time = parse_time
        self.log = log

    def punches(
        self, code: str, work_date: date, cells: list[object], number: int
    ) -> list[Punch] | None:
        """The row's punches, or None when the row has an error (already logged)."""
        out: list[Punch] = []
        first: datetime | None = None
        cursor: datetime | None = None
        width = len(cells)
        for in_col, out_col in self.pairs:
            moments: list[datetime | None] = [None, None]
            for slot, col in enumerate((in_col, out_col)):
                value = cells[col] if col is not None and col < width else None
                if value is None or (isinstance(value, str) and (not value or value.isspace())):
                    continue
                assert col is not None
                try:
                    t = self.parse_time(value)
                except CellError as exc:
                    self.log.error(number, self.headers[col], str(exc))
                    return None
                if isinstance(t, datetime):
                    moment = t
                    if cursor is not None and moment < cursor:
                        self.log.error(number, self.headers[col], _BACKWARDS[slot])
                        return None
                else:
                    moment = datetime.combine(work_date, t)
                    if cursor is not None and moment < cursor:
                        while moment < cursor:  # crossed midnight
                            moment += _ONE_DAY
                        if first is not None and moment - first > MAX_SHIFT:
                            self.log.error(number, self.headers[col], _BACKWARDS[slot])
                            return None
                if first is None:
                    first = moment
                cursor = moment
                moments[slot] = moment
            start, end = moments
            if start is None and end is None:
                continue
            if start is not None and start == end:
                self.log.error(number, self.headers[out_col or 0],
                               "clock-out at the same time as clock-in")
                return None
            if start is None or end is None:
                missing, col = ("clock-out", out_col) if end is None else ("clock-in", in_col)
                self.log.warning(
                    number, self.headers[col] if col is not None else "",
                    f"missing {missing}: the day is flagged and its hours are not counted",
                )
            out.append(Punch(code, work_date, start, end))
        return out


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
