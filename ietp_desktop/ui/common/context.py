"""What every workspace page needs: the database handle, the open visit and shared signals."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.changes import Changes


class VisitEvents(QObject):
    """Signals pages use to keep each other current without knowing each other."""

    sig_saved = Signal(str)  # a change was committed; the text says what (status bar)
    sig_changed = Signal(object)  # Changes: what was committed, so pages refresh that
    sig_error = Signal(str)  # a user-facing error message
    sig_language_changed = Signal()

    def announce(self, changes: Changes) -> None:
        self.sig_changed.emit(changes)


@dataclass
class WorkspaceContext:
    db: Database
    visit_uuid: str
    events: VisitEvents
