"""A date that may be unset: a QDateEdit with a 'not set' check box."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from ietp_desktop.i18n import tr


def to_date(value: QDate) -> date:
    """A QDate as a date (PySide6 types `QDate.toPython()` as returning `object`)."""
    return date(value.year(), value.month(), value.day())


class OptionalDate(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.unset = QCheckBox(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.unset)
        layout.addStretch(1)
        self.unset.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.sig_changed.emit())
        self.retranslate()

    def _toggled(self, unset: bool) -> None:
        self.edit.setEnabled(not unset)
        self.sig_changed.emit()

    def value(self) -> date | None:
        if self.unset.isChecked():
            return None
        return to_date(self.edit.date())

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        self.unset.blockSignals(True)
        self.edit.blockSignals(True)
        if value is None:
            self.unset.setChecked(True)
            self.edit.setEnabled(False)
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))
            self.unset.setChecked(False)
            self.edit.setEnabled(True)
        self.edit.blockSignals(False)
        self.unset.blockSignals(False)
        self.blockSignals(False)

    def retranslate(self) -> None:
        self.unset.setText(tr("not set"))
