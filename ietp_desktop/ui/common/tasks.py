"""Slow work off the GUI thread, with a one-line call site (after Anki's CollectionOp).

    run_task(parent, "Building report…", lambda progress: build(..., progress),
             on_done=lambda result: ..., on_error=lambda message: ...)

`work` runs in a thread-pool thread and may call `progress(fraction)`; only `on_done` and
`on_error` touch widgets, and they run on the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr


class _Signals(QObject):
    progress = Signal(float)
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Callable[[float], None]], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # shown to the user in one line; kept for a bug report
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(result)


_running: set[_Job] = set()


def run_task(
    parent: QWidget | None,
    label: str,
    work: Callable[[Callable[[float], None]], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
) -> QProgressDialog:
    dialog = QProgressDialog(label, tr("Hide"), 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(True)
    job = _Job(work)
    _running.add(job)

    def finish() -> None:
        _running.discard(job)
        dialog.setValue(1000)
        dialog.close()

    job.signals.progress.connect(lambda f: dialog.setValue(int(max(0.0, min(1.0, f)) * 1000)))
    job.signals.done.connect(lambda result: (finish(), on_done(result)))
    job.signals.failed.connect(lambda message: (finish(), on_error(message)))
    QThreadPool.globalInstance().start(job)
    return dialog
