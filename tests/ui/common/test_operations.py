"""Background work: typed results on the GUI thread, dropped when the page is gone, cancel,
user errors to the page, bugs to the error log."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ietp_desktop.domain.errors import UserError
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import VisitEvents
from ietp_desktop.ui.common.error_path import ErrorDialog, ErrorPath, install_error_path
from ietp_desktop.ui.common.operations import Task, run_op

NAME = "Li Na"


@pytest.fixture
def page(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def error_path(tmp_path: Path) -> Iterator[ErrorPath]:
    path = install_error_path(tmp_path)
    yield path
    path.uninstall()


class Calls:
    def __init__(self) -> None:
        self.success: list[object] = []
        self.failure: list[str] = []
        self.cancelled = 0
        self.finished = 0

    def on_cancelled(self) -> None:
        self.cancelled += 1

    def on_finished(self) -> None:
        self.finished += 1


def test_the_result_reaches_the_gui_thread_and_changes_are_announced(
    qtbot: QtBot, page: QWidget
) -> None:
    calls, events, announced = Calls(), VisitEvents(), []
    events.sig_changed.connect(announced.append)
    threads: list[bool] = []

    def work(task: Task) -> int:
        threads.append(QThread.currentThread() is QApplication.instance().thread())
        task(0.5)
        return 42

    def done(value: int) -> None:
        threads.append(QThread.currentThread() is QApplication.instance().thread())
        calls.success.append(value)

    op = run_op(page, "Working…", work, done, changes=Changes.FINDINGS, announce_to=events)
    qtbot.waitUntil(lambda: op.done)
    assert calls.success == [42]
    assert threads == [False, True]
    assert announced == [Changes.FINDINGS]


def test_a_result_after_the_page_closed_is_dropped(qtbot: QtBot) -> None:
    calls, release = Calls(), threading.Event()
    page = QWidget()
    page.show()
    op = run_op(
        page,
        "Working…",
        lambda _task: release.wait(5) and "late",
        calls.success.append,
        calls.failure.append,
        on_cancelled=calls.on_cancelled,
        on_finished=calls.on_finished,
    )
    page.close()
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(page))
    release.set()
    qtbot.waitUntil(lambda: op.done)
    qtbot.wait(20)
    assert (calls.success, calls.failure, calls.cancelled, calls.finished) == ([], [], 0, 0)
    assert not op.delivered


def test_cancel_stops_the_work_and_calls_only_the_cancelled_callback(
    qtbot: QtBot, page: QWidget
) -> None:
    calls, started, steps = Calls(), threading.Event(), []

    def work(task: Task) -> str:
        for step in range(1000):
            started.set()
            steps.append(step)
            task(step / 1000)  # raises Cancelled once the user pressed Cancel
            QThread.msleep(5)
        return "finished"

    op = run_op(
        page,
        "Reading…",
        work,
        calls.success.append,
        calls.failure.append,
        on_cancelled=calls.on_cancelled,
        cancellable=True,
    )
    assert started.wait(5)
    assert op.dialog is not None
    [cancel] = op.dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op.done)
    assert (calls.success, calls.failure, calls.cancelled) == ([], [], 1)
    assert len(steps) < 1000


def test_hide_does_not_cancel_work_that_cannot_stop_halfway(qtbot: QtBot, page: QWidget) -> None:
    calls, started, release = Calls(), threading.Event(), threading.Event()

    def work(task: Task) -> str:
        started.set()
        release.wait(5)
        task(1.0)
        return "stored"

    op = run_op(page, "Storing…", work, calls.success.append, calls.failure.append)
    assert started.wait(5)
    assert op.dialog is not None
    assert [b.text() for b in op.dialog.findChildren(QPushButton)] == ["Hide"]
    qtbot.mouseClick(op.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: op.done)
    assert calls.success == ["stored"]  # hiding the dialog did not stop the records landing


def test_a_user_error_reaches_on_failure(qtbot: QtBot, page: QWidget) -> None:
    calls = Calls()

    def work(_task: Task) -> None:
        raise UserError("time_records.xlsx, sheet Jan, row 7: the date is missing")

    op = run_op(page, "", work, calls.success.append, calls.failure.append)
    qtbot.waitUntil(lambda: op.done)
    assert calls.failure == ["time_records.xlsx, sheet Jan, row 7: the date is missing"]
    assert calls.success == []


def test_without_on_failure_a_user_error_is_a_message_box(qtbot: QtBot, page: QWidget) -> None:
    def work(_task: Task) -> None:
        raise UserError("the bundle is not for this laptop")

    op = run_op(page, "", work, lambda _none: None)
    qtbot.waitUntil(lambda: op.done)
    box = page.findChild(QMessageBox, "user_error_box")
    assert box is not None and box.isVisible()
    assert box.text() == "the bundle is not for this laptop"
    box.close()


def test_an_unexpected_exception_reaches_the_error_log(
    qtbot: QtBot, page: QWidget, error_path: ErrorPath, tmp_path: Path
) -> None:
    calls = Calls()

    def analyse(_task: Task) -> None:
        raise IndexError(f"worker {NAME}")

    op = run_op(
        page, "", analyse, calls.success.append, calls.failure.append, on_finished=calls.on_finished
    )
    qtbot.waitUntil(lambda: op.done)
    assert (calls.success, calls.failure, calls.finished) == ([], [], 1)
    log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "unexpected IndexError" in log and "in analyse" in log and "Li Na" not in log
    qtbot.waitUntil(lambda: error_path.dialog is not None)
    assert isinstance(error_path.dialog, ErrorDialog)
    error_path.dialog.close()
