"""An accepted proposal keeps an English and a Chinese title and description; text the
specialist edited replaces only the language it was written in."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ietp_desktop.i18n import set_language
from ietp_desktop.reports.layout import Language
from ietp_desktop.services.hours import proposals, records
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.reporting import report_data
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Finding
from tests.services.hours.records_fixtures import add_sample, thirteen_days_csv


def rest_days(db: Database, visit: str, tmp_path: Path) -> proposals.ProposalView:
    add_sample(db, visit)
    preview = records.preview_import(db, visit, thirteen_days_csv(tmp_path), "time")
    records.commit_import(db, visit, preview)
    views = proposals.proposed_findings(db, visit)
    return next(v for v in views if v.proposal.rule_id == "rest_days_per_week")


def test_accepted_in_english_carries_chinese_too(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    finding = proposals.accept_proposal(db, started_visit, view)
    stored = {f.code: f for f in findings.list_findings(db, started_visit)}[finding.code]
    assert stored.title == "Workers without one rest day in seven days"
    assert "1–13 Oct 2026" in stored.description
    assert stored.title_zh == "工人未能每七天休息一天"
    assert "2026年10月1日–13日" in stored.description_zh and "Oct" not in stored.description_zh


def test_text_edited_in_chinese_replaces_only_the_chinese(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    finding = proposals.accept_proposal(
        db, started_visit, view, "我们自己的描述。", "连续工作 13 天", language="zh"
    )
    stored = {f.code: f for f in findings.list_findings(db, started_visit)}[finding.code]
    assert (stored.title_zh, stored.description_zh) == ("连续工作 13 天", "我们自己的描述。")
    assert stored.title == "Workers without one rest day in seven days"
    assert stored.description.startswith("1 of 3 sampled workers (W01)")


def test_the_cap_table_and_the_outcome_name_the_finding_in_the_readers_language(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    finding = proposals.accept_proposal(db, started_visit, view)
    try:
        set_language("zh")
        (line,) = [
            c for c in cap.list_cap_lines(db, started_visit) if c.finding_code == finding.code
        ]
        assert line.title == "工人未能每七天休息一天"
        assert line.description.startswith("抽样 3 名工人中有 1 名")
        drivers = load_detail(db, started_visit).outcome.drivers
        assert (finding.code, "standard_nc", "工人未能每七天休息一天") in drivers
    finally:
        set_language("en")
    (line,) = [c for c in cap.list_cap_lines(db, started_visit) if c.finding_code == finding.code]
    assert line.title == "Workers without one rest day in seven days"


def test_the_report_prints_the_finding_in_each_languages_column(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    finding = proposals.accept_proposal(db, started_visit, view)
    # the evidence field is one stored text (English), appended in every column: compare the
    # descriptions only
    with db.session() as session:
        session.scalars(select(Finding).where(Finding.code == finding.code)).one().evidence = ""

    def described(language: Language) -> str:
        data = report_data.report_data(db, started_visit, language)
        return next(f.description for f in data.findings if f.code == finding.code)

    english, chinese, both = described("en"), described("zh"), described("both")
    assert english.startswith("Workers without one rest day in seven days. 1 of 3 sampled")
    assert "1–13 Oct 2026" in english and "工人" not in english
    assert chinese.startswith("工人未能每七天休息一天。抽样 3 名工人中有 1 名")
    assert "2026年10月1日–13日" in chinese and "sampled" not in chinese
    assert both.startswith(english) and "\n工人未能每七天休息一天。抽样" in both
