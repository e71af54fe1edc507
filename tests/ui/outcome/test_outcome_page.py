"""The Outcome & CAP page as the specialist sees it (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import attendees, factories, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.outcome.outcome_page import OutcomePage


@pytest.fixture
def context(tmp_path: Path) -> Iterator[WorkspaceContext]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(db, factories.FactoryInput("IETP-T-1", "Test Toys", "测试玩具"))
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), None)
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    attendees.add_attendee(
        db, planned.uuid, attendees.AttendeeInput("Chen Wei", "GM", True, True, True)
    )
    yield WorkspaceContext(db, planned.uuid, VisitEvents())
    db.dispose()


def page_for(qtbot: QtBot, context: WorkspaceContext) -> OutcomePage:
    page = OutcomePage(context)
    qtbot.addWidget(page)
    page.refresh()
    return page


def add(db: Database, uuid: str, classification: str, title: str) -> None:
    findings.add_finding(db, uuid, findings.FindingInput(classification, title, title=title))


@pytest.mark.parametrize(
    ("classifications", "big_words", "drivers"),
    [
        ((), "Certificate maintained", None),
        (("observation",), "Certificate maintained", None),
        (("standard_nc",), "Certificate maintained — CAP required", "F01 — Finding 1"),
        (
            ("standard_nc", "transparency"),
            "Status review — transparency; CAP required",
            "F02 — Finding 2",
        ),
        (
            ("transparency", "zero_tolerance"),
            "Termination (zero tolerance) — referred to IETP",
            "F02 — Finding 2",
        ),
    ],
)
def test_recommendation_and_drivers_are_shown(
    qtbot: QtBot,
    context: WorkspaceContext,
    classifications: tuple[str, ...],
    big_words: str,
    drivers: str | None,
) -> None:
    for number, classification in enumerate(classifications, start=1):
        add(context.db, context.visit_uuid, classification, f"Finding {number}")
    page = page_for(qtbot, context)
    assert page.outcome_label.text() == f"Provisional: {big_words}"  # not completed yet
    assert page.explanation.text().startswith("The certificate stays in place") or (
        "IETP" in page.explanation.text()
    )
    if drivers is None:
        assert page.drivers.isHidden()
    else:
        assert drivers in page.drivers.text()
        assert "Finding 1" not in page.drivers.text() or drivers.startswith("F01")


def test_refusal_from_the_page_leads_to_progress_audit(
    qtbot: QtBot, context: WorkspaceContext
) -> None:
    add(context.db, context.visit_uuid, "zero_tolerance", "Child labour")
    page = page_for(qtbot, context)
    assert not page.record_refusal()
    assert "say how the factory refused" in page.refusal_message.text()
    page.refusal_note.setPlainText("GM refused entry at the gate")
    with qtbot.waitSignal(context.events.sig_changed):
        assert page.record_refusal()
    assert page.outcome_label.text() == "Progress Audit required"
    assert "unannounced Progress Audit" in page.explanation.text()
    assert page.drivers.isHidden()


def test_override_needs_a_reason_then_both_are_shown_and_stored(
    qtbot: QtBot, context: WorkspaceContext, tmp_path: Path
) -> None:
    add(context.db, context.visit_uuid, "transparency", "Second ledger")
    page = page_for(qtbot, context)
    page.override_combo.setCurrentIndex(page.override_combo.findData("maintained_cap_required"))
    assert not page.apply_override()
    assert page.override_message.text() == (
        "Write the reason for overriding the recommended outcome first."
    )
    assert page.outcome_label.text() == "Provisional: Status review — transparency; CAP required"

    page.override_reason.setPlainText("Ledger was a training copy")
    with qtbot.waitSignal(context.events.sig_saved) as saved:
        assert page.apply_override()
    assert saved.args == ["Saved"]
    assert page.outcome_label.text() == "Provisional: Certificate maintained — CAP required"
    assert page.overridden_label.text() == (
        "Overridden by the specialist. The rules recommended: Status review — transparency; "
        "CAP required. Reason: Ledger was a training copy"
    )
    context.db.dispose()
    reopened = open_workspace(tmp_path / "data")
    fresh = page_for(qtbot, WorkspaceContext(reopened, context.visit_uuid, VisitEvents()))
    assert fresh.outcome_label.text() == "Provisional: Certificate maintained — CAP required"
    assert "Ledger was a training copy" in fresh.overridden_label.text()
    assert not fresh.overridden_label.isHidden()
    reopened.dispose()


def test_cap_table_edits_agreement_and_xlsx_round_trip(
    qtbot: QtBot, context: WorkspaceContext, tmp_path: Path
) -> None:
    db, uuid = context.db, context.visit_uuid
    add(db, uuid, "standard_nc", "Overtime")
    page = page_for(qtbot, context)
    assert page.cap_table.rowCount() == 1
    page.cap_table.item(0, 3).setText("Hire 20 workers")
    status = page.cap_table.cellWidget(0, 7)
    status.setCurrentIndex(status.findData("in_progress"))
    line = cap.list_cap_lines(db, uuid)[0]
    assert (line.corrective_action, line.status) == ("Hire 20 workers", "in_progress")

    page.agreed_by.setCurrentText("Chen Wei")
    assert page.agree()
    assert page.agreed_label.text() == f"Agreed by Chen Wei on {date.today().isoformat()}"
    page.agreed_by.setCurrentText("Somebody")
    assert not page.agree()
    assert "Somebody is not recorded as a senior manager" in page.cap_message.text()

    out = tmp_path / "cap.xlsx"
    assert page.export_to(out)
    book = openpyxl.load_workbook(out)
    book["CAP"].cell(9, 8).value = "Closed / 已完成"
    book.save(out)
    report = page.import_from(out)
    assert report is not None
    assert "F01 · Status: in_progress → closed" in page.import_report.toPlainText()
    assert page.cap_table.cellWidget(0, 7).currentData() == "closed"

    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert page.import_from(bad) is None
    assert "bad.xlsx is not an XLSX file" in page.cap_message.text()


def test_fee_note_shows_cap_and_due_date(qtbot: QtBot, context: WorkspaceContext) -> None:
    page = page_for(qtbot, context)
    assert page.fee_label.text() == "Enter man-days and the day rate to see the fee."
    page.man_days.setText("2")
    page.day_rate.setText("900")
    page.invoice_received.set_value(date(2026, 9, 30))
    assert page.save_fee()
    assert page.fee_label.text().splitlines() == [
        "2 man-days × US$ 900.00 = US$ 1,800.00",
        "Capped at US$1,500: the factory pays US$ 1,500.00",
        "Invoice received 2026-09-30; due 2026-10-27 (15 working days, weekends and public "
        "holidays skipped)",
    ]
    detail = load_detail(context.db, context.visit_uuid)
    assert detail.fee is not None and detail.fee.due_on == date(2026, 10, 27)
    page.man_days.setText("two")
    assert not page.save_fee()
    assert page.fee_message.text() == "Man-days and the day rate must be numbers."


def test_earlier_open_cap_lines_are_listed(qtbot: QtBot, context: WorkspaceContext) -> None:
    db, first = context.db, context.visit_uuid
    add(db, first, "standard_nc", "Blocked exit")
    second = lifecycle.plan_visit(db, "IETP-T-1", date(2027, 3, 1))
    page = page_for(qtbot, WorkspaceContext(db, second.uuid, VisitEvents()))
    assert page.earlier_table.rowCount() == 1
    assert page.earlier_table.item(0, 3).text() == "Blocked exit"
    assert page.earlier_table.item(0, 0).text() == first[:8]
    assert page.cap_empty.text() == "No CAP line: the visit has no non-compliance."
