"""The CAP table's columns: the texts share the width and elide (their tooltip holds the whole
text), so the due date and the status stay on screen without scrolling sideways down to
1024×600. The classification shows in full when the table is wide enough, else it elides too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTableWidget, QWidget

FITTED = QHeaderView.ResizeMode.ResizeToContents
SHARED = QHeaderView.ResizeMode.Stretch
FITTED_COLUMNS = (0, 6, 7)  # code, due date, status
CLASSIFICATION = 1
SHARED_COLUMNS = (2, 3, 4, 5, 8)  # title, corrective, preventive, responsible, records
NARROWEST = 56  # a shared column's least width
TEXT_ROOM = 90  # a shared column's width before the classification gives up its full width


class CapTable(QTableWidget):
    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(0, columns, parent)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(NARROWEST)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in range(columns):
            header.setSectionResizeMode(column, FITTED if column in FITTED_COLUMNS else SHARED)

    def fit_columns(self) -> None:
        """The classification in full when the texts keep TEXT_ROOM each, else shared."""
        header = self.horizontalHeader()
        fitted = sum(
            max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in FITTED_COLUMNS
        )
        classification = max(
            self.sizeHintForColumn(CLASSIFICATION), header.sectionSizeHint(CLASSIFICATION)
        )
        room = self.viewport().width() - fitted - classification
        wide = room >= TEXT_ROOM * len(SHARED_COLUMNS)
        mode = FITTED if wide else SHARED
        if header.sectionResizeMode(CLASSIFICATION) != mode:
            header.setSectionResizeMode(CLASSIFICATION, mode)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
