"""Starting the window: fonts, the data folder, the language, the main window.

A plain window is on screen before the database layer is even imported (about a second of
SQLAlchemy, pydantic and the models); the real main window takes its place when the data
folder is open, so the specialist sees the program respond at once.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from ietp_desktop.i18n import LANGUAGES, current_language, set_language, tr
from ietp_desktop.paths import resources_dir
from ietp_desktop.ui.common.error_path import install_error_path
from ietp_desktop.ui.common.geometry import show_placed
from ietp_desktop.ui.common.user_errors import user_errors

if TYPE_CHECKING:
    from ietp_desktop.storage.db import Database
    from ietp_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
CJK_FONT = "fonts/wqy-microhei.ttc"


def install_cjk_fallback(app: QApplication) -> str | None:
    """Register the shipped CJK font and put it behind the default family, so Chinese
    renders on a laptop with no Chinese font installed."""
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / CJK_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load %s; Chinese text may not render", CJK_FONT)
        return None
    font = QFont(app.font())
    font.setFamilies([app.font().family(), families[0]])
    app.setFont(font)
    return str(families[0])


QT_LOCALES = {"zh": "zh_CN"}
_qt_translators: list[QTranslator] = []


def use_qt_language(language: str) -> bool:
    """Qt's own texts (the standard OK, Cancel, Save, Close, Yes and No buttons, the text
    fields' context menu) in `language`: PySide6 ships their Chinese, but Qt shows English
    until it is loaded. True when a translation is in use; open dialogs follow at once."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    locale = QT_LOCALES.get(language)
    if locale is None:
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(locale), "qtbase", "_", folder):
        log.warning("Qt's %s translation is missing; its buttons stay English", locale)
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True


def restore_language(db: Database) -> None:
    from ietp_desktop.services import settings

    language = settings.read(db, settings.LANGUAGE)
    set_language(language if language in LANGUAGES else "en")
    use_qt_language(current_language())


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("IETP PV Desktop")
    app.setOrganizationName("IETP")
    return app


def opening_window() -> QMainWindow:
    """What the specialist sees while the data folder opens."""
    window = QMainWindow()
    window.setWindowTitle(tr("IETP PV Desktop"))
    window.resize(640, 400)
    label = QLabel(tr("Opening your visits…"))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    return window


def run_gui(data_dir: Path) -> int:
    app = ensure_app()
    install_error_path(data_dir)
    install_cjk_fallback(app)
    opening = opening_window()
    show_placed(opening, None)
    app.processEvents()
    from ietp_desktop.services.workspace import open_workspace
    from ietp_desktop.ui.main_window import MainWindow

    with user_errors(lambda message: _refuse_start(opening, message)) as outcome:
        db = open_workspace(data_dir)
        restore_language(db)
    if outcome.failed:
        return 1
    window = MainWindow(db)
    show_placed(window, db)
    opening.close()
    QTimer.singleShot(0, lambda: offer_identity_on_first_run(window, db))
    return int(app.exec())


def _refuse_start(opening: QMainWindow, message: str) -> None:
    QMessageBox.critical(opening, tr("IETP PV Desktop"), message)


def offer_identity_on_first_run(window: MainWindow, db: Database) -> None:
    """A laptop without a signing identity is asked once for the office's enrolment file;
    later the File menu has it."""
    from ietp_desktop.services import settings
    from ietp_desktop.services.identity import keys

    if keys.identity_view(db) is not None:
        return
    if settings.read(db, settings.IDENTITY_OFFERED):
        window.statusBar().showMessage(
            tr("No signing identity yet: File → Signing identity… imports the office's file.")
        )
        return
    settings.write(db, (settings.IDENTITY_OFFERED, True))
    window.set_up_identity()
