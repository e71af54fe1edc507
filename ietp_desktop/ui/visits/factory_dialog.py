"""Add or edit a factory. The rules (IETP id form, seal date) are the services' own
`factory_problems`; the dialog shows each beside its field as it is typed, and the PV window
as the seal date is typed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.pv_window import pv_window
from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import FactoryView
from ietp_desktop.services.visits import factories
from ietp_desktop.services.visits.factories import FactoryInput
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.date_field import DateField
from ietp_desktop.ui.common.draft_dialog import DraftDialog
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.visits.list_models import DUE_LABELS

ERROR_STYLE = "color: #b00020;"
DIALOG_WIDTH = 500
TEXT_FIELDS = (
    ("ietp_id", "IETP id"),
    ("name_en", "Name (English)"),
    ("name_zh", "Name (中文)"),
    ("city", "City"),
    ("region", "Minimum-wage region"),
    ("address", "Address"),
    ("headcount", "Headcount"),
    ("contact_name", "Contact person"),
    ("contact_email", "Contact e-mail"),
)


def window_text(seal: date | None, today: date | None = None) -> str:
    """'PV window 2027-04-15 – 2027-06-15 · Due' for a seal date; a hint without one."""
    if seal is None:
        return tr("The PV window follows from the seal date (2 to 4 months after it).")
    window = pv_window(seal)
    state = window.due_state(today or date.today()).value
    return tr(
        "PV window {opens} – {closes} · {state}",
        opens=window.opens,
        closes=window.closes,
        state=tr(DUE_LABELS[state]),
    )


class FactoryDialog(DraftDialog):
    """Escape or Cancel over typed details asks before they are thrown away."""

    def __init__(
        self,
        db: Database,
        on_done: Callable[[FactoryView], None],
        parent: QWidget | None = None,
        factory: FactoryView | None = None,
    ) -> None:
        super().__init__(None, "", "factory", factory.ietp_id if factory else "new", parent)
        self.setObjectName("factory_dialog")
        self.db, self.on_done, self.factory = db, on_done, factory
        self.setWindowTitle(tr("Edit factory") if factory else tr("Add a factory"))
        self.setMinimumWidth(DIALOG_WIDTH)
        self.edits: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        form = QFormLayout()
        for name, label in TEXT_FIELDS:
            edit = QLineEdit(self._stored_text(name))
            edit.setObjectName(f"factory_{name}")
            edit.textEdited.connect(lambda _t, n=name: self._edited(n))
            self.edits[name] = edit
            form.addRow(tr(label), self._with_problem(name, edit))
        self.edits["ietp_id"].setPlaceholderText(factories.IETP_ID_EXAMPLE)
        self.edits["region"].setPlaceholderText("CN-GD-Dongguan")
        if factory is not None:
            self.edits["ietp_id"].setReadOnly(True)  # visits and bundles refer to it
        self.seal = DateField(factory.seal_issued_on if factory else None)
        self.seal.setObjectName("factory_seal")
        self.seal.sig_edited.connect(lambda: self._edited("seal_issued_on"))
        self.seal.dateChanged.connect(lambda _d: self._edited("seal_issued_on"))
        seal_box = QWidget()
        seal_layout = QVBoxLayout(seal_box)
        seal_layout.setContentsMargins(0, 0, 0, 0)
        seal_layout.addWidget(self._with_problem("seal_issued_on", self.seal))
        self.window_label = QLabel()
        self.window_label.setObjectName("factory_window")
        self.window_label.setWordWrap(True)
        seal_layout.addWidget(self.window_label)
        form.insertRow(7, tr("Seal issued on"), seal_box)
        self.error = QLabel()
        self.error.setObjectName("dialog_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        order = [self.edits[name] for name, _label in TEXT_FIELDS]
        order.insert(7, self.seal.edit)  # the seal date after the headcount, as shown
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._show_window()
        self.start_draft()

    def draft_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        values["seal_issued_on"] = self.seal.edit.text()
        return values

    def apply_draft(self, values: dict[str, Any]) -> None:
        """Factory details keep no stored draft (there is no visit to keep it with)."""

    def _stored_text(self, name: str) -> str:
        if self.factory is None:
            return ""
        value = getattr(self.factory, name)
        return "" if value is None else str(value)

    def _with_problem(self, name: str, field: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(field)
        problem = QLabel()
        problem.setObjectName(f"problem_{name}")
        problem.setStyleSheet(ERROR_STYLE)
        problem.setWordWrap(True)
        problem.hide()
        layout.addWidget(problem)
        self.problems[name] = problem
        return box

    def _edited(self, name: str) -> None:
        self.touched.add(name)
        self.error.clear()
        if name == "seal_issued_on":
            self._show_window()
        self.check(only_touched=True)

    def _show_window(self) -> None:
        self.window_label.setText(window_text(self.seal.typed()))

    def _headcount(self) -> int | None:
        text = self.edits["headcount"].text().strip().replace(",", "")
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise UserError("the headcount {value} is not a whole number", value=text) from None

    def data(self) -> FactoryInput:
        """What the form holds; UserError for a field that cannot be read at all."""
        text = {name: edit.text().strip() for name, edit in self.edits.items()}
        seal = self.seal.value() if self.seal.edit.text().strip() else None
        return FactoryInput(
            ietp_id=text["ietp_id"],
            name_en=text["name_en"],
            name_zh=text["name_zh"],
            address=text["address"],
            city=text["city"],
            region=text["region"],
            headcount=self._headcount(),
            seal_issued_on=seal,
            contact_name=text["contact_name"],
            contact_email=text["contact_email"],
        )

    def check(self, only_touched: bool = False) -> bool:
        """Show each broken rule beside its field; True when there is none."""
        found: dict[str, str] = {}
        try:
            problems = factories.factory_problems(self.data())
        except UserError as exc:  # an unreadable number or date
            problems = []
            field = "headcount" if "headcount" in exc.message else "seal_issued_on"
            found[field] = str(exc)
        for problem in problems:
            found.setdefault(problem.field, str(problem.error))
        for name, label in self.problems.items():
            message = found.get(name, "")
            if only_touched and name not in self.touched:
                message = ""
            if name == "seal_issued_on" and self.seal.has_error():
                message = ""  # the date field already says what is wrong
            label.setText(message)
            label.setVisible(bool(message))
        return not found

    def accept(self) -> None:
        self.seal.commit()
        if not self.check():
            return
        with user_errors(self.error.setText) as outcome:
            data = self.data()
            if self.factory is None:
                view = factories.add_factory(self.db, data)
            else:
                kept = ("ietp_id", "certificate_status")  # not edited here
                changes = {k: v for k, v in data.__dict__.items() if k not in kept}
                view = factories.update_factory(self.db, self.factory.id, **changes)
        if outcome.failed:
            return
        super().accept()
        self.on_done(view)
