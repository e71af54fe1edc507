"""The File menu reaches office sync and the signing identity from the visit list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.sync.bundle_page import ExportDialog


def test_file_menu_opens_the_export_dialog(qtbot: QtBot, db: Database, shots: Path) -> None:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.show()
    labels = [a.text() for a in window.file_menu.actions() if a.text()]
    assert "Export for office…" in labels
    assert "Import receipt / assignments…" in labels
    assert "Signing identity…" in labels
    window.sync_actions["Export for office…"].trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog)]
    assert dialogs and dialogs[0].isVisible()
    dialogs[0].grab().save(str(shots / "export-dialog.png"))
    dialogs[0].close()


def test_file_menu_entries_follow_the_language(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.change_language("zh")
    try:
        assert window.sync_actions["Export for office…"].text() == "导出给办公室…"
    finally:
        set_language("en")


def test_first_run_offers_the_identity_once(qtbot: QtBot, db: Database) -> None:
    from ietp_desktop.ui.app import offer_identity_on_first_run

    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    offered: list[bool] = []
    window.set_up_identity = lambda: offered.append(True)  # type: ignore[method-assign]
    offer_identity_on_first_run(window, db)
    assert offered == [True]
    offer_identity_on_first_run(window, db)
    assert offered == [True]
    assert "Signing identity" in window.statusBar().currentMessage()


def test_run_gui_replaces_the_opening_window_with_the_main_window(
    qtbot: QtBot, db: Database, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ietp_desktop.ui import app as gui

    db.dispose()
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    offered: list[MainWindow] = []
    monkeypatch.setattr(gui, "offer_identity_on_first_run", lambda w, _db: offered.append(w))
    assert gui.run_gui(data_dir) == 0
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    mains = [w for w in shown if isinstance(w, MainWindow)]
    assert len(mains) == 1
    assert mains[0].visit_proxy.rowCount() == 0 and mains[0].factory_proxy.rowCount() == 1
    qtbot.waitUntil(lambda: offered == mains)
    for widget in shown:
        widget.close()


def test_run_gui_reports_a_data_folder_it_cannot_open(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ietp_desktop.ui import app as gui

    blocker = tmp_path / "file"
    blocker.write_text("x")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    assert gui.run_gui(blocker / "data") == 1
    assert shown and "cannot create the data folder" in shown[0]
