"""First run: import the enrolment file the office issued, checked with its passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.services.identity import keys
from ietp_desktop.services.identity.keys import IdentityView
from ietp_desktop.ui.common.user_errors import user_errors


class IdentityDialog(QDialog):
    """Pick the `*.ietp-enrol` file, type the passphrase chosen at enrolment, import."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.imported: IdentityView | None = None
        self.setWindowTitle(tr("Set up your signing identity"))
        intro = QLabel(
            tr(
                "Reports are signed with the key your office issued to you. Choose the "
                "enrolment file (.ietp-enrol) and type the passphrase you chose at enrolment."
            )
        )
        intro.setWordWrap(True)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(tr("Enrolment file"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("Enrolment file"), file_row)
        form.addRow(tr("Passphrase"), self.passphrase_edit)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b42318")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._import_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Choose the enrolment file"), "", tr("Enrolment files (*.ietp-enrol)")
        )
        if path:
            self.file_edit.setText(path)

    def _import_clicked(self) -> None:
        if self.import_file(Path(self.file_edit.text().strip()), self.passphrase_edit.text()):
            self.accept()

    def import_file(self, path: Path, passphrase: str) -> bool:
        """Check and import; on a problem the dialog shows it and stays open."""
        if not str(path) or str(path) == ".":
            self._show_error(tr("Choose the enrolment file first."))
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with user_errors(self._show_error) as outcome:
                self.imported = keys.import_identity(self.data_dir, path, passphrase)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if outcome.failed:
            return False
        self.error_label.hide()
        return True

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
