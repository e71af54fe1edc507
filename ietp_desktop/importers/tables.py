"""Rows of one sheet of a records file; the reading itself is `workbook`, the one reader for
CSV, device logs and every workbook format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietp_desktop.importers.workbook import Row
from ietp_desktop.importers.workbook import read_rows as _read_rows

__all__ = ["Row", "read_rows"]


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, Row]]:
    """(1-based row number as the user sees it in Excel or a text editor, cells)."""
    return _read_rows(path, sheet)
