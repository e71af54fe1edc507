"""The one date field of the window: typed in full, checked, with a calendar that can show
the PV window.

`DateField` reads what the user types (2027-02-15, 2027/2/15, 2027年2月15日) when Enter is
pressed or the field is left; an impossible date stays as typed with the reason under it.
Tab moves to the next field. It keeps QDateEdit's `date()`, `setDate()` and `dateChanged`, so
it replaces one line for line; `dateChanged` is emitted only for a committed, valid date.
`OptionalDate` adds a 'not set' box; unticking it never invents today's date.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.typed_dates import parse_typed_date
from ietp_desktop.i18n import tr

ERROR_STYLE = "color: #b00020;"
WINDOW_COLOUR = "#d6f0d8"
FIELD_WIDTH = 130
ERROR_WIDTH = 330


def to_date(value: QDate) -> date:
    """A QDate as a date (PySide6 types `QDate.toPython()` as returning `object`)."""
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class _CalendarPopup(QFrame):
    """The calendar under the field; the PV window's days are tinted, with a legend."""

    def __init__(self, owner: DateField) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.setObjectName("date_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("date_popup_calendar")
        self.calendar.setGridVisible(True)
        self.legend = QLabel(self)
        self.legend.setObjectName("date_popup_legend")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        layout.addWidget(self.legend)
        self.calendar.activated.connect(owner.pick)
        self.calendar.clicked.connect(owner.pick)

    def show_window(self, opens: date | None, closes: date | None) -> None:
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every day
        if opens is None or closes is None:
            self.legend.hide()
            return
        tint = QTextCharFormat()
        tint.setBackground(QBrush(QColor(WINDOW_COLOUR)))
        day = opens
        while day <= closes:
            self.calendar.setDateTextFormat(to_qdate(day), tint)
            day += timedelta(days=1)
        self.legend.setText(
            tr(
                "■ PV window: {opens} – {closes}",
                opens=opens.isoformat(),
                closes=closes.isoformat(),
            )
        )
        self.legend.setStyleSheet("color: #1b5e20;")
        self.legend.show()


class DateField(QWidget):
    dateChanged = Signal(QDate)  # noqa: N815 - the name QDateEdit uses
    sig_edited = Signal()  # every keystroke; `typed()` is the date so far, if any

    def __init__(self, value: dt.date | QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date: dt.date | None = None
        self._window: tuple[dt.date | None, dt.date | None] = (None, None)
        self.edit = QLineEdit(self)
        self.edit.setMinimumWidth(FIELD_WIDTH)
        self.edit.setMaximumWidth(FIELD_WIDTH + 40)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the next field
        self.button.clicked.connect(self.open_calendar)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setMinimumWidth(ERROR_WIDTH)  # one or two lines, not a narrow column
        self.error.hide()
        self.popup: _CalendarPopup | None = None
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(2)
        self.row.addWidget(self.edit)
        self.row.addWidget(self.button)
        self.row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(self._edited)
        self.edit.installEventFilter(self)
        if isinstance(value, QDate):
            value = to_date(value) if value.isValid() else None
        self.set_value(value)
        self.retranslate()

    # QDateEdit's interface -------------------------------------------------------------
    def date(self) -> QDate:
        """The last valid date (an invalid QDate while none is set)."""
        return to_qdate(self._date) if self._date else QDate()

    def setDate(self, value: QDate) -> None:
        self._set(to_date(value) if value.isValid() else None, emit=True)

    # ------------------------------------------------------------------------------------
    def value(self) -> dt.date:
        """The date as typed now; UserError when the text is not one."""
        return parse_typed_date(self.edit.text())

    def typed(self) -> dt.date | None:
        try:
            return self.value()
        except UserError:
            return None

    def current(self) -> dt.date | None:
        return self._date

    def set_value(self, value: dt.date | None) -> None:
        """Show `value` without emitting `dateChanged` (loading, not editing)."""
        self._set(value, emit=False)

    def has_error(self) -> bool:
        return self.error.isVisibleTo(self)

    def attach(self, companion: QWidget) -> None:
        """Keep `companion` (a 'not set' box) beside the field; the error goes under both."""
        self.row.insertSpacing(self.row.count() - 1, 8)
        self.row.insertWidget(self.row.count() - 1, companion)

    def set_typing_enabled(self, enabled: bool) -> None:
        """Enable the text and calendar only; an attached companion stays usable."""
        self.edit.setEnabled(enabled)
        self.button.setEnabled(enabled)

    def set_window(self, opens: dt.date | None, closes: dt.date | None) -> None:
        """Tint the PV window's days in the calendar."""
        self._window = (opens, closes)

    def commit(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self._show_error("")
            self._date = None
            return
        try:
            value = parse_typed_date(text)
        except UserError as exc:
            self._show_error(str(exc))
            return
        self._set(value, emit=True)

    def pick(self, value: QDate) -> None:
        if self.popup is not None:
            self.popup.hide()
        self._set(to_date(value), emit=True)
        self.edit.setFocus()

    def open_calendar(self) -> None:
        if not (self.isEnabled() and self.edit.isEnabled()):
            return
        if self.popup is None:
            self.popup = _CalendarPopup(self)
        self.popup.show_window(*self._window)
        shown = self.typed() or self._date or self._window[0] or dt.date.today()
        self.popup.calendar.setSelectedDate(to_qdate(shown))
        self.popup.adjustSize()
        self.popup.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.popup.show()
        self.popup.calendar.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and (
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(tr("YYYY-MM-DD"))
        self.button.setToolTip(tr("Calendar (Alt+Down)"))
        if self.has_error():
            self.commit()

    def _set(self, value: dt.date | None, emit: bool) -> None:
        changed = value != self._date
        self._date = value
        self.edit.setText(value.isoformat() if value else "")
        self._show_error("")
        if emit and changed and value is not None:
            self.dateChanged.emit(to_qdate(value))

    def _edited(self, _text: str) -> None:
        if self.has_error() and (self.typed() is not None or not self.edit.text().strip()):
            self._show_error("")  # fixed: the old complaint goes at once
        self.sig_edited.emit()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setStyleSheet("border: 1px solid #b00020;" if message else "")


class OptionalDate(QWidget):
    """A date or 'not set'. Unticking 'not set' waits for a typed date; it saves nothing."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None, unset_label: str = "not set") -> None:
        super().__init__(parent)
        self.unset_label = unset_label
        self.edit = DateField(None, self)
        self.unset = QCheckBox(self)
        self.edit.attach(self.unset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        self.unset.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.sig_changed.emit())
        self.retranslate()

    def _toggled(self, unset: bool) -> None:
        self.edit.set_typing_enabled(not unset)
        if unset:
            self.sig_changed.emit()
        elif self.edit.current() is not None:
            self.sig_changed.emit()  # the date shown before 'not set' was ticked comes back
        else:
            self.edit.edit.setFocus()  # nothing is saved until a date is typed

    def value(self) -> date | None:
        if self.unset.isChecked():
            return None
        return self.edit.current()

    def set_value(self, value: date | None) -> None:
        self.unset.blockSignals(True)
        self.edit.set_value(value)
        self.unset.setChecked(value is None)
        self.edit.set_typing_enabled(value is not None)
        self.unset.blockSignals(False)

    def retranslate(self) -> None:
        self.unset.setText(tr(self.unset_label))
        self.edit.retranslate()
