"""The Findings page: table, edit dialog, merge and delete (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.outcome.findings_page import FindingsPage


@pytest.fixture
def context(tmp_path: Path) -> Iterator[WorkspaceContext]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(db, factories.FactoryInput("IETP-T-1", "Test Toys"))
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), None)
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    yield WorkspaceContext(db, planned.uuid, VisitEvents())
    db.dispose()


def cells(page: FindingsPage, row: int) -> list[str]:
    return [page.table.item(row, c).text() for c in range(page.table.columnCount())]


def test_table_and_edit_dialog(qtbot: QtBot, context: WorkspaceContext) -> None:
    page = FindingsPage(context)
    qtbot.addWidget(page)
    assert page.title() == "Findings" and page.table.rowCount() == 0
    dialog = page.open_dialog(None)
    dialog.description.setPlainText("")
    dialog.save()
    assert "the description is empty" in dialog.error.text()
    dialog.classification.setCurrentIndex(dialog.classification.findData("standard_nc"))
    dialog.category.setCurrentIndex(dialog.category.findData("working_hours"))
    dialog.root_cause.setCurrentIndex(dialog.root_cause.findData("production_planning"))
    dialog.title_edit.setText("Overtime above 36 h")
    dialog.description.setPlainText("Assembly line worked 60 h overtime in September")
    dialog.items.setText("wh-01")
    with qtbot.waitSignal(context.events.sig_changed):
        dialog.save()
    assert cells(page, 0) == [
        "F01",
        "Standard non-compliance",
        "Working hours",
        "Production planning",
        "Overtime above 36 h",
        "WH-01",
        "0",
        "Raised by hand",
    ]
    page.table.selectRow(0)
    edit = page.open_dialog(page.selected())
    assert edit.title_edit.text() == "Overtime above 36 h"
    edit.classification.setCurrentIndex(edit.classification.findData("zero_tolerance"))
    edit.save()  # zero tolerance asks first, naming the consequence
    assert "Termination" in edit.zero_tolerance_box.informativeText()  # type: ignore[union-attr]
    edit.zero_tolerance_box.findChild(QPushButton, "confirm_zero_tolerance").click()  # type: ignore[union-attr]
    assert cells(page, 0)[1] == "Zero tolerance"


def test_merge_and_delete_with_confirmation(qtbot: QtBot, context: WorkspaceContext) -> None:
    db, uuid = context.db, context.visit_uuid
    findings.add_finding(
        db, uuid, findings.FindingInput("standard_nc", "Exit A", title="A", item_ids=("WH-01",))
    )
    findings.add_finding(
        db, uuid, findings.FindingInput("standard_nc", "Exit B", title="B", item_ids=("WH-03",))
    )
    findings.add_finding(db, uuid, findings.FindingInput("observation", "Board", title="C"))
    page = FindingsPage(context)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 3 and page.merge_button.isEnabled()
    assert page.merge("F01", "F02")
    assert [cells(page, r)[0] for r in range(page.table.rowCount())] == ["F01", "F03"]
    assert cells(page, 0)[5] == "WH-01, WH-03"
    assert not page.merge("F01", "F01")
    assert "with itself" in page.error.text()

    page.select_code("F03")
    page.confirm = lambda _question: False  # type: ignore[method-assign]
    assert not page.delete_selected()
    assert page.table.rowCount() == 2
    asked: list[str] = []
    page.confirm = lambda question: asked.append(question) or True  # type: ignore[method-assign]
    assert page.delete_selected()
    assert asked and asked[0].startswith("Delete finding F03 (C)?")
    assert [cells(page, r)[0] for r in range(page.table.rowCount())] == ["F01"]
