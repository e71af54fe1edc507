"""Long single choices stack on a narrow window instead of pushing the section sideways."""

from __future__ import annotations

from PySide6.QtWidgets import QRadioButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from ietp_desktop.storage.db import Database
from tests.ui.driver import open_in_window, visit_in_progress


def test_long_choices_stack_on_a_narrow_window_and_sit_in_a_row_on_a_wide_one(
    qtbot: QtBot, db: Database
) -> None:
    window, workspace = open_in_window(qtbot, db, visit_in_progress(db))
    workspace.go_to_page(0)  # the opening section: OM-08 has four long choices
    row = window.findChild(QWidget, "row_OM-08")
    section = next(
        a
        for a in window.findChildren(QScrollArea)
        if a.isVisible() and a.widget() is not None and a.widget().isAncestorOf(row)
    )
    first = window.findChild(QRadioButton, "choice_OM-08_general_manager")
    last = window.findChild(QRadioButton, "choice_OM-08_other")

    window.resize(911, 512)  # 1366×768 at 150 %
    qtbot.waitUntil(lambda: last.geometry().top() > first.geometry().bottom())
    assert not section.horizontalScrollBar().isVisible()

    window.resize(1366, 768)
    qtbot.waitUntil(lambda: last.geometry().top() == first.geometry().top())
