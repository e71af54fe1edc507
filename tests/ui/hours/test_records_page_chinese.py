"""The Hours & wages page in Chinese: evidence lines, periods, calculator notes and proposed
findings read in Chinese, and a proposal accepted there keeps a Chinese and an English text."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.hours import records
from ietp_desktop.services.outcome import findings
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.hours.records_page import RecordsPage
from ietp_desktop.ui.outcome.findings_page import FindingsPage
from tests.services.hours.records_fixtures import TIME_HEADER, add_sample

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
ENGLISH_WORDS = re.compile(r"\b(worked|rule|Evidence|public holidays|Labour Law|more)\b")


def january_2027(tmp_path: Path) -> Path:
    """W01 (1001) works 4–16 Jan 2027 without a rest day; 2027's holidays are provisional."""
    lines = [TIME_HEADER]
    lines += [f"1001,张三,2027-01-{day:02d},08:00,12:00,13:00,20:00\n" for day in range(4, 17)]
    path = tmp_path / "考勤.csv"
    path.write_bytes(("\ufeff" + "".join(lines)).encode("utf-8"))
    return path


def test_results_and_proposals_read_in_chinese(
    qtbot: QtBot, db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    records.commit_import(
        db, started_visit, records.preview_import(db, started_visit, january_2027(tmp_path), "time")
    )
    set_language("zh")
    page = RecordsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.results is not None, timeout=20000)

    notes = page.notes_label.text()
    assert "规则集 cn-guangdong-v1 中 2027 年的法定节假日为暂定" in notes
    assert "每 7 天至少休息一天：抽样 3 人中 1 人" in notes  # the whole workforce beside
    assert "provisional" not in notes and "sampled" not in notes

    # a live switch to English and back shows every line in the new language
    set_language("en")
    page.retranslate()
    notes = page.notes_label.text()
    assert "public holidays for 2027 are provisional in cn-guangdong-v1" in notes
    assert "1 of 3 sampled workers" in notes and "规则" not in notes
    assert "4–16 Jan 2027" in page.worker_breaches.item(0).text()
    set_language("zh")
    page.retranslate()

    page.results_table.selectRow(0)
    lines = [page.worker_breaches.item(i).text() for i in range(page.worker_breaches.count())]
    run = next(line for line in lines if "连续工作" in line)
    assert run.startswith("2027年1月4日–16日 — W01 连续工作 13 天（2027年1月4日–16日）")
    assert "《劳动法》第三十八条" in run
    for line in lines:
        assert not ENGLISH_MONTH.search(line) and not ENGLISH_WORDS.search(line), line

    proposals = page._visible_proposals()
    index = next(i for i, v in enumerate(proposals) if v.proposal.rule_id == "rest_days_per_week")
    page.proposal_list.setCurrentRow(index)
    shown = page.proposal_text.toPlainText()
    assert shown.startswith("工人未能每七天休息一天")
    assert "期间 2027年1月4日–16日" in shown and "证据：\n- W01 连续工作 13 天" in shown
    assert not ENGLISH_MONTH.search(shown) and not ENGLISH_WORDS.search(shown), shown

    page.accept_button.click()
    qtbot.waitUntil(lambda: "F-" in page.message.text() or "发现" in page.message.text())
    (finding,) = [f for f in findings.list_findings(db, started_visit) if f.source == "calculated"]
    assert finding.title_zh == "工人未能每七天休息一天"
    assert finding.description_zh.startswith("抽样 3 名工人中有 1 名（W01）")
    assert "2027年1月4日–16日" in finding.description_zh
    assert finding.title == "Workers without one rest day in seven days"
    assert "W01 worked 13 consecutive days, 4–16 Jan 2027" in finding.description
    assert not re.search(r"[\u4e00-\u9fff]", finding.description)

    findings_page = FindingsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(findings_page)
    findings_page.refresh()
    title = findings_page.table.item(0, 4)
    assert title is not None and title.text() == "工人未能每七天休息一天"
    assert title.toolTip().startswith("抽样 3 名工人中有 1 名")


def test_import_preview_lists_row_problems_in_chinese(
    qtbot: QtBot, db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    records.commit_import(
        db, started_visit, records.preview_import(db, started_visit, january_2027(tmp_path), "time")
    )
    (tmp_path / "again").mkdir()
    again = january_2027(tmp_path / "again")  # the same file name, imported again
    lines = again.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines.append("1002,李四,2027/13/45,08:00,12:00,,\n")  # unreadable date
    lines.append("1003,王五,2027-01-05,09:00,08:00,,\n")  # clock-out before clock-in
    again.write_text("".join(lines), encoding="utf-8")
    set_language("zh")
    page = RecordsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    page.start_import(again, "time")
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=10000)
    dialog = page.dialog
    assert dialog is not None
    reasons = {
        dialog.problems.item(r, 1).text(): dialog.problems.item(r, 4).text()
        for r in range(dialog.problems.rowCount())
    }
    assert reasons["2"] == "该工人当天的记录已从 考勤.csv 导入"  # imported before
    assert reasons["15"] == "无法读取的日期 '2027/13/45'"
    assert reasons["16"] == "下班时间早于上班时间"
    assert all(not re.search(r"\b(records|unreadable|before)\b", r) for r in reasons.values())
