"""Database and file work off the GUI thread, with a one-line call site (after Anki's
`CollectionOp` / `QueryOp`):

    run_op(self, tr("Building report…"), lambda task: build(..., progress=task), self._built,
           on_failure=self._failed, changes=Changes.VISIT_STATUS, announce_to=events)

- `work(task)` runs in a thread-pool thread. `task` is the progress callback the services
  take (`task(0.4)`); for a cancellable operation it also raises `Cancelled` once the user
  pressed Cancel, and `task.check()` does the same between steps.
- The callbacks run on the GUI thread, and only while `parent` lives: a result arriving after
  the page was destroyed is dropped (a cancellable operation is cancelled with its page).
- `on_success(result)` gets the typed result; a `UserError`'s message goes to `on_failure`
  (default: a message box); anything else goes to the error path (logs/errors.log and one dialog).
  A cancelled operation calls `on_cancelled` and neither of the two.
- `changes` is announced when the work ran (also if cancelled midway: some of it may have
  landed), so the pages that show it refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.ui.common.changes import Announcer, Changes
from ietp_desktop.ui.common.error_path import report_exception
from ietp_desktop.ui.common.user_errors import show_user_error, user_message

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside the work of a cancelled operation; never reaches a callback."""


class Task:
    """What the work sees: a progress callback and the cancel token."""

    def __init__(self, relay: _Relay, cancellable: bool) -> None:
        self._relay = relay
        self._cancel = threading.Event()
        self.cancellable = cancellable

    def __call__(self, fraction: float) -> None:
        self.check()
        self._relay.sig_progress.emit(fraction)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        if self.cancellable:
            self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


@dataclass(frozen=True)
class _Outcome:
    value: object = None
    error: BaseException | None = None
    cancelled: bool = False


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals reach the operation through it."""

    sig_progress = Signal(float)
    sig_finished = Signal(object)

    def __init__(
        self, on_progress: Callable[[float], None], on_finished: Callable[[_Outcome], None]
    ) -> None:
        super().__init__()
        self.on_progress, self.on_finished = on_progress, on_finished
        self.sig_progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.sig_finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    @Slot(float)
    def _progress(self, fraction: float) -> None:
        self.on_progress(fraction)

    @Slot(object)
    def _finished(self, outcome: _Outcome) -> None:
        self.on_finished(outcome)


class _Runner(QRunnable):
    def __init__(self, work: Callable[[Task], object], task: Task, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work, self.task, self.relay = work, task, relay

    def run(self) -> None:
        try:
            value = self.work(self.task)
        except Cancelled:
            outcome = _Outcome(cancelled=True)
        except BaseException as exc:  # handed to the GUI thread: failure or the error path
            outcome = _Outcome(error=exc)
        else:
            outcome = _Outcome(value=value, cancelled=self.task.cancelled)
        self.relay.sig_finished.emit(outcome)


_running: set[Operation[Any]] = set()  # kept alive until they finish


class Operation(Generic[T]):
    """One piece of background work and what happens with its result."""

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        work: Callable[[Task], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        cancellable: bool = False,
        changes: Changes = Changes.NONE,
        announce_to: Announcer | None = None,
    ) -> None:
        self.parent = parent
        self.work = work
        self.on_success = on_success
        self.on_failure = on_failure
        self.on_cancelled = on_cancelled
        self.on_finished = on_finished
        self.changes = changes
        self.announce_to = announce_to
        self.done = False
        self.delivered = False
        self._parent_gone = False
        self._relay = _Relay(self._progress, self._finish)
        self.task = Task(self._relay, cancellable)
        self.dialog: QProgressDialog | None = None
        if label:
            button = tr("Cancel") if cancellable else tr("Hide")
            self.dialog = QProgressDialog(label, button, 0, 1000, parent)
            self.dialog.setObjectName("operation_progress")
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            # Typing goes on in the window while the work runs: the dialog never takes focus.
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(True)
            if cancellable:
                self.dialog.canceled.connect(self.cancel)
        if parent is not None:
            parent.destroyed.connect(self._on_parent_destroyed)

    def start(self) -> Operation[T]:
        _running.add(self)
        self._runner = _Runner(self.work, self.task, self._relay)
        QThreadPool.globalInstance().start(self._runner)
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it does at its next progress report or check."""
        self.task.cancel()

    # --- on the GUI thread --------------------------------------------------------------

    def _on_parent_destroyed(self) -> None:
        self._parent_gone = True
        self.task.cancel()

    def _parent_alive(self) -> bool:
        return self.parent is None or (not self._parent_gone and shiboken6.isValid(self.parent))

    def _progress(self, fraction: float) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _finish(self, outcome: _Outcome) -> None:
        _running.discard(self)
        self.done = True
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.setValue(1000)
            self.dialog.close()
            self.dialog.deleteLater()  # one per operation: they would pile up on the page
        if outcome.error is None and self.changes and self._announcer_alive():
            assert self.announce_to is not None
            self.announce_to.announce(self.changes)
        error = outcome.error
        if error is not None and not isinstance(error, UserError):
            report_exception(error)  # a bug is never dropped, page or no page
        if not self._parent_alive():
            return
        self.delivered = True
        if self.on_finished is not None:
            self.on_finished()
        if outcome.cancelled:
            if self.on_cancelled is not None:
                self.on_cancelled()
        elif isinstance(error, UserError):
            if self.on_failure is not None:
                self.on_failure(user_message(error))
            else:
                show_user_error(self.parent, user_message(error))
        elif error is None:
            self.on_success(cast(T, outcome.value))  # what the work returned

    def _announcer_alive(self) -> bool:
        target = self.announce_to
        if target is None:
            return False
        return not isinstance(target, QObject) or shiboken6.isValid(target)


def busy() -> bool:
    """Whether any operation is still running (tests wait on this before driving the window)."""
    return bool(_running)


def run_op(
    parent: QWidget | None,
    label: str,
    work: Callable[[Task], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[str], None] | None = None,
    *,
    on_cancelled: Callable[[], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    cancellable: bool = False,
    changes: Changes = Changes.NONE,
    announce_to: Announcer | None = None,
) -> Operation[T]:
    """Start `work` off the GUI thread; see the module's docstring."""
    return Operation(
        parent,
        label,
        work,
        on_success,
        on_failure,
        on_cancelled,
        on_finished,
        cancellable,
        changes,
        announce_to,
    ).start()
