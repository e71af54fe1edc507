"""Signatures are drawn at the closing meeting; a completed visit keeps the ones it has."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from ietp_desktop.demo.seed import answer_everything
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits import attendees, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.meetings.closing_page import ClosingPage
from tests.closing import sign_closing
from tests.ui.driver import open_in_window, page_index, visit_in_progress


def test_signature_pads_lock_once_the_visit_is_completed(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = next(p for p in workspace.extra_pages if isinstance(p, ClosingPage))
    workspace.go_to_page(page_index(workspace, page))
    assert all(box.pad.isEnabled() and box.clear_button.isEnabled() for box in page.boxes)

    form = definitions.form_definition(db, load_detail(db, uuid).form_sha256)
    answer_everything(db, uuid, form, date.today())
    attendees.add_attendee(
        db, uuid, attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)
    )
    sign_closing(db, uuid, "Chen Wei")
    lifecycle.complete_visit(db, uuid)
    page.refresh()
    assert not any(box.pad.isEnabled() or box.clear_button.isEnabled() for box in page.boxes)
    assert "Visit completed" in page.result.text()


def test_the_pads_stack_when_the_page_is_too_narrow_for_both(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    page = next(p for p in workspace.extra_pages if isinstance(p, ClosingPage))
    workspace.go_to_page(page_index(workspace, page))
    first, second = page.boxes

    window.resize(1366, 768)
    qtbot.waitUntil(lambda: second.geometry().left() > first.geometry().right())
    assert second.geometry().top() == first.geometry().top()

    window.resize(911, 512)  # 1366×768 at 150 %
    qtbot.waitUntil(lambda: second.geometry().top() > first.geometry().bottom())
    assert second.geometry().right() <= page.viewport().width()
