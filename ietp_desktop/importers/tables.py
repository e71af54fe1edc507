"""Read a CSV or XLSX file into rows of cell values, whatever the encoding or delimiter."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ietp_desktop.domain.errors import UserError

Row = list[object]
_DELIMITERS = ",;\t|"


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UserError(
            f"{name}: cannot read the text: it is neither UTF-8 nor GBK/GB18030"
        ) from None


def sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        top = max(counts)
        score = sum(1 for c in counts if c == top) * top  # consistent columns win
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(1-based row number as the user sees it in Excel or a text editor, cells)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        yield from _csv_rows(path)
    else:
        raise UserError(f"{path.name}: not a CSV or XLSX file (use .csv or .xlsx)")


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path.name}: cannot open the file: {exc.strerror or exc}") from None
    text = decode(data, path.name).replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text[:20000]))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise UserError(f"{path.name}: cannot read row {reader.line_num}: {exc}") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, Row]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise UserError(f"{path.name}: cannot open the workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise UserError(f"{path.name}: cannot read the first sheet: {exc}") from None
    finally:
        workbook.close()
