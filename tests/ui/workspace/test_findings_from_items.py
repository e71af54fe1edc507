"""Raising a finding from an item: a real title in both languages, the item's photos come
along, what is typed survives a restart, and Escape never throws it away unasked."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from tests.ui.driver import go_to_section, open_in_window, visit_in_progress


def _raise_on_eh02(qtbot: QtBot, workspace):  # type: ignore[no-untyped-def]
    row = go_to_section(qtbot, workspace, "ehs").rows["EH-02"]
    qtbot.mouseClick(row.editor.buttons["partial"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(row.raise_button, Qt.MouseButton.LeftButton)
    return workspace.finding_dialog


def test_title_in_both_languages_and_the_items_photos(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    uuid = visit_in_progress(db)
    photo = tmp_path / "exit.jpg"
    Image.new("RGB", (640, 480), (90, 90, 90)).save(photo)
    attachments.add_photo(db, uuid, photo, item_ids=("EH-02",))
    _window, workspace = open_in_window(qtbot, db, uuid)
    dialog = _raise_on_eh02(qtbot, workspace)
    question = workspace.form.item("EH-02").question
    assert dialog.title_edit.text() != question.en[:120]
    assert dialog.title_edit.text().startswith("Environment, health and safety")
    assert "EH-02" in dialog.title_edit.text() and "Partly" in dialog.title_edit.text()
    assert (
        dialog.title_zh.text().startswith("环境、健康与安全") or "EH-02" in dialog.title_zh.text()
    )
    assert "部分" in dialog.title_zh.text()
    dialog.description_zh.setPlainText("B仓东侧出口被纸箱部分堵塞。")
    dialog.save()
    [finding] = load_detail(db, uuid).findings
    assert finding.description_zh == "B仓东侧出口被纸箱部分堵塞。"
    assert len(finding.attachment_ids) == 1  # the item's photo came along


def test_a_typed_finding_survives_a_restart_and_escape_asks(
    qtbot: QtBot, db: Database, data_dir: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    dialog = _raise_on_eh02(qtbot, workspace)
    dialog.description.setFocus()
    dialog.description.selectAll()
    qtbot.keyClicks(dialog.description, "Cartons stacked in front of the east exit")
    qtbot.waitUntil(lambda: not dialog.draft_timer.isActive(), timeout=3000)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible() and dialog.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Escape on the question keeps editing
    assert dialog.isVisible()
    assert dialog.description.toPlainText() == "Cartons stacked in front of the east exit"

    window.close()  # quit with the dialog open: the draft is already stored
    db.dispose()
    db2 = open_workspace(data_dir)
    again = MainWindow(db2, restore=False)
    qtbot.addWidget(again)
    again.show()
    workspace2 = again.open_visit(uuid)
    assert workspace2 is not None
    workspace2.raise_finding("EH-02")
    restored = workspace2.finding_dialog
    assert restored.restored
    assert restored.description.toPlainText() == "Cartons stacked in front of the east exit"
    restored.reject()
    qtbot.mouseClick(
        restored.discard_box.findChild(QPushButton, "discard"),
        Qt.MouseButton.LeftButton,  # type: ignore[union-attr]
    )
    assert not restored.isVisible()
    workspace2.raise_finding("EH-02")
    assert not workspace2.finding_dialog.restored  # discarded means gone
    db2.dispose()
