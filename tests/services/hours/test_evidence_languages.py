"""The evidence of a finding calculated from the time and pay records is kept in English and
Chinese, whatever the window's language, and each report column prints its own language."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ietp_desktop.i18n import set_language
from ietp_desktop.reports.layout import Language
from ietp_desktop.reports.visit_report import build_visit_report
from ietp_desktop.services.dto import FindingView
from ietp_desktop.services.hours import proposals
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.reporting import report_data
from ietp_desktop.storage.db import Database
from tests.reports.pdftext import squash
from tests.services.hours.test_proposals_languages import rest_days

HEAD_EN = "Calculated from the imported time and pay records (rule set cn-guangdong-v1)."
HEAD_ZH = "根据导入的考勤和工资记录计算（规则集 cn-guangdong-v1）。"
BREACH_EN = "W01 worked 13 consecutive days, 1–13 Oct 2026"
BREACH_ZH = "W01 连续工作 13 天（2026年10月1日–13日）"


def accepted(db: Database, visit: str, tmp_path: Path) -> FindingView:
    view = rest_days(db, visit, tmp_path)
    code = proposals.accept_proposal(db, visit, view).code
    return {f.code: f for f in findings.list_findings(db, visit)}[code]


def test_accepted_in_the_english_window_stores_the_chinese_evidence_too(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    stored = accepted(db, started_visit, tmp_path)
    assert stored.evidence.splitlines()[0] == HEAD_EN and BREACH_EN in stored.evidence
    assert stored.evidence_zh.splitlines()[0] == HEAD_ZH and BREACH_ZH in stored.evidence_zh
    assert "Oct" not in stored.evidence_zh and "worked" not in stored.evidence_zh


def test_accepted_in_the_chinese_window_stores_the_english_evidence_too(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    set_language("zh")
    try:
        stored = accepted(db, started_visit, tmp_path)
    finally:
        set_language("en")
    assert stored.evidence.splitlines()[0] == HEAD_EN and "连续" not in stored.evidence
    assert stored.evidence_zh.splitlines()[0] == HEAD_ZH


def _findings_page(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    headings = {"Findings", "发现问题", "Findings 发现问题", "Findings / 发现问题"}
    return next(
        page
        for page in text.split("\f")
        if any(" ".join(line.split()) in headings for line in page.splitlines())
    )


def _report(db: Database, visit: str, language: Language, folder: Path) -> str:
    pdf = folder / f"report-{language}.pdf"
    build_visit_report(report_data.report_data(db, visit, language), pdf, language)
    return squash(_findings_page(pdf))


def test_each_report_column_prints_its_languages_evidence(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    accepted(db, started_visit, tmp_path)
    chinese = _report(db, started_visit, "zh", tmp_path)
    assert squash(f"证据：{HEAD_ZH}") in chinese and squash(BREACH_ZH) in chinese
    assert "Calculated" not in chinese
    both = _report(db, started_visit, "both", tmp_path)
    assert squash(f"Evidence: {HEAD_EN}") in both and squash(f"证据：{HEAD_ZH}") in both
    english = _report(db, started_visit, "en", tmp_path)
    assert squash(HEAD_EN) in english and squash(HEAD_ZH) not in english


def test_a_finding_without_chinese_evidence_shows_the_english_in_the_chinese_column(
    db: Database, started_visit: str
) -> None:
    findings.add_finding(
        db,
        started_visit,
        findings.FindingInput("standard_nc", "Exit blocked", evidence="Photo P01 of exit B"),
    )
    data = report_data.report_data(db, started_visit, "zh")
    (finding,) = data.findings
    assert finding.description.endswith("证据：Photo P01 of exit B")
