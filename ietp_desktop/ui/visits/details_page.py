"""Visit details: dates, man-days, day rate, invoice receipt; saved as they are changed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import VisitDetail
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.date_field import OptionalDate
from ietp_desktop.ui.common.user_errors import user_errors

DATE_FIELDS = ("planned_date", "visit_start", "visit_end", "invoice_received_on")
VISIT_DATES = ("planned_date", "visit_start", "visit_end")  # their calendars show the PV window
DECIMAL_FIELDS = ("man_days", "day_rate_usd")
TEXT_FIELDS = ("specialist_name", "specialist_email")
LABELS = {
    "planned_date": "Planned date",
    "visit_start": "First visit day",
    "visit_end": "Last visit day",
    "invoice_received_on": "Invoice received on",
    "man_days": "Man-days",
    "day_rate_usd": "Day rate (USD)",
    "specialist_name": "Specialist",
    "specialist_email": "Specialist e-mail",
}


class DetailsPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("details_page")
        self.context = context
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.dates: dict[str, OptionalDate] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        for name in DATE_FIELDS:
            field = OptionalDate(self)
            field.setObjectName(f"detail_{name}")
            field.sig_changed.connect(lambda n=name: self._save_date(n))
            self.dates[name] = field
            self.labels[name] = QLabel()
            self.form.addRow(self.labels[name], field)
        for name in DECIMAL_FIELDS + TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"detail_{name}")
            edit.editingFinished.connect(lambda n=name: self._save_text(n))
            self.edits[name] = edit
            self.labels[name] = QLabel()
            self.form.addRow(self.labels[name], edit)
        self.error = QLabel()
        self.error.setObjectName("details_error")
        self.error.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.saved_text: dict[str, str] = {}
        self.detail: VisitDetail | None = None
        self.retranslate()

    def title(self) -> str:
        return tr("Visit details")

    def _commit(self, name: str, value: object) -> bool:
        with user_errors(self.error.setText) as outcome:
            lifecycle.set_visit_fields(self.context.db, self.context.visit_uuid, **{name: value})
        if outcome.failed:
            return False
        self.error.setText("")
        self.context.events.sig_saved.emit(tr("Saved {what}", what=tr(LABELS[name])))
        self.context.events.announce(Changes.VISIT_DETAILS)
        return True

    def _save_date(self, name: str) -> None:
        self._commit(name, self.dates[name].value())

    def _save_text(self, name: str) -> None:
        text = self.edits[name].text().strip()
        if text == self.saved_text.get(name):
            return
        value: object = text
        if name in DECIMAL_FIELDS:
            try:
                value = Decimal(text) if text else None
            except InvalidOperation:
                field = tr(LABELS[name])
                self.error.setText(tr("{field}: enter a number such as 1.5", field=field))
                return
            if value is not None and value < 0:
                self.error.setText(tr("{field}: cannot be negative", field=tr(LABELS[name])))
                return
        if self._commit(name, value):
            self.saved_text[name] = text

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (Changes.VISIT_DETAILS | Changes.VISIT_STATUS):
            return
        with user_errors(self.error.setText) as outcome:
            detail = load_detail(self.context.db, self.context.visit_uuid)
        if outcome.failed:
            return
        summary = detail.summary
        values = {
            "planned_date": summary.planned_date,
            "visit_start": summary.visit_start,
            "visit_end": detail.visit_end,
            "invoice_received_on": detail.fee.invoice_received_on if detail.fee else None,
        }
        for name, field in self.dates.items():
            if name in VISIT_DATES:
                field.edit.set_window(summary.window_opens, summary.window_closes)
            if field.edit.edit.hasFocus() or field.edit.has_error():
                continue  # what is being typed, or a date still to fix, stays
            field.set_value(values[name])
        texts = {
            "man_days": "" if detail.man_days is None else str(detail.man_days),
            "day_rate_usd": "" if detail.day_rate_usd is None else str(detail.day_rate_usd),
            "specialist_name": summary.specialist_name,
            "specialist_email": detail.specialist_email,
        }
        for name, edit in self.edits.items():
            if not edit.hasFocus():
                edit.setText(texts[name])
                self.saved_text[name] = texts[name]
        self.detail = detail
        self._show_info()

    def _show_info(self) -> None:
        if self.detail is None:
            return
        detail, summary = self.detail, self.detail.summary
        window = (
            f"{summary.window_opens} – {summary.window_closes}" if summary.window_opens else "–"
        )
        fee = (
            tr(
                "Fee: {total} USD, due {due}",
                total=detail.fee.total_usd,
                due=detail.fee.due_on or "–",
            )
            if detail.fee
            else tr("Fee: enter man-days and the day rate")
        )
        self.info.setText(
            tr("PV window: {window}", window=window)
            + "\n"
            + tr("Confirmed date: {date}", date=summary.confirmed_date or "–")
            + "\n"
            + fee
        )

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        for name, label in self.labels.items():
            label.setText(tr(LABELS[name]))
        for field in self.dates.values():
            field.retranslate()
        self._show_info()
