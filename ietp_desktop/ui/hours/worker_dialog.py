"""Add or edit one sampled worker; the service's refusal is shown inside the dialog."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.services.hours import workers
from ietp_desktop.services.hours.workers import WorkerInput, WorkerView
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.date_field import DateField
from ietp_desktop.ui.common.user_errors import user_errors

GENDER_LABELS = {"": "Not recorded", "female": "Female", "male": "Male"}
ORIGIN_LABELS = {"": "Not recorded", "local": "Local", "migrant": "Migrant"}
WAGE_LABELS = {"monthly": "Monthly wage", "hourly": "Hourly wage", "piece": "Piece rate"}


def _combo(labels: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox()
    for key, label in labels.items():
        combo.addItem(tr(label), key)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class WorkerDialog(QDialog):
    def __init__(
        self,
        context: WorkspaceContext,
        worker: WorkerView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.worker = worker
        self.saved: WorkerView | None = None
        self.setWindowTitle(
            tr("Edit worker {code}", code=worker.code)
            if worker
            else tr("Add a worker to the sample")
        )
        self.code = QLineEdit(worker.code if worker else "")
        self.code.setPlaceholderText(tr("next free code (W01, W02 …)"))
        self.employee_no = QLineEdit(worker.employee_no if worker else "")
        self.employee_no.setPlaceholderText(tr("as written in the factory's files (工号)"))
        self.name = QLineEdit(worker.name if worker else "")
        self.name.setPlaceholderText(tr("optional; personal data, never in reports"))
        self.department = QLineEdit(worker.department if worker else "")
        self.gender = _combo(GENDER_LABELS, worker.gender if worker else "")
        self.origin = _combo(ORIGIN_LABELS, worker.origin if worker else "")
        self.wage_type = _combo(WAGE_LABELS, worker.wage_type if worker else "monthly")
        self.base_rate = QLineEdit(str(worker.base_rate) if worker and worker.base_rate else "")
        self.base_rate.setPlaceholderText(tr("monthly wage or hourly rate, CNY"))
        self.hired_known = QCheckBox(tr("Known"))
        hired = worker.hire_date if worker and worker.hire_date else None
        self.hire_date = DateField(hired)
        self.hired_known.setChecked(hired is not None)
        self.hire_date.setEnabled(hired is not None)
        self.hired_known.toggled.connect(self.hire_date.setEnabled)
        self.region = QLineEdit(
            "" if not worker or worker.region_is_factory_default else worker.region
        )
        self.region.setPlaceholderText(tr("the factory's region"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        hire_row = QHBoxLayout()
        hire_row.addWidget(self.hired_known)
        hire_row.addWidget(self.hire_date, 1)
        for label, widget in (
            ("Code", self.code),
            ("Employee no.", self.employee_no),
            ("Name", self.name),
            ("Department", self.department),
            ("Gender", self.gender),
            ("Local / migrant", self.origin),
            ("Wage type", self.wage_type),
            ("Base rate", self.base_rate),
            ("Minimum-wage region", self.region),
        ):
            form.addRow(tr(label), widget)
        form.addRow(tr("Hire date"), hire_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def data(self) -> WorkerInput:
        text = self.base_rate.text().strip().replace(",", "")
        try:
            rate = Decimal(text) if text else None
        except InvalidOperation:
            raise UserError("Base rate {value} is not a number", value=text) from None
        hired: date | None = self.hire_date.value() if self.hired_known.isChecked() else None
        return WorkerInput(
            code=self.code.text(),
            name=self.name.text(),
            employee_no=self.employee_no.text(),
            department=self.department.text(),
            gender=str(self.gender.currentData()),
            origin=str(self.origin.currentData()),
            hire_date=hired,
            wage_type=str(self.wage_type.currentData()),
            base_rate=rate,
            region=self.region.text(),
        )

    def save(self) -> None:
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self.error.setText) as outcome:
            data = self.data()
            if self.worker is None:
                self.saved = workers.add_worker(db, uuid, data)
            else:
                self.saved = workers.update_worker(db, uuid, self.worker.id, data)
        if outcome.failed:
            return
        self.accept()
