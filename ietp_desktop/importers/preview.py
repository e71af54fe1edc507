"""What an import would bring in, before anything is stored: the parsed records, every
problem by row, and the column mapping used. The caller stores all or nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Generic, Literal, TypeVar

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.importers.mapping import (
    HEADER_SEARCH_ROWS,
    ColumnMapping,
    find_header_rows,
    override_matches,
)
from ietp_desktop.importers.tables import read_rows
from ietp_desktop.importers.values import CellError

T = TypeVar("T")
Severity = Literal["error", "warning"]
Reason = str | Phrase | CellError  # plain English text (a catalogue entry) or template+values


def reason_phrase(reason: Reason) -> Phrase:
    if isinstance(reason, CellError):
        return reason.phrase
    return reason if isinstance(reason, Phrase) else Phrase(reason)


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    row_number: int  # as the user sees it in the spreadsheet (1-based, title rows included)
    column: str  # the header text, or "" for the whole row
    reason: str  # English
    severity: Severity = "error"  # errors leave the row out; warnings keep it
    phrase: Phrase | None = None  # the reason as template and values, for other languages

    @classmethod
    def of(
        cls, file: str, row: int, column: str, reason: Reason, severity: Severity = "error"
    ) -> RowProblem:
        phrase = reason_phrase(reason)
        return cls(file, row, column, phrase.text("en"), severity, phrase)

    @property
    def message(self) -> Phrase:
        """The reason, in any language: `message.text("zh")`."""
        return self.phrase or Phrase(self.reason)

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
    header_rows: tuple[int, ...] = ()
    title_rows: list[list[object]] = field(default_factory=list)  # rows above the header
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, dept)
    left_out: dict[int, tuple[str, str]] = field(default_factory=dict)  # row → (code, reason)
    rows_read: int = 0  # rows with data below the header
    skipped: dict[str, int] = field(default_factory=dict)  # reason → rows (totals rows …)
    headers: list[str] = field(default_factory=list)  # column headers, by column index
    day_columns: dict[int, int] = field(default_factory=dict)  # a grid: column → day

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
    header_rows: tuple[int, ...] = ()
    title_rows: list[list[object]] = field(default_factory=list)

    def header(self, name: str) -> str:
        index = self.columns.get(name)
        return self.headers[index] if index is not None else name


def open_table(
    path: Path,
    known: dict[str, tuple[str, ...]],
    override: ColumnMapping | None,
    required: tuple[tuple[str, ...], ...],
    rows: Iterator[tuple[int, list[object]]] | None = None,
) -> Table:
    """`required`: groups of fields of which at least one must be mapped. `rows`: the rows
    of the chosen sheet (default: the first sheet of `path`)."""
    name = path.name
    # The rows below the first few are streamed to the importer rather than kept: a year of
    # attendance is hundreds of thousands of rows, and holding them all only feeds the
    # garbage collector.
    reader = rows if rows is not None else read_rows(path, override.sheet if override else None)
    head = list(islice(reader, HEADER_SEARCH_ROWS))
    found = find_header_rows(head, known, override)
    if found is None:
        _drain(reader)  # an unreadable file says so before "no header row"
        if override and override.header_rows:
            raise UserError(
                "{name}: the mapping's header rows {rows} are not among the first {limit} rows",
                name=name,
                rows=list(override.header_rows),
                limit=HEADER_SEARCH_ROWS,
            )
        raise UserError(
            "{name}: no header row found in the first rows (expected columns "
            "such as 工号/Employee ID and 日期/Date); give a column mapping file",
            name=name,
        )
    last = found.positions[-1]
    header_numbers = tuple(head[p][0] for p in found.positions)
    header_number = header_numbers[-1]
    headers = found.texts
    columns = dict(found.columns)
    problems: list[RowProblem] = []
    if override:
        for field_name, header in override.fields.items():
            index = override_matches(headers, header)
            if index is None:
                problems.append(
                    RowProblem.of(
                        name,
                        header_number,
                        header,
                        Phrase(
                            "the mapping names column {header} for {field}, but the header "
                            "row has no such column",
                            header=repr(header),
                            field=field_name,
                        ),
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
            RowProblem.of(name, header_number, header, "column not recognised; ignored", "warning")
        )
    constants = override.constants if override else {}
    for group in required:
        if not any(f in columns or f in constants for f in group):
            problems.append(
                RowProblem.of(
                    name,
                    header_number,
                    "",
                    Phrase(
                        "no column for {fields}; map one in a column mapping file",
                        fields=" or ".join(group),
                    ),
                )
            )
    mapping = ColumnMapping({f: headers[i] for f, i in sorted(columns.items(), key=lambda x: x[1])})
    if override:
        mapping.layout, mapping.sheet = override.layout, override.sheet
        mapping.constants = dict(override.constants)
    if len(header_numbers) > 1 or (override and override.header_rows):
        mapping.header_rows = header_numbers
    body: Iterator[tuple[int, list[object]]] = chain(head[last + 1 :], reader)
    if any(p.severity == "error" for p in problems):
        body = iter(list(body))  # read it all now: a file that cannot be read says so first
    titles = [cells for _, cells in head[: found.positions[0]]]
    return Table(
        name,
        header_number,
        headers,
        columns,
        mapping,
        unmapped,
        body,
        problems,
        header_numbers,
        titles,
    )


def _drain(rows: Iterator[object]) -> None:
    for _ in rows:
        pass


def reason_kind(reason: str) -> str:
    """'unreadable time \'25:00\'' → 'unreadable time': the reason without the value, for
    counting rows left out per person and reason."""
    cut = len(reason)
    for mark in (" '", " (", ":", ";"):
        at = reason.find(mark)
        if 0 < at < cut:
            cut = at
    return re.sub(r"\d+", "#", reason[:cut]).strip()


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
    """Collects problems; an error marks its row as left out, counted for the person the
    row belongs to (`person`, or the row being read: `current`)."""

    def __init__(self, file: str, problems: list[RowProblem]) -> None:
        self.file = file
        self.problems = problems
        self.bad_rows: set[int] = set()
        self.left_out: dict[int, tuple[str, str]] = {}  # row → (person, reason)
        self.current = ""

    def error(self, row: int, column: str, reason: Reason, person: str | None = None) -> None:
        problem = RowProblem.of(self.file, row, column, reason, "error")
        self.problems.append(problem)
        self.bad_rows.add(row)
        if row not in self.left_out:
            who = self.current if person is None else person
            self.left_out[row] = (who, reason_kind(problem.reason))

    def warning(self, row: int, column: str, reason: Reason) -> None:
        self.problems.append(RowProblem.of(self.file, row, column, reason, "warning"))

    def sort(self) -> None:
        self.problems.sort(key=lambda p: (p.row_number, p.severity != "error"))
