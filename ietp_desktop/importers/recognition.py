"""Read a factory's time or pay export as it comes: find the sheet that holds the records,
recognise its layout, read it, and say what was recognised.

Layouts: worker-day (a row per worker and day with 上班1/下班1 … pairs), daily-statistics
(the same from DingTalk 每日统计: 上班1打卡时间, 26-10-12 星期一, 次日 05:00), punch-log (a
row per punch, with or without a header, direction optional), monthly-grid (a column per
day), payroll (one- or two-row header, totals row, period in the title). A mapping
(`ColumnMapping`) can override every choice: layout, sheet, header rows, columns, constants.

Nobody needs to be typed in first: everyone in the file is read; `people` lists them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from itertools import chain, islice
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.phrases import Lines, Phrase
from ietp_desktop.domain.records import PayRecord, Punch, format_hours, format_money
from ietp_desktop.importers.gc_pause import gc_paused
from ietp_desktop.importers.mapping import (
    HEADER_SEARCH_ROWS,
    PAY_FIELDS,
    PUNCH_FIELDS,
    TIME_FIELDS,
    ColumnMapping,
    Header,
    find_header_rows,
    override_matches,
)
from ietp_desktop.importers.monthly_grid import find_grid_header, read_grid
from ietp_desktop.importers.pairing import Moment, read_direction
from ietp_desktop.importers.pay_records import read_payroll
from ietp_desktop.importers.preview import (
    ImportPreview,
    ProblemLog,
    RowProblem,
    Table,
    open_table,
)
from ietp_desktop.importers.punch_log import pair_moments_into, read_punch_log
from ietp_desktop.importers.time_records import read_worker_days
from ietp_desktop.importers.values import CellError, parse_date, parse_month, parse_time, text
from ietp_desktop.importers.workbook import Source, open_source

T = TypeVar("T")
Kind = Literal["time", "pay"]
LEFT_OUT_LIMIT = 0.02  # more than this share of rows left out: refused unless accepted
PREVIEW_ROWS = 8
SHEET_ROWS = 10_000_000  # keeps row numbers of different sheets apart when counting


class Layout(StrEnum):
    WORKER_DAY = "worker-day"
    DAILY_STATISTICS = "daily-statistics"
    PUNCH_LOG = "punch-log"
    MONTHLY_GRID = "monthly-grid"
    PAYROLL = "payroll"


LAYOUT_TEXT = {
    Layout.WORKER_DAY: "one row per worker and day, clock-in/clock-out pairs",
    Layout.DAILY_STATISTICS: "daily statistics (上班1打卡时间/下班1打卡时间)",
    Layout.PUNCH_LOG: "one row per punch, paired into intervals by time",
    Layout.MONTHLY_GRID: "monthly grid, one column per day",
    Layout.PAYROLL: "payroll, one row per worker and pay period",
}


@dataclass(frozen=True)
class ColumnUse:
    field: str
    column: str  # A, B, … as in a spreadsheet
    header: str


@dataclass
class Recognition:
    """What the program understood of a file, before anything is stored."""

    file: str
    sheet: str
    sheets: tuple[str, ...]
    layout: Layout
    header_rows: tuple[int, ...]
    columns: tuple[ColumnUse, ...]
    period: tuple[date, date] | None
    period_source: str  # "column", "title", "sheet name", "mapping", ""
    preview: tuple[str, ...]  # the first records as understood
    notes: tuple[Phrase, ...]  # other sheets, columns left aside

    def lines(self) -> list[Phrase]:
        """What was understood, line by line, in any language (`line.text(language)`)."""
        out = [Phrase("File: {file}", file=self.file)]
        if len(self.sheets) > 1 or self.sheet != Path(self.file).stem:
            out.append(
                Phrase(
                    "Sheet: {sheet} (sheets: {sheets})",
                    sheet=self.sheet,
                    sheets=", ".join(self.sheets),
                )
            )
        out.append(
            Phrase(
                "Layout: {layout} — {text}",
                layout=self.layout.value,
                text=Phrase(LAYOUT_TEXT[self.layout]),
            )
        )
        if len(self.header_rows) > 1:
            rows = ", ".join(str(r) for r in self.header_rows)
            out.append(Phrase("Header rows: {rows}", rows=rows))
        elif self.header_rows:
            out.append(Phrase("Header row: {row}", row=self.header_rows[0]))
        else:
            out.append(Phrase("Header: none (columns recognised from their values)"))
        if self.period:
            out.append(
                Phrase(
                    "Period: {start} – {end} (from the {source})",
                    start=f"{self.period[0]:%Y-%m-%d}",
                    end=f"{self.period[1]:%Y-%m-%d}",
                    source=Phrase(self.period_source),
                )
            )
        out.append(Phrase("Columns:"))
        out.extend(
            Phrase("  {line}", line=f"{c.column:>3}  {c.header or '—'}  →  {c.field}")
            for c in self.columns
        )
        if self.preview:
            out.append(Phrase("First records as understood:"))
            out.extend(Phrase("  {line}", line=line) for line in self.preview)
        out.extend(Phrase("Note: {note}", note=n) for n in self.notes)
        return out


@dataclass
class RecordsRead(Generic[T]):
    recognition: Recognition
    parsed: ImportPreview[T]
    mapping: ColumnMapping  # every choice made, to save and pass back

    @property
    def records(self) -> list[T]:
        return self.parsed.rows

    @property
    def problems(self) -> list[RowProblem]:
        return self.parsed.problems

    @property
    def errors(self) -> list[RowProblem]:
        return self.parsed.errors

    @property
    def people(self) -> dict[str, tuple[str, str]]:
        """employee number (as in the file) → (name, department)."""
        return self.parsed.people

    @property
    def rows_read(self) -> int:
        return self.parsed.rows_read

    @property
    def rows_left_out(self) -> int:
        return len(self.parsed.left_out)

    @property
    def share_left_out(self) -> float:
        return self.rows_left_out / self.rows_read if self.rows_read else 0.0

    @property
    def needs_acceptance(self) -> bool:
        return self.share_left_out > LEFT_OUT_LIMIT

    def left_out_by_person(self) -> dict[str, Counter[str]]:
        """person ('' when the row named nobody) → reason → rows left out."""
        out: dict[str, Counter[str]] = {}
        for person, reason in self.parsed.left_out.values():
            out.setdefault(person, Counter())[reason] += 1
        return out

    def summary_lines(self) -> list[Phrase]:
        """Rows read, skipped and left out (per person), in any language."""
        lines = [
            Phrase(
                "Rows read: {read}; records: {records}; people: {people}; rows left out: "
                "{left} ({share})",
                read=f"{self.rows_read:,}",
                records=f"{len(self.records):,}",
                people=f"{len(self.people):,}",
                left=f"{self.rows_left_out:,}",
                share=f"{self.share_left_out:.1%}",
            )
        ]
        for reason, count in sorted(self.parsed.skipped.items()):
            lines.append(
                Phrase(
                    "Skipped (not records): {count} × {reason}", count=count, reason=Phrase(reason)
                )
            )
        for person, reasons in sorted(self.left_out_by_person().items()):
            what = Lines.of(
                (
                    Phrase("{count} {reason}", count=n, reason=Phrase(r))
                    for r, n in reasons.most_common()
                ),
                "; ",
            )
            lines.append(
                Phrase(
                    "  {person}: {rows} row(s) left out — {what}; figures may be low",
                    person=person or Phrase("(no worker code)"),
                    rows=sum(reasons.values()),
                    what=what,
                )
            )
        if self.needs_acceptance:
            lines.append(
                Phrase(
                    "More than {limit} of the rows are left out: importing needs your explicit "
                    "acceptance",
                    limit=f"{LEFT_OUT_LIMIT:.0%}",
                )
            )
        return lines


def read_time_records(
    path: Path, mapping: ColumnMapping | None = None, sheet: str | None = None
) -> RecordsRead[Punch]:
    """Read a whole attendance export; raises UserError when nothing in it can be read
    as records, saying what was found on which sheet."""
    return cast(RecordsRead[Punch], read_records(path, "time", mapping, sheet))


def read_pay_records(
    path: Path,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
    pay_day: int | None = None,
) -> RecordsRead[PayRecord]:
    """Read a whole payroll; `pay_day`: the day of the following month wages are due when
    the file has no column for it."""
    return cast(RecordsRead[PayRecord], read_records(path, "pay", mapping, sheet, pay_day))


def read_records(
    path: Path,
    kind: Kind,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
    pay_day: int | None = None,
) -> RecordsRead[Any]:
    """Either kind; see read_time_records and read_pay_records."""
    path = Path(path)
    chosen_sheet = sheet or (mapping.sheet if mapping else None)
    with gc_paused(), open_source(path) as source:
        candidates = (
            [source.sheet_index(chosen_sheet)] if chosen_sheet else range(len(source.sheet_names))
        )
        found: list[tuple[int, int, Layout, list[tuple[int, list[object]]]]] = []
        notes: list[Phrase] = []
        for index in candidates:
            head = list(islice(source.rows(index), HEADER_SEARCH_ROWS))
            layout, score = _detect(head, kind, mapping)
            if layout is None:
                notes.append(
                    Phrase(
                        "sheet {sheet}: {reason}",
                        sheet=source.sheet_names[index],
                        reason=_why_not(head, kind),
                    )
                )
                continue
            found.append((score, -index, layout, head))
        if not found:
            if kind == "pay":
                raise UserError(
                    "{file}: no payroll records recognised ({found}); give a mapping file "
                    "naming the layout and columns",
                    file=path.name,
                    found=Lines.of(notes, "; "),
                )
            raise UserError(
                "{file}: no attendance records recognised ({found}); give a mapping file "
                "naming the layout and columns",
                file=path.name,
                found=Lines.of(notes, "; "),
            )
        found.sort(reverse=True)
        layout = found[0][2]
        # Every sheet of the same layout is read (one sheet per month), in workbook order
        chosen = sorted(
            [(-i, h) for _, i, other, h in found if other is layout], key=lambda x: x[0]
        )
        for _, other, other_layout, _ in found[1:]:
            if other_layout is not layout:
                notes.append(
                    Phrase(
                        "sheet {sheet} also looks like {layout}; choose it with --sheet",
                        sheet=source.sheet_names[-other],
                        layout=other_layout.value,
                    )
                )
        if len(chosen) > 1:
            names = ", ".join(source.sheet_names[i] for i, _ in chosen)
            notes.append(
                Phrase("sheets read, all {layout}: {sheets}", layout=layout.value, sheets=names)
            )
        return _read_sheets(source, chosen, layout, kind, mapping, pay_day, notes)


def _read_sheets(
    source: Source,
    sheets: list[tuple[int, list[tuple[int, list[object]]]]],
    layout: Layout,
    kind: Kind,
    mapping: ColumnMapping | None,
    pay_day: int | None,
    notes: list[Phrase],
) -> RecordsRead[Any]:
    if len(sheets) == 1:
        index, head = sheets[0]
        return _read(source, index, layout, head, kind, mapping, pay_day, notes)
    moments: list[Moment] | None = [] if layout in (Layout.PUNCH_LOG, Layout.MONTHLY_GRID) else None
    parts: list[RecordsRead[Any]] = []
    for index, head in sheets:
        part = _read(source, index, layout, head, kind, mapping, pay_day, [], moments)
        label = f"{source.file}, sheet {source.sheet_names[index]}"
        part.parsed.problems[:] = [replace(p, file=label) for p in part.parsed.problems]
        parts.append(part)
    first = parts[0]
    merged: ImportPreview[Any] = ImportPreview(
        source.file,
        [],
        [p for part in parts for p in part.parsed.problems],
        first.parsed.mapping,
        first.parsed.unmapped_columns,
        first.parsed.header_row,
        header_rows=first.parsed.header_rows,
        headers=first.parsed.headers,
    )
    for number, part in enumerate(parts):
        parsed = part.parsed
        merged.rows.extend(parsed.rows)
        merged.row_numbers.extend(parsed.row_numbers)
        for code, person in parsed.people.items():
            merged.people.setdefault(code, person)
        for row, why in parsed.left_out.items():
            merged.left_out[number * SHEET_ROWS + row] = why
        merged.rows_read += parsed.rows_read
        for reason, count in parsed.skipped.items():
            merged.skipped[reason] = merged.skipped.get(reason, 0) + count
    if moments is not None:
        log = ProblemLog(source.file, merged.problems)
        log.left_out = merged.left_out
        pair_moments_into(merged, moments, log)
    periods = [part.recognition.period for part in parts if part.recognition.period]
    if kind == "time" and merged.rows:
        days = [p.work_date for p in cast(list[Punch], merged.rows)]
        periods.append((min(days), max(days)))
    recognition = replace(
        first.recognition,
        period=(min(p[0] for p in periods), max(p[1] for p in periods)) if periods else None,
        preview=tuple(_lines(merged)[:PREVIEW_ROWS]),
        notes=tuple(notes),
    )
    first.mapping.sheet = None  # every sheet of the layout, again next time
    return RecordsRead(recognition, merged, first.mapping)


def _lines(parsed: ImportPreview[Any]) -> list[str]:
    pairs = zip(parsed.rows[:PREVIEW_ROWS], parsed.row_numbers, strict=False)
    return [_punch_line(r, n) if isinstance(r, Punch) else _pay_line(r, n) for r, n in pairs]


def _detect(
    head: list[tuple[int, list[object]]], kind: Kind, mapping: ColumnMapping | None
) -> tuple[Layout | None, int]:
    forced = Layout(mapping.layout) if mapping and mapping.layout else None
    if kind == "pay":
        if forced not in (None, Layout.PAYROLL):
            raise UserError(
                "layout {layout} holds time records, not pay records", layout=forced.value
            )
        header = find_header_rows(head, PAY_FIELDS, mapping)
        if forced or (
            header
            and "worker_code" in _fields(header, mapping)
            and ({"base_pay", "piece_earnings"} & _fields(header, mapping))
        ):
            return Layout.PAYROLL, header.score if header else 0
        return None, 0
    if forced == Layout.PAYROLL:
        raise UserError("layout payroll holds pay records, not time records")
    if forced is not None:
        return forced, 0
    if (grid := find_grid_header(head)) is not None:
        return Layout.MONTHLY_GRID, 40 + len(grid[1])
    daily = find_header_rows(head, TIME_FIELDS, mapping)
    if daily and {"worker_code", "date", "in_1", "out_1"} <= _fields(daily, mapping):
        in_1 = daily.columns.get("in_1")
        statistics = in_1 is not None and "打卡时间" in daily.texts[in_1]
        return (Layout.DAILY_STATISTICS if statistics else Layout.WORKER_DAY), 20 + daily.score
    punches = find_header_rows(head, PUNCH_FIELDS, mapping)
    if punches and {"worker_code", "time"} <= _fields(punches, mapping):
        return Layout.PUNCH_LOG, 20 + punches.score
    if _headerless_columns(head) is not None:
        return Layout.PUNCH_LOG, 10
    return None, 0


def _fields(header: Header, mapping: ColumnMapping | None) -> set[str]:
    """The fields the header gives: recognised, or named by the mapping."""
    found = set(header.columns)
    if mapping:
        found |= {
            f for f, h in mapping.fields.items() if override_matches(header.texts, h) is not None
        }
        found |= set(mapping.constants)
    return found


def _why_not(head: list[tuple[int, list[object]]], kind: Kind) -> Phrase:
    if not any(any(text(c) for c in cells) for _, cells in head):
        return Phrase("empty")
    known = PAY_FIELDS if kind == "pay" else TIME_FIELDS
    header = find_header_rows(head, known, None) or find_header_rows(head, PUNCH_FIELDS, None)
    if header is None:
        return Phrase("no header row with known columns in the first rows and no punch times")
    number = head[header.positions[-1]][0]
    has = ", ".join(sorted(header.columns)) or "—"
    if kind == "pay":
        return Phrase(
            "header on row {row} has {columns}; missing worker_code and base_pay",
            row=number,
            columns=has,
        )
    return Phrase(
        "header on row {row} has {columns}; missing worker_code with date + in_1/out_1, or "
        "with a punch time",
        row=number,
        columns=has,
    )


def _headerless_columns(head: list[tuple[int, list[object]]]) -> dict[str, int] | None:
    """A device log without a header (attlog.dat): the worker's number, then the date and
    time in one column or two."""
    rows = [cells for _, cells in head if any(text(c) for c in cells)]
    if len(rows) < 1:
        return None
    for layout in ({"worker_code": 0, "time": 1}, {"worker_code": 0, "date": 1, "time": 2}):
        if all(_punch_like(cells, layout) for cells in rows):
            return layout
    return None


def _punch_like(cells: list[object], columns: dict[str, int]) -> bool:
    if len(cells) <= max(columns.values()):
        return False
    code = text(cells[columns["worker_code"]])
    if not code or len(code) > 20:
        return False
    try:
        if "date" in columns:
            parse_date(cells[columns["date"]])
            return not isinstance(parse_time(cells[columns["time"]]), datetime)
        return isinstance(parse_time(cells[columns["time"]]), datetime)
    except CellError:
        return False


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read(
    source: Source,
    index: int,
    layout: Layout,
    head: list[tuple[int, list[object]]],
    kind: Kind,
    mapping: ColumnMapping | None,
    pay_day: int | None,
    notes: list[Phrase],
    moments: list[Moment] | None = None,
) -> RecordsRead[Any]:
    """One sheet; with `moments`, punches are added there to be paired with other
    sheets' instead of paired here."""
    path = source.path
    sheet = source.sheet_names[index]
    rest: Iterator[tuple[int, list[object]]] = source.rows(index)
    for _ in islice(rest, len(head)):
        pass
    rows = chain(head, rest)
    period: tuple[date, date] | None = None
    period_source = ""
    constant = mapping.constants.get("period") if mapping else None
    if constant:
        try:
            period, period_source = parse_month(constant), "mapping"
        except CellError as exc:
            raise UserError("mapping: {reason}", reason=exc) from None
    parsed: ImportPreview[Any]
    if layout is Layout.PAYROLL:
        table = open_table(
            path, PAY_FIELDS, mapping, (("worker_code",), ("base_pay", "piece_earnings")), rows
        )
        parsed = read_payroll(table, mapping, None, pay_day, sheet)
        if period is None and parsed.mapping.constants.get("period"):
            period = parse_month(parsed.mapping.constants["period"])
            period_source = "title" if _in_titles(table, period) else "sheet name"
        elif "period" in table.columns:
            period_source = "column"
        preview_lines = [
            _pay_line(r, n)
            for r, n in zip(parsed.rows[:PREVIEW_ROWS], parsed.row_numbers, strict=False)
        ]
    elif layout is Layout.MONTHLY_GRID:
        parsed = ImportPreview(source.file, [], [], ColumnMapping(), [], 0)
        read_grid(source.file, sheet, head, rest, period, parsed, moments)
        if period is None and parsed.mapping.constants.get("period"):
            period = parse_month(parsed.mapping.constants["period"])
            titles = " ".join(text(c) for _, cells in head for c in cells)
            period_source = "title" if f"{period[0]:%Y}" in titles else "sheet name"
        preview_lines = [
            _punch_line(p, n)
            for p, n in zip(parsed.rows[:PREVIEW_ROWS], parsed.row_numbers, strict=False)
        ]
    elif layout is Layout.PUNCH_LOG:
        table = _punch_table(path, head, rows, mapping, notes)
        parsed = read_punch_log(table, moments)
        preview_lines = [
            _punch_line(p, n)
            for p, n in zip(parsed.rows[:PREVIEW_ROWS], parsed.row_numbers, strict=False)
        ]
    else:
        table = open_table(
            path, TIME_FIELDS, mapping, (("worker_code",), ("date",), ("in_1",), ("out_1",)), rows
        )
        parsed = read_worker_days(table, None)
        preview_lines = [
            _punch_line(p, n)
            for p, n in zip(parsed.rows[:PREVIEW_ROWS], parsed.row_numbers, strict=False)
        ]
    if kind == "time" and parsed.rows and period is None:
        days = [p.work_date for p in cast(list[Punch], parsed.rows)]
        period, period_source = (min(days), max(days)), "dates in the file"
    result_mapping = parsed.mapping
    result_mapping.layout = layout.value
    if len(source.sheet_names) > 1:
        result_mapping.sheet = sheet
    if period is not None and period_source == "mapping":
        result_mapping.constants["period"] = f"{period[0]:%Y-%m}"
    columns = _columns(result_mapping, parsed)
    recognition = Recognition(
        file=source.file,
        sheet=sheet,
        sheets=tuple(source.sheet_names),
        layout=layout,
        header_rows=tuple(parsed.header_rows),
        columns=columns,
        period=period,
        period_source=period_source,
        preview=tuple(preview_lines[:PREVIEW_ROWS]),
        notes=tuple(notes),
    )
    return RecordsRead(recognition, parsed, result_mapping)


def _in_titles(table: Table, period: tuple[date, date]) -> bool:
    titles = " ".join(text(c) for cells in table.title_rows for c in cells)
    return f"{period[0]:%Y}" in titles


def _punch_table(
    path: Path,
    head: list[tuple[int, list[object]]],
    rows: Iterator[tuple[int, list[object]]],
    mapping: ColumnMapping | None,
    notes: list[Phrase],
) -> Table:
    header = find_header_rows(head, PUNCH_FIELDS, mapping)
    if header is None or (not {"worker_code", "time"} <= set(header.columns) and not mapping):
        columns = _headerless_columns(head)
        if columns is None:
            raise UserError(
                "{file}: no punch columns found: give a mapping with worker_code and time",
                file=path.name,
            )
        width = max(len(cells) for _, cells in head)
        names = {v: k for k, v in columns.items()}
        headers = [names.get(i, f"column {_letter(i)}") for i in range(width)]
        return Table(
            path.name,
            0,
            headers,
            columns,
            ColumnMapping({k: headers[v] for k, v in columns.items()}),
            [],
            rows,
            [],
            (),
            [],
        )
    table = open_table(path, PUNCH_FIELDS, mapping, (("worker_code",), ("time",)), rows)
    direction = table.columns.get("direction")
    by_hand = mapping is not None and "direction" in mapping.fields
    if direction is not None and not by_hand:
        start = header.positions[-1] + 1
        values = [cells[direction] for _, cells in head[start:] if direction < len(cells)]
        if any(isinstance(read_direction(v), str) for v in values):
            del table.columns["direction"]
            table.mapping.fields.pop("direction", None)
            notes.append(
                Phrase(
                    "column {column} does not hold directions (上班/下班, in/out); punches are "
                    "paired by time order",
                    column=repr(table.headers[direction]),
                )
            )
    return table


def _columns(mapping: ColumnMapping, parsed: ImportPreview[Any]) -> tuple[ColumnUse, ...]:
    uses: list[ColumnUse] = []
    for name, header in mapping.fields.items():
        uses.append(ColumnUse(name, _column_of(parsed, header), header))
    if parsed.day_columns:
        first, last = min(parsed.day_columns), max(parsed.day_columns)
        uses.append(
            ColumnUse(f"days 1–{parsed.day_columns[last]}", f"{_letter(first)}–{_letter(last)}", "")
        )
    for name, value in mapping.constants.items():
        uses.append(ColumnUse(name, "=", f"{value} (constant)"))
    return tuple(uses)


def _column_of(parsed: ImportPreview[Any], header: str) -> str:
    if header in parsed.headers:
        return _letter(parsed.headers.index(header))
    return ""


def _punch_line(p: Punch, row: int) -> str:
    start = f"{p.start:%Y-%m-%d %H:%M}" if p.start else "(missing)"
    end = (
        f"{p.end:%H:%M}" + (" next day" if p.start and p.end.date() > p.start.date() else "")
        if p.end
        else "(missing)"
    )
    hours = f"{format_hours(p.minutes / 60)} h" if p.complete else "not counted"
    return f"row {row}: {p.worker_code}  {p.work_date}  {start} → {end}  {hours}"


def _pay_line(r: PayRecord, row: int) -> str:
    net = format_money(r.net_pay) if r.net_pay is not None else "—"
    return (
        f"row {row}: {r.worker_code}  {r.period_start:%Y-%m}  base {format_money(r.base_pay)}  "
        f"overtime {format_money(r.overtime_pay)}  allowances {format_money(r.allowances)}  "
        f"deductions {format_money(r.deductions + r.social_insurance)}  net {net}"
    )
