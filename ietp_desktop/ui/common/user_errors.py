"""The one way the window shows a problem the user can act on (a `UserError`).

    with user_errors(self.show_problem) as outcome:
        lifecycle.open_new_revision(db, uuid, reason)
    if outcome.failed:
        return False

Background work reports its UserErrors the same way, through `run_op(on_failure=...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr


def user_message(error: UserError) -> str:
    """The message in the UI language (services translate when they raise)."""
    return str(error)


def show_user_error(parent: QWidget | None, message: str) -> None:
    """The default: a message box, which does not block the caller."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("IETP PV Desktop"), message)
    box.setObjectName("user_error_box")
    if parent is not None:
        box.setParent(parent, box.windowFlags())
    box.open()


@dataclass
class Outcome:
    error: UserError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def message(self) -> str:
        return user_message(self.error) if self.error is not None else ""


@contextmanager
def user_errors(show: Callable[[str], None]) -> Iterator[Outcome]:
    """Run the block; a UserError is shown through `show(message)` and the block ends there."""
    outcome = Outcome()
    try:
        yield outcome
    except UserError as exc:
        outcome.error = exc
        show(user_message(exc))
