"""Closing & signatures: the specialist and a senior manager sign; 'Complete visit' shows
every reason it is refused."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.i18n import tr
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import VisitDetail
from ietp_desktop.services.visits import lifecycle, signatures
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.messages import completion_problem_text
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.meetings.signature_pad import SignaturePad

ROLE_TITLES = {"specialist": "Specialist", "factory": "Factory senior manager"}


class SignatureBox(QGroupBox):
    def __init__(self, role: str, page: ClosingPage) -> None:
        super().__init__(page)
        self.role = role
        self.page = page
        self.setObjectName(f"signature_{role}")
        self.name: QLineEdit | QComboBox
        if role == "factory":
            combo = QComboBox(self)
            combo.setEditable(True)
            self.name = combo
        else:
            self.name = QLineEdit(self)
        self.name.setObjectName(f"signer_{role}")
        self.pad = SignaturePad(self)
        self.pad.setObjectName(f"pad_{role}")
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName(f"clear_{role}")
        self.clear_button.clicked.connect(self.clear)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName(f"save_sig_{role}")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(self)
        self.status.setObjectName(f"sig_status_{role}")
        self.name_label = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.name_label)
        row.addWidget(self.name, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)

    def set_editable(self, editable: bool) -> None:
        """Signatures are drawn at the closing meeting; a completed or signed visit keeps
        the ones it has."""
        for widget in (self.name, self.pad, self.clear_button, self.save_button):
            widget.setEnabled(editable)

    def signer(self) -> str:
        if isinstance(self.name, QComboBox):
            return self.name.currentText().strip()
        return self.name.text().strip()

    def clear(self) -> None:
        self.pad.clear()
        with user_errors(self.page.error.setText) as outcome:
            signatures.clear_signature(
                self.page.context.db, self.page.context.visit_uuid, self.role
            )
        if outcome.failed:
            return
        self.status.setText(tr("Not signed"))

    def save(self) -> None:
        if self.pad.is_empty():
            self.page.error.setText(tr("Draw the signature on the pad first."))
            return
        with user_errors(self.page.error.setText) as outcome:
            signatures.save_signature(
                self.page.context.db,
                self.page.context.visit_uuid,
                self.role,
                self.signer(),
                self.pad.to_png(),
                signer_role=self.page.role_of(self.signer()),
            )
        if outcome.failed:
            return
        self.page.error.setText("")
        self.page.context.events.sig_saved.emit(tr("Signature saved"))
        self.page.context.events.announce(Changes.SIGNATURES)
        self.page.refresh()

    def show_detail(self, detail: VisitDetail) -> None:
        stored = next((s for s in detail.signatures if s.role == self.role), None)
        if isinstance(self.name, QComboBox):
            seniors = [a.name for a in detail.attendees if a.senior_management]
            text = stored.signer_name if stored else self.name.currentText()
            self.name.clear()
            self.name.addItems(seniors)
            self.name.setCurrentText(text or (seniors[0] if seniors else ""))
        elif not self.name.text():
            self.name.setText(stored.signer_name if stored else detail.summary.specialist_name)
        if stored is not None:
            if self.pad.is_empty():
                self.pad.show_png(stored.png)
            self.status.setText(
                tr(
                    "Signed by {name} at {time}",
                    name=stored.signer_name,
                    time=stored.signed_at.strftime("%Y-%m-%d %H:%M"),
                )
            )
        else:
            self.status.setText(tr("Not signed"))

    def retranslate(self) -> None:
        self.setTitle(tr(ROLE_TITLES[self.role]))
        self.name_label.setText(tr("Name"))
        self.clear_button.setText(tr("Clear"))
        self.save_button.setText(tr("Save signature"))


class ClosingPage(QWidget):
    def __init__(
        self, context: WorkspaceContext, workspace: QWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closing_page")
        self.context = context
        self.workspace = workspace
        self.detail: VisitDetail | None = None
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.boxes = [SignatureBox("specialist", self), SignatureBox("factory", self)]
        self.complete_button = QPushButton()
        self.complete_button.setObjectName("complete_visit")
        self.complete_button.setStyleSheet("font-weight: bold; padding: 6px 18px;")
        self.complete_button.clicked.connect(self.complete)
        self.result = QLabel()
        self.result.setObjectName("completion_result")
        self.result.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setObjectName("completion_reasons")
        self.reasons.setMinimumHeight(160)
        self.error = QLabel()
        self.error.setObjectName("closing_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        pads = QHBoxLayout()
        for box in self.boxes:
            pads.addWidget(box)
        complete_row = QHBoxLayout()
        complete_row.addWidget(self.complete_button)
        complete_row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(pads)
        layout.addWidget(self.error)
        layout.addLayout(complete_row)
        layout.addWidget(self.reasons, 1)
        self.retranslate()

    def title(self) -> str:
        return tr("Closing & signatures")

    def role_of(self, name: str) -> str:
        if self.detail is None:
            return ""
        return next((a.role for a in self.detail.attendees if a.name == name), "")

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (Changes.ALL):
            return
        with user_errors(self.error.setText) as outcome:
            self.detail = load_detail(self.context.db, self.context.visit_uuid)
        if outcome.failed:
            return
        status = self.detail.summary.status
        for box in self.boxes:
            box.show_detail(self.detail)
            box.set_editable(status in ("planned", "confirmed", "in_progress"))
        self.complete_button.setEnabled(status in ("in_progress", "confirmed", "refused"))
        if status == "completed":
            self.result.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.result.setText(
                tr(
                    "Visit completed. Outcome: {outcome}",
                    outcome=tr(self.detail.outcome.final_label),
                )
            )
            self.reasons.clear()
        elif status not in ("in_progress", "confirmed", "planned"):
            self.result.setText(
                tr("Visit status: {status}", status=tr(self.detail.summary.status_label))
            )
            self.reasons.clear()

    def _show_gaps(self, exc: ValidationFailed) -> None:
        db = self.context.db
        form = definitions.form_definition(db, self.detail.form_sha256) if self.detail else None
        problems = exc.problems or [str(exc)]
        self.reasons.clear()
        self.reasons.addItems([completion_problem_text(p, form) for p in problems])
        self._not_completed(tr("The visit cannot be completed yet:"))

    def _not_completed(self, message: str) -> None:
        self.result.setText(message)
        self.result.setStyleSheet("color: #b00020; font-weight: bold;")

    def complete(self) -> None:
        flush = getattr(self.workspace, "flush", None)
        if callable(flush):
            flush()
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self._not_completed) as outcome:
            try:
                lifecycle.complete_visit(db, uuid)
            except ValidationFailed as exc:  # the gaps, one line each
                self._show_gaps(exc)
                return
        if outcome.failed:
            return
        self.reasons.clear()
        detail = load_detail(db, uuid)
        self.result.setStyleSheet("color: #2e7d32; font-weight: bold;")
        self.result.setText(
            tr("Visit completed. Outcome: {outcome}", outcome=tr(detail.outcome.final_label))
        )
        self.context.events.sig_saved.emit(
            tr("Visit completed ({outcome})", outcome=tr(detail.outcome.final_label))
        )
        self.context.events.announce(Changes.VISIT_STATUS)
        refresh = getattr(self.workspace, "refresh", None)
        if callable(refresh):
            refresh()  # header and states show "Completed" at once

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        for box in self.boxes:
            box.retranslate()
        self.complete_button.setText(tr("Complete visit"))
