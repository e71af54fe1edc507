"""Closing & signatures: the specialist and a senior manager sign (each signature is saved the
moment it is drawn); 'Complete visit' lists every reason it is refused, each a link to what
needs doing, and asks before completing over open CAP points."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.checklist import Form
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.i18n import tr
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import CompletionBlocker, VisitDetail
from ietp_desktop.services.visits import lifecycle, signatures
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.messages import blocker_text, completion_problem_text, warning_text
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.meetings.signature_pad import SignaturePad

ROLE_TITLES = {"specialist": "Specialist", "factory": "Factory senior manager"}
ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #2e7d32;"
TARGET_ROLE = Qt.ItemDataRole.UserRole
NAME_DEBOUNCE_MS = 600


class ClosingWorkspace(Protocol):
    """What the page asks of the workspace around it: save typing, follow a reason's link,
    show the new status."""

    def flush(self) -> None: ...

    def go_to_item(self, item_id: str) -> bool: ...

    def go_to_section(self, section_id: str) -> bool: ...

    def refresh(self, changes: Changes = Changes.ALL) -> None: ...


class SignatureBox(QGroupBox):
    """One signature: the signer's name and the pad. A stroke is saved when the pen lifts; a
    drawing that could not be saved says so, and counts as nothing for completion."""

    def __init__(self, role: str, page: ClosingPage) -> None:
        super().__init__(page)
        self.role = role
        self.page = page
        self.setObjectName(f"signature_{role}")
        self.saved = False
        self.name_loaded = False
        self.name_timer = QTimer(self)
        self.name_timer.setSingleShot(True)
        self.name_timer.setInterval(NAME_DEBOUNCE_MS)
        self.name_timer.timeout.connect(self.autosave)
        self.name: QLineEdit | QComboBox
        if role == "factory":
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.activated.connect(lambda _i: self.autosave())
            line = combo.lineEdit()
            assert line is not None
            line.editingFinished.connect(self.autosave)
            line.textEdited.connect(lambda _t: self.name_timer.start())
            self.name = combo
        else:
            edit = QLineEdit(self)
            edit.editingFinished.connect(self.autosave)
            edit.textEdited.connect(lambda _t: self.name_timer.start())
            self.name = edit
        self.name.setObjectName(f"signer_{role}")
        self.pad = SignaturePad(self)
        self.pad.setObjectName(f"pad_{role}")
        self.pad.sig_changed.connect(self.autosave)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName(f"clear_{role}")
        self.clear_button.clicked.connect(self.clear)
        self.status = QLabel(self)
        self.status.setObjectName(f"sig_status_{role}")
        self.status.setWordWrap(True)
        self.name_label = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.name_label)
        row.addWidget(self.name, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)

    def set_editable(self, editable: bool) -> None:
        """Signatures are drawn at the closing meeting; a completed or signed visit keeps
        the ones it has."""
        for widget in (self.name, self.pad, self.clear_button):
            widget.setEnabled(editable)

    def signer(self) -> str:
        if isinstance(self.name, QComboBox):
            return self.name.currentText().strip()
        return self.name.text().strip()

    def _say(self, text: str, ok: bool) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(text)

    def clear(self) -> None:
        self.pad.clear()
        with user_errors(self.page.error.setText) as outcome:
            signatures.clear_signature(
                self.page.context.db, self.page.context.visit_uuid, self.role
            )
        if outcome.failed:
            return
        self.saved = False
        self._say(tr("Not signed"), ok=False)
        self.page.context.events.announce(Changes.SIGNATURES)

    def has_unsaved_drawing(self) -> bool:
        return not self.pad.is_empty() and not self.saved

    def autosave(self) -> bool:
        """Save what is drawn now; without a signer's name the drawing stays 'not saved'."""
        self.name_timer.stop()
        if self.pad.is_empty():
            if self.pad.strokes:
                self._say(tr("Drawn, not saved: the signature is too short"), ok=False)
            return False
        if self.saved and self.pad.drawn_since_saved is False and not self._name_changed():
            return True
        if not self.signer():
            self.saved = False
            self._say(tr("Drawn, not saved: enter the signer's name"), ok=False)
            return False
        with user_errors(self._not_saved) as outcome:
            signatures.save_signature(
                self.page.context.db,
                self.page.context.visit_uuid,
                self.role,
                self.signer(),
                self.pad.to_png(),
                signer_role=self.page.role_of(self.signer()),
            )
        if outcome.failed:
            self.saved = False
            return False
        self.saved = True
        self.saved_name = self.signer()
        self.pad.drawn_since_saved = False
        self.page.error.setText("")
        self.page.context.events.sig_saved.emit(tr("Signature saved"))
        self.page.context.events.announce(Changes.SIGNATURES)
        self.page.refresh()
        return True

    def _not_saved(self, reason: str) -> None:
        self._say(tr("Drawn, not saved: {reason}", reason=reason), ok=False)

    def _name_changed(self) -> bool:
        return self.signer() != getattr(self, "saved_name", self.signer())

    def show_detail(self, detail: VisitDetail) -> None:
        stored = next((s for s in detail.signatures if s.role == self.role), None)
        if isinstance(self.name, QComboBox):
            seniors = [a.name for a in detail.attendees if a.senior_management]
            text = stored.signer_name if stored else self.name.currentText()
            self.name.blockSignals(True)
            self.name.clear()
            self.name.addItems(seniors)
            self.name.setCurrentText(text or (seniors[0] if seniors else ""))
            self.name.blockSignals(False)
        elif not self.name_loaded:
            self.name.setText(stored.signer_name if stored else detail.summary.specialist_name)
        self.name_loaded = True  # later refreshes keep what the specialist typed
        if self.has_unsaved_drawing() and self.pad.drawn_since_saved:
            return  # the status already says why the drawing is not saved
        if stored is not None:
            self.saved = True
            self.saved_name = stored.signer_name
            if self.pad.is_empty():
                self.pad.show_png(stored.png)
            self._say(
                tr(
                    "Signed by {name} at {time}",
                    name=stored.signer_name,
                    time=stored.signed_at.strftime("%Y-%m-%d %H:%M"),
                ),
                ok=True,
            )
        else:
            self.saved = False
            self._say(tr("Not signed"), ok=False)

    def retranslate(self) -> None:
        self.setTitle(tr(ROLE_TITLES[self.role]))
        self.name_label.setText(tr("Name"))
        self.clear_button.setText(tr("Clear"))


class ClosingPage(QScrollArea):
    def __init__(
        self, context: WorkspaceContext, workspace: ClosingWorkspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closing_page")
        self.setWidgetResizable(True)
        self.context = context
        self.workspace = workspace
        self.detail: VisitDetail | None = None
        self.warning_box: QMessageBox | None = None
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
        self.reasons.setMinimumHeight(120)
        self.reasons.hide()  # shown with the reasons a completion was refused
        self.reasons.itemActivated.connect(self.go_to_reason)
        self.reasons.itemClicked.connect(self.go_to_reason)
        self.reasons_hint = QLabel()
        self.reasons_hint.setStyleSheet("color: #555;")
        self.reasons_hint.hide()  # "click a reason…" only beside the reasons
        self.error = QLabel()
        self.error.setObjectName("closing_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        body = QWidget()
        self.pads = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for box in self.boxes:
            self.pads.addWidget(box)
        complete_row = QHBoxLayout()
        complete_row.addWidget(self.complete_button)
        complete_row.addWidget(self.result, 1)
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addLayout(self.pads)
        layout.addWidget(self.error)
        layout.addLayout(complete_row)
        layout.addWidget(self.reasons_hint)
        layout.addWidget(self.reasons, 1)
        layout.addStretch(0)  # takes the room of the list while it is hidden
        self.setWidget(body)
        self.retranslate()

    def title(self) -> str:
        return tr("Closing & signatures")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # side by side when both pads fit, one above the other on a narrow window (1366×768
        # at 150 %) instead of the second pad half off the page
        needed = sum(box.minimumSizeHint().width() for box in self.boxes) + 60
        self.pads.setDirection(
            QBoxLayout.Direction.LeftToRight
            if self.viewport().width() >= needed
            else QBoxLayout.Direction.TopToBottom
        )

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
            self._show_reasons(())
        elif status not in ("in_progress", "confirmed", "planned"):
            self.result.setText(
                tr("Visit status: {status}", status=tr(self.detail.summary.status_label))
            )
            self._show_reasons(())
        elif self.reasons.count():
            self._show_reasons(self.detail.completion_blockers)  # keep the list current

    # --- completion ---------------------------------------------------------------------

    def _form(self) -> Form | None:
        if self.detail is None:
            return None
        return definitions.form_definition(self.context.db, self.detail.form_sha256)

    def _show_reasons(self, blockers: tuple[CompletionBlocker, ...]) -> None:
        self.reasons.clear()
        form = self._form() if blockers else None
        for blocker in blockers:
            entry = QListWidgetItem(blocker_text(blocker, form))
            entry.setData(TARGET_ROLE, self._target(blocker))
            self.reasons.addItem(entry)
        self.reasons_hint.setVisible(bool(blockers))
        self.reasons.setVisible(bool(blockers))  # not an empty white box

    @staticmethod
    def _target(blocker: CompletionBlocker) -> str:
        if blocker.item_id:
            return f"item:{blocker.item_id}"
        if blocker.kind in ("no_senior", "senior_not_both"):
            return "page:MeetingsPage"
        return f"signature:{blocker.role}"

    def go_to_reason(self, entry: QListWidgetItem) -> None:
        """A completion blocker is a link: to the item, the attendees, or the pad."""
        target = str(entry.data(TARGET_ROLE) or "")
        kind, _sep, value = target.partition(":")
        if kind == "item":
            self.workspace.go_to_item(value)
        elif kind == "page":
            self.workspace.go_to_section(target)
        elif kind == "signature":
            box = next((b for b in self.boxes if b.role == value), None)
            if box is not None:
                self.ensureWidgetVisible(box)
                box.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def complete(self) -> None:
        """Refused with every reason while a rule is not met; asks first over open CAP points."""
        self.workspace.flush()
        for box in self.boxes:
            if box.has_unsaved_drawing():
                box.autosave()
        self.refresh()
        if self.detail is None:
            return
        if self.detail.completion_blockers:
            self._refused(self.detail.completion_blockers)
            return
        warnings = self.detail.completion_warnings
        if warnings:
            self.ask_over_warnings([warning_text(w) for w in warnings], lambda: self.complete_now())
            return
        self.complete_now()

    def ask_over_warnings(self, lines: list[str], proceed: Callable[[], None]) -> None:
        box = QMessageBox(self)
        box.setObjectName("completion_warning_box")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Complete the visit?"))
        box.setText(tr("The Corrective Action Plan is not settled:"))
        box.setInformativeText("\n".join(f"• {line}" for line in lines))
        complete = box.addButton(tr("Complete anyway"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(tr("Go back to the CAP"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        complete.setObjectName("complete_anyway")
        back.setObjectName("back_to_cap")

        def chosen(button: object) -> None:
            if button is complete:
                proceed()
            else:
                self.workspace.go_to_section("page:OutcomePage")

        box.buttonClicked.connect(chosen)
        self.warning_box = box
        box.open()

    def _refused(self, blockers: tuple[CompletionBlocker, ...]) -> None:
        self._show_reasons(blockers)
        self._not_completed(tr("The visit cannot be completed yet:"))

    def _not_completed(self, message: str) -> None:
        self.result.setText(message)
        self.result.setStyleSheet(ERROR_STYLE)

    def complete_now(self) -> None:
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self._not_completed) as outcome:
            try:
                lifecycle.complete_visit(db, uuid)
            except ValidationFailed as exc:
                self.refresh()
                if self.detail is not None and self.detail.completion_blockers:
                    self._refused(self.detail.completion_blockers)
                else:
                    form = self._form()
                    self.reasons.clear()
                    self.reasons.addItems(
                        [completion_problem_text(p, form) for p in exc.problems or [str(exc)]]
                    )
                    self._not_completed(tr("The visit cannot be completed yet:"))
                return
        if outcome.failed:
            return
        self._show_reasons(())
        detail = load_detail(db, uuid)
        self.result.setStyleSheet("color: #2e7d32; font-weight: bold;")
        self.result.setText(
            tr("Visit completed. Outcome: {outcome}", outcome=tr(detail.outcome.final_label))
        )
        self.context.events.sig_saved.emit(
            tr("Visit completed ({outcome})", outcome=tr(detail.outcome.final_label))
        )
        self.context.events.announce(Changes.VISIT_STATUS)
        self.workspace.refresh()  # header and states show "Completed" at once

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        for box in self.boxes:
            box.retranslate()
        self.complete_button.setText(tr("Complete visit"))
        self.reasons_hint.setText(tr("Click a reason to go where it is settled."))
        if self.detail is not None:
            self.refresh()  # the signature states and reasons in the new language
