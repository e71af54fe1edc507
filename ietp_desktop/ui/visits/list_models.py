"""Qt item models for the visit and factory lists; filtering happens in the proxy, so
typing in the search box never re-queries the database (10,000 visits stay fast)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.dto import FactoryView, VisitSummary

Index = QModelIndex | QPersistentModelIndex
DUE_LABELS = {"not_yet_due": "Not yet due", "due": "Due", "overdue": "Overdue"}
VISIT_COLUMNS = (
    "Factory",
    "IETP id",
    "City",
    "Status",
    "Planned",
    "Confirmed",
    "PV window",
    "Due",
    "Outcome",
    "Answered",
    "Findings",
)
FACTORY_COLUMNS = ("IETP id", "Factory", "City", "Seal issued", "PV window", "Due", "Headcount")


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _status(row: VisitSummary) -> str:
    """The status; for a visit the office withdrew, with the office's reason."""
    if row.status == "withdrawn" and row.withdrawn_reason:
        return tr("Withdrawn by the office — {reason}", reason=row.withdrawn_reason)
    if row.withdrawn_reason:  # signed or sent before the office withdrew it
        return tr(
            "{status} · withdrawn by the office — {reason}",
            status=tr(row.status_label),
            reason=row.withdrawn_reason,
        )
    return tr(row.status_label)


def _window(opens: date | None, closes: date | None) -> str:
    return f"{opens} – {closes}" if opens and closes else ""


class _TableModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.haystacks: list[str] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.columns[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: Any, column: int) -> str:
        """The whole text of a cell the column may cut; both names for a factory."""
        return self.cell(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class VisitTableModel(_TableModel):
    columns = VISIT_COLUMNS

    def set_rows(self, rows: list[VisitSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.haystacks = [
            " ".join(
                (
                    r.factory_name_en,
                    r.factory_name_zh,
                    r.factory_ietp_id,
                    r.city,
                    r.uuid,
                    r.specialist_name,
                )
            ).casefold()
            for r in rows
        ]
        self.endResetModel()

    def cell(self, row: VisitSummary, column: int) -> str:
        name = (
            row.factory_name_zh
            if current_language() == "zh" and row.factory_name_zh
            else (row.factory_name_en)
        )
        values = (
            name,
            row.factory_ietp_id,
            row.city,
            _status(row),
            _day(row.planned_date),
            _day(row.confirmed_date),
            _window(row.window_opens, row.window_closes),
            tr(DUE_LABELS[row.due_state]) if row.due_state else "",
            tr(row.outcome_label) if row.outcome_label else "",
            str(row.answered),
            str(row.findings),
        )
        return values[column]

    def tooltip(self, row: VisitSummary, column: int) -> str:
        if column == 0:
            return "\n".join(n for n in (row.factory_name_en, row.factory_name_zh) if n)
        return self.cell(row, column)


class FactoryTableModel(_TableModel):
    columns = FACTORY_COLUMNS

    def set_rows(self, rows: list[FactoryView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.haystacks = [
            " ".join((f.ietp_id, f.name_en, f.name_zh, f.city, f.address)).casefold() for f in rows
        ]
        self.endResetModel()

    def cell(self, row: FactoryView, column: int) -> str:
        name = row.name_zh if current_language() == "zh" and row.name_zh else row.name_en
        values = (
            row.ietp_id,
            name,
            row.city,
            _day(row.seal_issued_on),
            _window(row.window_opens, row.window_closes),
            tr(DUE_LABELS[row.due_state]) if row.due_state else "",
            "" if row.headcount is None else str(row.headcount),
        )
        return values[column]


class ListFilterProxy(QSortFilterProxyModel):
    """Search text plus exact filters on fields of the row dataclass (status, city…)."""

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.fields: dict[str, str] = {}
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search(self, text: str) -> None:
        self.search = text.strip().casefold()
        self.invalidateRowsFilter()

    def set_field(self, name: str, value: str | None) -> None:
        if value:
            self.fields[name] = value
        else:
            self.fields.pop(name, None)
        self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, _TableModel)
        if self.search and self.search not in model.haystacks[source_row]:
            return False
        row = model.rows[source_row]
        return all(getattr(row, name) == value for name, value in self.fields.items())
