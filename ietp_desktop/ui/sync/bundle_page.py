"""Main-window dialogs: "Export for office…" and "Import receipt / assignments…".

The main window calls `open_export_dialog(parent, db)` and `open_import_dialog(parent, db)`.
Export and import run off the GUI thread through `run_op` (ui/common/operations.py); only their
callbacks touch widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.services.sync import bundles
from ietp_desktop.services.visits.read import list_visits
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.operations import run_op

RECEIPT_SUFFIX = ".ietp-receipt"


class ExportDialog(QDialog):
    """Choose signed visits, type the key passphrase, pick a file; the export runs in the back."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result_path: Path | None = None
        self.last_message = ""
        self.send_dialog: QDialog | None = None
        self.setWindowTitle(tr("Export for office"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Signed visits to send to the office:")))
        self.visit_list = QListWidget()
        layout.addWidget(self.visit_list)
        for summary in list_visits(db):
            if summary.status not in bundles.EXPORTABLE:
                continue
            label = f"{summary.short_id}  {summary.factory_name_en}  r{summary.revision}"
            if summary.sync_state:
                label += "  (" + tr(summary.sync_state) + ")"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, summary.uuid)
            item.setCheckState(
                Qt.CheckState.Unchecked if summary.sync_state else Qt.CheckState.Checked
            )
            self.visit_list.addItem(item)
        if self.visit_list.count() == 0:
            layout.addWidget(QLabel(tr("No visit is signed yet: sign a visit report first.")))
        row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(tr("Bundle file (.ietpbundle)"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_edit)
        row.addWidget(browse)
        layout.addLayout(row)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText(tr("Specialist key passphrase"))
        layout.addWidget(self.passphrase_edit)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Export"))
        self.buttons.accepted.connect(self.start_export)
        self.send_button = self.buttons.addButton(
            tr("Send to office…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.send_button.setObjectName("send_to_office")
        self.send_button.clicked.connect(self.send_to_office)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_dialog(self, 560, 420)

    def chosen(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.visit_list.item(i) for i in range(self.visit_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def send_to_office(self) -> None:
        """The same visits, to the office server over the network instead of a file."""
        from ietp_desktop.ui.sync.office_dialog import open_send_dialog

        chosen = self.chosen()
        self.send_dialog = open_send_dialog(self.parentWidget(), self.db, chosen)
        self.accept()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export for office"), "visits.ietpbundle", tr("Sync bundles (*.ietpbundle)")
        )
        if name:
            self.file_edit.setText(name)

    def start_export(self) -> None:
        visits = self.chosen()
        out = self.file_edit.text().strip()
        if not visits:
            self._show(tr("Choose at least one visit."))
            return
        if not out:
            self._show(tr("Choose where to write the bundle."))
            return
        path = Path(out)
        if path.suffix != bundles.BUNDLE_SUFFIX:
            path = path.with_name(path.name + bundles.BUNDLE_SUFFIX)
        secret = self.passphrase_edit.text()
        self.buttons.setEnabled(False)
        self._show(tr("Exporting…"))
        run_op(
            self,
            tr("Exporting visits for the office…"),
            lambda task: bundles.export_visits(self.db, visits, path, task, passphrase=secret),
            self._done,
            self._show,
            on_finished=lambda: self.buttons.setEnabled(True),
        )

    def _done(self, result: bundles.ExportResult) -> None:
        self.result_path = result.path
        self._show(
            tr(
                "Wrote {file}: {count} visits. Send it to the office; the visits are marked "
                "received when its receipt comes back.",
                file=result.path.name,
                count=len(result.visits),
            )
        )

    def _show(self, message: str) -> None:
        self.last_message = message
        self.status.setText(message)


def import_file(db: Database, path: Path, passphrase: str | None) -> str:
    """Apply a receipt or import an assignments bundle; returns the line to show."""
    if path.suffix == RECEIPT_SUFFIX:
        result = bundles.apply_receipt(db, path)
        if result.not_received:
            return tr(
                "The office refused bundle {id}: {message}",
                id=result.bundle_id[:8],
                message=result.message,
            )
        return tr("{count} visits marked received by the office.", count=len(result.received))
    if not passphrase:
        raise UserError("the specialist key passphrase is needed to open the bundle")
    assigned = bundles.import_assignments(db, path, passphrase=passphrase)
    if assigned.already_imported:
        return tr("This assignments bundle was already imported; nothing changed.")
    text = tr(
        "Imported from the office: {factories} factories, {visits} new visits, "
        "{kept} started visits kept their form.",
        factories=len(assigned.factories_added) + len(assigned.factories_updated),
        visits=len(assigned.visits_added),
        kept=len(assigned.visits_kept_form),
    )
    if assigned.visits_withdrawn:
        text += " " + tr(
            "{count} visits withdrawn by the office (kept, read-only).",
            count=len(assigned.visits_withdrawn),
        )
    return text


def open_export_dialog(parent: QWidget | None, db: Database) -> ExportDialog:
    dialog = ExportDialog(db, parent)
    dialog.setModal(True)
    dialog.show()
    return dialog


def open_import_dialog(parent: QWidget | None, db: Database) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        tr("Import receipt / assignments"),
        "",
        tr("Receipts and assignments (*.ietp-receipt *.ietpbundle)"),
    )
    if not name:
        return
    path = Path(name)
    secret: str | None = None
    if path.suffix != RECEIPT_SUFFIX:
        from PySide6.QtWidgets import QInputDialog

        secret, ok = QInputDialog.getText(
            parent,
            tr("Import assignments"),
            tr("Specialist key passphrase:"),
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return

    def done(message: str) -> None:
        QMessageBox.information(parent, tr("Import receipt / assignments"), message)

    def failed(message: str) -> None:
        QMessageBox.warning(parent, tr("Import receipt / assignments"), message)

    run_op(parent, tr("Importing…"), lambda _task: import_file(db, path, secret), done, failed)
