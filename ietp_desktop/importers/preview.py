"""What an import would bring in, before anything is stored: the parsed records, every
problem by row, and the column mapping used. The caller stores all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Generic, Literal, TypeVar

from ietp_desktop.domain.errors import UserError
from ietp_desktop.importers.mapping import (
    HEADER_SEARCH_ROWS,
    ColumnMapping,
    find_header,
    normalise,
    recognise,
)
from ietp_desktop.importers.tables import read_rows

T = TypeVar("T")
Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    row_number: int  # as the user sees it in the spreadsheet (1-based, title rows included)
    column: str  # the header text, or "" for the whole row
    reason: str
    severity: Severity = "error"  # errors leave the row out; warnings keep it

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row_number}" + (
            f", column {self.column}" if self.column else ""
        )
        return f"{where}: {self.reason}"


@dataclass
class ImportPreview(Generic[T]):
    file: str
    rows: list[T]  # records parsed from rows without errors
    problems: list[RowProblem]
    mapping: ColumnMapping  # the mapping used: save it, edit it, pass it back
    unmapped_columns: list[str]
    header_row: int
    row_numbers: list[int] = field(default_factory=list)  # source row of each record

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class Table:
    """A file's rows below its header, with the columns resolved to fields."""

    file: str
    header_row: int
    headers: list[str]
    columns: dict[str, int]  # field → column index
    mapping: ColumnMapping
    unmapped: list[str]
    body: Iterator[tuple[int, list[object]]]  # read as it is consumed, once
    problems: list[RowProblem]

    def header(self, name: str) -> str:
        index = self.columns.get(name)
        return self.headers[index] if index is not None else name


def open_table(
    path: Path,
    known: dict[str, tuple[str, ...]],
    override: ColumnMapping | None,
    required: tuple[tuple[str, ...], ...],
) -> Table:
    """`required`: groups of fields of which at least one must be mapped."""
    name = path.name
    # The rows below the first few are streamed to the importer rather than kept: a year of
    # attendance is hundreds of thousands of rows, and holding them all only feeds the
    # garbage collector.
    reader = read_rows(path)
    rows = list(islice(reader, HEADER_SEARCH_ROWS))
    found = find_header(rows, known, override)
    if found is None:
        _drain(reader)  # an unreadable file says so before "no header row"
        raise UserError(
            f"{name}: no header row found in the first rows (expected columns such as "
            f"工号/Employee ID and 日期/Date); give a column mapping file"
        )
    position, _ = found
    header_number, header_cells = rows[position]
    headers = [str(c).strip() if c is not None else "" for c in header_cells]
    columns = recognise(header_cells, known)
    problems: list[RowProblem] = []
    if override:
        by_text = {normalise(h): i for i, h in enumerate(headers) if h}
        for field_name, header in override.fields.items():
            index = by_text.get(normalise(header))
            if index is None:
                problems.append(
                    RowProblem(
                        name,
                        header_number,
                        header,
                        f"the mapping names column {header!r} for {field_name}, but the header "
                        f"row has no such column",
                    )
                )
                columns.pop(field_name, None)
            else:
                columns = {f: i for f, i in columns.items() if i != index}
                columns[field_name] = index
    mapped = set(columns.values())
    unmapped = [h for i, h in enumerate(headers) if h and i not in mapped]
    for header in unmapped:
        problems.append(
            RowProblem(name, header_number, header, "column not recognised; ignored", "warning")
        )
    for group in required:
        if not any(f in columns for f in group):
            problems.append(
                RowProblem(
                    name,
                    header_number,
                    "",
                    f"no column for {' or '.join(group)}; map one in a column mapping file",
                )
            )
    mapping = ColumnMapping({f: headers[i] for f, i in sorted(columns.items(), key=lambda x: x[1])})
    body: Iterator[tuple[int, list[object]]] = chain(rows[position + 1 :], reader)
    if any(p.severity == "error" for p in problems):
        body = iter(list(body))  # read it all now: a file that cannot be read says so first
    return Table(name, header_number, headers, columns, mapping, unmapped, body, problems)


def _drain(rows: Iterator[object]) -> None:
    for _ in rows:
        pass


def blank_row(cells: list[object]) -> bool:
    for c in cells:
        if c is None:
            continue
        if c.__class__ is str:
            if c and not c.isspace():
                return False
        else:
            return False
    return True


def cell(cells: list[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


class ProblemLog:
    """Collects problems; an error marks its row as left out."""

    def __init__(self, file: str, problems: list[RowProblem]) -> None:
        self.file = file
        self.problems = problems
        self.bad_rows: set[int] = set()

    def error(self, row: int, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.file, row, column, reason, "error"))
        self.bad_rows.add(row)

    def warning(self, row: int, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.file, row, column, reason, "warning"))

    def sort(self) -> None:
        self.problems.sort(key=lambda p: (p.row_number, p.severity != "error"))
