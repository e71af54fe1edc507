"""Checklist v2 in the window: facts the program already holds are shown where they are asked,
read-only, with where they come from and a way there; a v1 visit still asks them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import catalogue, set_language
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import answers, attendees, factories, lifecycle
from ietp_desktop.services.visits.derived import NOT_TYPED
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import FormDefinition
from ietp_desktop.ui.checklist.item_row import SOURCE_LINES, SOURCE_PAGES
from ietp_desktop.ui.common.changes import Changes
from tests.test_translations import _fields
from tests.ui.driver import (
    answer_all_required,
    go_to_section,
    open_in_window,
    press_ok,
    visit_in_progress,
)


def _shenzhen_visit(db: Database) -> str:
    factory = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-77002",
            name_en="Shenzhen Test Toys Ltd.",
            name_zh="深圳测试玩具有限公司",
            city="Shenzhen",
            region="CN-GD-Shenzhen",
            headcount=500,
            seal_issued_on=date.today() - timedelta(days=90),
        ),
    )
    planned = lifecycle.plan_visit(db, factory.ietp_id, date.today(), specialist_name="Tester")
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    lifecycle.start_visit(db, planned.uuid)
    return planned.uuid


def test_senior_manager_row_reads_the_attendee_list_and_follows_it(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "opening")
    row = page.rows["OM-04"]
    assert row.derived_value.text() == "No senior manager among the attendees yet"
    assert row.required.text() == "read-only"
    assert not row.editor.isVisible() and not row.note.isVisible()
    assert row.derived_source.text().startswith("From the attendee list on Meetings & attendees")
    assert row.open_source.text() == "Open Meetings && attendees →"  # shows one "&"

    qtbot.mouseClick(row.open_source, Qt.MouseButton.LeftButton)
    meetings = workspace.meetings_page
    assert workspace.stack.currentWidget() is meetings
    dialog = meetings.add()
    qtbot.keyClicks(dialog.name, "Chen Wei")
    qtbot.keyClicks(dialog.role, "General Manager")
    for box in (dialog.senior, dialog.opening, dialog.closing):
        box.setChecked(True)
    press_ok(qtbot, dialog)

    go_to_section(qtbot, workspace, "opening")
    qtbot.waitUntil(lambda: row.derived_value.text() == "Yes: Chen Wei (General Manager)")
    window.grab().save(str(shots / "derived_opening.png"))
    assert "OM-04" not in load_detail(db, uuid).answers  # shown, never stored as an answer


def test_minimum_wage_row_shows_the_rule_sets_figure(qtbot: QtBot, db: Database) -> None:
    uuid = _shenzhen_visit(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    row = go_to_section(qtbot, workspace, "wages").rows["WG-02"]
    today = date.today().isoformat()
    assert row.derived_value.text() == (
        f"2520 CNY for CN-GD-Shenzhen on the visit date {today}, in force since 2025-03-01 "
        "(深圳市 2025 minimum wage adjustment)"
    )
    qtbot.mouseClick(row.open_source, Qt.MouseButton.LeftButton)
    assert workspace.stack.currentWidget() is workspace.records_page
    set_language("zh")
    workspace.context.events.sig_language_changed.emit()
    assert row.derived_value.text().startswith("2520 元，CN-GD-Shenzhen")
    assert row.open_source.text() == "打开“工时与工资” →"


def test_derived_items_never_count_as_required(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    answer_all_required(qtbot, workspace)
    attendees.add_attendee(
        db, uuid, attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)
    )
    workspace.refresh()
    assert [b.kind for b in workspace.detail.completion_blockers] == ["unsigned", "unsigned"]
    nav = [workspace.nav.item(i).text() for i in range(len(workspace.section_pages))]
    assert all("required left" not in text for text in nav)
    cap_row = go_to_section(qtbot, workspace, "closing").rows["CM-06"]
    assert cap_row.derived_value.text() == "No CAP lines yet: no non-compliance is recorded"
    assert "CM-07" not in go_to_section(qtbot, workspace, "closing").rows


def test_a_v1_visit_still_asks_and_shows_its_answers(qtbot: QtBot, db: Database) -> None:
    with db.session() as session:
        v1 = session.query(FormDefinition).filter_by(version="1").one().sha256
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today(), form_sha256=v1)
    lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
    lifecycle.start_visit(db, planned.uuid)
    answers.record_answer(db, planned.uuid, "OM-04", "yes")
    answers.record_answer(db, planned.uuid, "CM-07", "both")
    assert definitions.form_definition(db, v1).version == "1"
    _window, workspace = open_in_window(qtbot, db, planned.uuid)
    row = go_to_section(qtbot, workspace, "opening").rows["OM-04"]
    assert row.editor.isVisible() and not hasattr(row, "derived_box")
    assert row.editor.buttons["yes"].isChecked()
    closing = go_to_section(qtbot, workspace, "closing")
    assert closing.rows["CM-07"].editor.isVisible()
    assert not hasattr(closing.rows["CM-06"], "derived_box")


def test_screens_at_1366_in_both_languages(qtbot: QtBot, db: Database, shots: Path) -> None:
    uuid = _shenzhen_visit(db)
    attendees.add_attendee(
        db, uuid, attendees.AttendeeInput("Chen Wei 陈伟", "General Manager", True, True, True)
    )
    window, workspace = open_in_window(qtbot, db, uuid)
    window.showNormal()
    window.resize(1366, 768)
    for language in ("en", "zh"):
        set_language(language)
        workspace.context.events.sig_language_changed.emit()
        for section, item_id in (("opening", "OM-04"), ("wages", "WG-02"), ("closing", "CM-06")):
            page = go_to_section(qtbot, workspace, section)
            qtbot.wait(100)  # the new language's longer lines laid out first
            page.ensureWidgetVisible(page.rows[item_id], 0, 200)
            QApplication.processEvents()
            row = page.rows[item_id]
            value, button = row.derived_value, row.open_source
            assert value.height() >= value.heightForWidth(value.width()), (language, item_id)
            assert button.height() >= button.sizeHint().height(), (language, item_id)
            window.grab().save(str(shots / f"derived_{section}_{language}.png"))
    set_language("en")


def test_cap_due_date_row_follows_the_cap_lines(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    row = go_to_section(qtbot, workspace, "closing").rows["CM-06"]
    assert row.derived_value.text() == "No CAP lines yet: no non-compliance is recorded"
    findings.add_finding(
        db, uuid, findings.FindingInput("transparency", "Two sets of attendance records")
    )
    workspace.context.events.announce(Changes.FINDINGS | Changes.CAP)  # as the Findings page
    (line,) = cap.list_cap_lines(db, uuid)
    assert line.due_date is not None
    expected = f"{line.due_date.isoformat()}, the due date of the CAP line"
    qtbot.waitUntil(lambda: row.derived_value.text() == expected)
    qtbot.mouseClick(row.open_source, Qt.MouseButton.LeftButton)
    assert workspace.stack.currentWidget() is workspace.outcome_page


def test_every_derived_wording_has_chinese_with_the_same_placeholders() -> None:
    # kept in tables, so tests/test_translations.py (which reads tr("…") calls) cannot see them
    zh = catalogue("zh")
    for msgid in [*SOURCE_PAGES.values(), *SOURCE_LINES.values(), *NOT_TYPED.values()]:
        assert msgid in zh, msgid
        assert _fields(zh[msgid]) == _fields(msgid), msgid
