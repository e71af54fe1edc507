"""Every keystroke kept: a Q&A entry not yet added survives a restart; the fee note and the
CAP agreement save as they are typed; removing an attendee asks; Escape over a typed
attendee asks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import attendees
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.outcome.outcome_page import OutcomePage
from tests.ui.driver import open_in_window, page_index, select_row, visit_in_progress


def test_a_qa_entry_not_yet_added_is_back_after_a_restart(
    qtbot: QtBot, db: Database, data_dir: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    page = workspace.qa_page
    workspace.go_to_page(page_index(workspace, page))
    page.question.setFocus()
    qtbot.keyClicks(page.question, "Can overtime be paid as a bonus?")
    qtbot.keyClicks(page.answer, "No: it must be paid at the premium rate.")
    window.close()  # quit without pressing "Add entry"
    QApplication.processEvents()
    db.dispose()

    db2 = open_workspace(data_dir)
    again = MainWindow(db2, restore=False)
    qtbot.addWidget(again)
    again.show()
    workspace2 = again.open_visit(uuid)
    assert workspace2 is not None
    page2 = workspace2.qa_page
    workspace2.go_to_page(page_index(workspace2, page2))
    assert page2.question.toPlainText() == "Can overtime be paid as a bonus?"
    assert page2.answer.toPlainText() == "No: it must be paid at the premium rate."
    assert "back" in page2.error.text()
    qtbot.mouseClick(page2.add_button, Qt.MouseButton.LeftButton)
    assert [q.question for q in load_detail(db2, uuid).qa] == ["Can overtime be paid as a bonus?"]
    workspace2.go_to_page(0)
    workspace2.go_to_page(page_index(workspace2, page2))
    assert page2.question.toPlainText() == ""  # added: the draft is gone
    db2.dispose()


def test_fee_and_cap_agreement_save_as_typed(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    attendees.add_attendee(
        db, uuid, attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)
    )
    findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Exit blocked"))
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = next(p for p in workspace.extra_pages if isinstance(p, OutcomePage))
    workspace.go_to_page(page_index(workspace, page))
    assert not page.fee_button.isVisibleTo(page) and not page.agree_button.isVisibleTo(page)
    page.man_days.setFocus()
    qtbot.keyClicks(page.man_days, "1.5")
    page.day_rate.setFocus()
    qtbot.keyClicks(page.day_rate, "850")
    qtbot.waitUntil(lambda: load_detail(db, uuid).day_rate_usd == Decimal("850"), timeout=3000)
    assert load_detail(db, uuid).man_days == Decimal("1.5")
    page.agreed_by.setCurrentIndex(page.agreed_by.findText("Chen Wei"))
    page.agreed_by.activated.emit(page.agreed_by.currentIndex())
    detail = load_detail(db, uuid)
    assert detail.cap_agreed_by == "Chen Wei" and detail.cap_agreed_on == date.today()


def test_removing_an_attendee_asks_and_escape_keeps_typed_text(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    attendees.add_attendee(db, uuid, attendees.AttendeeInput("Chen Wei", "GM", True, True, True))
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = workspace.meetings_page
    workspace.go_to_page(page_index(workspace, page))
    select_row(qtbot, page.table, 0)
    box = page.remove_selected()
    assert box is not None and "Remove Chen Wei" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert len(load_detail(db, uuid).attendees) == 1
    box = page.remove_selected()
    qtbot.mouseClick(box.findChild(QPushButton, "confirm_remove"), Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert load_detail(db, uuid).attendees == ()

    dialog = page.add()
    qtbot.keyClicks(dialog.name, "Zhao Gang")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.discard_box is not None
    assert dialog.discard_box.isVisible()
