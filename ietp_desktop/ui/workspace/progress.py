"""Overall progress of the checklist (required items answered) and the jump to the next
required item still open (Ctrl+J)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtWidgets import QProgressBar, QWidget

from ietp_desktop.domain.checklist import AnswerValue, Form
from ietp_desktop.domain.checklist_progress import next_required, required_progress
from ietp_desktop.i18n import tr
from ietp_desktop.ui.common.context import WorkspaceContext

BAR_WIDTH = 260


class _Workspace(Protocol):
    form: Form
    values: dict[str, AnswerValue]
    current_item: str | None
    context: WorkspaceContext

    def go_to_item(self, item_id: str) -> bool: ...


class RequiredProgress(QProgressBar):
    """'57 / 120 required answered', always in the workspace's header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("required_progress")
        self.setFixedWidth(BAR_WIDTH)
        self.setTextVisible(True)
        # One text colour on a light chunk: the style's white-on-blue half hid the "1" of
        # "18 / 75" where the chunk ended.
        self.setStyleSheet(
            "QProgressBar#required_progress { border: 1px solid #9aa5b1; border-radius: 3px;"
            " background: white; color: black; text-align: center; }"
            "QProgressBar#required_progress::chunk { background: #a5d6a7; }"
        )
        self.counts = (0, 0)

    def show_counts(self, form: Form, answers: Mapping[str, AnswerValue]) -> None:
        answered, required = self.counts = required_progress(form, answers)
        self.setRange(0, max(required, 1))
        self.setValue(answered if required else 1)
        self.setFormat(
            tr("{answered} / {required} required answered", answered=answered, required=required)
        )
        self.setToolTip(tr("Next required item: Ctrl+J"))


def go_to_next_required(workspace: _Workspace) -> bool:
    """Jump to the next required item without an answer; say so when there is none."""
    item = next_required(workspace.form, workspace.values, workspace.current_item)
    if item is None:
        workspace.context.events.sig_saved.emit(tr("Every required item is answered."))
        return False
    return workspace.go_to_item(item.id)
