"""A live language switch reaches every page of the workspace: after English → 中文 no page
still shows an English UI string that has a Chinese translation, and after 中文 → English no
Chinese one."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ietp_desktop.demo.seed import seed_demo_visits
from ietp_desktop.i18n import catalogue
from ietp_desktop.services.hours import workers
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.hours.records_page import RecordsPage
from ietp_desktop.ui.reporting.report_page import ReportPage
from ietp_desktop.ui.workspace.visit_workspace import VisitWorkspace
from tests.ui.driver import open_in_window, page_index, visit_in_progress

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"<[^>]+>")
MNEMONIC = re.compile(r"&(?=\w)")  # "&File", not "Hours & wages"


def _lines(text: str) -> Iterator[str]:
    for line in MNEMONIC.sub("", html.unescape(TAG.sub("\n", text))).splitlines():
        if line.strip():
            yield line.strip()


def _texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for what the user reads on a widget."""
    where = f"{type(widget).__name__} {widget.objectName()}".strip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield where, widget.text()
    elif isinstance(widget, QGroupBox):
        yield where, widget.title()
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield where, widget.itemText(index)
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield where, widget.tabText(index)
    elif isinstance(widget, QLineEdit):
        yield where, widget.placeholderText()
    if isinstance(widget, QListWidget):
        for index in range(widget.count()):
            yield where, widget.item(index).text()
    if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
        model = widget.model()
        for column in range(model.columnCount(QModelIndex())):
            yield where, str(model.headerData(column, Qt.Orientation.Horizontal) or "")


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every line of UI text visible under `root`, one page of every tab widget at a time."""
    found: list[tuple[str, str]] = []
    tab_bars = [bar for bar in root.findChildren(QTabBar) if bar.isVisibleTo(root)]
    rounds = max([bar.count() for bar in tab_bars], default=1)
    for round_ in range(rounds):
        for bar in tab_bars:
            bar.setCurrentIndex(min(round_, bar.count() - 1))
        for widget in [root, *root.findChildren(QWidget)]:
            if widget is root or widget.isVisibleTo(root):
                for where, text in _texts_of(widget):
                    found += [(where, line) for line in _lines(text)]
    for bar in tab_bars:
        bar.setCurrentIndex(0)
    return found


def _pattern(text: str) -> re.Pattern[str] | None:
    """The whole-line pattern of a catalogue string; None for one that is all placeholders."""
    literal = PLACEHOLDER.sub("", text)
    if not re.search(r"[A-Za-z]{3}|[\u4e00-\u9fff]", literal):
        return None
    parts = PLACEHOLDER.split(text)
    return re.compile(".+".join(re.escape(part.strip()) for part in parts).strip())


def stale_patterns(old_texts: set[str], user_data: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for text in sorted(old_texts - user_data):
        for line in _lines(text):
            pattern = _pattern(line)
            if pattern is not None:
                patterns.append((text, pattern))
    return patterns


def localized_texts(value: object) -> Iterator[tuple[str, str]]:
    """(en, zh) of every bilingual text of a checklist definition."""
    if isinstance(value, dict):
        if set(value) == {"en", "zh"}:
            yield str(value["en"]), str(value["zh"])
            return
        for inner in value.values():
            yield from localized_texts(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from localized_texts(inner)


def walk_pages(qtbot: QtBot, workspace: VisitWorkspace) -> dict[str, list[tuple[str, str]]]:
    """Click every entry of the workspace's list and read the page it shows."""
    seen: dict[str, list[tuple[str, str]]] = {}
    for index in range(workspace.nav.count()):
        workspace.nav.scrollToItem(workspace.nav.item(index))
        rect = workspace.nav.visualItemRect(workspace.nav.item(index))
        qtbot.mouseClick(workspace.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        page = workspace.stack.currentWidget()
        assert page is not None
        assert page is workspace.stack.widget(index)
        qtbot.wait(5)
        name = f"{index:02d} {type(page).__name__}"
        seen[name] = shown_texts(page)
    seen["workspace"] = [
        (where, line)
        for widget in (workspace.header, workspace.nav, workspace.banner_text)
        for where, text in _texts_of(widget)
        for line in _lines(text)
    ]
    return seen


def leftovers(
    seen: dict[str, list[tuple[str, str]]],
    patterns: list[tuple[str, re.Pattern[str]]],
    user_data: set[str],
) -> list[str]:
    """Lines still in the old language; user data is shown as written in either language."""
    as_written = {line for text in user_data for line in _lines(text)}
    found = []
    for page, texts in seen.items():
        for where, line in texts:
            if line in as_written:
                continue
            for msgid, pattern in patterns:
                if pattern.fullmatch(line):
                    found.append(f"{page} · {where}: {line!r} (catalogue {msgid!r})")
                    break
    return sorted(set(found))


def test_switching_language_live_retranslates_every_page(qtbot: QtBot, db: Database) -> None:
    uuid = visit_in_progress(db)
    workers.add_worker(db, uuid, workers.WorkerInput(name="Wang Fang", department="Sewing"))
    window, workspace = open_in_window(qtbot, db, uuid)
    window.resize(1366, 768)
    zh = {en: text for en, text in catalogue("zh").items() if text != en}
    bilingual = list(localized_texts(workspace.form.model_dump()))
    # what the user or the form definition wrote is shown as written, in either language
    user_data = (
        {en for en, _ in bilingual}
        | {text for _, text in bilingual}
        | {"Wang Fang", "Sewing", "Tester", "Dongguan Test Toys Ltd.", "东莞测试玩具有限公司"}
    )

    english = walk_pages(qtbot, workspace)
    assert len(english) == workspace.stack.count() + 1
    assert any(line == "Hours & wages" for _w, line in english["workspace"])
    english_patterns = stale_patterns(set(zh), user_data)
    flagged = "\n".join(leftovers(english, english_patterns, user_data))
    for text in ("Visit report", "Worker sample", "Max hours a week", "days", "Report"):
        assert repr(text) in flagged  # the check sees English where it is shown

    # the page on screen is retranslated in place, without being shown again
    records = next(p for p in workspace.extra_pages if isinstance(p, RecordsPage))
    workspace.go_to_page(page_index(workspace, records))
    window.language_actions["zh"].trigger()
    on_screen = {"on screen": shown_texts(records)}
    assert leftovers(on_screen, english_patterns, user_data) == []
    chinese = walk_pages(qtbot, workspace)
    assert any(line == zh["Hours & wages"] for _w, line in chinese["workspace"])
    assert leftovers(chinese, english_patterns, user_data) == []

    chinese_patterns = stale_patterns(set(zh.values()), user_data)
    report = next(p for p in workspace.extra_pages if isinstance(p, ReportPage))
    workspace.go_to_page(page_index(workspace, report))
    window.language_actions["en"].trigger()
    on_screen = {"on screen": shown_texts(report)}
    assert leftovers(on_screen, chinese_patterns, user_data) == []
    again = walk_pages(qtbot, workspace)
    assert leftovers(again, chinese_patterns, user_data) == []
    assert again == english


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's visits: records, proposals, findings, CAP, signatures, read-only states."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    labels = seed_demo_visits(folder).visits
    (folder / "labels.json").write_text(json.dumps(labels))
    return folder


@pytest.mark.parametrize("label", ["in-progress", "completed-cap"])
def test_the_page_on_screen_follows_a_live_switch(qtbot: QtBot, demo_dir: Path, label: str) -> None:
    """Each page beside the checklist, switched while it is on screen, without showing it
    again (pages refresh when shown, which would hide a missing retranslation)."""
    db = open_workspace(demo_dir)
    uuid = json.loads((demo_dir / "labels.json").read_text())[label]
    window, workspace = open_in_window(qtbot, db, uuid)
    detail = load_detail(db, uuid)
    zh = {en: text for en, text in catalogue("zh").items() if text != en}
    bilingual = list(localized_texts(workspace.form.model_dump()))
    user_data = (
        {en for en, _ in bilingual}
        | {text for _, text in bilingual}
        | {f.title for f in detail.findings}  # typed, or accepted from a proposal in English
    )
    english_patterns = stale_patterns(set(zh), user_data)
    chinese_patterns = stale_patterns(set(zh.values()), user_data)
    found: list[str] = []
    for page in workspace.extra_pages:
        assert isinstance(page, QWidget)
        name = type(page).__name__
        workspace.go_to_page(page_index(workspace, page))
        window.language_actions["zh"].trigger()
        found += leftovers({f"{name} zh": shown_texts(page)}, english_patterns, user_data)
        window.language_actions["en"].trigger()
        found += leftovers({f"{name} en": shown_texts(page)}, chinese_patterns, user_data)
    db.dispose()
    assert found == []
