"""Ctrl+J goes to the next required item still open, follow-ups included; the header shows
how many required items are answered; the shortcut is in the Help list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ietp_desktop.domain.checklist import missing_required
from ietp_desktop.i18n import set_language
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.checklist.item_row import ItemRow
from tests.ui.driver import answer_all_required, open_in_window, visit_in_progress


def _focused_item() -> str:
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, ItemRow):
        widget = widget.parentWidget()
    assert isinstance(widget, ItemRow)
    return widget.item.id


def test_ctrl_j_walks_the_required_items_still_open(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    missing = [item.id for item in missing_required(workspace.form, workspace.values)]
    answered, required = workspace.progress.counts
    assert (answered, required) == (0, len(missing))
    assert workspace.progress.text() == f"0 / {required} required answered"
    assert workspace.progress.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert _focused_item() == missing[0] and workspace.current_item == missing[0]
    qtbot.mouseClick(workspace._row(missing[0]).editor.buttons["yes"], Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert workspace.progress.text() == f"1 / {required} required answered"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert _focused_item() == missing[1]


def test_ctrl_j_goes_to_a_follow_up_an_answer_revealed(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    assert workspace.go_to_item("WH-11")
    qtbot.mouseClick(workspace._row("WH-11").editor.buttons["yes"], Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert _focused_item() == "WH-12"  # the approval's expiry date, shown by the "yes"


def test_when_all_are_answered_ctrl_j_says_so(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    answer_all_required(qtbot, workspace)
    answered, required = workspace.progress.counts
    assert answered == required and workspace.progress.text().startswith(f"{required} / ")
    window.actions_by_key["next_required"].trigger()
    assert "Every required item is answered." in window.statusBar().currentMessage()


def test_shortcut_listed_in_help_in_both_languages(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    window, _workspace = open_in_window(qtbot, db, uuid)
    assert ("Next required item still open", "Ctrl+J") in window.shortcut_rows()
    set_language("zh")
    window.retranslate()
    assert ("下一个未答的必答项", "Ctrl+J") in window.shortcut_rows()


def test_a_completion_blocker_is_a_link_to_its_item(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    closing = workspace.closing_page
    workspace.go_to_page(workspace.stack.indexOf(closing))
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    texts = [closing.reasons.item(i).text() for i in range(closing.reasons.count())]
    row = next(i for i, text in enumerate(texts) if "WP-" in text or "OM-02" in text)
    item_id = "OM-02" if "OM-02" in texts[row] else texts[row].split()[2]
    entry = closing.reasons.item(row)
    rect = closing.reasons.visualItemRect(entry)
    qtbot.mouseClick(closing.reasons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert workspace.current_item == item_id
    assert _focused_item() == item_id
