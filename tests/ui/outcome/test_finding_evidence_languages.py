"""The finding dialog shows and edits the evidence in the window's language; the other
language's evidence is kept as it was (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.dto import FindingView
from ietp_desktop.services.hours import proposals
from ietp_desktop.services.outcome import findings
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.outcome.findings_page import FindingEditDialog, FindingsPage
from tests.services.hours.test_proposals_languages import rest_days


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def _stored(db: Database, visit: str, code: str) -> FindingView:
    return {f.code: f for f in findings.list_findings(db, visit)}[code]


def _label_of(dialog: FindingEditDialog) -> str:
    form = dialog.findChild(QFormLayout)
    assert form is not None
    label = form.labelForField(dialog.evidence)
    assert isinstance(label, QLabel)
    return label.text()


def test_the_chinese_dialog_shows_and_edits_the_chinese_evidence(
    qtbot: QtBot, db: Database, started_visit: str, tmp_path: Path, chinese: None
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    set_language("en")  # accepted in the English window
    code = proposals.accept_proposal(db, started_visit, view).code
    set_language("zh")
    page = FindingsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    page.select_code(code)
    dialog = page.open_dialog(page.selected())
    qtbot.addWidget(dialog)
    assert _label_of(dialog) == "证据（中文）"
    shown = dialog.evidence.toPlainText()
    assert shown.startswith("根据导入的考勤和工资记录计算（规则集 cn-guangdong-v1）。")
    assert "W01 连续工作 13 天" in shown and "worked" not in shown
    english = _stored(db, started_visit, code).evidence
    dialog.evidence.setPlainText("考勤卡复印件见 P03。")
    dialog.save()
    stored = _stored(db, started_visit, code)
    assert (stored.evidence_zh, stored.evidence) == ("考勤卡复印件见 P03。", english)


def test_an_older_finding_shows_its_english_evidence_and_keeps_it_unwritten(
    qtbot: QtBot, db: Database, started_visit: str, chinese: None
) -> None:
    """A finding from before the Chinese evidence was kept: the Chinese dialog shows the
    English (never a blank) and saving it untouched writes no Chinese copy of it."""
    code = findings.add_finding(
        db,
        started_visit,
        findings.FindingInput("standard_nc", "Exit B blocked", evidence="Photo P01 of exit B"),
    ).code
    page = FindingsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    page.select_code(code)
    dialog = page.open_dialog(page.selected())
    qtbot.addWidget(dialog)
    assert dialog.evidence.toPlainText() == "Photo P01 of exit B"
    dialog.title_zh.setText("B 出口堵塞")
    dialog.save()
    stored = _stored(db, started_visit, code)
    assert (stored.title_zh, stored.evidence, stored.evidence_zh) == (
        "B 出口堵塞",
        "Photo P01 of exit B",
        "",
    )


def test_the_english_dialog_edits_the_english_evidence_only(
    qtbot: QtBot, db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = rest_days(db, started_visit, tmp_path)
    code = proposals.accept_proposal(db, started_visit, view).code
    chinese_evidence = _stored(db, started_visit, code).evidence_zh
    page = FindingsPage(WorkspaceContext(db, started_visit, VisitEvents()))
    qtbot.addWidget(page)
    page.select_code(code)
    dialog = page.open_dialog(page.selected())
    qtbot.addWidget(dialog)
    assert _label_of(dialog) == "Evidence (English)"
    assert dialog.evidence.toPlainText().startswith("Calculated from the imported time")
    dialog.evidence.setPlainText("Time cards copied, see P03.")
    dialog.save()
    stored = _stored(db, started_visit, code)
    assert (stored.evidence, stored.evidence_zh) == (
        "Time cards copied, see P03.",
        chinese_evidence,
    )
