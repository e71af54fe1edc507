"""Preview an attendance export (CSV/XLSX): one row per worker and day, with up to four
clock-in/clock-out pairs (上班1/下班1 … 上班4/下班4).

A clock time earlier than the one before it means the shift crossed midnight, but only when
the shift then stays plausible (at most 16 h from the first clock-in); otherwise the row is
refused ("clock-out before clock-in"). A shift belongs to the day it started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from os import PathLike
from pathlib import Path
from typing import TypeVar

from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import Punch
from ietp_desktop.importers.gc_pause import gc_paused
from ietp_desktop.importers.mapping import TIME_FIELDS, ColumnMapping
from ietp_desktop.importers.preview import (
    ImportPreview,
    ProblemLog,
    Table,
    blank_row,
    cell,
    open_table,
)
from ietp_desktop.importers.values import CellError, parse_date, parse_time, text

MAX_SHIFT = timedelta(hours=16)
NEXT_DAY = "次日"
_ONE_DAY = timedelta(days=1)
MISSING_OUT = "missing clock-out: the day is flagged and its hours are not counted"
MISSING_IN = "missing clock-in: the day is flagged and its hours are not counted"
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
    rows: Iterator[tuple[int, list[object]]] | None = None,
) -> ImportPreview[Punch]:
    """`known_worker_codes`: the sample's codes as written in the file; None skips the check.
    `rows`: the rows of the chosen sheet (default: the first sheet of `path`)."""
    with gc_paused():
        table = open_table(
            Path(path),
            TIME_FIELDS,
            mapping,
            (("worker_code",), ("date",), ("in_1",), ("out_1",)),
            rows,
        )
        return read_worker_days(table, known_worker_codes)


def read_worker_days(table: Table, known_worker_codes: set[str] | None) -> ImportPreview[Punch]:
    preview: ImportPreview[Punch] = ImportPreview(
        table.file,
        [],
        table.problems,
        table.mapping,
        table.unmapped,
        table.header_row,
        header_rows=table.header_rows,
        title_rows=table.title_rows,
        headers=table.headers,
    )
    if preview.errors:
        return preview
    log = ProblemLog(table.file, table.problems)
    cols = table.columns
    code_col, date_col = cols["worker_code"], cols["date"]
    pairs = [(cols.get(f"in_{k}"), cols.get(f"out_{k}")) for k in range(1, PAIRS + 1)]
    pairs = [(i, o) for i, o in pairs if i is not None or o is not None]
    reader = _RowReader(table.headers, pairs, memo(parse_time), log)
    code_header, date_header = table.headers[code_col], table.headers[date_col]
    clock_columns = reader.columns
    # Cells are looked up by index when the row is wide enough (nearly always); short rows
    # go through `cell`, which reads a missing cell as blank.
    widest = max([code_col, date_col, *(c for c in clock_columns if c is not None)]) + 1
    name_col, dept_col = cols.get("name"), cols.get("department")
    people = preview.people
    rows_read = 0
    codes: dict[object, tuple[str, bool]] = {}  # cell text → (worker code, in the sample)
    dates: dict[object, date | CellError] = {}
    punches: list[Punch] = []
    rows: list[int] = []
    for number, cells in table.body:
        if len(cells) >= widest:
            raw_code = cells[code_col]
            raw_date = cells[date_col]
            values = tuple([None if c is None else cells[c] for c in clock_columns])
        else:
            raw_code = cell(cells, code_col)
            raw_date = cell(cells, date_col)
            values = tuple([cell(cells, c) for c in clock_columns])
        known = codes.get(raw_code) if raw_code.__class__ is str else None
        if known is None:
            if blank_row(cells):
                continue
            code = text(raw_code).lstrip("'")
            log.current = code
            if not code:
                rows_read += 1
                log.error(number, code_header, "no worker code")
                continue
            known = (code, known_worker_codes is None or code in known_worker_codes)
            if code not in people:
                people[code] = (text(cell(cells, name_col)), text(cell(cells, dept_col)))
            if raw_code.__class__ is str:
                codes[raw_code] = known
        code, in_sample = known
        log.current = code
        rows_read += 1
        if not in_sample:
            log.error(
                number,
                code_header,
                Phrase("worker code {code} is not in the worker sample", code=code),
            )
            continue
        try:
            work_date = dates[raw_date]
        except (KeyError, TypeError):
            try:
                work_date = parse_date(raw_date)
            except CellError as exc:
                work_date = exc
            if raw_date.__hash__ is not None:
                dates[raw_date] = work_date
        if isinstance(work_date, CellError):
            log.error(number, date_header, work_date)
            continue
        found = reader.moments(work_date, values, number)
        if found is None:
            continue
        if not found:
            log.warning(number, "", "no clock-in or clock-out on this row; skipped")
        for start, end in found:
            punches.append(_new_punch(Punch, (code, work_date, start, end)))
            rows.append(number)

    preview.rows, preview.row_numbers = _dedupe_and_check_overlaps(punches, rows, log)
    preview.rows_read = rows_read
    preview.left_out = log.left_out
    log.sort()
    return preview


_new_punch = tuple.__new__  # Punch(...) without its Python-level __new__: one per punch


_Offsets = tuple[timedelta | None, timedelta | None]
_Moments = tuple[datetime | None, datetime | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one row's clock cells turn into intervals, as offsets from the work date's
    midnight: the same cells on another day give the same plan, so plans are cached."""

    intervals: tuple[_Offsets, ...]
    messages: tuple[tuple[int | None, str | Phrase, bool], ...]  # (column, reason, is_error)
    error: bool
    reusable: bool  # False when a cell carried its own date
    by_date: dict[date, tuple[_Moments, ...]] = field(default_factory=dict)  # memo of moments


class _RowReader:
    def __init__(
        self,
        headers: list[str],
        pairs: list[tuple[int | None, int | None]],
        parse_time: Callable[[object], time | datetime],
        log: ProblemLog,
    ) -> None:
        self.headers = headers
        self.columns = [c for pair in pairs for c in pair]
        self.parse_time = parse_time
        self.log = log
        self.plans: dict[tuple[object, ...], _Plan] = {}
        self.midnights: dict[date, datetime] = {}

    def moments(
        self, work_date: date, values: tuple[object, ...], number: int
    ) -> tuple[_Moments, ...] | None:
        """The row's (clock-in, clock-out) moments, or None when the row has an error
        (already logged)."""
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
        if plan.reusable:
            found = plan.by_date.get(work_date)
            if found is None:
                found = plan.by_date[work_date] = self._moments(plan, work_date)
            return found
        return self._moments(plan, work_date)

    def _moments(self, plan: _Plan, work_date: date) -> tuple[_Moments, ...]:
        midnight = self.midnights.get(work_date)
        if midnight is None:
            midnight = self.midnights[work_date] = datetime.combine(work_date, time())
        return tuple(
            (None if s is None else midnight + s, None if e is None else midnight + e)
            for s, e in plan.intervals
        )

    def _plan(self, values: tuple[object, ...], work_date: date) -> _Plan:
        midnight = datetime.combine(work_date, time())
        intervals: list[_Offsets] = []
        messages: list[tuple[int | None, str | Phrase, bool]] = []
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
                next_day = False
                if isinstance(value, str) and value.lstrip().startswith(NEXT_DAY):
                    next_day, value = True, value.lstrip()[len(NEXT_DAY) :]
                try:
                    t = self.parse_time(value)
                except CellError as exc:
                    return _Plan((), ((col, exc.phrase, True),), True, reusable)
                if next_day and not isinstance(t, datetime):
                    t = datetime.combine(work_date + _ONE_DAY, t)  # 次日 05:00: the next day
                if isinstance(t, datetime):
                    if not next_day:
                        reusable = False  # the cell carried its own date
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
                return _Plan(
                    (),
                    ((self.columns[k + 1], "clock-out at the same time as clock-in", True),),
                    True,
                    reusable,
                )
            if start is None or end is None:
                missing, col = (MISSING_OUT, k + 1) if end is None else (MISSING_IN, k)
                messages.append((self.columns[col], missing, False))
            intervals.append(
                (
                    None if start is None else start - midnight,
                    None if end is None else end - midnight,
                )
            )
        return _Plan(tuple(intervals), tuple(messages), False, reusable)


def _dedupe_and_check_overlaps(
    punches: list[Punch], rows: list[int], log: ProblemLog
) -> tuple[list[Punch], list[int]]:
    """Drop repeated punches (a warning when another row repeats one) and refuse punches that
    overlap an earlier one of the same worker. Written for a year of attendance: the common
    case of no repeats and no overlaps stays in C (dict, zip, sort)."""
    if log.bad_rows and not log.bad_rows.isdisjoint(rows):
        bad = log.bad_rows
        clean = [(p, r) for p, r in zip(punches, rows, strict=True) if r not in bad]
        punches, rows = [p for p, _ in clean], [r for _, r in clean]
    # a punch is its own key (worker, day, start, end); built from the end, the dict keeps
    # the row of each punch's first occurrence
    first_row = dict(zip(reversed(punches), reversed(rows), strict=True))
    if len(first_row) == len(punches):
        kept, kept_rows = punches, rows
    else:
        kept, kept_rows = [], []
        done: set[Punch] = set()
        for punch, row in zip(punches, rows, strict=True):
            first = first_row[punch]
            if first != row:
                log.warning(row, "", Phrase("duplicate of row {row}; ignored", row=first))
            elif punch not in done:  # else repeated on its own row: dropped silently
                done.add(punch)
                kept.append(punch)
                kept_rows.append(row)
    complete = [
        (p[0], p[2], p[3], r)
        for p, r in zip(kept, kept_rows, strict=True)
        if p[2] is not None and p[3] is not None
    ]
    complete.sort()  # by worker, then (start, end, row)
    overlapping: set[int] = set()
    worker: str | None = None
    latest_end: datetime | None = None
    latest_row = 0
    for code, start, end, row in complete:
        if code != worker:
            worker, latest_end, latest_row = code, start, 0
        if start < latest_end and row != latest_row:  # type: ignore[operator]
            log.error(
                row,
                "",
                Phrase(
                    "overlaps the punch on row {row} (until {end})",
                    row=latest_row,
                    end=f"{latest_end:%Y-%m-%d %H:%M}",
                ),
                code,
            )
            overlapping.add(row)
        elif end > latest_end:  # type: ignore[operator]
            latest_end, latest_row = end, row
    if not overlapping:
        return kept, kept_rows
    final = [(p, r) for p, r in zip(kept, kept_rows, strict=True) if r not in overlapping]
    return [p for p, _ in final], [r for _, r in final]
