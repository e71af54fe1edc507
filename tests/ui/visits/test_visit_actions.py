"""The visit list offers only the actions that apply, and starting on a day other than the
one agreed with the factory asks first (Enter on a row included)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from tests.ui.driver import activate


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.show()
    activate(window)
    return window


def _buttons(window: MainWindow) -> tuple[bool, bool, bool]:
    return (
        window.open_button.isEnabled(),
        window.confirm_button.isEnabled(),
        window.refuse_button.isEnabled(),
    )


def test_actions_follow_the_visit_status(qtbot: QtBot, db: Database) -> None:
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today())
    window = _window(qtbot, db)
    assert _buttons(window) == (False, False, False)  # nothing selected
    assert window.select_visit(planned.uuid)
    assert _buttons(window) == (False, True, True)
    assert "Confirm the visit date" in window.open_button.toolTip()

    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    window.reload_lists()
    window.select_visit(planned.uuid)
    assert _buttons(window) == (True, False, True)
    assert window.open_button.text() == "Start visit"
    assert "confirmed" in window.confirm_button.toolTip().lower()

    lifecycle.start_visit(db, planned.uuid)
    lifecycle.refuse_visit(db, planned.uuid, "Gate closed, manager absent.")
    window.reload_lists()
    window.select_visit(planned.uuid)
    assert _buttons(window) == (True, False, False)
    assert window.open_button.text() == "Open visit"


def test_enter_on_a_row_asks_when_today_is_not_the_agreed_day(qtbot: QtBot, db: Database) -> None:
    agreed = date.today() + timedelta(days=3)
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", agreed)
    lifecycle.confirm_visit(db, planned.uuid, agreed, date.today())
    window = _window(qtbot, db)
    window.select_visit(planned.uuid)
    window.visit_table.setFocus()
    qtbot.keyClick(window.visit_table, Qt.Key.Key_Return)
    box = window.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert agreed.isoformat() in box.text() and date.today().isoformat() in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default answer is Cancel
    assert load_detail(db, planned.uuid).summary.status == "confirmed"
    assert window.workspace is None

    qtbot.keyClick(window.visit_table, Qt.Key.Key_Return)
    box = window.dialog
    assert isinstance(box, QMessageBox)
    start = next(b for b in box.buttons() if b.text() == "Start today")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert load_detail(db, planned.uuid).summary.status == "in_progress"
    assert window.workspace is not None


def test_no_question_on_the_agreed_day(qtbot: QtBot, db: Database) -> None:
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today())
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    window = _window(qtbot, db)
    window.select_visit(planned.uuid)
    qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None and window.dialog is None


def test_labels_in_chinese(qtbot: QtBot, db: Database) -> None:
    set_language("zh")
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today())
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    window = _window(qtbot, db)
    window.select_visit(planned.uuid)
    assert window.open_button.text() == "开始访问"
