"""Driving the window the way a user does: clicks, typing, shortcuts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from ietp_desktop.domain.checklist import format_number, is_blank, missing_required
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.checklist.item_editors import (
    ChoiceButtons,
    ChoiceCombo,
    DateEditor,
    MultiChoice,
    NumberEditor,
    TextEditor,
)
from ietp_desktop.ui.checklist.item_row import ItemRow
from ietp_desktop.ui.checklist.section_page import SectionPage
from ietp_desktop.ui.common import operations
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.workspace.visit_workspace import VisitWorkspace

COMPLIANT = ("yes", "na", "none", "no")


def press_ok(qtbot: QtBot, dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok) or box.button(
        QDialogButtonBox.StandardButton.Save
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_row(qtbot: QtBot, view: QWidget, row: int) -> None:
    index = view.model().index(row, 0)  # type: ignore[attr-defined]
    rect = view.visualRect(index)  # type: ignore[attr-defined]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[attr-defined]


def answer_row(qtbot: QtBot, row: ItemRow) -> None:
    """Give a compliant-looking answer through the row's editor."""
    editor, item = row.editor, row.item
    if isinstance(editor, ChoiceButtons):
        values = item.choice_values()
        value = next((v for v in COMPLIANT if v in values), values[0])
        qtbot.mouseClick(editor.buttons[value], Qt.MouseButton.LeftButton)
    elif isinstance(editor, ChoiceCombo):
        editor.combo.setFocus()
        qtbot.keyClick(editor.combo, Qt.Key.Key_Down)
        editor.sig_commit.emit()
    elif isinstance(editor, MultiChoice):
        qtbot.mouseClick(next(iter(editor.boxes.values())), Qt.MouseButton.LeftButton)
    elif isinstance(editor, NumberEditor):
        low = item.min if item.min is not None else 0
        editor.edit.clear()
        qtbot.keyClicks(
            editor.edit, format_number(low + 1 if item.max is None or low + 1 <= item.max else low)
        )
        qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    elif isinstance(editor, DateEditor):
        editor.unset.setFocus()
        qtbot.keyClick(editor.unset, Qt.Key.Key_Space)  # unticking alone saves nothing
        qtbot.keyClicks(editor.date.edit, date.today().isoformat())
        qtbot.keyClick(editor.date.edit, Qt.Key.Key_Return)
    elif isinstance(editor, TextEditor):
        qtbot.keyClicks(editor.edit, "Checked on site.")
        row.flush()


def answer_all_required(qtbot: QtBot, workspace: VisitWorkspace, shots: Path | None = None) -> int:
    """Walk every section and answer each visible, required, unanswered item."""
    answered = 0
    for _round in range(5):  # relevance may reveal new required items
        missing = {i.id for i in missing_required(workspace.form, workspace.values)}
        if not missing:
            return answered
        for index, page in enumerate(workspace.section_pages):
            ids = [i.id for i in page.section.items if i.id in missing]
            if not ids:
                continue
            qtbot.mouseClick(
                workspace.nav.viewport(),
                Qt.MouseButton.LeftButton,
                pos=workspace.nav.visualItemRect(workspace.nav.item(index)).center(),
            )
            assert workspace.stack.currentWidget() is page
            for item_id in ids:
                row = page.rows[item_id]
                if row.isHidden() or not is_blank(workspace.values.get(item_id)):
                    continue
                answer_row(qtbot, row)
                answered += 1
            if shots is not None:
                workspace.window().grab().save(str(shots / f"section_{page.section.id}.png"))
    assert not missing_required(workspace.form, workspace.values)
    return answered


def drop_files(widget: QWidget, paths: list[Path], at: QPointF | None = None) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = at if at is not None else QPointF(widget.rect().center())
    event = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # QApplication refuses to deliver a Drop without a real drag in progress (offscreen has
    # none), so the event goes straight to the widget's handler, as Qt's dispatcher would.
    widget.dropEvent(event)  # type: ignore[attr-defined]
    assert event.isAccepted()


def draw_signature(qtbot: QtBot, pad: QWidget) -> None:
    height = pad.height()
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, height // 2))
    for x in range(25, 300, 12):
        y = height // 2 + (18 if (x // 12) % 2 else -18)
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, height // 2))


def visit_in_progress(db: Database) -> str:
    """Set-up for the focused tests: a visit planned, confirmed and started via services."""
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today(), specialist_name="Tester")
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    lifecycle.start_visit(db, planned.uuid)
    return planned.uuid


def activate(window: QWidget) -> None:
    """Make the window active, so shortcuts and focus behave as on a desktop."""
    for _ in range(500):
        window.raise_()
        window.activateWindow()
        window.windowHandle().requestActivate()
        QApplication.processEvents()
        if QApplication.activeWindow() is window and not operations.busy():
            return
        QTest.qWait(10)
    active = QApplication.activeWindow()
    raise AssertionError(
        f"{window!r} is not active: {active!r} is"
        f" (visible {active.isVisible() if active else None}, label"
        f" {getattr(active, 'labelText', lambda: '')()!r}); operations running: {operations.busy()}"
    )


def open_in_window(qtbot: QtBot, db: Database, uuid: str) -> tuple[MainWindow, VisitWorkspace]:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.show()
    activate(window)
    workspace = window.open_visit(uuid)
    assert workspace is not None
    return window, workspace


def page_index(workspace: VisitWorkspace, page: QWidget) -> int:
    return workspace.stack.indexOf(page)


def go_to_section(qtbot: QtBot, workspace: VisitWorkspace, section_id: str) -> SectionPage:
    index = next(i for i, p in enumerate(workspace.section_pages) if p.section.id == section_id)
    workspace.go_to_page(index)
    page = workspace.section_pages[index]
    assert workspace.stack.currentWidget() is page
    return page
