"""Outcome & CAP: the recommendation in plain words with its drivers, the override, a
refusal, the Corrective Action Plan (edit, remediation records, agreement, XLSX for the
factory), the fee note, and open CAP lines from the factory's earlier visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.outcome import OUTCOME_EXPLANATIONS, OUTCOME_LABELS, Outcome
from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import FeeView, OutcomeView
from ietp_desktop.services.outcome import cap, cap_xlsx, fee, recommendation
from ietp_desktop.services.outcome.cap import CAP_STATUS_LABELS, CAP_STATUSES, CapLine
from ietp_desktop.services.outcome.cap_xlsx import CapImportReport
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.date_field import DateField, OptionalDate
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.outcome.cap_table import CapTable
from ietp_desktop.ui.outcome.findings_page import classification_label

ERROR_STYLE = "color: #b00020;"
AUTOSAVE_MS = 600
OK_STYLE = "color: #1b5e20;"
OUTCOME_COLOURS = {
    Outcome.PROGRESS_AUDIT_REQUIRED: "#8a4b00",
    Outcome.TERMINATION_ZERO_TOLERANCE: "#b00020",
    Outcome.STATUS_REVIEW_TRANSPARENCY: "#8a4b00",
    Outcome.MAINTAINED_CAP_REQUIRED: "#1f3a5f",
    Outcome.MAINTAINED: "#1b5e20",
}
CAP_COLUMNS = (
    "Finding",
    "Classification",
    "Title",
    "Corrective action",
    "Preventive action",
    "Responsible",
    "Due date",
    "Status",
    "Remediation records",
)
TEXT_COLUMNS = {3: "corrective_action", 4: "preventive_action", 5: "responsible"}
EARLIER_COLUMNS = ("Visit", "Visit date", "Finding", "Title", "Due date", "Status")


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def py_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def money(value: Decimal) -> str:
    return f"US$ {value:,.2f}"


def import_report_text(report: CapImportReport) -> str:
    lines = [tr("Imported from {file}", file=report.file)]
    lines += [tr("Note: {note}", note=note) for note in report.notes]
    if report.changes:
        lines.append(tr("{count} change(s):", count=len(report.changes)))
        lines += [
            f"  {c.finding_code} · {tr(c.field.replace('_', ' ').capitalize())}: "
            f"{c.old or '—'} → {c.new}"
            for c in report.changes
        ]
    else:
        lines.append(tr("Nothing changed."))
    if report.problems:
        lines.append(tr("Rows that could not be read:"))
        lines += [tr("  row {row}: {reason}", row=p.row, reason=p.reason) for p in report.problems]
    return "\n".join(lines)


class RemediationDialog(QDialog):
    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Remediation record for {code}", code=code))
        self.received = DateField(date.today())
        self.note = QLineEdit()
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        browse = QPushButton(tr("Choose file…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(tr("Received on"), self.received)
        form.addRow(tr("Note"), self.note)
        form.addRow(tr("File"), file_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.received.commit()
        if self.received.typed() is None:
            self.received.setFocus()  # the field says what is wrong with the date
            return
        super().accept()

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, tr("Remediation record"))
        if name:
            self.file.setText(name)


class OutcomePage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome_page")
        self.context = context
        self.view: OutcomeView | None = None
        self.agreed_name: str = ""
        self.agreed_date: date | None = None
        self.status: recommendation.OutcomeStatus | None = None
        self.lines: tuple[CapLine, ...] = ()
        self._loading = False
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._build_recommendation())
        column.addWidget(self._build_override())
        column.addWidget(self._build_cap())
        column.addWidget(self._build_fee())
        column.addWidget(self._build_earlier())
        column.addWidget(self._build_refusal())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.retranslate()

    # --- building -----------------------------------------------------------------------

    def _build_recommendation(self) -> QGroupBox:
        self.recommendation_box = QGroupBox()
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("outcome_label")
        self.outcome_label.setWordWrap(True)
        self.provisional_label = QLabel()
        self.provisional_label.setObjectName("outcome_provisional")
        self.provisional_label.setWordWrap(True)
        self.provisional_label.setStyleSheet(
            "background: #fff4e5; color: #8a4b00; padding: 6px; font-weight: bold;"
        )
        self.overridden_label = QLabel()
        self.overridden_label.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("font-size: 11pt;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.drivers = QLabel()
        self.drivers.setObjectName("outcome_drivers")
        self.drivers.setWordWrap(True)
        self.drivers.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self.recommendation_box)
        for widget in (
            self.outcome_label,
            self.provisional_label,
            self.overridden_label,
            self.explanation,
            self.reason,
            self.drivers,
        ):
            layout.addWidget(widget)
        return self.recommendation_box

    def _build_override(self) -> QGroupBox:
        self.override_box = QGroupBox()
        self.override_combo = QComboBox()
        self.override_combo.setObjectName("override_outcome")
        self.override_reason = QPlainTextEdit()
        self.override_reason.setObjectName("override_reason")
        self.override_reason.setTabChangesFocus(True)
        self.override_reason.setFixedHeight(56)
        self.override_button = QPushButton()
        self.override_button.clicked.connect(self.apply_override)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_override)
        self.override_message = QLabel()
        self.override_message.setObjectName("override_message")
        self.override_message.setWordWrap(True)
        self.override_labels = (QLabel(), QLabel())
        form = QFormLayout()
        form.addRow(self.override_labels[0], self.override_combo)
        form.addRow(self.override_labels[1], self.override_reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.override_box)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.override_message)
        return self.override_box

    def _build_refusal(self) -> QGroupBox:
        self.refusal_box = QGroupBox()
        self.refusal_note = QPlainTextEdit()
        self.refusal_note.setObjectName("refusal_note")
        self.refusal_note.setFixedHeight(48)
        self.refuse_button = QPushButton()
        self.refuse_button.clicked.connect(self.record_refusal)
        self.refusal_message = QLabel()
        self.refusal_message.setWordWrap(True)
        self.refusal_hint = QLabel()
        self.refusal_hint.setWordWrap(True)
        layout = QVBoxLayout(self.refusal_box)
        layout.addWidget(self.refusal_hint)
        layout.addWidget(self.refusal_note)
        row = QHBoxLayout()
        row.addWidget(self.refuse_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.refusal_message)
        return self.refusal_box

    def _build_cap(self) -> QGroupBox:
        self.cap_box = QGroupBox()
        self.cap_table = CapTable(len(CAP_COLUMNS))
        self.cap_table.setObjectName("cap_table")
        self.cap_table.verticalHeader().setVisible(False)
        self.cap_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cap_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cap_table.setMinimumHeight(180)
        self.cap_table.itemChanged.connect(self._cap_text_changed)
        self.cap_empty = QLabel()
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record_dialog)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_dialog)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.import_dialog)
        self.cap_message = QLabel()
        self.cap_message.setObjectName("cap_message")
        self.cap_message.setWordWrap(True)
        self.import_report = QPlainTextEdit()
        self.import_report.setObjectName("cap_import_report")
        self.import_report.setReadOnly(True)
        self.import_report.setFixedHeight(110)
        self.import_report.hide()
        self.agreed_by = QComboBox()
        self.agreed_by.setEditable(True)
        self.agreed_by.setMinimumWidth(180)
        self.agreed_on = DateField(date.today())
        self.agree_button = QPushButton()
        self.agree_button.clicked.connect(self.agree)
        self.agree_button.hide()  # the agreement saves when the name or date is given
        self.agreed_by.activated.connect(lambda _i: self._agreement_edited())
        agreed_line = self.agreed_by.lineEdit()
        assert agreed_line is not None
        agreed_line.editingFinished.connect(self._agreement_edited)
        self.agreed_on.dateChanged.connect(lambda _d: self._agreement_edited())
        self.agreed_label = QLabel()
        self.agreed_label.setObjectName("cap_agreed_label")
        self.agreed_label.setWordWrap(True)  # a narrow window wraps it, not scrolls sideways
        self.agreed_label.setMinimumWidth(120)
        self.agreed_caption = QLabel()
        buttons = QHBoxLayout()
        for button in (self.record_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        agreement = QHBoxLayout()
        agreement.addWidget(self.agreed_caption)
        agreement.addWidget(self.agreed_by)
        agreement.addWidget(self.agreed_on)
        agreement.addWidget(self.agree_button)
        agreement.addWidget(self.agreed_label, 1)
        layout = QVBoxLayout(self.cap_box)
        layout.addWidget(self.cap_empty)
        layout.addWidget(self.cap_table)
        layout.addLayout(buttons)
        layout.addWidget(self.cap_message)
        layout.addWidget(self.import_report)
        layout.addLayout(agreement)
        return self.cap_box

    def _build_fee(self) -> QGroupBox:
        self.fee_box = QGroupBox()
        self.man_days = QLineEdit()
        self.man_days.setObjectName("fee_man_days")
        self.man_days.setMaximumWidth(100)
        self.day_rate = QLineEdit()
        self.day_rate.setObjectName("fee_day_rate")
        self.day_rate.setMaximumWidth(100)
        self.invoice_received = OptionalDate()
        self.fee_timer = QTimer(self)
        self.fee_timer.setSingleShot(True)
        self.fee_timer.setInterval(AUTOSAVE_MS)
        self.fee_timer.timeout.connect(self.save_fee)
        for edit in (self.man_days, self.day_rate):
            edit.textEdited.connect(lambda _t: self.fee_timer.start())
            edit.editingFinished.connect(self._fee_edited)
        self.invoice_received.sig_changed.connect(self.save_fee)
        self.fee_button = QPushButton()
        self.fee_button.clicked.connect(self.save_fee)
        self.fee_button.hide()  # the fee note saves as it is typed
        self.fee_label = QLabel()
        self.fee_label.setObjectName("fee_note")
        self.fee_label.setWordWrap(True)
        self.fee_label.setStyleSheet("font-size: 11pt;")
        self.fee_message = QLabel()
        self.fee_message.setWordWrap(True)
        self.fee_labels = (QLabel(), QLabel(), QLabel())
        form = QFormLayout()
        form.addRow(self.fee_labels[0], self.man_days)
        form.addRow(self.fee_labels[1], self.day_rate)
        form.addRow(self.fee_labels[2], self.invoice_received)
        inputs = QHBoxLayout()
        inputs.addLayout(form)
        inputs.addWidget(self.fee_label, 1)
        row = QHBoxLayout()
        row.addWidget(self.fee_button)
        row.addWidget(self.fee_message, 1)
        layout = QVBoxLayout(self.fee_box)
        layout.addLayout(inputs)
        layout.addLayout(row)
        return self.fee_box

    def _build_earlier(self) -> QGroupBox:
        self.earlier_box = QGroupBox()
        self.earlier_table = QTableWidget(0, len(EARLIER_COLUMNS))
        self.earlier_table.setObjectName("earlier_cap_table")
        self.earlier_table.verticalHeader().setVisible(False)
        self.earlier_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.earlier_table.horizontalHeader().setStretchLastSection(True)
        self.earlier_empty = QLabel()
        layout = QVBoxLayout(self.earlier_box)
        layout.addWidget(self.earlier_empty)
        layout.addWidget(self.earlier_table)
        return self.earlier_box

    # --- text ---------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Outcome & CAP")

    def retranslate(self) -> None:
        self.recommendation_box.setTitle(tr("Outcome"))
        self.override_box.setTitle(tr("Override the recommendation"))
        self.override_labels[0].setText(tr("Final outcome"))
        self.override_labels[1].setText(tr("Reason (required)"))
        self.override_reason.setPlaceholderText(
            tr("Why the recommended outcome does not fit this visit")
        )
        self.override_button.setText(tr("Apply override"))
        self.clear_button.setText(tr("Back to the recommendation"))
        current = self.override_combo.currentData()
        self.override_combo.clear()
        for key, label in recommendation.outcome_choices():
            self.override_combo.addItem(tr(label), key)
        self.override_combo.setCurrentIndex(max(0, self.override_combo.findData(current)))
        self.refusal_box.setTitle(tr("Factory refused the visit"))
        self.refusal_hint.setText(
            tr(
                "If the factory refuses the Progress Visit, record who refused, when and what "
                "was said. The outcome becomes 'Progress Audit required'."
            )
        )
        self.refuse_button.setText(tr("Record refusal"))
        self.cap_box.setTitle(tr("Corrective Action Plan"))
        self.cap_table.setHorizontalHeaderLabels([tr(c) for c in CAP_COLUMNS])
        self.cap_empty.setText(tr("No CAP line: the visit has no non-compliance."))
        self.record_button.setText(tr("Add remediation record…"))
        self.export_button.setText(tr("Export XLSX for the factory…"))
        self.import_button.setText(tr("Import factory XLSX…"))
        self.agreed_caption.setText(tr("CAP agreed by"))
        self.agree_button.setText(tr("Record agreement"))
        self.fee_box.setTitle(tr("Fee note"))
        for caption, text in zip(
            self.fee_labels, ("Man-days", "Day rate (US$)", "Invoice received on"), strict=True
        ):
            caption.setText(tr(text))
        self.invoice_received.retranslate()
        self.agreed_on.retranslate()
        self.fee_button.setText(tr("Save fee note"))
        self.earlier_box.setTitle(tr("Open CAP lines from earlier visits"))
        self.earlier_table.setHorizontalHeaderLabels([tr(c) for c in EARLIER_COLUMNS])
        self.earlier_empty.setText(tr("No open CAP line from the factory's earlier visits."))
        self.refresh()

    # --- refresh ------------------------------------------------------------------------

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (
            Changes.FINDINGS
            | Changes.CAP
            | Changes.RECORDS
            | Changes.VISIT_STATUS
            | Changes.VISIT_DETAILS
        ):
            return
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self.context.events.sig_error.emit) as outcome:
            detail = load_detail(db, uuid)
            self.lines = tuple(cap.list_cap_lines(db, uuid))
            earlier = cap.open_cap_lines_from_earlier_visits(db, uuid)
            seniors = cap.senior_managers_at_closing(db, uuid)
            status = recommendation.outcome_status(db, uuid)
        if outcome.failed:
            return
        self.view = detail.outcome
        self.status = status
        self._show_outcome(detail.outcome)
        self.refusal_box.setVisible(
            detail.summary.status in ("planned", "confirmed", "in_progress")
        )
        self._show_cap()
        self._loading = True
        self.agreed_name, self.agreed_date = detail.cap_agreed_by, detail.cap_agreed_on
        self.agreed_by.clear()
        self.agreed_by.addItems(seniors)
        self.agreed_by.setCurrentText(detail.cap_agreed_by)
        if detail.cap_agreed_by:
            self.agreed_by.setCurrentText(detail.cap_agreed_by)
            self.agreed_label.setText(
                tr(
                    "Agreed by {name} on {date}",
                    name=detail.cap_agreed_by,
                    date=str(detail.cap_agreed_on or ""),
                )
            )
            if detail.cap_agreed_on:
                self.agreed_on.setDate(qdate(detail.cap_agreed_on))
        else:
            self.agreed_label.setText(tr("Not agreed yet"))
        self._loading = False
        self._show_fee_inputs(detail.man_days, detail.day_rate_usd, detail.fee)
        self._show_earlier(earlier)

    def _show_outcome(self, view: OutcomeView) -> None:
        final = Outcome(view.final)
        status = self.status
        if status is not None and status.provisional:
            self.outcome_label.setText(
                tr("Provisional: {outcome}", outcome=tr(OUTCOME_LABELS[final]))
            )
            self.outcome_label.setStyleSheet("font-size: 16pt; font-weight: bold; color: #555;")
            self.provisional_label.setText(self.provisional_text(status))
        else:
            self.outcome_label.setText(tr(OUTCOME_LABELS[final]))
            self.outcome_label.setStyleSheet(
                f"font-size: 20pt; font-weight: bold; color: {OUTCOME_COLOURS[final]};"
            )
        self.provisional_label.setVisible(status is not None and status.provisional)
        if view.overridden:
            self.overridden_label.setText(
                tr(
                    "Overridden by the specialist. The rules recommended: {label}. "
                    "Reason: {reason}",
                    label=tr(view.recommended_label),
                    reason=view.override_reason,
                )
            )
            self.overridden_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.overridden_label.setVisible(view.overridden)
        self.explanation.setText(tr(OUTCOME_EXPLANATIONS[final]))
        self.reason.setText(tr("Recommended because: {reason}", reason=tr(view.reason)))
        if view.drivers:
            self.drivers.setText(
                tr("Findings behind the recommendation:")
                + "\n"
                + "\n".join(
                    f"• {code} — {title} ({classification_label(cls)})"
                    for code, cls, title in view.drivers
                )
            )
        self.drivers.setVisible(bool(view.drivers))
        self.override_combo.setCurrentIndex(max(0, self.override_combo.findData(view.final)))
        if view.overridden and not self.override_reason.toPlainText().strip():
            self.override_reason.setPlainText(view.override_reason)

    @staticmethod
    def provisional_text(status: recommendation.OutcomeStatus) -> str:
        open_points = []
        if status.required_open:
            open_points.append(
                tr("{count} required item(s) unanswered", count=len(status.required_open))
            )
        if status.proposals_open:
            open_points.append(
                tr(
                    "{count} proposed finding(s) from the records not reviewed",
                    count=status.proposals_open,
                )
            )
        text = tr("The visit is not completed: this outcome may still change.")
        if open_points:
            text += " " + tr("Still open: {points}.", points="; ".join(open_points))
        return text

    def _show_cap(self) -> None:
        self._loading = True
        table = self.cap_table
        table.setRowCount(0)  # drops the old rows' date and status editors with them
        table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            fixed = (line.finding_code, classification_label(line.classification), line.title)
            for column, text in enumerate(fixed):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == 2:
                    item.setToolTip(f"{line.title}\n\n{line.description}".strip())
                else:
                    item.setToolTip(text)  # elided in a narrow window
                table.setItem(row, column, item)
            for column, name in TEXT_COLUMNS.items():
                item = QTableWidgetItem(getattr(line, name))
                item.setToolTip(getattr(line, name))
                table.setItem(row, column, item)
            due = DateField(line.due_date)
            due.dateChanged.connect(
                lambda value, code=line.finding_code: self.save_cap(
                    code, cap.CapChanges(due_date=py_date(value))
                )
            )
            table.setCellWidget(row, 6, due)
            status = QComboBox()
            for key in CAP_STATUSES:
                status.addItem(tr(CAP_STATUS_LABELS[key]), key)
            status.setCurrentIndex(status.findData(line.status))
            status.currentIndexChanged.connect(
                lambda _i, code=line.finding_code, combo=status: self.save_cap(
                    code, cap.CapChanges(status=str(combo.currentData()))
                )
            )
            table.setCellWidget(row, 7, status)
            records = "; ".join(
                f"{r.received_on} {r.note}" + (" 📎" if r.attachment_id else "")
                for r in line.records
            )
            item = QTableWidgetItem(records or "—")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(records)
            table.setItem(row, 8, item)
        table.fit_columns()
        table.setFixedHeight(
            table.horizontalHeader().height()
            + sum(table.rowHeight(r) for r in range(len(self.lines)))
            + table.horizontalScrollBar().sizeHint().height()
            + 2 * table.frameWidth()
            + 4
        )
        has_lines = bool(self.lines)
        table.setVisible(has_lines)
        self.cap_empty.setVisible(not has_lines)
        for button in (self.record_button, self.export_button, self.import_button):
            button.setEnabled(has_lines)
        self._loading = False

    def _show_fee_inputs(
        self, man_days: Decimal | None, rate: Decimal | None, note: FeeView | None
    ) -> None:
        if not self.man_days.hasFocus():
            self.man_days.setText("" if man_days is None else str(man_days))
        if not self.day_rate.hasFocus():
            self.day_rate.setText("" if rate is None else str(rate))
        self.invoice_received.set_value(note.invoice_received_on if note else None)
        self.fee_label.setText(self.fee_text(note))

    @staticmethod
    def fee_text(note: FeeView | None) -> str:
        if note is None:
            return tr("Enter man-days and the day rate to see the fee.")
        lines = [
            tr(
                "{days} man-days × {rate} = {amount}",
                days=str(note.man_days),
                rate=money(note.day_rate_usd),
                amount=money(note.uncapped_usd),
            )
        ]
        if note.cap_applied:
            lines.append(
                tr("Capped at US$1,500: the factory pays {total}", total=money(note.total_usd))
            )
        else:
            lines.append(tr("Fee: {total} (below the US$1,500 cap)", total=money(note.total_usd)))
        if note.due_on and note.invoice_received_on:
            lines.append(
                tr(
                    "Invoice received {received}; due {due} (15 working days, weekends and "
                    "public holidays skipped)",
                    received=note.invoice_received_on.isoformat(),
                    due=note.due_on.isoformat(),
                )
            )
        else:
            lines.append(tr("Due 15 working days after the factory receives the invoice."))
        return "\n".join(lines)

    def _show_earlier(self, earlier: list[cap.EarlierCapLine]) -> None:
        self.earlier_table.setRowCount(len(earlier))
        for row, line in enumerate(earlier):
            due = line.due_date.isoformat() if line.due_date else "—"
            if line.overdue:
                due += " " + tr("(overdue)")
            cells = (
                line.visit_short_id,
                line.visit_date.isoformat() if line.visit_date else "—",
                line.finding_code,
                line.title,
                due,
                tr(CAP_STATUS_LABELS.get(line.status, line.status)),
            )
            for column, text in enumerate(cells):
                self.earlier_table.setItem(row, column, QTableWidgetItem(text))
        self.earlier_table.resizeColumnsToContents()
        self.earlier_table.setFixedHeight(
            self.earlier_table.horizontalHeader().height()
            + sum(self.earlier_table.rowHeight(r) for r in range(len(earlier)))
            + 8
        )
        self.earlier_table.setVisible(bool(earlier))
        self.earlier_empty.setVisible(not earlier)

    # --- actions ------------------------------------------------------------------------

    def _saved(self) -> None:
        self.context.events.announce(Changes.CAP)
        self.context.events.sig_saved.emit(tr("Saved"))

    def _problem(self, label: QLabel) -> Callable[[str], None]:
        return lambda text: self._say(label, text, ok=False)

    @staticmethod
    def _say(label: QLabel, text: str, ok: bool) -> None:
        label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        label.setText(text)

    def apply_override(self) -> bool:
        key = str(self.override_combo.currentData())
        reason = self.override_reason.toPlainText()
        if self.view and key != self.view.recommended and not reason.strip():
            self._say(
                self.override_message,
                tr("Write the reason for overriding the recommended outcome first."),
                ok=False,
            )
            return False
        with user_errors(self._problem(self.override_message)) as outcome:
            view = recommendation.override_outcome(
                self.context.db, self.context.visit_uuid, key, reason
            )
        if outcome.failed:
            return False
        self._say(
            self.override_message,
            tr("Override saved.") if view.overridden else tr("The recommendation applies."),
            ok=True,
        )
        self.refresh()
        self._saved()
        return True

    def clear_override(self) -> None:
        with user_errors(self._problem(self.override_message)) as outcome:
            recommendation.clear_override(self.context.db, self.context.visit_uuid)
        if outcome.failed:
            return
        self.override_reason.clear()
        self._say(self.override_message, tr("The recommendation applies."), ok=True)
        self.refresh()
        self._saved()

    def record_refusal(self) -> bool:
        with user_errors(self._problem(self.refusal_message)) as outcome:
            lifecycle.refuse_visit(
                self.context.db, self.context.visit_uuid, self.refusal_note.toPlainText()
            )
        if outcome.failed:
            return False
        self._say(self.refusal_message, tr("Refusal recorded."), ok=True)
        self.refresh()
        self._saved()
        return True

    def _cap_text_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in TEXT_COLUMNS:
            return
        code = self.lines[item.row()].finding_code
        changes = {TEXT_COLUMNS[item.column()]: item.text()}
        self.save_cap(code, cap.CapChanges(**changes))  # type: ignore[arg-type]

    def save_cap(self, code: str, changes: cap.CapChanges) -> bool:
        if self._loading:
            return False
        with user_errors(self._problem(self.cap_message)) as outcome:
            line = cap.update_cap_line(self.context.db, self.context.visit_uuid, code, changes)
        if outcome.failed:
            return False
        self.lines = tuple(line if x.finding_code == code else x for x in self.lines)
        self._say(self.cap_message, tr("CAP line {code} saved.", code=code), ok=True)
        self._saved()
        return True

    def selected_line(self) -> CapLine | None:
        row = self.cap_table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def add_record(self, code: str, received: date, note: str, file: Path | None) -> bool:
        with user_errors(self._problem(self.cap_message)) as outcome:
            cap.add_remediation_record(
                self.context.db, self.context.visit_uuid, code, received, note, file
            )
        if outcome.failed:
            return False
        self._say(self.cap_message, tr("Remediation record kept for {code}.", code=code), ok=True)
        self.refresh()
        self._saved()
        return True

    def record_dialog(self) -> None:
        line = self.selected_line()
        if line is None:
            self._say(self.cap_message, tr("Select a CAP line first."), ok=False)
            return
        dialog = RemediationDialog(line.finding_code, self)
        dialog.accepted.connect(
            lambda: self.add_record(
                line.finding_code,
                py_date(dialog.received.date()),
                dialog.note.text(),
                Path(dialog.file.text()) if dialog.file.text() else None,
            )
        )
        dialog.open()

    def agree(self) -> bool:
        with user_errors(self._problem(self.cap_message)) as outcome:
            cap.agree_cap(
                self.context.db,
                self.context.visit_uuid,
                self.agreed_by.currentText(),
                py_date(self.agreed_on.date()),
            )
        if outcome.failed:
            return False
        self.refresh()
        self._saved()
        return True

    def export_to(self, path: Path) -> bool:
        with user_errors(self._problem(self.cap_message)) as outcome:
            written = cap_xlsx.export_cap_xlsx(self.context.db, self.context.visit_uuid, path)
        if outcome.failed:
            return False
        self._say(self.cap_message, tr("CAP written to {path}", path=str(written)), ok=True)
        return True

    def import_from(self, path: Path) -> CapImportReport | None:
        with user_errors(self._problem(self.cap_message)) as outcome:
            report = cap_xlsx.import_cap_xlsx(self.context.db, self.context.visit_uuid, path)
        if outcome.failed:
            self.import_report.hide()
            return None
        self._say(self.cap_message, tr("CAP imported from {file}.", file=report.file), ok=True)
        self.import_report.setPlainText(import_report_text(report))
        self.import_report.show()
        self.refresh()
        self._saved()
        return report

    def export_dialog(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, tr("Export CAP"), "cap.xlsx", tr("Excel workbook (*.xlsx)")
        )
        if name:
            self.export_to(Path(name))

    def import_dialog(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, tr("Import CAP"), "", tr("Excel workbook (*.xlsx)")
        )
        if name:
            self.import_from(Path(name))

    def flush(self) -> None:
        if self.fee_timer.isActive():
            self.save_fee()

    def _fee_edited(self) -> None:
        if self.fee_timer.isActive():
            self.save_fee()

    def _agreement_edited(self) -> None:
        """Naming who agreed (and when) records the agreement; nothing to press."""
        if self._loading or not self.agreed_by.currentText().strip():
            return
        if self.agreed_by.currentText().strip() == self.agreed_name and (
            py_date(self.agreed_on.date()) == self.agreed_date
        ):
            return
        self.agree()

    def save_fee(self) -> bool:
        self.fee_timer.stop()
        try:
            man_days = Decimal(self.man_days.text()) if self.man_days.text().strip() else None
            rate = Decimal(self.day_rate.text()) if self.day_rate.text().strip() else None
        except InvalidOperation:
            self._say(self.fee_message, tr("Man-days and the day rate must be numbers."), ok=False)
            return False
        with user_errors(self._problem(self.fee_message)) as outcome:
            note = fee.set_fee(
                self.context.db,
                self.context.visit_uuid,
                man_days=man_days,
                day_rate_usd=rate,
                invoice_received_on=self.invoice_received.value(),
            )
        if outcome.failed:
            return False
        self.fee_label.setText(self.fee_text(note))
        self._say(self.fee_message, tr("Fee note saved."), ok=True)
        self._saved()
        return True
