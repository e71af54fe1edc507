"""Completion gates, live relevance and inline validation, as the specialist sees them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ietp_desktop.services.visits import attendees, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from tests.ui.driver import (
    answer_all_required,
    answer_row,
    go_to_section,
    open_in_window,
    page_index,
    visit_in_progress,
)


def _reasons(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.reasons.item(i).text() for i in range(page.reasons.count())]


def test_completion_refused_with_reasons_until_gates_are_met(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    closing = workspace.closing_page
    workspace.go_to_page(page_index(workspace, closing))

    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    reasons = _reasons(closing)
    assert "cannot be completed" in closing.result.text()
    assert any(r.startswith("Required item OM-01 is not answered") for r in reasons)
    assert "No senior manager is recorded among the attendees" in reasons
    window.grab().save(str(shots / "gates_empty.png"))

    answer_all_required(qtbot, workspace)
    attendees.add_attendee(
        db, uuid, attendees.AttendeeInput("Chen Wei", "General Manager", True, True, False)
    )
    workspace.go_to_page(page_index(workspace, workspace.meetings_page))
    assert workspace.meetings_page.gate.text().endswith("No senior manager attended both meetings")
    workspace.go_to_page(page_index(workspace, closing))
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    assert _reasons(closing) == [
        "No senior manager attended both meetings",
        "The specialist's signature is not saved",
        "No senior manager's signature is saved",
    ]
    window.grab().save(str(shots / "gates_senior.png"))
    assert load_detail(db, uuid).summary.status == "in_progress"


def test_relevance_shows_and_hides_dependent_items(qtbot: QtBot, db: Database, shots: Path) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "working_hours")
    controller, dependent = page.rows["WH-11"], page.rows["WH-12"]
    assert dependent.isHidden()
    left_before = workspace.section_state(2)[1]

    qtbot.mouseClick(controller.editor.buttons["yes"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not dependent.isHidden()
    window.grab().save(str(shots / "relevance_shown.png"))
    # WH-12 is now required too: answering WH-11 did not lower the count.
    assert workspace.section_state(2)[1] == left_before
    answer_row(qtbot, dependent)
    assert load_detail(db, uuid).answers["WH-12"].value is not None

    qtbot.mouseClick(controller.editor.buttons["no"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dependent.isHidden()
    problems = lifecycle.completion_problems(db, uuid)
    assert not any("WH-12" in p for p in problems)
    assert not any("WH-11" in p for p in problems)


def test_out_of_range_number_is_refused_and_stored_value_kept(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    row = go_to_section(qtbot, workspace, "working_hours").rows["WH-03"]
    edit = row.editor.edit  # type: ignore[attr-defined]
    edit.setFocus()
    qtbot.keyClicks(edit, "60")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert load_detail(db, uuid).answers["WH-03"].value == 60.0
    assert not row.error.isVisibleTo(row)

    edit.selectAll()
    qtbot.keyClicks(edit, "500")
    qtbot.waitUntil(lambda: row.error.isVisibleTo(row), timeout=3000)  # debounced autosave
    assert row.error.text() == "Enter a number between 0 and 168 h."
    assert edit.text() == "500"  # what was typed stays for correction
    assert load_detail(db, uuid).answers["WH-03"].value == 60.0
    window.grab().save(str(shots / "validation.png"))

    edit.selectAll()
    qtbot.keyClicks(edit, "abc")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert row.error.text() == "Enter a number."
    assert load_detail(db, uuid).answers["WH-03"].value == 60.0
