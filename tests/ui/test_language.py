"""English ↔ 简体中文 without restarting, and no UI string left untranslated."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ietp_desktop.domain.checklist_answers import _RANGE_MESSAGES
from ietp_desktop.domain.findings import CATEGORY_LABELS, CLASSIFICATION_LABELS
from ietp_desktop.domain.lifecycle import STATUS_LABELS
from ietp_desktop.domain.outcome import OUTCOME_LABELS
from ietp_desktop.i18n import catalogue
from ietp_desktop.services import settings
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.shortcuts import SHORTCUTS
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.meetings import closing_page, meetings_page, qa_page
from ietp_desktop.ui.visits import details_page, list_models
from tests.ui.driver import go_to_section, open_in_window, page_index, visit_in_progress


def translated_via_tables() -> set[str]:
    """Strings the UI passes to tr() from tables rather than as literals."""
    return (
        set(details_page.LABELS.values())
        | set(list_models.DUE_LABELS.values())
        | set(list_models.VISIT_COLUMNS)
        | set(list_models.FACTORY_COLUMNS)
        | set(qa_page.RAISED_BY_LABELS.values())
        | set(qa_page.COLUMNS)
        | set(meetings_page.COLUMNS)
        | set(closing_page.ROLE_TITLES.values())
        | {s.label for s in SHORTCUTS}
        | set(STATUS_LABELS.values())
        | set(CLASSIFICATION_LABELS.values())
        | set(CATEGORY_LABELS.values())
        | set(OUTCOME_LABELS.values())
        | set(_RANGE_MESSAGES.values())
    )


def test_no_untranslated_ui_string_from_tables() -> None:
    """tr() literals everywhere are checked by tests/test_translations.py; these are the
    strings the UI passes to tr() from tables."""
    zh = catalogue("zh")
    assert sorted(repr(t) for t in translated_via_tables() if not zh.get(t)) == []


def test_switch_to_chinese_without_restart_keeps_work(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    row = go_to_section(qtbot, workspace, "working_hours").rows["WH-03"]
    row.editor.edit.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(row.editor.edit, "48")  # type: ignore[attr-defined]  # not yet saved
    assert window.tabs.tabText(0) == "Visits"
    assert row.question.text() == workspace.form.item("WH-03").question.en

    window.language_actions["zh"].trigger()

    assert window.tabs.tabText(0) == "访问"
    assert window.settings_menu.title() == "设置(&S)"
    assert row.question.text() == workspace.form.item("WH-03").question.zh
    assert row.other.text() == workspace.form.item("WH-03").question.en
    assert row.note_label.text() == catalogue("zh")["Note"]
    assert workspace.nav.item(2).text().startswith("工时")
    assert "剩余" in workspace.nav.item(2).text()
    closing_entry = workspace.nav.item(page_index(workspace, workspace.closing_page))
    assert closing_entry.text() == "末次会议与签名"
    assert row.editor.edit.text() == "48"  # type: ignore[attr-defined]
    qtbot.wait(20)  # let the menu bar lay out its new titles
    window.grab().save(str(shots / "checklist_zh.png"))
    assert load_detail(db, uuid).answers["WH-03"].value == 48.0  # pending typing was saved
    assert settings.read(db, settings.LANGUAGE) == "zh"

    workspace.go_to_page(page_index(workspace, workspace.closing_page))
    qtbot.mouseClick(workspace.closing_page.complete_button, Qt.MouseButton.LeftButton)
    reasons = workspace.closing_page.reasons
    texts = [reasons.item(i).text() for i in range(reasons.count())]
    assert "出席人员中没有记录高级管理人员" in texts
    assert any(t.startswith("必答项 OM-01 尚未回答：") for t in texts)
    window.grab().save(str(shots / "closing_zh.png"))

    window.language_actions["en"].trigger()
    assert window.tabs.tabText(0) == "Visits"


def test_window_starts_in_the_stored_language(qtbot: QtBot, db: Database) -> None:
    from ietp_desktop.ui.app import restore_language

    settings.write(db, (settings.LANGUAGE, "zh"))
    restore_language(db)
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.tabs.tabText(1) == "工厂"
    assert window.help_menu.title() == "帮助(&H)"
    labels = [label for label, _keys in window.shortcut_rows()]
    assert labels == [catalogue("zh")[s.label] for s in SHORTCUTS]
