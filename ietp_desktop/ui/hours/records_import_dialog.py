"""Import one time or pay export: map the columns, see the problems by row, then import all
the good rows or nothing. Reading and storing run off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.records import format_hours
from ietp_desktop.i18n import tr
from ietp_desktop.services.hours import records
from ietp_desktop.services.hours.records import ImportResult, Kind, RecordsPreview
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.operations import run_op

PREVIEW_ROWS = 200
ERROR_BG, WARNING_BG = QColor("#fde0dc"), QColor("#fff4d6")
FIELD_LABELS: dict[str, str] = {
    "worker_code": "Worker code (工号)",
    "name": "Name",
    "department": "Department",
    "date": "Date",
    "period": "Pay month",
    "period_start": "Period start",
    "period_end": "Period end",
    "base_pay": "Base pay",
    "overtime_hours": "Overtime hours",
    "overtime_pay": "Overtime pay",
    "allowances": "Allowances",
    "special_allowances": "Special allowances",
    "deductions": "Deductions",
    "damage_deductions": "Damage deductions",
    "social_insurance": "Social insurance",
    "net_pay": "Net pay",
    "paid_on": "Paid on",
    "agreed_pay_day": "Agreed pay day",
    "piece_earnings": "Piece-rate earnings",
    **{f"in_{k}": f"Clock-in {k}" for k in range(1, 5)},
    **{f"out_{k}": f"Clock-out {k}" for k in range(1, 5)},
}


def field_label(name: str) -> str:
    return tr(FIELD_LABELS.get(name, name))


LAYOUT_LABELS = {
    "worker-day": "one row per worker and day, clock-in/clock-out pairs",
    "daily-statistics": "daily statistics (上班1打卡时间/下班1打卡时间)",
    "punch-log": "one row per punch, paired into intervals by time",
    "monthly-grid": "monthly grid, one column per day",
    "payroll": "payroll, one row per worker and pay period",
}


def recognition_text(preview: RecordsPreview) -> str:
    """What was recognised: layout, sheet, header rows, period, people."""
    found = preview.recognition
    if found is None:
        return ""
    parts = [tr("Recognised: {layout}", layout=tr(LAYOUT_LABELS[found.layout.value]))]
    if len(found.sheets) > 1:
        parts.append(tr("sheet {sheet} of {count}", sheet=found.sheet, count=len(found.sheets)))
    if found.header_rows:
        parts.append(tr("header rows {rows}", rows=", ".join(str(r) for r in found.header_rows)))
    if found.period:
        parts.append(
            tr(
                "period {start} – {end}",
                start=found.period[0].isoformat(),
                end=found.period[1].isoformat(),
            )
        )
    parts.append(tr("{count} people in the file", count=len(preview.people)))
    if preview.new_people:
        parts.append(tr("{count} not on the roster yet", count=len(preview.new_people)))
    if preview.remembered_mapping:
        parts.append(tr("read with the mapping remembered for this factory"))
    return "; ".join(parts)


class RecordsImportDialog(QDialog):
    sig_imported = Signal(object)  # ImportResult

    def __init__(
        self,
        context: WorkspaceContext,
        kind: Kind,
        preview: RecordsPreview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.preview = preview
        self.import_result: ImportResult | None = None
        self.setWindowTitle(
            tr("Import time records") if kind == "time" else tr("Import pay records")
        )
        fit_dialog(self, 1000, 680)

        self.mapping_box = QGroupBox(tr("Columns"))
        self.grid_holder = QWidget()
        self.combos: dict[str, QComboBox] = {}
        self.reread = QPushButton(tr("Read again with these columns"))
        self.reread.clicked.connect(self.read_again)
        self.pay_day = QSpinBox()
        self.pay_day.setRange(0, 31)
        self.pay_day.setSpecialValueText(tr("not agreed"))
        self.pay_day.setValue(preview.pay_day or 0)
        # squeezed by the row beside it, the spin box cut "not agreed" (未约定) short
        self.pay_day.setMinimumWidth(self.pay_day.sizeHint().width())
        tail = QHBoxLayout()
        if kind == "pay":
            tail.addWidget(QLabel(tr("Wages due on day")))
            tail.addWidget(self.pay_day)
            tail.addWidget(QLabel(tr("of the following month")))
        # the sheet and the layout recognised, either of which can be chosen instead
        self.sheet_combo = QComboBox()
        self.layout_combo = QComboBox()
        for name, label in LAYOUT_LABELS.items():
            if (name == "payroll") == (kind == "pay"):
                self.layout_combo.addItem(tr(label), name)
        tail.addWidget(QLabel(tr("Sheet")))
        tail.addWidget(self.sheet_combo)
        tail.addWidget(QLabel(tr("Layout")))
        tail.addWidget(self.layout_combo)
        tail.addStretch(1)
        tail.addWidget(self.reread)
        self.mapping_layout = QVBoxLayout(self.mapping_box)
        self.mapping_layout.addWidget(self.grid_holder)
        self.mapping_layout.addLayout(tail)

        self.recognised = QLabel()
        self.recognised.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 5)
        self.problems.setHorizontalHeaderLabels(
            [tr("File"), tr("Row"), tr("Column"), tr("Severity"), tr("Reason")]
        )
        self.records = QTableWidget(0, 0)
        for table in (self.problems, self.records):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.setAlternatingRowColors(True)
        self.problems.horizontalHeader().setStretchLastSection(True)

        self.accept_problems = QCheckBox(tr("Leave out the rows with errors and import the rest"))
        self.replace = QCheckBox(tr("Replace the earlier import of this file"))
        self.accept_problems.toggled.connect(self._update_buttons)
        self.replace.toggled.connect(self._update_buttons)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))  # Qt's own label stays English in the Chinese window
        self.buttons.accepted.connect(self.store)
        self.buttons.rejected.connect(self.reject)

        tables = QSplitter(Qt.Orientation.Vertical)
        for title, table in (
            (tr("Problems by row"), self.problems),
            (tr("Records found"), self.records),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            tables.addWidget(box)
        # Everything but the buttons scrolls: the column grid is wider than a 1366×768 screen
        # at 150 %, and Import and Cancel must stay on screen.
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.recognised)
        content.addWidget(self.mapping_box)
        content.addWidget(self.summary)
        content.addWidget(tables, 1)
        content.addWidget(self.accept_problems)
        content.addWidget(self.replace)
        self.body = QScrollArea()
        self.body.setObjectName("import_body")
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        self.show_preview(preview)

    # --- mapping ------------------------------------------------------------------------

    def _build_mapping(self, preview: RecordsPreview) -> None:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        self.combos = {}
        layout = preview.recognition.layout.value if preview.recognition else None
        fields = [
            f
            for f in records.known_fields(self.kind, layout)
            if f not in ("in_3", "out_3", "in_4", "out_4") or f in preview.mapping
        ]
        columns = 4
        for index, name in enumerate(fields):
            combo = QComboBox()
            combo.addItem(tr("(not in the file)"), "")
            for header in preview.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(name, ""))))
            self.combos[name] = combo
            row, col = divmod(index, columns)
            grid.addWidget(QLabel(field_label(name)), row, col * 2)
            grid.addWidget(combo, row, col * 2 + 1)
        self.mapping_layout.replaceWidget(self.grid_holder, holder)
        self.grid_holder.deleteLater()
        self.grid_holder = holder

    def chosen_mapping(self) -> dict[str, object]:
        """The columns chosen, with the other choices recognised (layout, sheet, header
        rows, constants) kept; another sheet or layout is recognised afresh."""
        found = self.preview.recognition
        sheet = str(self.sheet_combo.currentData() or "")
        layout = str(self.layout_combo.currentData() or "")
        if found is not None and (
            (sheet and sheet != found.sheet) or (layout and layout != found.layout.value)
        ):
            fresh: dict[str, object] = {"fields": {}}
            if sheet:
                fresh["sheet"] = sheet
            if layout != found.layout.value:
                fresh["layout"] = layout
            return fresh
        chosen: dict[str, object] = {}
        if self.preview.full_mapping is not None:
            chosen = self.preview.full_mapping.to_dict()
        chosen["fields"] = {
            name: str(c.currentData()) for name, c in self.combos.items() if c.currentData()
        }
        return chosen

    def read_again(self) -> None:
        mapping, path, kind = self.chosen_mapping(), self.preview.path, self.kind
        pay_day = self.pay_day.value() or None
        db, uuid = self.context.db, self.context.visit_uuid
        self.reread.setEnabled(False)
        run_op(
            self,
            tr("Reading {file}…", file=path.name),
            lambda _task: records.preview_import(db, uuid, path, kind, mapping, pay_day),
            self.show_preview,
            self._failed,
            on_finished=self._ready,
            cancellable=True,
        )

    # --- preview ------------------------------------------------------------------------

    def show_preview(self, preview: RecordsPreview) -> None:
        self.preview = preview
        self.reread.setEnabled(True)
        self._build_mapping(preview)
        errors = preview.rows_with_errors
        self.recognised.setText(recognition_text(preview))
        self._fill_choices(preview)
        text = tr(
            "{file}: header on row {row}; {records} records ready to import.",
            file=preview.file,
            row=preview.header_row,
            records=preview.record_count,
        )
        if errors and preview.needs_acceptance:
            text += " " + tr(
                "{rows} rows have errors and would be left out; nothing is stored "
                "unless you accept that.",
                rows=errors,
            )
        elif errors:
            text += " " + tr(
                "{rows} rows have errors and will be left out, counted for each person.",
                rows=errors,
            )
        if preview.warnings:
            text += " " + tr("Warnings: {count}.", count=len(preview.warnings))
        if preview.previous is not None:
            text += " " + tr(
                "This file was already imported on {at} ({rows} records).",
                at=f"{preview.previous.at:%Y-%m-%d %H:%M}",
                rows=preview.previous.rows,
            )
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b00020;" if errors else "")
        self._fill_problems(preview)
        self._fill_records(preview)
        self.accept_problems.setVisible(preview.needs_acceptance)
        self.accept_problems.setChecked(False)
        self.replace.setVisible(preview.previous is not None)
        self.replace.setChecked(False)
        self._update_buttons()

    def _fill_choices(self, preview: RecordsPreview) -> None:
        found = preview.recognition
        self.sheet_combo.clear()
        if found is not None:
            for sheet in found.sheets:
                self.sheet_combo.addItem(sheet, sheet)
            self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(found.sheet)))
            self.layout_combo.setCurrentIndex(
                max(0, self.layout_combo.findData(found.layout.value))
            )
        self.sheet_combo.setEnabled(self.sheet_combo.count() > 1)

    def _fill_problems(self, preview: RecordsPreview) -> None:
        self.problems.setRowCount(len(preview.problems))
        for row, p in enumerate(preview.problems):
            values = [
                p.file,
                str(p.row_number),
                p.column or "—",
                tr("Error") if p.severity == "error" else tr("Warning"),
                p.message.text(),
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setBackground(ERROR_BG if p.severity == "error" else WARNING_BG)
                self.problems.setItem(row, col, item)
        self.problems.resizeColumnsToContents()
        self.problems.horizontalHeader().setStretchLastSection(True)

    def _fill_records(self, preview: RecordsPreview) -> None:
        if preview.kind == "time":
            headers = [
                tr("Row"),
                tr("Worker"),
                tr("Date"),
                tr("Clock-in"),
                tr("Clock-out"),
                tr("Hours"),
            ]
            rows = [
                [
                    str(n),
                    p.worker_code,
                    p.work_date.isoformat(),
                    f"{p.start:%Y-%m-%d %H:%M}" if p.start else "—",
                    f"{p.end:%Y-%m-%d %H:%M}" if p.end else "—",
                    format_hours(p.minutes / 60) if p.complete else "—",
                ]
                for p, n in zip(preview.punches[:PREVIEW_ROWS], preview.row_numbers, strict=False)
            ]
        else:
            headers = [
                tr("Row"),
                tr("Worker"),
                tr("Period"),
                tr("Base pay"),
                tr("Overtime pay"),
                tr("Allowances"),
                tr("Deductions"),
                tr("Net pay"),
                tr("Paid on"),
            ]
            rows = [
                [
                    str(n),
                    p.worker_code,
                    f"{p.period_start} – {p.period_end}",
                    str(p.base_pay),
                    str(p.overtime_pay),
                    str(p.allowances + p.special_allowances),
                    str(p.deductions + p.damage_deductions + p.social_insurance),
                    str(p.net_pay) if p.net_pay is not None else "—",
                    p.paid_on.isoformat() if p.paid_on else "—",
                ]
                for p, n in zip(
                    preview.pay_records[:PREVIEW_ROWS], preview.row_numbers, strict=False
                )
            ]
        self.records.clear()
        self.records.setColumnCount(len(headers))
        self.records.setHorizontalHeaderLabels(headers)
        self.records.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.records.setItem(r, c, QTableWidgetItem(value))
        self.records.resizeColumnsToContents()

    def _update_buttons(self) -> None:
        p = self.preview
        blocked = (
            p.record_count == 0
            or (p.needs_acceptance and not self.accept_problems.isChecked())
            or (p.previous is not None and not self.replace.isChecked())
        )
        self.import_button.setEnabled(not blocked)

    # --- store --------------------------------------------------------------------------

    def store(self) -> None:
        preview, accept = self.preview, self.accept_problems.isChecked()
        replace = self.replace.isChecked()
        db, uuid = self.context.db, self.context.visit_uuid
        self.import_button.setEnabled(False)
        run_op(
            self,
            tr("Storing {count} records…", count=preview.record_count),
            lambda task: records.commit_import(db, uuid, preview, accept, replace, task),
            self._stored,
            self._failed,
            on_finished=self._ready,
        )

    def _stored(self, result: ImportResult) -> None:
        self.import_result = result
        self.sig_imported.emit(result)
        self.accept()

    def _ready(self) -> None:
        self.reread.setEnabled(True)
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setStyleSheet("color: #b00020;")
