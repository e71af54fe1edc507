"""The Hours & wages page as the specialist uses it: import a messy attendance file, see the
problems by row, import the good rows, see the breaches, accept a proposed finding."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ietp_desktop.services.outcome import findings
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import TimeRecord
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.hours.records_chart import OVER_PROGRAMME_COLOUR
from ietp_desktop.ui.hours.records_page import BREACH_BG, RecordsPage
from tests.services.hours.records_fixtures import TIME_HEADER, add_sample


def stored(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(TimeRecord)) or 0)


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def messy_attendance(tmp_path: Path) -> Path:
    """GBK, a title row, 14 straight days of 12 h for 1001, and three bad rows."""
    lines = ["十月考勤\n", TIME_HEADER]
    for day in range(1, 15):
        lines.append(f"1001,张三,2026-10-{day:02d},07:00,12:00,13:00,20:00\n")
    lines.append("1002,李四,2026/10/03,08:00,12:00,13:00,17:00\n")
    lines.append("1002,李四,10-三月,08:00,12:00,,\n")  # unreadable date
    lines.append("1003,王五,2026-10-03,09:00,08:00,,\n")  # clock-out before clock-in
    lines.append("7777,赵六,2026-10-03,08:00,17:00,,\n")  # not in the sample
    path = tmp_path / "考勤十月.csv"
    path.write_bytes("".join(lines).encode("gbk"))
    return path


def test_import_messy_file_see_breaches_and_accept_a_proposal(
    qtbot: QtBot, db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    page = RecordsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    assert page.title() == "Hours & wages"
    assert page.sample_table.rowCount() == 3
    assert "suggested about 20" in page.coverage_label.text()

    page.start_import(messy_attendance(tmp_path), "time")
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=10000)
    dialog = page.dialog
    assert dialog is not None
    assert dialog.combos["worker_code"].currentText() == "工号"
    assert dialog.combos["out_2"].currentText() == "下班2"
    problems = {
        (
            cell(dialog.problems, r, 1).text(),
            cell(dialog.problems, r, 2).text(),
            cell(dialog.problems, r, 4).text(),
        )
        for r in range(dialog.problems.rowCount())
    }
    assert ("19", "下班1", "clock-out before clock-in") in problems
    assert not any(row == "20" for row, _, _ in problems)  # 7777 joins the roster
    assert dialog.layout_combo.currentData() == "worker-day"
    assert dialog.chosen_mapping()["layout"] == "worker-day"
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("punch-log"))
    assert dialog.chosen_mapping() == {"fields": {}, "sheet": "考勤十月", "layout": "punch-log"}
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("worker-day"))
    assert "Recognised: one row per worker and day" in dialog.recognised.text()
    assert "1 not on the roster yet" in dialog.recognised.text()
    assert any(row == "18" and column == "日期" for row, column, _ in problems)
    assert all(
        cell(dialog.problems, r, 0).text() == "考勤十月.csv"
        for r in range(dialog.problems.rowCount())
    )
    assert "2 rows have errors" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # nothing is stored while problems remain
    assert stored(db) == 0

    dialog.accept_problems.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: page.results is not None, timeout=20000)
    assert stored(db) == 31  # 14 days × 2 punches for 1001, 2 for 1002, 1 for 7777
    assert "Stored 31 records from 考勤十月.csv; 2 rows with problems left out" in (
        page.message.text()
    )

    table = page.results_table
    rows = {cell(table, r, 0).text(): r for r in range(table.rowCount())}
    w01 = rows["W01"]
    assert cell(table, w01, 7).text() == "14"  # longest run of days
    assert cell(table, w01, 7).background().color() == BREACH_BG
    assert cell(table, rows["W03"], 7).background().color() != BREACH_BG
    assert "W01" in page.chart.title
    assert any(
        "14 consecutive days" in page.worker_breaches.item(i).text()
        for i in range(page.worker_breaches.count())
    )

    proposals = page._visible_proposals()
    index = next(i for i, v in enumerate(proposals) if v.proposal.rule_id == "rest_days_per_week")
    page.proposal_list.setCurrentRow(index)
    assert "1–14 Oct 2026" in page.proposal_text.toPlainText()
    page.accept_button.click()
    qtbot.waitUntil(
        lambda: (
            page.results is not None
            and all(v.proposal.rule_id != "rest_days_per_week" for v in page._visible_proposals())
        ),
        timeout=20000,
    )
    calculated = [f for f in findings.list_findings(db, started_visit) if f.source == "calculated"]
    assert len(calculated) == 1
    assert "W01" in calculated[0].description
    assert calculated[0].classification == "standard_nc"


def test_chart_colours_weeks_over_the_programme_limit(qtbot: QtBot) -> None:
    from datetime import date

    from ietp_desktop.ui.hours.records_chart import WeeklyHoursChart

    chart = WeeklyHoursChart()
    qtbot.addWidget(chart)
    chart.set_data("W01", [(date(2026, 9, 28), 38.0), (date(2026, 10, 5), 72.0)], 40, 60)
    chart.resize(400, 220)
    image = chart.grab().toImage()
    assert image.width() == 400
    assert chart.bar_colour(72.0) == OVER_PROGRAMME_COLOUR
    assert chart.bar_colour(38.0) != OVER_PROGRAMME_COLOUR
