"""A whole Progress Visit driven through the window, then a restart on the same data."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.domain.checklist import format_answer
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.outcome.finding_dialog import RaiseFindingDialog
from ietp_desktop.ui.visits.visit_dialogs import ConfirmVisitDialog, PlanVisitDialog
from tests.ui.driver import (
    activate,
    answer_all_required,
    draw_signature,
    drop_files,
    go_to_section,
    page_index,
    press_ok,
    select_row,
)


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "fire-exit.jpg"
    Image.new("RGB", (3000, 2000), (200, 80, 40)).save(path, "JPEG")
    return path


def test_full_visit_through_the_window_then_restart(
    qtbot: QtBot, db: Database, data_dir: Path, tmp_path: Path, shots: Path
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    activate(window)

    # Plan: Factories tab, pick the factory, "Plan a visit…", the dialog shows the PV window.
    window.tabs.setCurrentIndex(1)
    select_row(qtbot, window.factory_table, 0)
    qtbot.mouseClick(window.plan_button, Qt.MouseButton.LeftButton)
    plan = window.dialog
    assert isinstance(plan, PlanVisitDialog)
    plan.specialist.clear()
    qtbot.keyClicks(plan.specialist, "Lin Mei")
    assert plan.warning.text() == ""
    plan.when.setDate(plan.when.date().addYears(1))
    assert "after the PV window" in plan.warning.text()
    plan.when.setDate(plan.when.date().addYears(-1))
    plan.grab().save(str(shots / "plan_dialog.png"))
    press_ok(qtbot, plan)
    window.grab().save(str(shots / "main_window.png"))
    visit = window.selected_visit()
    assert visit is not None and visit.status == "planned"

    # Confirm: date agreed, announcement sent on.
    qtbot.mouseClick(window.confirm_button, Qt.MouseButton.LeftButton)
    confirm = window.dialog
    assert isinstance(confirm, ConfirmVisitDialog)
    press_ok(qtbot, confirm)
    assert window.select_visit(visit.uuid)
    assert window.selected_visit().status == "confirmed"  # type: ignore[union-attr]

    # Start.
    qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    workspace = window.workspace
    assert workspace is not None and window.stack.currentWidget() is workspace
    assert "In progress" in workspace.header.text()

    answered = answer_all_required(qtbot, workspace, shots)
    assert answered > 80
    assert "Saved" in window.statusBar().currentMessage()

    # A non-compliant answer shows "Raise finding"; Ctrl+R raises it for the current item.
    page = go_to_section(qtbot, workspace, "ehs")
    row = next(
        r
        for r in page.rows.values()
        if r.item.type == "yes_no_na"
        and r.item.noncompliant_when is not None
        and r.item.relevant_when is None
    )
    qtbot.mouseClick(row.editor.buttons["no"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert row.raise_button.isVisibleTo(row) and row.hint.isVisibleTo(row)
    qtbot.keyClick(row.editor.focus_target(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.findChild(RaiseFindingDialog)
    assert dialog is not None
    assert dialog.classification.currentData() == (
        row.item.suggested_classification or "standard_nc"
    )
    dialog.description.clear()
    qtbot.keyClicks(dialog.description, "Fire exit blocked by cartons in warehouse B.")
    dialog.grab().save(str(shots / "raise_finding.png"))
    press_ok(qtbot, dialog)
    finding_code = load_detail(db, workspace.uuid).findings[0].code

    # Attendees: a senior manager at both meetings.
    workspace.go_to_page(page_index(workspace, workspace.meetings_page))
    meetings = workspace.meetings_page
    assert "No senior manager" in meetings.gate.text()
    qtbot.mouseClick(meetings.add_button, Qt.MouseButton.LeftButton)
    person = meetings.dialog
    assert person is not None
    qtbot.keyClicks(person.name, "Chen Wei")
    qtbot.keyClicks(person.role, "General Manager")
    for box in (person.senior, person.opening, person.closing):
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    press_ok(qtbot, person)
    assert meetings.table.rowCount() == 1
    assert "attended both meetings" in meetings.gate.text()
    window.grab().save(str(shots / "meetings.png"))

    # A photo dropped on the finding in the evidence page.
    workspace.go_to_page(page_index(workspace, workspace.evidence_page))
    evidence = workspace.evidence_page
    target = evidence.finding_list.visualItemRect(evidence.finding_list.item(0)).center()
    drop_files(evidence.finding_list, [_photo(tmp_path)], QPointF(target))
    qtbot.waitUntil(lambda: evidence.grid.count() == 1, timeout=10000)
    photo = load_detail(db, workspace.uuid).attachments[0]
    assert max(photo.width or 0, photo.height or 0) == 2048
    assert photo.finding_ids and finding_code in evidence.links.text()
    window.grab().save(str(shots / "evidence.png"))

    # Signatures drawn on the pads (each saved when the pen lifts), then complete.
    closing = workspace.closing_page
    workspace.go_to_page(page_index(workspace, closing))
    for box in closing.boxes:
        draw_signature(qtbot, box.pad)
        assert not box.pad.is_empty()
        assert "Signed by" in box.status.text()
    signed = load_detail(db, workspace.uuid).signatures
    assert {s.role for s in signed} == {"specialist", "factory"}
    assert all(s.png.startswith(b"\x89PNG") for s in signed)
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    # The finding's CAP line names no corrective action yet: completion asks first.
    asked = closing.warning_box
    assert asked is not None and asked.isVisible()
    assert "F01 has no corrective action" in asked.informativeText()
    qtbot.mouseClick(asked.findChild(QPushButton, "complete_anyway"), Qt.MouseButton.LeftButton)
    assert "Visit completed" in closing.result.text(), closing.result.text()
    window.grab().save(str(shots / "closing.png"))
    assert load_detail(db, workspace.uuid).summary.status == "completed"

    # The completed visit is read-only; stop at the third item of "Working hours"
    # (keyboard), then close the window.
    assert (
        workspace.banner.isVisible() and "completed and read-only" in workspace.banner_text.text()
    )
    hours = go_to_section(qtbot, workspace, "working_hours")
    activate(window)
    first = hours.visible_rows()[0]
    assert not first.editor.focus_target().isEnabled()
    workspace.go_to_item(first.item.id)
    assert workspace.current_item == first.item.id
    for key, modifier in (
        (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
    ):
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
    stopped_at = workspace.current_item
    expected_item = [r.item.id for r in workspace.section_pages[2].visible_rows()][2]
    assert stopped_at == expected_item
    uuid = workspace.uuid
    stored = {k: a.value for k, a in load_detail(db, uuid).answers.items()}
    window.close()
    QApplication.processEvents()

    # A new window on the same data folder reopens the same visit, section and item.
    db2 = open_workspace(data_dir)
    again = MainWindow(db2)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    activate(again)
    restored = again.workspace
    assert restored is not None and restored.uuid == uuid
    assert again.stack.currentWidget() is restored
    current_page = restored.stack.currentWidget()
    assert current_page is restored.section_pages[2]
    assert restored.current_item == stopped_at
    again.grab().save(str(shots / "restored.png"))
    for page in restored.section_pages:
        page.ensure_built()
        for item_id, row in page.rows.items():
            if stored.get(item_id) is not None:
                shown = row.editor.raw_value()
                expected = stored[item_id]
                if isinstance(expected, float):
                    assert float(str(shown)) == expected, item_id
                elif row.item.type == "text":
                    assert shown == expected, item_id
                else:
                    assert format_answer(row.item, expected, "en") == format_answer(
                        row.item,
                        shown if shown != [] else None,
                        "en",  # type: ignore[arg-type]
                    ), item_id
    restored.go_to_page(page_index(restored, restored.evidence_page))
    assert restored.evidence_page.grid.count() == 1
    again.close()
    db2.dispose()
