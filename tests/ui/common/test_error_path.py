"""An unexpected exception anywhere in the window is written to logs/errors.log (with nothing
personal from its message) and shown in one dialog; the program keeps running."""

from __future__ import annotations

import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

import ietp_desktop
from ietp_desktop.domain.errors import UserError
from ietp_desktop.ui.common.error_path import ErrorDialog, ErrorPath, install_error_path

PERSONAL = "Zhang Wei earns 1234.56"


@pytest.fixture
def error_path(tmp_path: Path) -> Iterator[ErrorPath]:
    path = install_error_path(tmp_path)
    yield path
    path.uninstall()


def error_dialogs() -> list[ErrorDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()
    ]


def window_with(qtbot: QtBot, slot: object) -> tuple[QWidget, QPushButton, QPushButton]:
    window = QWidget()
    qtbot.addWidget(window)
    broken = QPushButton("broken", window)
    broken.clicked.connect(slot)
    working = QPushButton("working", window)
    layout = QVBoxLayout(window)
    layout.addWidget(broken)
    layout.addWidget(working)
    window.show()
    return window, broken, working


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_once_and_the_program_goes_on(
    qtbot: QtBot, error_path: ErrorPath, tmp_path: Path
) -> None:
    def compute_wage() -> None:
        raise ZeroDivisionError(PERSONAL)

    _window, broken, working = window_with(qtbot, compute_wage)
    clicks: list[bool] = []
    working.clicked.connect(lambda: clicks.append(True))
    assert sys.excepthook == error_path._excepthook

    for _ in range(3):  # a burst: one dialog, not three
        qtbot.mouseClick(broken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    qtbot.wait(50)
    [dialog] = error_dialogs()
    assert dialog.count.text() == "3 errors since this message opened."
    assert str(tmp_path / "logs" / "errors.log") in dialog.where.text()

    log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert log.count("unexpected ZeroDivisionError") == 3
    assert f"IETP PV Desktop {ietp_desktop.__version__}" in log
    assert 'File "tests/ui/common/test_error_path.py"' in log and "in compute_wage" in log
    assert "raise ZeroDivisionError(PERSONAL)" in log
    assert "Zhang" not in log and "1234" not in log
    if sys.platform != "win32":
        assert stat.S_IMODE((tmp_path / "logs" / "errors.log").stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.count("builtins.ZeroDivisionError") == 3 and "Zhang" not in copied
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not error_dialogs())

    qtbot.mouseClick(working, Qt.MouseButton.LeftButton)
    assert clicks == [True]
    qtbot.mouseClick(broken, Qt.MouseButton.LeftButton)  # a later error opens a new dialog
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    assert error_dialogs()[0].count.isHidden()
    error_dialogs()[0].close()


@pytest.mark.qt_no_exception_capture
def test_a_user_error_that_escaped_is_shown_with_its_message_but_logged_without_it(
    qtbot: QtBot, error_path: ErrorPath, tmp_path: Path
) -> None:
    def refuse() -> None:
        raise UserError(f"worker {PERSONAL} is not in the sample")

    _window, broken, _working = window_with(qtbot, refuse)
    qtbot.mouseClick(broken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    [dialog] = error_dialogs()
    assert dialog.problem.text() == f"worker {PERSONAL} is not in the sample"
    log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "ietp_desktop.domain.errors.UserError" in log
    assert "Zhang" not in log
    dialog.close()


def test_an_exception_in_a_thread_is_logged_and_shown(
    qtbot: QtBot, error_path: ErrorPath, tmp_path: Path
) -> None:
    def import_in_background() -> None:
        raise KeyError(PERSONAL)

    thread = threading.Thread(target=import_in_background)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "unexpected KeyError" in log and "in import_in_background" in log
    assert "Zhang" not in log
    error_dialogs()[0].close()


def test_uninstall_gives_the_hooks_back(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    path = install_error_path(tmp_path)
    assert (sys.excepthook, threading.excepthook) != before
    path.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
