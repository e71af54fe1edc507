"""Plan, confirm and refuse a visit. Dialogs are window-modal and report back through
`on_done`, so nothing blocks the event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ietp_desktop.domain.pv_window import PvWindow, WindowPosition
from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import FactoryView, VisitSummary
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.planning import suggested_plan_date, window_passed
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.date_field import DateField
from ietp_desktop.ui.common.user_errors import user_errors


def _date_edit(value: date, opens: date | None, closes: date | None) -> DateField:
    """A visit date: its calendar shows the PV window."""
    edit = DateField(value)
    edit.set_window(opens, closes)
    return edit


def window_warning(opens: date | None, closes: date | None, when: date) -> str:
    if opens is None or closes is None:
        return ""
    position = PvWindow(opens, closes).position(when)
    if position is WindowPosition.BEFORE:
        return tr(
            "⚠ {date} is before the PV window ({opens} – {closes}).",
            date=when,
            opens=opens,
            closes=closes,
        )
    if position is WindowPosition.AFTER:
        return tr(
            "⚠ {date} is after the PV window ({opens} – {closes}).",
            date=when,
            opens=opens,
            closes=closes,
        )
    return ""


class _Dialog(QDialog):
    def __init__(self, parent: QWidget | None, on_done: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.on_done = on_done
        self.form = QFormLayout(self)
        self.error = QLabel()
        self.error.setObjectName("dialog_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)
        for field in self.findChildren(DateField):
            field.sig_edited.connect(self.error.clear)  # a fixed date drops the old complaint
        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(lambda _t: self.error.clear())

    def run(self) -> str:
        raise NotImplementedError

    def accept(self) -> None:
        for field in self.findChildren(DateField):
            field.commit()
            if field.typed() is None:
                field.setFocus()  # the field says what is wrong with it
                return
        with user_errors(self.error.setText) as outcome:
            message = self.run()
        if outcome.failed:
            return
        super().accept()
        self.on_done(message)


class PlanVisitDialog(_Dialog):
    def __init__(
        self,
        db: Database,
        factory: FactoryView,
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
        specialist: str = "",
    ) -> None:
        super().__init__(parent, on_done)
        self.setObjectName("plan_dialog")
        self.db, self.factory = db, factory
        self.setWindowTitle(tr("Plan a visit"))
        self.when = _date_edit(
            suggested_plan_date(factory.window_opens, factory.window_closes, date.today()),
            factory.window_opens,
            factory.window_closes,
        )
        self.when.setObjectName("plan_date")
        self.specialist = QLineEdit(specialist)
        self.specialist.setObjectName("plan_specialist")
        self.warning = QLabel()
        self.warning.setObjectName("plan_warning")
        self.warning.setStyleSheet("color: #a15c00;")
        self.warning.setWordWrap(True)
        window = (
            f"{factory.window_opens} – {factory.window_closes}" if factory.window_opens else "–"
        )
        self.form.addRow(tr("Factory"), QLabel(f"{factory.ietp_id} · {factory.name_en}"))
        self.form.addRow(tr("PV window"), QLabel(window))
        self.form.addRow(tr("Planned date"), self.when)
        self.form.addRow(self.warning)
        self.form.addRow(tr("Specialist"), self.specialist)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Plan visit"))
        self.finish_layout()
        self.when.sig_edited.connect(self._check)
        self.when.dateChanged.connect(lambda _d: self._check())
        self._check()

    def _check(self) -> None:
        when = self.when.typed()
        opens, closes = self.factory.window_opens, self.factory.window_closes
        if opens is not None and closes is not None and window_passed(closes, date.today()):
            text = tr(
                "⚠ The PV window ({opens} – {closes}) has passed: this visit is overdue. "
                "Plan it as soon as possible.",
                opens=opens,
                closes=closes,
            )
        else:
            text = window_warning(opens, closes, when) if when else ""
        self.warning.setText(text)
        self.warning.setVisible(bool(text))  # no blank row between the fields

    def run(self) -> str:
        planned = lifecycle.plan_visit(
            self.db,
            self.factory.id,
            self.when.value(),
            specialist_name=self.specialist.text().strip(),
        )
        self.planned_uuid = planned.uuid
        return tr("Visit {visit} planned", visit=planned.short_id)


class ConfirmVisitDialog(_Dialog):
    def __init__(
        self,
        db: Database,
        visit: VisitSummary,
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, on_done)
        self.setObjectName("confirm_dialog")
        self.db, self.visit = db, visit
        self.setWindowTitle(tr("Confirm the visit date"))
        agreed = visit.planned_date or date.today()
        self.agreed = _date_edit(agreed, visit.window_opens, visit.window_closes)
        self.agreed.setObjectName("confirm_date")
        self.announced = _date_edit(min(date.today(), agreed - timedelta(days=1)), None, None)
        self.announced.setObjectName("confirm_announced")
        self.warning = QLabel()
        self.warning.setObjectName("confirm_warning")
        self.warning.setStyleSheet("color: #a15c00;")
        self.warning.setWordWrap(True)
        name = f"{visit.factory_ietp_id} · {visit.factory_name_en}"
        self.form.addRow(tr("Factory"), QLabel(name))
        self.form.addRow(tr("Date agreed with the factory"), self.agreed)
        self.form.addRow(tr("Announcement sent on"), self.announced)
        self.form.addRow(self.warning)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Confirm"))
        self.finish_layout()
        self.agreed.sig_edited.connect(self._check)
        self.agreed.dateChanged.connect(lambda _d: self._check())
        self._check()

    def _check(self) -> None:
        when = self.agreed.typed()
        self.warning.setText(
            window_warning(self.visit.window_opens, self.visit.window_closes, when) if when else ""
        )
        self.warning.setVisible(bool(self.warning.text()))

    def run(self) -> str:
        lifecycle.confirm_visit(
            self.db,
            self.visit.uuid,
            self.agreed.value(),
            self.announced.value(),
        )
        return tr("Visit {visit} confirmed", visit=self.visit.short_id)


class RefuseVisitDialog(_Dialog):
    def __init__(
        self,
        db: Database,
        visit: VisitSummary,
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, on_done)
        self.setObjectName("refuse_dialog")
        self.db, self.visit = db, visit
        self.setWindowTitle(tr("The factory refused the visit"))
        self.note = QPlainTextEdit()
        self.note.setObjectName("refuse_note")
        self.note.setTabChangesFocus(True)
        self.form.addRow(QLabel(tr("Who refused, when, and what was said:")))
        self.form.addRow(self.note)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Record refusal"))
        self.finish_layout()

    def run(self) -> str:
        lifecycle.refuse_visit(self.db, self.visit.uuid, self.note.toPlainText())
        return tr("Visit {visit} recorded as refused", visit=self.visit.short_id)
