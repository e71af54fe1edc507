"""The report page: build the signed visit report, verify any report, letter and CAP form,
and open a new revision of a signed visit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.reports.signing import SignatureVerdict
from ietp_desktop.services.dto import VisitDetail
from ietp_desktop.services.identity import keys
from ietp_desktop.services.identity.keys import IdentityView
from ietp_desktop.services.reporting import reports
from ietp_desktop.services.reporting.report_language import answered_report_language
from ietp_desktop.services.reporting.reports import BuiltReport
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.operations import Task, run_op
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.reporting.identity_dialog import IdentityDialog

LANGUAGE_CHOICES = (("both", "English and Chinese"), ("en", "English"), ("zh", "Chinese"))
SIGNABLE = ("completed", "refused")
LOCKED = ("signed", "exported", "received")


class PassphraseDialog(QDialog):
    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign the report"))
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(tr("Remember on this device"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Passphrase of the signing key of {name}", name=who)))
        layout.addWidget(self.edit)
        layout.addWidget(self.remember_box)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.edit.text()

    def remember(self) -> bool:
        return self.remember_box.isChecked()


class ReportPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.status = "completed"
        self.last_built: BuiltReport | None = None
        self.last_verdict: SignatureVerdict | None = None
        self.shown: tuple[IdentityView | None, VisitDetail] | None = None
        self.result_text: Callable[[], str] = str  # the last result, in the current language
        self.answered_language: str | None = None  # CM-07 on v1 visits

        self.identity_label = QLabel()
        self.identity_label.setWordWrap(True)
        self.identity_button = QPushButton()
        self.identity_button.clicked.connect(self.set_up_identity)
        identity_row = QHBoxLayout()
        identity_row.addWidget(self.identity_label, 1)
        identity_row.addWidget(self.identity_button)

        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.language = QComboBox()
        for key, _label in LANGUAGE_CHOICES:
            self.language.addItem("", key)
        self.language_label = QLabel()
        self.build_button = QPushButton()
        self.build_button.clicked.connect(self._build_clicked)
        self.revision_button = QPushButton()
        self.revision_button.clicked.connect(self._revision_clicked)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_box = QGroupBox()
        report_form = QFormLayout(self.report_box)
        report_form.addRow(self.state_label)
        report_form.addRow(self.language_label, self.language)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.revision_button)
        buttons.addStretch(1)
        report_form.addRow(buttons)
        report_form.addRow(self.result_label)

        self.letter_button = QPushButton()
        self.letter_button.clicked.connect(self._letter_clicked)
        self.cap_button = QPushButton()
        self.cap_button.clicked.connect(self._cap_clicked)
        self.documents_box = QGroupBox()
        documents = QHBoxLayout(self.documents_box)
        documents.addWidget(self.letter_button)
        documents.addWidget(self.cap_button)
        documents.addStretch(1)

        self.verify_button = QPushButton()
        self.verify_button.clicked.connect(self._verify_clicked)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verify_box = QGroupBox()
        verify_layout = QVBoxLayout(self.verify_box)
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_button)
        verify_row.addStretch(1)
        verify_layout.addLayout(verify_row)
        verify_layout.addWidget(self.verdict_label)

        layout = QVBoxLayout(self)
        layout.addLayout(identity_row)
        layout.addWidget(self.report_box)
        layout.addWidget(self.documents_box)
        layout.addWidget(self.verify_box)
        layout.addStretch(1)
        self.retranslate()
        self.refresh()

    def title(self) -> str:
        return tr("Report")

    def retranslate(self) -> None:
        self.identity_button.setText(tr("Set up signing identity…"))
        for index, (_key, label) in enumerate(LANGUAGE_CHOICES):
            self.language.setItemText(index, tr(label))
        self.language_label.setText(tr("Language"))
        self.revision_button.setText(tr("Open new revision…"))
        self.report_box.setTitle(tr("Visit report"))
        self.letter_button.setText(tr("Preparation letter…"))
        self.cap_button.setText(tr("CAP form…"))
        self.documents_box.setTitle(tr("Documents for the factory"))
        self.verify_button.setText(tr("Open a PDF and verify…"))
        self.verify_box.setTitle(tr("Verify a signed report"))
        self._show_state()
        self.result_label.setText(self.result_text())
        if self.last_verdict is not None:
            self._show_verdict(self.last_verdict)

    # --- state ------------------------------------------------------------------------------
    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (
            Changes.VISIT_STATUS
            | Changes.VISIT_DETAILS
            | Changes.FINDINGS
            | Changes.CAP
            | Changes.IDENTITY
        ):
            return
        db = self.context.db
        with user_errors(self.context.events.sig_error.emit) as outcome:
            who = keys.identity_view(db)
            detail = load_detail(db, self.context.visit_uuid)
        if outcome.failed:
            return
        self.shown = who, detail
        answered = answered_report_language(detail)
        if answered is not None and answered != self.answered_language:
            # a v1 visit answered the report's language (CM-07): offer it, still changeable
            self.answered_language = answered
            self.language.setCurrentIndex(self.language.findData(answered))
        self._show_state()

    def _show_state(self) -> None:
        if self.shown is None:
            self.build_button.setText(tr("Build signed report…"))
            return
        who, detail = self.shown
        if who is None:
            self.identity_label.setText(tr("No signing identity on this device yet."))
        else:
            self.identity_label.setText(
                tr(
                    "Reports are signed by {name} ({office}).",
                    name=who.name,
                    office=who.office_name,
                )
            )
        self.identity_button.setVisible(who is None)
        s = detail.summary
        self.status = s.status
        state = tr("{status} · revision {revision}", status=tr(s.status_label), revision=s.revision)
        if detail.revision_reason:
            state += " — " + detail.revision_reason
        if detail.signed_at is not None:
            state += "\n" + tr(
                "Signed on {time}", time=detail.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            )
        self.state_label.setText(state)
        locked = s.status in LOCKED
        self.build_button.setEnabled(s.status in SIGNABLE or locked)
        self.build_button.setText(
            tr("Save signed report…") if locked else tr("Build signed report…")
        )
        self.build_button.setToolTip(
            "" if self.build_button.isEnabled() else tr("Complete the visit first.")
        )
        self.revision_button.setVisible(locked)
        self.cap_button.setEnabled(any(f.corrective_action for f in detail.findings))

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    # --- building ---------------------------------------------------------------------------
    def set_up_identity(self) -> bool:
        data_dir = self.context.db.data_dir
        if data_dir is None:
            return False
        dialog = IdentityDialog(data_dir, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.refresh()
        return accepted

    def _build_clicked(self) -> None:
        db = self.context.db
        passphrase, remember = "", False
        if self.status not in LOCKED:
            who = keys.current_identity(db)
            if who is None and not self.set_up_identity():
                return
            who = keys.current_identity(db)
            if who is None:
                return
            remembered = keys.recall_passphrase(who)
            if remembered is not None:
                passphrase = remembered
            else:
                dialog = PassphraseDialog(who.name, self)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                passphrase, remember = dialog.passphrase(), dialog.remember()
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Save the signed report"), self._suggested_name(), tr("PDF files (*.pdf)")
        )
        if path:
            self.build_signed_report(Path(path), passphrase, remember)

    def _suggested_name(self) -> str:
        return f"progress-visit-{self.context.visit_uuid[:8]}.pdf"

    def build_signed_report(self, out: Path, passphrase: str, remember: bool = False) -> None:
        """Build, sign and save off the GUI thread; the result label says where it went."""
        db, uuid, language = self.context.db, self.context.visit_uuid, self.chosen_language()
        self.build_button.setEnabled(False)

        def work(task: Task) -> BuiltReport:
            return reports.build_report(db, uuid, out, language, passphrase, task)

        def done(built: BuiltReport) -> None:
            self.last_built = built
            if remember and passphrase:
                who = keys.current_identity(db)
                if who is not None and not keys.remember_passphrase(who, passphrase):
                    self.context.events.sig_error.emit(
                        tr("This device has no keyring; the passphrase was not remembered.")
                    )
            self._show_result(
                lambda: (
                    tr("Signed report saved to {path}", path=built.path)
                    + "\n"
                    + tr("A copy is kept in {path}", path=built.stored_path)
                )
            )
            self.context.events.sig_saved.emit(tr("Report signed (revision {n})", n=built.revision))

        def failed(message: str) -> None:
            who = keys.current_identity(db)
            if who is not None and "wrong passphrase" in message:
                keys.forget_passphrase(who)
            self._problem(message)

        run_op(
            self,
            tr("Building the signed report…"),
            work,
            done,
            failed,
            on_finished=self.refresh,
            changes=Changes.VISIT_STATUS,
            announce_to=self.context.events,
        )

    def _problem(self, message: str) -> None:
        self._show_result(lambda: message)
        self.context.events.sig_error.emit(message)

    def _show_result(self, text: Callable[[], str]) -> None:
        self.result_text = text
        self.result_label.setText(text())

    # --- revision ---------------------------------------------------------------------------
    def _revision_clicked(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(
            self,
            tr("Open new revision"),
            tr("The signed report stays as it is. Why does the visit need a new revision?"),
        )
        if ok:
            self.open_new_revision(reason)

    def open_new_revision(self, reason: str) -> bool:
        with user_errors(self._problem) as outcome:
            revision = lifecycle.open_new_revision(self.context.db, self.context.visit_uuid, reason)
        if outcome.failed:
            return False
        self._show_result(lambda: tr("Revision {n} is open for changes.", n=revision))
        self.context.events.announce(Changes.VISIT_STATUS)
        self.refresh()
        return True

    # --- letter and CAP form ----------------------------------------------------------------
    def _letter_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Save the preparation letter"),
            f"preparation-letter-{self.context.visit_uuid[:8]}.pdf",
            tr("PDF files (*.pdf)"),
        )
        if path:
            self.save_document("letter", Path(path))

    def _cap_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Save the CAP form"),
            f"cap-form-{self.context.visit_uuid[:8]}.pdf",
            tr("PDF files (*.pdf)"),
        )
        if path:
            self.save_document("cap", Path(path))

    def save_document(self, kind: str, out: Path) -> None:
        db, uuid, language = self.context.db, self.context.visit_uuid, self.chosen_language()

        def work(_task: Task) -> Path:
            if kind == "letter":
                return reports.build_preparation_letter(db, uuid, out)
            return reports.build_cap_form(db, uuid, out, language)

        def done(path: Path) -> None:
            self._show_result(lambda: tr("Saved to {path}", path=path))

        run_op(self, tr("Writing the PDF…"), work, done, self._problem)

    # --- verification -----------------------------------------------------------------------
    def _verify_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Open a signed report"), "", tr("PDF files (*.pdf)")
        )
        if path:
            self.verify_file(Path(path))

    def verify_file(self, path: Path) -> SignatureVerdict | None:
        with user_errors(self.verdict_label.setText) as outcome:
            verdict = reports.verify_report_here(self.context.db, path)
        if outcome.failed:
            self.last_verdict = None
            self.verdict_label.setStyleSheet("color: #b42318")
            return None
        self.last_verdict = verdict
        self._show_verdict(verdict)
        return verdict

    def _show_verdict(self, verdict: SignatureVerdict) -> None:
        self.verdict_label.setText(
            f"<b>{_escape(verdict.headline())}</b><br>"
            + "<br>".join(_escape(line) for line in verdict.lines())
        )
        self.verdict_label.setStyleSheet("color: #1e7b3a" if verdict.ok else "color: #b42318")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
