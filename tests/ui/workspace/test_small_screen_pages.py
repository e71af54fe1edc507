"""On the smallest supported screen (1024×600) the Outcome page and the hours results are
usable: the CAP table and the page fit without sideways scrolling, and the results table
shows the sampled workers above the chart — and the same still holds at 1366×768."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from pytestqt.qtbot import QtBot

from ietp_desktop.demo.build import seed_demo
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from tests.ui.driver import open_in_window, page_index


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("demo") / "data"
    return folder, dict(seed_demo(folder).visits)


@pytest.fixture
def demo_db(demo: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Database]:
    folder = tmp_path / "data"
    shutil.copytree(demo[0], folder)
    db = open_workspace(folder, actor="tester")
    yield db
    db.dispose()


def _sideways(page: QWidget) -> list[str]:
    """Scroll areas of the page (and the page's own wrapper) that scroll sideways."""
    areas = page.findChildren(QAbstractScrollArea)
    wrapper = page.parentWidget()
    while wrapper is not None and not isinstance(wrapper, QAbstractScrollArea):
        wrapper = wrapper.parentWidget()
    if wrapper is not None:
        areas.append(wrapper)
    return [
        area.objectName() or type(area).__name__
        for area in areas
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_outcome_and_hours_results_fit_the_laptop(
    qtbot: QtBot,
    demo: tuple[Path, dict[str, str]],
    demo_db: Database,
    shots: Path,
    size: tuple[int, int],
) -> None:
    window, workspace = open_in_window(qtbot, demo_db, demo[1]["completed-cap"])
    window.showNormal()
    window.resize(*size)
    outcome = workspace.outcome_page
    workspace.go_to_page(page_index(workspace, outcome))
    qtbot.waitUntil(lambda: outcome.cap_table.rowCount() == 4)
    QApplication.processEvents()
    assert _sideways(outcome) == []
    table = outcome.cap_table
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= (
        table.viewport().width()
    )
    window.grab().save(str(shots / f"outcome_{size[0]}.png"))

    records = workspace.records_page
    workspace.go_to_page(page_index(workspace, records))
    records.tabs.setCurrentIndex(1)
    results = records.results_table
    qtbot.waitUntil(lambda: results.rowCount() == 6, timeout=20000)
    QApplication.processEvents()
    shown = results.viewport().height() // results.rowHeight(0)
    assert shown >= 5, f"{shown} rows of {results.rowCount()} shown above the chart"
    assert records.chart.height() >= records.chart.minimumHeight() > 0
    window.grab().save(str(shots / f"hours_results_{size[0]}.png"))
