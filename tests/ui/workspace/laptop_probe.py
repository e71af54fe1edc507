"""Run in a child process with a given offscreen screen (size, scale): open the program as a
user does and report where the window and its parts ended up, as JSON on stdout."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QScrollArea, QStackedWidget, QWidget


def _inside_window(window: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return window.rect().contains(top_left) and window.rect().contains(bottom_right)


def _scrolls(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def main(data_dir: str, language: str) -> None:
    from ietp_desktop.i18n import set_language
    from ietp_desktop.services.visits import factories, lifecycle
    from ietp_desktop.services.workspace import open_workspace
    from ietp_desktop.ui.app import ensure_app, install_cjk_fallback
    from ietp_desktop.ui.common.geometry import show_placed
    from ietp_desktop.ui.main_window import MainWindow

    app = ensure_app()
    install_cjk_fallback(app)
    set_language(language)
    db = open_workspace(Path(data_dir))
    if not factories.list_factories(db):
        factories.add_factory(
            db,
            factories.FactoryInput(
                "IETP-GD-1",
                "Dongguan Probe Toys",
                "东莞探针玩具",
                city="Dongguan",
                seal_issued_on=date.today() - timedelta(days=90),
            ),
        )
        planned = lifecycle.plan_visit(db, "IETP-GD-1", date.today())
        lifecycle.confirm_visit(db, planned.uuid, date.today(), date.today())
        lifecycle.start_visit(db, planned.uuid)
    window = MainWindow(db, restore=False)
    show_placed(window, db)
    app.processEvents()
    screen = window.screen().availableGeometry()
    report: dict[str, object] = {
        "available": [screen.x(), screen.y(), screen.width(), screen.height()],
        "frame": list(window.frameGeometry().getRect()),
        "maximised": window.isMaximized(),
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "status_bar_inside": _inside_window(window, window.statusBar()),
    }
    uuid = window.visit_model.rows[0].uuid
    workspace = window.open_visit(uuid)
    assert workspace is not None
    cut: list[str] = []
    sideways: list[str] = []
    for index in range(workspace.stack.count()):
        workspace.go_to_page(index)
        app.processEvents()
        page = workspace.stack.widget(index)
        wrapper = QStackedWidget.widget(workspace.stack, index)
        if isinstance(wrapper, QScrollArea) and wrapper.horizontalScrollBar().isVisible():
            sideways.append(type(page).__name__)
        for button in page.findChildren(QAbstractButton):
            if button.isVisible() and not _scrolls(button) and not _inside_window(window, button):
                cut.append(f"{type(page).__name__}: {button.objectName() or button.text()}")
    report["cut_off"] = cut
    report["scrolls_sideways"] = sideways
    report["pages"] = workspace.stack.count()
    window.close()
    db.dispose()
    print(json.dumps(report))
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
