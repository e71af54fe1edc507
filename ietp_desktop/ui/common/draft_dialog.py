"""A dialog whose typed text is a draft: kept with the data as it is typed (so a quit or a
crash loses nothing), restored when the dialog opens again, and never thrown away by Escape
without asking."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.services.visits import drafts
from ietp_desktop.storage.db import Database

DRAFT_DEBOUNCE_MS = 400


class DraftDialog(QDialog):
    def __init__(
        self,
        db: Database | None,
        visit_uuid: str,
        kind: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        """With `db` None nothing is stored: Escape over typed text still asks."""
        super().__init__(parent)
        self.draft_db, self.draft_visit = db, visit_uuid
        self.draft_kind, self.draft_name = kind, name
        self.discard_box: QMessageBox | None = None
        self._initial: dict[str, Any] = {}
        self._closing = False
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self.draft_timer.timeout.connect(self.keep_draft)

    # --- what a subclass provides -------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def apply_draft(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    # --- the draft ----------------------------------------------------------------------

    def start_draft(self) -> bool:
        """Call after the fields are prefilled: remembers the prefill and restores a draft
        left from before (True when one was restored)."""
        self._initial = self.draft_values()
        if self.draft_db is None:
            return False
        try:
            stored = drafts.load_draft(
                self.draft_db, self.draft_visit, self.draft_kind, self.draft_name
            )
        except UserError:
            stored = None
        if stored:
            self.apply_draft(stored)
        return bool(stored)

    def typed(self) -> bool:
        return self.draft_values() != self._initial

    def changed(self) -> None:
        """Connect every field's edit signal here."""
        self.draft_timer.start()

    def keep_draft(self) -> None:
        self.draft_timer.stop()
        if self.draft_db is None:
            return
        try:
            if self.typed():
                drafts.save_draft(
                    self.draft_db,
                    self.draft_visit,
                    self.draft_kind,
                    self.draft_name,
                    self.draft_values(),
                )
            else:
                drafts.clear_draft(
                    self.draft_db, self.draft_visit, self.draft_kind, self.draft_name
                )
        except UserError:
            pass  # a locked visit keeps no drafts; the dialog shows the real error on save

    def drop_draft(self) -> None:
        self.draft_timer.stop()
        if self.draft_db is None:
            return
        with contextlib.suppress(UserError):
            drafts.clear_draft(self.draft_db, self.draft_visit, self.draft_kind, self.draft_name)

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self.drop_draft()
        super().done(result)

    def reject(self) -> None:
        """Escape or Cancel with typed text asks; the draft is kept unless discarded."""
        if self._closing or not self.typed():
            self.drop_draft()
            super().reject()
            return
        self.keep_draft()
        box = QMessageBox(self)
        box.setObjectName("discard_box")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Discard what you typed?"))
        box.setText(tr("You have typed text that is not saved yet."))
        keep = box.addButton(tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        later = box.addButton(tr("Close, keep the draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep.setObjectName("keep_editing")
        later.setObjectName("keep_draft")
        discard.setObjectName("discard")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def chosen(button: object) -> None:
            if button is keep:
                return
            if button is discard:
                self.drop_draft()
            self._closing = True
            QDialog.reject(self)

        box.buttonClicked.connect(chosen)
        self.discard_box = box
        box.open()
