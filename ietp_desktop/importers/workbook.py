"""The one reader for every file a factory hands over: CSV and device text logs (.csv, .txt,
.dat, .tsv, in UTF-8, UTF-8 with BOM, UTF-16, GBK or GB18030) and workbooks (.xlsx, .xlsm,
.xls, .ods, read with python-calamine).

Every sheet of a workbook is offered; rows come out one at a time as (row number as the user
sees it, cells). Merged cells carry their top-left value into every cell of the range, so a
工号 merged down a block of rows names the worker on each row, and 应发工资 merged over three
columns heads each of them.

Limits are checked before or while reading, never after: the file's size, the unpacked size
of a workbook, the number of rows and the length of a cell. Anything that cannot be read is
one UserError naming the file (and sheet, row and column when it has one).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ietp_desktop.domain.errors import UserError

Row = list[object]

MAX_FILE_BYTES = 160 * 1024 * 1024
MAX_UNPACKED_BYTES = 1536 * 1024 * 1024  # all parts of a workbook together, uncompressed
MAX_ROWS = 5_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
TEXT_SUFFIXES = (".csv", ".txt", ".dat", ".tsv", ".log")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_SNIFF_BYTES = 1 << 20
_DELIMITERS = ",;\t|"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


@dataclass
class Source:
    """An opened file: its sheets (one, named after the file, for a text file) and a way to
    read the rows of each. Close it (or use it as a context manager) when done."""

    path: Path
    kind: str  # "text" or "workbook"
    sheet_names: list[str]
    _workbook: Any = None
    _encoding: str = "utf-8"
    _delimiter: str | None = ","  # None: columns separated by runs of spaces
    _sheets: dict[int, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.path.name

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._sheets.clear()
            with contextlib.suppress(Exception):  # already closed
                self._workbook.close()
            self._workbook = None

    def sheet_index(self, name: str | None) -> int:
        if name is None:
            return 0
        if name in self.sheet_names:
            return self.sheet_names.index(name)
        raise UserError(
            "{file}: no sheet named {sheet!r} (sheets: {sheets})",
            file=self.file,
            sheet=name,
            sheets=", ".join(self.sheet_names),
        )

    def rows(self, index: int = 0) -> Iterator[tuple[int, Row]]:
        """(1-based row number, cells); blank cells are "" or None."""
        if self.kind == "text":
            return _text_rows(self.path, self._encoding, self._delimiter)
        return _sheet_rows(self, index)


def open_source(path: Path) -> Source:
    """Open a file by what it holds, not only by its name: a workbook saved with the wrong
    extension, or a text export named .xls, is still read."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise UserError(
            "{file}: cannot open the file: {reason}", file=name, reason=exc.strerror or exc
        ) from None
    if size > MAX_FILE_BYTES:
        raise UserError(
            "{file}: the file is {size}; files up to {limit} are read — export fewer months "
            "at a time",
            file=name,
            size=_mb(size),
            limit=_mb(MAX_FILE_BYTES),
        )
    if size == 0:
        raise UserError("{file}: the file is empty", file=name)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path)
        return _open_workbook(path)
    if head.startswith(_OLE_MAGIC):
        return _open_workbook(path)
    # Old attendance programs save tab-separated text named .xls; a .xlsx or .ods is a ZIP
    if suffix in (".xlsx", ".xlsm", ".ods") or (suffix == ".xls" and not _looks_like_text(head)):
        raise UserError(
            "{file}: cannot open the workbook: the file is damaged or not a workbook", file=name
        )
    if suffix not in TEXT_SUFFIXES + WORKBOOK_SUFFIXES:
        raise UserError(
            "{file}: not a file type for records (use .csv, .txt, .dat, .xlsx, .xls or .ods)",
            file=name,
        )
    if not _looks_like_text(head):
        raise UserError("{file}: not a text file or a workbook (it holds binary data)", file=name)
    encoding = _encoding(head, name)
    sample = head.decode(encoding, errors="ignore")
    return Source(path, "text", [path.stem], _encoding=encoding, _delimiter=_delimiter(sample))


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, Row]]:
    """The rows of one sheet (the first unless named), the file closed at the end."""
    source = open_source(path)
    try:
        yield from source.rows(source.sheet_index(sheet))
    finally:
        source.close()


# -- text files ---------------------------------------------------------------------------


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls <= len(sample) // 100


def _encoding(head: bytes, name: str) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise UserError(
            "{file}: cannot read the text: it is neither UTF-8 nor GBK/GB18030", file=name
        ) from None


def _delimiter(sample: str) -> str | None:
    """The separator used most consistently in the first lines; None when the lines have
    none of them (a device log separated by spaces)."""
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best: str | None = None
    best_score = 0
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        top = max(counts)
        score = sum(1 for c in counts if c == top) * top  # consistent columns win
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_rows(path: Path, encoding: str, delimiter: str | None) -> Iterator[tuple[int, Row]]:
    name = path.name
    number = 0
    previous_limit = csv.field_size_limit()
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            stream: IO[str] = handle
            if delimiter is None:
                for number, line in enumerate(stream, start=1):
                    if len(line) > MAX_CELL_CHARS * 4:
                        raise UserError(
                            "{file}, row {row}: the line is too long to be a record",
                            file=name,
                            row=number,
                        )
                    yield number, line.split()  # type: ignore[misc]
                    if number > MAX_ROWS:
                        raise _too_many_rows(name)
                return
            csv.field_size_limit(MAX_CELL_CHARS)
            reader = csv.reader(stream, delimiter=delimiter)
            for number, cells in enumerate(reader, start=1):
                yield number, cells  # type: ignore[misc]
                if number > MAX_ROWS:
                    raise _too_many_rows(name)
    except UnicodeDecodeError:
        raise UserError(
            "{file}, row {row}: the text is not {encoding} from here on (the file mixes "
            "encodings); save it again as UTF-8",
            file=name,
            row=number + 1,
            encoding=encoding.upper(),
        ) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UserError(
                "{file}, row {row}: a cell longer than {limit:,} characters; this is not a "
                "records file",
                file=name,
                row=number + 1,
                limit=MAX_CELL_CHARS,
            ) from None
        raise UserError(
            "{file}, row {row}: cannot read the row: {reason}",
            file=name,
            row=number + 1,
            reason=exc,
        ) from None
    except OSError as exc:
        raise UserError(
            "{file}: cannot read the file: {reason}", file=name, reason=exc.strerror or exc
        ) from None
    finally:
        csv.field_size_limit(previous_limit)


def _too_many_rows(where: str) -> UserError:
    return UserError(
        "{file}: more than {limit:,} rows; export fewer months at a time",
        file=where,
        limit=MAX_ROWS,
    )


# -- workbooks ----------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    """An .xlsx or .ods is a ZIP: its unpacked size is known before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UserError(
            "{file}: the workbook is damaged (not a complete ZIP file)", file=path.name
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            "{file}: the workbook unpacks to {size}; workbooks up to {limit} unpacked are "
            "read — export fewer months at a time",
            file=path.name,
            size=_mb(unpacked),
            limit=_mb(MAX_UNPACKED_BYTES),
        )


def _open_workbook(path: Path) -> Source:
    import python_calamine as calamine

    name = path.name
    try:
        with path.open("rb") as handle:
            workbook = calamine.CalamineWorkbook.from_filelike(handle)
    except calamine.PasswordError:
        raise _password(name) from None
    except (calamine.CalamineError, OSError, ValueError) as exc:
        if _encrypted(path):
            raise _password(name) from None
        raise UserError(
            "{file}: cannot open the workbook: {reason}", file=name, reason=exc
        ) from None
    sheets = [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.typ == calamine.SheetTypeEnum.WorkSheet
    ]
    if not sheets:
        workbook.close()
        raise UserError("{file}: the workbook has no worksheet", file=name)
    return Source(path, "workbook", sheets, _workbook=workbook)


def _password(name: str) -> UserError:
    return UserError(
        "{file}: the workbook is protected by a password; open it in Excel, remove the "
        "password and save a copy",
        file=name,
    )


def _encrypted(path: Path) -> bool:
    """A password-protected .xlsx is an OLE container holding an 'EncryptedPackage'."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != _OLE_MAGIC:
                return False
            handle.seek(0)
            return _ENCRYPTED in handle.read(MAX_FILE_BYTES)
    except OSError:
        return False


def _load_sheet(source: Source, index: int) -> Any:
    import python_calamine as calamine

    sheet = source._sheets.get(index)
    if sheet is None:
        if source._workbook is None:
            raise UserError("{file}: the workbook was closed", file=source.file)
        name = source.sheet_names[index]
        try:
            sheet = source._workbook.get_sheet_by_name(name)
        except calamine.PasswordError:
            raise _password(source.file) from None
        except (calamine.CalamineError, ValueError) as exc:
            raise UserError(
                "{file}, sheet {sheet}: cannot read the sheet: {reason}",
                file=source.file,
                sheet=name,
                reason=exc,
            ) from None
        source._sheets[index] = sheet
    return sheet


def _sheet_rows(source: Source, index: int) -> Iterator[tuple[int, Row]]:
    sheet = _load_sheet(source, index)
    where = f"{source.file}, sheet {source.sheet_names[index]}"
    start = sheet.start
    if start is None:  # nothing in the sheet at all
        return
    if sheet.height > MAX_ROWS:
        raise _too_many_rows(where)
    column_offset = start[1]  # calamine drops empty leading columns, never leading rows
    merges = _merges(sheet)
    active: list[tuple[int, int, int, object]] = []  # (last row, first col, last col, value)
    limit = MAX_CELL_CHARS
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells: Row = row
        if column_offset:
            cells = [""] * column_offset + cells
        for cell in cells:
            # calamine cuts a longer cell to Excel's limit: a full cell is one that was cut
            if cell.__class__ is str and len(cell) >= limit:
                column = _column_letter(cells.index(cell))
                raise UserError(
                    "{file}, row {row}, column {column}: a cell of {limit:,} characters or "
                    "more; this is not a records file",
                    file=where,
                    row=number,
                    column=column,
                    limit=limit,
                )
        if merges or active:
            started = merges.pop(number - 1, None)
            if started:
                for last_row, first_col, last_col in started:
                    value = cells[first_col] if first_col < len(cells) else ""
                    active.append((last_row, first_col, last_col, value))
            if active:
                active = [a for a in active if a[0] >= number - 1]
                for _, first_col, last_col, value in active:
                    if len(cells) <= last_col:
                        cells.extend([""] * (last_col + 1 - len(cells)))
                    for c in range(first_col, last_col + 1):
                        cells[c] = value
        yield number, cells
    source._sheets.pop(index, None)  # read to the end: its memory can go


def _merges(sheet: Any) -> dict[int, list[tuple[int, int, int]]]:
    """first row → [(last row, first column, last column)] with absolute 0-based indexes."""
    ranges = sheet.merged_cell_ranges or []
    by_row: dict[int, list[tuple[int, int, int]]] = {}
    for (r0, c0), (r1, c1) in ranges:
        by_row.setdefault(r0, []).append((r1, c0, c1))
    return by_row


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def describe(source: Source) -> str:
    """'file.xlsx (sheets: 原始记录, 每日统计)' for messages."""
    if source.kind == "text":
        return source.file
    return f"{source.file} (sheets: {', '.join(source.sheet_names)})"
