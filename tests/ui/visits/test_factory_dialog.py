"""Adding and editing a factory in the window: the services' rules shown beside each field
as it is typed, the PV window following the seal date, the list showing the result."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.visits import factories
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.visits.factory_dialog import FactoryDialog
from tests.ui.driver import activate, press_ok, select_row


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.show()
    activate(window)
    return window


def _tab_type(qtbot: QtBot, text: str) -> None:
    """Type into the field that has the focus, then Tab on."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)
    qtbot.keyClick(focused, Qt.Key.Key_Tab)


def test_add_a_factory_from_the_file_menu_by_keyboard(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    window.sync_actions["Add a factory…"].trigger()
    dialog = window.dialog
    assert isinstance(dialog, FactoryDialog) and dialog.windowTitle() == "Add a factory"
    activate(dialog)
    dialog.edits["ietp_id"].setFocus()
    _tab_type(qtbot, "GD-88002")
    assert dialog.problems["ietp_id"].isVisibleTo(dialog)
    assert "is not of the form IETP-GD-10231" in dialog.problems["ietp_id"].text()
    dialog.edits["ietp_id"].setFocus()
    dialog.edits["ietp_id"].home(False)
    qtbot.keyClicks(dialog.edits["ietp_id"], "IETP-")
    assert not dialog.problems["ietp_id"].isVisibleTo(dialog)  # fixed: the complaint goes
    qtbot.keyClick(dialog.edits["ietp_id"], Qt.Key.Key_Tab)
    _tab_type(qtbot, "Huizhou Bright Toys Co.")  # name (English)
    _tab_type(qtbot, "")  # name (中文)
    _tab_type(qtbot, "Huizhou")
    _tab_type(qtbot, "CN-GD-Huizhou")
    _tab_type(qtbot, "")  # address
    assert QApplication.focusWidget() is dialog.edits["headcount"]
    _tab_type(qtbot, "450")
    assert QApplication.focusWidget() is dialog.seal.edit  # the seal date comes next

    seal = date.today() - timedelta(days=70)
    qtbot.keyClicks(dialog.seal.edit, seal.strftime("%Y/%m/%d"))
    assert "PV window" in dialog.window_label.text()  # shown while typing, before Tab
    assert "Due" in dialog.window_label.text()
    qtbot.keyClick(dialog.seal.edit, Qt.Key.Key_Tab)
    press_ok(qtbot, dialog)

    view = factories.get_factory(db, "IETP-GD-88002")
    assert view.name_en == "Huizhou Bright Toys Co." and view.headcount == 450
    assert view.seal_issued_on == seal and view.region == "CN-GD-Huizhou"
    assert window.tabs.currentIndex() == 1
    assert window.selected_factory() is not None
    assert window.selected_factory().ietp_id == "IETP-GD-88002"  # type: ignore[union-attr]
    assert "Factory IETP-GD-88002 saved" in window.statusBar().currentMessage()


def test_seal_date_in_the_future_or_impossible_is_refused(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    qtbot.mouseClick(window.add_factory_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, FactoryDialog)
    qtbot.keyClicks(dialog.edits["ietp_id"], "IETP-GD-88003")
    qtbot.keyClicks(dialog.edits["name_en"], "Future Toys")
    tomorrow = date.today() + timedelta(days=1)
    qtbot.keyClicks(dialog.seal.edit, tomorrow.isoformat())
    assert "is in the future" in dialog.problems["seal_issued_on"].text()
    press_ok(qtbot, dialog)
    assert dialog.isVisible()
    dialog.seal.edit.selectAll()
    qtbot.keyClicks(dialog.seal.edit, "2026-02-30")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "2026-02 has 28 days" in dialog.seal.error.text()
    assert [f.ietp_id for f in factories.list_factories(db)] == ["IETP-GD-77001"]


def test_edit_the_selected_factory(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    window.tabs.setCurrentIndex(1)
    select_row(qtbot, window.factory_table, 0)
    qtbot.mouseClick(window.edit_factory_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, FactoryDialog) and dialog.windowTitle() == "Edit factory"
    assert dialog.edits["ietp_id"].isReadOnly()
    assert dialog.edits["name_zh"].text() == "东莞测试玩具有限公司"
    dialog.edits["headcount"].selectAll()
    qtbot.keyClicks(dialog.edits["headcount"], "3OO")
    press_ok(qtbot, dialog)
    assert "not a whole number" in dialog.problems["headcount"].text()
    dialog.edits["headcount"].selectAll()
    qtbot.keyClicks(dialog.edits["headcount"], "320")
    assert not dialog.problems["headcount"].isVisibleTo(dialog)
    press_ok(qtbot, dialog)
    assert factories.get_factory(db, "IETP-GD-77001").headcount == 320
    assert factories.get_factory(db, "IETP-GD-77001").certificate_status == "certified"


def test_dialog_in_chinese(qtbot: QtBot, db: Database) -> None:
    set_language("zh")
    window = _window(qtbot, db)
    window.add_factory()
    dialog = window.dialog
    assert isinstance(dialog, FactoryDialog) and dialog.windowTitle() == "添加工厂"
    qtbot.keyClicks(dialog.edits["ietp_id"], "gd-1")
    assert "不符合" in dialog.problems["ietp_id"].text()
    assert "印章签发日期" in dialog.window_label.text() or "窗口期" in dialog.window_label.text()


def test_escape_over_typed_details_asks(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    window.add_factory()
    dialog = window.dialog
    assert isinstance(dialog, FactoryDialog)
    activate(dialog)
    dialog.edits["ietp_id"].setFocus()
    qtbot.keyClicks(dialog.edits["ietp_id"], "IETP-GD-88009")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible() and dialog.isVisible()
    discard = next(b for b in box.buttons() if b.objectName() == "discard")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [f.ietp_id for f in factories.list_factories(db)] == ["IETP-GD-77001"]

    window.add_factory()  # nothing typed: Escape just closes
    untouched = window.dialog
    assert isinstance(untouched, FactoryDialog)
    activate(untouched)
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and untouched.discard_box is None
