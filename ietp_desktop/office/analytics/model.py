"""What an analytics function returns: tables (with their chart) a page, an export and the
CLI show the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ietp_desktop.domain.errors import UserError


@dataclass(frozen=True)
class Period:
    """Visits whose first day falls in [start, end]; None means open-ended."""

    start: date | None = None
    end: date | None = None

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "all visits"
        return f"{self.start or '…'} – {self.end or '…'}"


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


def quarter_period(text: str) -> Period:
    """'2026Q3' (or '2026-Q3') → 1 July – 30 September 2026."""
    found = _QUARTER.match(text)
    if not found:
        raise UserError("{text}: write a quarter as YYYYQn, for example 2026Q3", text=text)
    year, quarter = int(found.group(1)), int(found.group(2))
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(start, following - timedelta(days=1))


@dataclass(frozen=True)
class Chart:
    """kind: bar | stacked | line. `series` are (name, one value per category)."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    label_kind: str = ""  # how categories are labelled; default: the table's first column
    totals: bool = True  # stacked bars: print each bar's total (not for shares of 100 %)


@dataclass(frozen=True)
class Table:
    """One aggregate: `columns` are English msgids; `kinds` say how a cell is labelled
    (root_cause, classification, category, outcome, band … or "" for as-is)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    kinds: tuple[str, ...] = ()
    note: str = ""
    chart: Chart | None = None
    unavailable: str = ""  # why the figures cannot be shown (instead of zeros)
    params: dict[str, object] = field(default_factory=dict)  # values for the msgids' {fields}

    def kind(self, index: int) -> str:
        return self.kinds[index] if index < len(self.kinds) else ""


@dataclass(frozen=True)
class Report:
    """One analytics page: its tables in order, and notes shown above them."""

    page: str
    period: Period
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    params: dict[str, object] = field(default_factory=dict)  # values for the notes' {fields}

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise UserError("no table {key} on this page", key=key)


def share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
