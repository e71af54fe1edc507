"""Zero tolerance reads as what it is: 'Violation found?', the violation answer red and last,
never the keyboard's first stop, and raising the finding names the consequence first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from tests.ui.driver import go_to_section, open_in_window, visit_in_progress


def test_the_screen_asks_violation_found_and_styles_the_violation(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "zero_tolerance")
    row = page.rows["ZT-01"]
    editor = row.editor
    assert editor.prompt.text() == "Violation found?"  # type: ignore[attr-defined]
    labels = [b.text() for b in editor.buttons.values()]  # type: ignore[attr-defined]
    assert labels == ["No violation", "N/A", "Yes — violation found"]
    assert "b00020" in editor.buttons["yes"].styleSheet()  # type: ignore[attr-defined]
    assert "b00020" not in editor.buttons["no"].styleSheet()  # type: ignore[attr-defined]
    # An ordinary yes/no item keeps its words and its order.
    ordinary = go_to_section(qtbot, workspace, "working_hours").rows["WH-01"].editor
    assert [b.text() for b in ordinary.buttons.values()] == ["Yes", "No", "N/A"]  # type: ignore[attr-defined]
    assert not ordinary.prompt.isVisibleTo(ordinary)  # type: ignore[attr-defined]

    # The keyboard: go to the item and press Space; that answers "No violation".
    go_to_section(qtbot, workspace, "zero_tolerance")
    assert workspace.go_to_item("ZT-01")
    focused = QApplication.focusWidget()
    assert focused is editor.buttons["no"]  # type: ignore[attr-defined]
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert load_detail(db, uuid).answers["ZT-01"].value == "no"
    assert not row.hint.isVisibleTo(row)
    window.grab().save(str(shots / "zero_tolerance_en.png"))

    set_language("zh")
    workspace.context.events.sig_language_changed.emit()
    assert editor.prompt.text() == "是否发现违规？"  # type: ignore[attr-defined]
    assert editor.buttons["yes"].text() == "是——发现违规"  # type: ignore[attr-defined]
    window.grab().save(str(shots / "zero_tolerance_zh.png"))


def test_raising_a_zero_tolerance_finding_names_the_consequence_first(
    qtbot: QtBot, db: Database
) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    row = go_to_section(qtbot, workspace, "zero_tolerance").rows["ZT-05"]
    qtbot.mouseClick(row.editor.buttons["yes"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert row.hint.isVisibleTo(row) and "termination" in row.hint.text()
    qtbot.mouseClick(row.raise_button, Qt.MouseButton.LeftButton)
    dialog = workspace.finding_dialog
    assert dialog.classification.currentData() == "zero_tolerance"
    dialog.description.setPlainText("Envelope with 2,000 CNY offered at lunch by the HR manager.")
    dialog.save()
    box = dialog.zero_tolerance_box
    assert box is not None and box.isVisible()
    assert "Termination (zero tolerance) — referred to IETP" in box.informativeText()
    assert box.defaultButton().objectName() == "zero_tolerance_back"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Escape goes back: nothing raised
    assert load_detail(db, uuid).findings == ()
    dialog.save()
    confirm = dialog.zero_tolerance_box.findChild(QPushButton, "confirm_zero_tolerance")  # type: ignore[union-attr]
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    [finding] = load_detail(db, uuid).findings
    assert finding.classification == "zero_tolerance" and finding.item_ids == ("ZT-05",)
