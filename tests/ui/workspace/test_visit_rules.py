"""The rules of a visit as the specialist meets them in the window: saved signatures only,
open CAP points asked about, a provisional outcome, signed visits read-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.demo.seed import answer_everything
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import attendees, signatures
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.ui.outcome.findings_page import FindingsPage, MergeDialog
from ietp_desktop.ui.outcome.outcome_page import OutcomePage
from tests.closing import sign_closing
from tests.ui.driver import (
    draw_signature,
    go_to_section,
    open_in_window,
    page_index,
    visit_in_progress,
)

SENIOR = attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)


def _answered(db: Database) -> str:
    uuid = visit_in_progress(db)
    form = definitions.form_definition(db, load_detail(db, uuid).form_sha256)
    answer_everything(db, uuid, form, date.today())
    attendees.add_attendee(db, uuid, SENIOR)
    return uuid


def _reasons(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.reasons.item(i).text() for i in range(page.reasons.count())]


def test_a_drawn_but_unsaved_signature_does_not_complete_the_visit(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = _answered(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    closing = workspace.closing_page
    workspace.go_to_page(page_index(workspace, closing))
    specialist, factory = closing.boxes
    specialist.name.clear()  # type: ignore[union-attr]
    draw_signature(qtbot, specialist.pad)
    assert specialist.status.text() == "Drawn, not saved: enter the signer's name"
    draw_signature(qtbot, factory.pad)
    assert factory.status.text().startswith("Signed by Chen Wei")
    window.grab().save(str(shots / "signature_not_saved.png"))

    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    assert _reasons(closing) == ["The specialist's signature is not saved"]
    assert load_detail(db, uuid).summary.status == "in_progress"

    specialist.name.setFocus()
    qtbot.keyClicks(specialist.name, "Lin Mei")
    qtbot.waitUntil(lambda: specialist.status.text().startswith("Signed by Lin Mei"), timeout=3000)
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    assert "Visit completed" in closing.result.text()
    stored = {s.role: s.signer_name for s in load_detail(db, uuid).signatures}
    assert stored == {"specialist": "Lin Mei", "factory": "Chen Wei"}


def test_a_blocker_is_a_link_to_the_item(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    closing = workspace.closing_page
    workspace.go_to_page(page_index(workspace, closing))
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    first = closing.reasons.item(0)
    assert first.text().startswith("Required item OM-01 is not answered")
    rect = closing.reasons.visualItemRect(first)
    qtbot.mouseClick(closing.reasons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert workspace.current_item == "OM-01"
    assert workspace.stack.currentWidget() is workspace.section_pages[0]
    senior = next(
        i
        for i in range(closing.reasons.count())
        if "senior manager is recorded" in _reasons(closing)[i]
    )
    workspace.go_to_page(page_index(workspace, closing))
    closing.go_to_reason(closing.reasons.item(senior))
    assert workspace.stack.currentWidget() is workspace.meetings_page


def test_completion_asks_when_the_cap_is_not_settled(qtbot: QtBot, db: Database) -> None:
    uuid = _answered(db)
    sign_closing(db, uuid, SENIOR.name)
    findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Fire exit blocked"))
    _window, workspace = open_in_window(qtbot, db, uuid)
    closing = workspace.closing_page
    workspace.go_to_page(page_index(workspace, closing))
    qtbot.mouseClick(closing.complete_button, Qt.MouseButton.LeftButton)
    box = closing.warning_box
    assert box is not None and box.isVisible()
    assert box.informativeText().splitlines() == [
        "• Non-compliance F01 has no corrective action in the CAP",
        "• The CAP is not agreed with the factory yet",
    ]
    qtbot.mouseClick(box.findChild(QPushButton, "back_to_cap"), Qt.MouseButton.LeftButton)
    assert isinstance(workspace.stack.currentWidget(), OutcomePage)
    assert load_detail(db, uuid).summary.status == "in_progress"


def test_the_outcome_is_provisional_until_completion(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = next(p for p in workspace.extra_pages if isinstance(p, OutcomePage))
    workspace.go_to_page(page_index(workspace, page))
    assert page.outcome_label.text() == "Provisional: Certificate maintained"
    required = len([b for b in load_detail(db, uuid).completion_blockers if b.item_id])
    assert f"{required} required item(s) unanswered" in page.provisional_label.text()
    assert page.provisional_label.isVisibleTo(page)


def test_a_signed_visit_opens_read_only_and_says_how_to_change_it(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = _answered(db)
    with db.session() as session:
        session.query(Visit).filter_by(uuid=uuid).one().status = "signed"
    window, workspace = open_in_window(qtbot, db, uuid)
    assert workspace.banner.isVisible()
    assert "signed (revision 1) and read-only" in workspace.banner_text.text()
    row = go_to_section(qtbot, workspace, "working_hours").rows["WH-01"]
    before = load_detail(db, uuid).answers["WH-01"].value
    no = row.editor.buttons["no"]  # type: ignore[attr-defined]
    assert not no.isEnabled()
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert not no.isChecked() and row.editor.raw_value() == before
    assert window.error_label.text() == ""
    assert not row.error.isVisibleTo(row)
    meetings = workspace.meetings_page
    workspace.go_to_page(page_index(workspace, meetings))
    assert not meetings.add_button.isEnabled()
    window.grab().save(str(shots / "read_only_signed.png"))

    qtbot.mouseClick(workspace.unlock_button, Qt.MouseButton.LeftButton)
    dialog = workspace.revision_dialog
    dialog.setTextValue("Factory sent corrected overtime records")
    dialog.accept()
    qtbot.waitUntil(lambda: window.workspace is not workspace, timeout=3000)
    again = window.workspace
    assert again is not None and not again.banner.isVisible()
    assert load_detail(db, uuid).summary.revision == 2
    row = go_to_section(qtbot, again, "working_hours").rows["WH-01"]
    assert row.editor.buttons["no"].isEnabled()  # type: ignore[attr-defined]
    QApplication.processEvents()


def test_merge_never_offers_the_same_finding_twice(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    for text in ("Exit blocked", "Extinguisher missing", "No drill"):
        findings.add_finding(db, uuid, findings.FindingInput("standard_nc", text))
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = next(p for p in workspace.extra_pages if isinstance(p, FindingsPage))
    workspace.go_to_page(page_index(workspace, page))
    dialog = MergeDialog(page.rows, page)
    for keep in range(dialog.keep.count()):
        dialog.keep.setCurrentIndex(keep)
        offered = [dialog.other.itemData(i) for i in range(dialog.other.count())]
        assert dialog.keep.currentData() not in offered and len(offered) == 2
    signatures.clear_signature(db, uuid, "factory")  # harmless when none is saved
