"""Opening and closing meeting: attendees, and the completion gate on senior management."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import AttendeeView
from ietp_desktop.services.visits import attendees
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.draft_dialog import DraftDialog
from ietp_desktop.ui.common.user_errors import user_errors

COLUMNS = ("Name", "Role", "Senior management", "Opening meeting", "Closing meeting")


def senior_gate(people: tuple[AttendeeView, ...] | list[AttendeeView]) -> str | None:
    """Why the attendance does not allow completion yet, or None."""
    seniors = [a for a in people if a.senior_management]
    if not seniors:
        return tr("No senior manager is recorded among the attendees")
    if not any(a.present_opening and a.present_closing for a in seniors):
        return tr("No senior manager attended both meetings")
    return None


class AttendeeDialog(DraftDialog):
    def __init__(
        self,
        current: AttendeeView | None,
        on_save: Callable[[attendees.AttendeeInput, AttendeeView | None, AttendeeDialog], bool],
        parent: QWidget | None = None,
        context: WorkspaceContext | None = None,
    ) -> None:
        super().__init__(
            context.db if context else None,
            context.visit_uuid if context else "",
            "attendee",
            str(current.id) if current else "new",
            parent,
        )
        self.current = current
        self.on_save = on_save
        self.setObjectName("attendee_dialog")
        self.setWindowTitle(tr("Attendee"))
        self.name = QLineEdit(current.name if current else "")
        self.name.setObjectName("attendee_name")
        self.role = QLineEdit(current.role if current else "")
        self.role.setObjectName("attendee_role")
        self.senior = QCheckBox(tr("Senior management"))
        self.senior.setObjectName("attendee_senior")
        self.opening = QCheckBox(tr("Present at the opening meeting"))
        self.opening.setObjectName("attendee_opening")
        self.closing = QCheckBox(tr("Present at the closing meeting"))
        self.closing.setObjectName("attendee_closing")
        if current:
            self.senior.setChecked(current.senior_management)
            self.opening.setChecked(current.present_opening)
            self.closing.setChecked(current.present_closing)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form = QFormLayout(self)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Role"), self.role)
        form.addRow(self.senior)
        form.addRow(self.opening)
        form.addRow(self.closing)
        form.addRow(self.error)
        form.addRow(buttons)
        self.start_draft()
        for line in (self.name, self.role):
            line.textEdited.connect(lambda _t: self.changed())
        for box in (self.senior, self.opening, self.closing):
            box.toggled.connect(lambda _c: self.changed())

    def draft_values(self) -> dict[str, Any]:
        data = self.data()
        return dict(data.__dict__)

    def apply_draft(self, values: dict[str, Any]) -> None:
        self.name.setText(str(values.get("name", "")))
        self.role.setText(str(values.get("role", "")))
        self.senior.setChecked(bool(values.get("senior_management")))
        self.opening.setChecked(bool(values.get("present_opening")))
        self.closing.setChecked(bool(values.get("present_closing")))

    def accept(self) -> None:
        if self.on_save(self.data(), self.current, self):
            super().accept()

    def data(self) -> attendees.AttendeeInput:
        return attendees.AttendeeInput(
            name=self.name.text().strip(),
            role=self.role.text().strip(),
            senior_management=self.senior.isChecked(),
            present_opening=self.opening.isChecked(),
            present_closing=self.closing.isChecked(),
        )


class MeetingsPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetings_page")
        self.context = context
        self.people: tuple[AttendeeView, ...] = ()
        self.dialog: AttendeeDialog | None = None
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.gate = QLabel()
        self.gate.setObjectName("senior_gate")
        self.gate.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("attendee_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.setObjectName("attendee_add")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.gate)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.retranslate()

    def title(self) -> str:
        return tr("Meetings & attendees")

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (Changes.ATTENDEES | Changes.VISIT_STATUS):
            return
        with user_errors(self.error.setText) as outcome:
            self.people = load_detail(self.context.db, self.context.visit_uuid).attendees
        if outcome.failed:
            return
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            cells = (
                person.name,
                person.role,
                tr("yes") if person.senior_management else "",
                "✓" if person.present_opening else "",
                "✓" if person.present_closing else "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._show_gate()

    def _show_gate(self) -> None:
        reason = senior_gate(self.people)
        if reason:
            self.gate.setText("⚠ " + reason)
            self.gate.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            self.gate.setText("✓ " + tr("A senior manager attended both meetings"))
            self.gate.setStyleSheet("color: #2e7d32; font-weight: bold;")

    def _run_dialog(self, current: AttendeeView | None) -> AttendeeDialog:
        self.dialog = AttendeeDialog(current, self.save, self, self.context)
        self.dialog.open()
        return self.dialog

    def save(
        self,
        data: attendees.AttendeeInput,
        current: AttendeeView | None = None,
        dialog: AttendeeDialog | None = None,
    ) -> bool:
        with user_errors((dialog.error if dialog else self.error).setText) as outcome:
            if current is None:
                attendees.add_attendee(self.context.db, self.context.visit_uuid, data)
            else:
                attendees.update_attendee(
                    self.context.db, self.context.visit_uuid, current.id, data
                )
        if outcome.failed:
            return False
        self.error.setText("")
        self.context.events.sig_saved.emit(tr("Attendee {name} saved", name=data.name))
        self.context.events.announce(Changes.ATTENDEES)
        self.refresh()
        return True

    def add(self) -> AttendeeDialog:
        return self._run_dialog(None)

    def _selected(self) -> AttendeeView | None:
        row = self.table.currentRow()
        return self.people[row] if 0 <= row < len(self.people) else None

    def edit_selected(self) -> None:
        current = self._selected()
        if current is not None:
            self._run_dialog(current)

    def remove_selected(self) -> QMessageBox | None:
        """Asks first, naming the attendee; the safe answer is the default."""
        current = self._selected()
        if current is None:
            return None
        box = QMessageBox(self)
        box.setObjectName("remove_attendee_box")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Remove attendee"))
        box.setText(tr("Remove {name} from the attendees?", name=current.name))
        remove = box.addButton(tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep"), QMessageBox.ButtonRole.RejectRole)
        remove.setObjectName("confirm_remove")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda b: self.remove(current) if b is remove else None)
        self.remove_box = box
        box.open()
        return box

    def remove(self, current: AttendeeView) -> None:
        with user_errors(self.error.setText) as outcome:
            attendees.remove_attendee(self.context.db, self.context.visit_uuid, current.id)
        if outcome.failed:
            return
        self.context.events.announce(Changes.ATTENDEES)
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.add_button.setText(tr("Add attendee…"))
        self.edit_button.setText(tr("Edit…"))
        self.remove_button.setText(tr("Remove"))
        self._show_gate()
