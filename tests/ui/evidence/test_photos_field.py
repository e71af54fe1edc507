"""Photos from the user's side: a photo button on each item that opens in the last folder
(or Pictures), a marker on items with photos, a viewer with arrow keys and zoom, and delete
with Undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services import settings
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.evidence.annotation import Mark
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common import operations
from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer
from tests.ui.driver import (
    go_to_section,
    open_in_window,
    page_index,
    press_ok,
    visit_in_progress,
)


def _photo(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    Image.new("RGB", (1200, 800), colour).save(path, "JPEG")
    return path


def _wait_for_work(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not operations.busy(), timeout=10_000)


def test_photo_button_opens_the_last_folder_and_marks_the_item(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = tmp_path / "DCIM"
    first = _photo(camera, "exit.jpg", (200, 30, 30))
    second = _photo(camera, "stairs.jpg", (30, 200, 30))
    asked: list[str] = []
    answers = [[str(first)], [str(second)]]

    def fake_dialog(_parent, _title, folder, _filter):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_dialog)
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "ehs")
    row = page.rows["EH-02"]
    assert not row.photo_mark.isVisibleTo(row)

    qtbot.mouseClick(row.photo_button, Qt.MouseButton.LeftButton)
    _wait_for_work(qtbot)
    assert asked[0] != str(camera)  # first time: Pictures (or home), not the working folder
    qtbot.waitUntil(lambda: row.photo_mark.isVisibleTo(row))
    assert row.photo_mark.text() == "Photos: 1"
    assert load_detail(db, uuid).attachments[0].item_ids == ("EH-02",)

    qtbot.mouseClick(row.photo_button, Qt.MouseButton.LeftButton)
    _wait_for_work(qtbot)
    assert asked[1] == str(camera)  # the folder the last photo came from
    assert settings.read(db, settings.LAST_PHOTO_FOLDER) == camera
    qtbot.waitUntil(lambda: row.photo_mark.text() == "Photos: 2")
    assert not page.rows["EH-01"].photo_mark.isVisibleTo(page.rows["EH-01"])

    qtbot.mouseClick(row.photo_mark, Qt.MouseButton.LeftButton)  # the marker shows them
    assert isinstance(row.viewer, PhotoViewer) and row.viewer.isVisible()
    assert row.viewer.caption.text().startswith("1 of 2")
    qtbot.keyClick(row.viewer, Qt.Key.Key_Escape)


def test_viewer_arrows_zoom_and_delete_with_undo(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    uuid = visit_in_progress(db)
    for index, colour in enumerate(((200, 0, 0), (0, 200, 0), (0, 0, 200))):
        attachments.add_photo(
            db,
            uuid,
            _photo(tmp_path, f"p{index}.jpg", colour),
            caption=f"Photo {index}",
            item_ids=("EH-02",),
        )
    window, workspace = open_in_window(qtbot, db, uuid)
    workspace.go_to_page(page_index(workspace, workspace.evidence_page))
    evidence = workspace.evidence_page
    assert evidence.grid.count() == 3
    evidence.grid.setFocus()
    evidence.grid.setCurrentRow(0)
    qtbot.keyClick(evidence.grid, Qt.Key.Key_Return)
    viewer = evidence.viewer
    assert isinstance(viewer, PhotoViewer) and viewer.isVisible()
    assert viewer.caption.text().startswith("1 of 3 · Photo 0")
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.caption.text().startswith("3 of 3 · Photo 2")
    qtbot.keyClick(viewer, Qt.Key.Key_Right)  # stays on the last
    assert viewer.index == 2
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.index == 1
    fitted = viewer.image.pixmap().width()
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert viewer.image.pixmap().width() > fitted
    qtbot.keyClick(viewer, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.image.pixmap().width() == fitted
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()

    evidence.grid.setCurrentRow(1)
    evidence.grid.setFocus()
    qtbot.keyClick(evidence.grid, Qt.Key.Key_Delete)
    assert [a.caption for a in load_detail(db, uuid).attachments] == ["Photo 0", "Photo 2"]
    assert evidence.undo_bar.isVisibleTo(evidence) and "Photo 1" in evidence.undo_text.text()
    qtbot.keyClick(evidence.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = load_detail(db, uuid).attachments
    assert sorted(a.caption for a in restored) == ["Photo 0", "Photo 1", "Photo 2"]
    assert all(a.item_ids == ("EH-02",) for a in restored)
    assert not evidence.undo_bar.isVisibleTo(evidence)
    assert "Photo restored" in window.statusBar().currentMessage()


def test_undo_window_closes(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    uuid = visit_in_progress(db)
    attachments.add_photo(db, uuid, _photo(tmp_path, "a.jpg", (1, 2, 3)), item_ids=("EH-02",))
    _window, workspace = open_in_window(qtbot, db, uuid)
    workspace.go_to_page(page_index(workspace, workspace.evidence_page))
    evidence = workspace.evidence_page
    evidence.undo_timer.setInterval(50)
    evidence.grid.setCurrentRow(0)
    qtbot.mouseClick(evidence.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not evidence.undo_bar.isVisibleTo(evidence))
    evidence.undo_delete()  # too late: nothing comes back
    assert load_detail(db, uuid).attachments == ()


def test_labels_in_chinese(qtbot: QtBot, db: Database) -> None:
    set_language("zh")
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "ehs")
    assert page.rows["EH-02"].photo_button.text() == "添加照片…"
    QApplication.processEvents()


def test_annotate_a_photo_by_dragging_on_it(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    uuid = visit_in_progress(db)
    photo = attachments.add_photo(
        db, uuid, _photo(tmp_path, "dorm.jpg", (90, 90, 90)), caption="Dorm", item_ids=("EH-02",)
    )
    window, workspace = open_in_window(qtbot, db, uuid)
    workspace.go_to_page(page_index(workspace, workspace.evidence_page))
    evidence = workspace.evidence_page
    evidence.grid.setCurrentRow(0)
    qtbot.mouseClick(evidence.annotate_button, Qt.MouseButton.LeftButton)
    dialog = evidence.annotator
    assert dialog is not None and dialog.isVisible()
    canvas = dialog.canvas
    qtbot.mouseClick(dialog.tool_buttons[Mark.BLUR], Qt.MouseButton.LeftButton)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(120, 90))
    qtbot.mouseClick(dialog.tool_buttons[Mark.TEXT], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    assert "Type the text first" in dialog.error.text() and len(dialog.shapes) == 1
    qtbot.keyClicks(dialog.text, "blocked")
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    assert [s.mark for s in dialog.shapes] == [Mark.BLUR, Mark.TEXT]
    blur = dialog.shapes[0]
    assert blur.x1 > blur.x0 and blur.x1 > 120  # in the photo's own pixels, not the screen's
    dialog.grab().save(str(tmp_path / "annotate.png"))
    press_ok(qtbot, dialog)

    stored = load_detail(db, uuid).attachments
    assert len(stored) == 2
    copy = stored[1]
    assert copy.original_sha256 == photo.original_sha256 and copy.sha256 != photo.sha256
    assert copy.item_ids == ("EH-02",) and copy.caption == "Dorm (annotated)"
    assert evidence.grid.count() == 2 and evidence.grid.currentRow() == 1
    assert "Annotated copy saved" in window.statusBar().currentMessage()


def test_delete_key_elsewhere_on_the_page_deletes_no_photo(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    uuid = visit_in_progress(db)
    attachments.add_photo(db, uuid, _photo(tmp_path, "a.jpg", (9, 9, 9)), caption="Gate")
    _window, workspace = open_in_window(qtbot, db, uuid)
    workspace.go_to_page(page_index(workspace, workspace.evidence_page))
    evidence = workspace.evidence_page
    evidence.grid.setCurrentRow(0)
    evidence.finding_list.setFocus()
    qtbot.keyClick(evidence.finding_list, Qt.Key.Key_Delete)
    assert len(load_detail(db, uuid).attachments) == 1
    assert not evidence.undo_bar.isVisibleTo(evidence)
