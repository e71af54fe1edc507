"""Every list downloads as CSV or XLSX; cells are always text, never formulas.

What a factory or specialist typed can start with `=`, `+`, `-` or `@`: in CSV it gets a
leading apostrophe (spreadsheet programs would otherwise evaluate it), in XLSX the cell is
written with the string type so it is never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from starlette.responses import Response

from ietp_desktop.domain.errors import NotFound

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    for row in rows:
        cells = [_text(v) for v in row]
        writer.writerow(["'" + c if c.startswith(FORMULA_START) else c for c in cells])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_text(value))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def download(
    kind: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    if kind not in ("csv", "xlsx"):
        raise NotFound("lists download as .csv or .xlsx")
    if kind == "xlsx":
        return Response(
            xlsx_bytes(name, header, rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return Response(
        csv_bytes(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
