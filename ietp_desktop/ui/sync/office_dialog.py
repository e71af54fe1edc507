"""Main-window dialogs "Send to office…" and "Fetch from office…": the office server over the
network instead of a file carried by hand.

The office address is asked once and remembered (settings.OFFICE_URL); the key passphrase is
asked every time. The work runs off the GUI thread through `run_op` with progress and Cancel;
a cancelled or interrupted upload stays in the outbox and the next send continues it where
the office stopped receiving ("resumed from N MB").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.services import settings
from ietp_desktop.services.sync import bundles, office_link
from ietp_desktop.services.visits.read import list_visits
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.operations import Operation, Task, run_op

MB = 1 << 20


def megabytes(size: int) -> str:
    """MB with one decimal; two below 1 MB so that a small bundle does not read 0.0."""
    return f"{size / MB:.1f}" if size >= MB else f"{size / MB:.2f}"


class _Relay(QObject):
    """Carries the upload's live status line from the worker thread to the GUI thread."""

    sig_status = Signal(str)


class _OfficeDialog(QDialog):
    """The common part: office address, key passphrase, a status line, one action button."""

    title = ""
    action = ""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.last_message = ""
        self.failed = False
        self.operation: Operation[Any] | None = None
        self.setWindowTitle(tr(self.title))
        self.layout_ = QVBoxLayout(self)
        self.body = QVBoxLayout()
        self.layout_.addLayout(self.body)
        form = QFormLayout()
        self.url_edit = QLineEdit(settings.read(db, settings.OFFICE_URL))
        self.url_edit.setObjectName("office_url")
        self.url_edit.setPlaceholderText("https://office:8443")
        form.addRow(tr("Office address:"), self.url_edit)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("office_passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText(tr("Specialist key passphrase"))
        form.addRow(tr("Key passphrase:"), self.passphrase_edit)
        self.layout_.addLayout(form)
        self.status = QLabel("")
        self.status.setObjectName("office_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr(self.action))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        if self.url_edit.text():
            self.passphrase_edit.setFocus()
        self.relay = _Relay(self)
        self.relay.sig_status.connect(self._live_status)

    # --- shared steps ----------------------------------------------------------------------

    def _inputs(self) -> tuple[str, str] | None:
        url = self.url_edit.text().strip()
        if not url:
            self._show(tr("Type the office address, e.g. https://office:8443"), failed=True)
            return None
        secret = self.passphrase_edit.text()
        if not secret:
            self._show(tr("Type your key passphrase."), failed=True)
            return None
        if url != settings.read(self.db, settings.OFFICE_URL):
            settings.write(self.db, (settings.OFFICE_URL, url))
        return url, secret

    def start(self) -> None:
        raise NotImplementedError

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        self.url_edit.setEnabled(not busy)
        self.passphrase_edit.setEnabled(not busy)

    def _live_status(self, text: str) -> None:
        self.status.setText(text)
        if self.operation is not None and self.operation.dialog is not None:
            self.operation.dialog.setLabelText(text)

    def _show(self, message: str, *, failed: bool = False) -> None:
        self.last_message = message
        self.failed = failed
        self.status.setStyleSheet("color: #b00020;" if failed else "")
        self.status.setText(message)

    def _failed(self, message: str) -> None:
        self._show(message, failed=True)

    def _cancelled(self) -> None:
        self._show(self._cancel_message())

    def _cancel_message(self) -> str:
        return tr("Cancelled.")


class SendDialog(_OfficeDialog):
    """Choose signed visits and send them to the office server; its receipt marks them
    received. Bundles whose receipt has not come back are sent first."""

    title = "Send to office"
    action = "Send"

    def __init__(
        self, db: Database, parent: QWidget | None = None, chosen: list[str] | None = None
    ) -> None:
        super().__init__(db, parent)
        self.results: list[office_link.SendResult] = []
        self.body.addWidget(QLabel(tr("Signed visits to send to the office:")))
        self.visit_list = QListWidget()
        self.visit_list.setObjectName("office_visits")
        self.body.addWidget(self.visit_list)
        self._fill_visits(chosen)
        if self.visit_list.count() == 0:
            self.body.addWidget(QLabel(tr("No visit is signed yet: sign a visit report first.")))
        self.waiting_label = QLabel("")
        self.waiting_label.setObjectName("office_waiting")
        self.waiting_label.setWordWrap(True)
        self.body.addWidget(self.waiting_label)
        self._refresh_waiting()
        fit_dialog(self, 620, 460)

    def _fill_visits(self, chosen: list[str] | None = None) -> None:
        """Signed visits; checked: those `chosen`, else those not yet sent or received."""
        self.visit_list.clear()
        for summary in list_visits(self.db):
            if summary.status not in bundles.EXPORTABLE:
                continue
            label = f"{summary.short_id}  {summary.factory_name_en}  r{summary.revision}"
            if summary.sync_state:
                label += "  (" + tr(summary.sync_state) + ")"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, summary.uuid)
            wanted = summary.uuid in chosen if chosen is not None else not summary.sync_state
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.visit_list.addItem(item)

    def _refresh_waiting(self) -> None:
        waiting = office_link.pending_bundles(self.db)
        if not waiting:
            self.waiting_label.hide()
            return
        size = sum(path.stat().st_size for path in waiting)
        self.waiting_label.setText(
            tr(
                "Waiting for the office's receipt: {n} bundle(s), {mb} MB. They are sent "
                "first; an interrupted upload continues where it stopped.",
                n=len(waiting),
                mb=megabytes(size),
            )
        )
        self.waiting_label.show()

    def chosen(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.visit_list.item(i) for i in range(self.visit_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def start(self) -> None:
        visits = self.chosen()
        if not visits and not office_link.pending_bundles(self.db):
            self._show(tr("Choose at least one visit."), failed=True)
            return
        inputs = self._inputs()
        if inputs is None:
            return
        url, secret = inputs
        self._busy(True)
        self._show(tr("Connecting to the office…"))
        first_report: dict[Path, int] = {}
        relay = self.relay

        def work(task: Task) -> list[office_link.SendResult]:
            def progress(bundle: Path, done: int, total: int) -> None:
                first_report.setdefault(bundle, done)
                resumed = first_report[bundle]
                line = tr(
                    "Sending bundle {id}: {done} of {total} MB",
                    id=bundle.stem[:8],
                    done=megabytes(done),
                    total=megabytes(total),
                )
                if resumed:
                    line += " " + tr("(resumed from {mb} MB)", mb=megabytes(resumed))
                relay.sig_status.emit(line)
                task(done / total if total else 1.0)

            return office_link.send_waiting(
                self.db, url, passphrase=secret, new_visits=visits, progress=progress
            )

        self.operation = run_op(
            self,
            tr("Sending visits to the office…"),
            work,
            self._done,
            self._failed,
            on_cancelled=self._cancelled,
            on_finished=self._finished,
            cancellable=True,
        )

    def _finished(self) -> None:
        self._busy(False)
        self._fill_visits()  # what was sent is now "sent" or "received", and unchecked
        self._refresh_waiting()

    def _cancel_message(self) -> str:
        return tr(
            "Sending cancelled. The office keeps what it received; the next send continues "
            "from there."
        )

    def _done(self, results: list[office_link.SendResult]) -> None:
        self.results = results
        self._show("\n".join(self.describe(result) for result in results))

    @staticmethod
    def describe(result: office_link.SendResult) -> str:
        receipt = result.receipt
        bundle_id = receipt.bundle_id[:8]
        if receipt.not_received:
            line = tr(
                "The office refused bundle {id}: {message}", id=bundle_id, message=receipt.message
            )
        elif result.office_status == "already-imported":
            line = tr(
                "The office already had bundle {id}; {count} visits marked received.",
                id=bundle_id,
                count=len(receipt.received),
            )
        else:
            line = tr(
                "{office} received bundle {id}: {count} visits marked received.",
                office=receipt.office,
                id=bundle_id,
                count=len(receipt.received),
            )
        if result.resumed_from:
            line += " " + tr("Resumed from {mb} MB.", mb=megabytes(result.resumed_from))
        return line


class FetchDialog(_OfficeDialog):
    """Fetch the assignments the office published for this specialist and import them."""

    title = "Fetch from office"
    action = "Fetch"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.results: list[office_link.FetchResult] = []
        intro = QLabel(
            tr(
                "Fetch the factories, planned visits, forms, rule sets and revocations the "
                "office published for you."
            )
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        fit_dialog(self, 560, 260)

    def start(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        url, secret = inputs
        self._busy(True)
        self._show(tr("Connecting to the office…"))
        self.operation = run_op(
            self,
            tr("Fetching assignments from the office…"),
            lambda task: office_link.fetch_from_office(
                self.db, url, passphrase=secret, log=lambda _line: task.check()
            ),
            self._done,
            self._failed,
            on_cancelled=self._cancelled,
            on_finished=lambda: self._busy(False),
            cancellable=True,
        )

    def _done(self, results: list[office_link.FetchResult]) -> None:
        self.results = results
        if not results:
            self._show(tr("The office has no assignments for you."))
            return
        lines = []
        for item in results:
            r = item.result
            if r.already_imported:
                lines.append(tr("{name}: already imported.", name=item.name))
                continue
            lines.append(
                tr(
                    "{name}: {factories} factories, {visits} new visits, {updated} updated.",
                    name=item.name,
                    factories=len(r.factories_added) + len(r.factories_updated),
                    visits=len(r.visits_added),
                    updated=len(r.visits_updated),
                )
            )
            if r.visits_withdrawn:
                lines.append(
                    tr(
                        "{count} visits withdrawn by the office (kept, read-only).",
                        count=len(r.visits_withdrawn),
                    )
                )
        self._show("\n".join(lines))


def open_send_dialog(
    parent: QWidget | None, db: Database, chosen: list[str] | None = None
) -> SendDialog:
    dialog = SendDialog(db, parent, chosen)
    dialog.setModal(True)
    dialog.show()
    return dialog


def open_fetch_dialog(parent: QWidget | None, db: Database) -> FetchDialog:
    dialog = FetchDialog(db, parent)
    dialog.setModal(True)
    dialog.show()
    return dialog
