"""A visit on checklist v1 answered the report's language (CM-07): the Report page offers that
language. Checklist v2 dropped CM-07: the page keeps its own default and the specialist chooses."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from ietp_desktop.services.visits import answers, lifecycle
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import FormDefinition
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.reporting.report_page import ReportPage


def _started(db: Database, version: str) -> str:
    with db.session() as session:
        sha = session.query(FormDefinition).filter_by(version=version).one().sha256
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today(), form_sha256=sha)
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    lifecycle.start_visit(db, planned.uuid)
    return planned.uuid


def _page(qtbot: QtBot, db: Database, uuid: str) -> ReportPage:
    page = ReportPage(WorkspaceContext(db, uuid, VisitEvents()))
    qtbot.addWidget(page)
    return page


def test_a_v1_visit_preselects_the_language_it_answered(qtbot: QtBot, db: Database) -> None:
    uuid = _started(db, "1")
    answers.record_answer(db, uuid, "CM-07", "zh")
    page = _page(qtbot, db, uuid)
    assert page.chosen_language() == "zh"
    assert page.language.currentText() == "Chinese"

    answers.record_answer(db, uuid, "CM-07", "en")  # answered again while the page is open
    page.refresh()
    assert page.chosen_language() == "en"

    page.language.setCurrentIndex(page.language.findData("both"))  # still the user's choice
    page.refresh()
    assert page.chosen_language() == "both"


def test_a_v2_visit_keeps_the_page_default(qtbot: QtBot, db: Database) -> None:
    uuid = _started(db, "2")
    page = _page(qtbot, db, uuid)
    assert page.chosen_language() == "both"
