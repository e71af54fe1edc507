"""The one place an unexpected exception goes (after qutebrowser's crashsignal): a slot, a
thread, background work or a fatal Qt message is written to `logs/errors.log` and shown in
ONE dialog with "Copy details"; a burst of errors adds to the open dialog instead of
stacking new ones. The program keeps running.

    error_path = install_error_path(data_dir)   # ui/app.py, once
    report_exception(exc)                       # anything that caught what it cannot handle
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as qt_version
from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.error_log import error_details, log_path, open_error_log
from ietp_desktop.i18n import tr

log = logging.getLogger(__name__)
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]
QtHandler = Callable[[QtMsgType, QMessageLogContext, str], object]


class ErrorDialog(QDialog):
    """A short translated text, how many errors it stands for, and "Copy details"."""

    def __init__(self, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error_dialog")
        self.setWindowTitle(tr("IETP PV Desktop"))
        self.details: list[str] = []
        self.headline = QLabel(
            tr(
                "Something unexpected went wrong. "
                "The program keeps running; what you saved is kept."
            )
        )
        self.headline.setWordWrap(True)
        self.where = QLabel(
            tr("The details for a bug report are in {path}.", path=log_file)
            if log_file is not None
            else ""
        )
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setVisible(log_file is not None)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.count = QLabel()
        self.count.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("Copy details"))
        self.copy_button.setObjectName("error_copy")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for label in (self.headline, self.problem, self.where, self.count):
            layout.addWidget(label)
        layout.addWidget(buttons)

    def add(self, details: str, problem: str = "") -> None:
        self.details.append(details)
        if problem:
            self.problem.setText(problem)
            self.problem.show()
        if len(self.details) > 1:
            self.count.setText(
                tr("{count} errors since this message opened.", count=len(self.details))
            )
            self.count.show()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText("\n\n".join(self.details))


class ErrorPath(QObject):
    """Installed once; `report` may be called from any thread."""

    sig_report = Signal(str, str)  # details, user-error text ("" for a bug)

    def __init__(self, data_dir: Path | None) -> None:
        super().__init__()
        self.log_file = log_path(data_dir) if data_dir is not None else None
        self.logger = logging.getLogger("ietp_desktop.errors")
        self.logger.propagate = False
        self.handler: logging.Handler | None = None
        if data_dir is not None:
            try:
                self.handler = open_error_log(data_dir)
                self.logger.addHandler(self.handler)
            except OSError as exc:
                log.warning("cannot write %s: %s", self.log_file, type(exc).__name__)
                self.log_file = None
        self.dialog: ErrorDialog | None = None
        self.sig_report.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous: tuple[ExceptHook, ThreadHook, QtHandler | None] | None = None

    # --- installing -----------------------------------------------------------------------

    def install(self) -> None:
        self._previous = (
            sys.excepthook,
            threading.excepthook,
            qInstallMessageHandler(self._qt_message),
        )
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook, qt_handler = self._previous
            qInstallMessageHandler(qt_handler)
            self._previous = None
        if self.handler is not None:
            self.logger.removeHandler(self.handler)
            self.handler.close()
            self.handler = None
        global _current
        if _current is self:
            _current = None

    def _excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt) and self._previous is not None:
            self._previous[0](kind, exc, tb)
            return
        self.report(exc.with_traceback(tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            self.report(args.exc_value.with_traceback(args.exc_traceback))

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            where = f"{context.category or 'qt'}"
            self.logger.error("Qt %s (%s): %s", kind.name, where, message)
            if self.handler is not None:
                self.handler.flush()
        previous = self._previous[2] if self._previous is not None else None
        if previous is not None:
            previous(kind, context, message)

    # --- reporting ------------------------------------------------------------------------

    def report(self, exc: BaseException) -> None:
        details = error_details(exc, f"Qt {qt_version}")
        self.logger.error("unexpected %s\n%s", type(exc).__name__, details)
        problem = str(exc) if isinstance(exc, UserError) else ""
        if QApplication.instance() is not None:
            self.sig_report.emit(details, problem)

    def _show(self, details: str, problem: str) -> None:
        if self.dialog is None or not self.dialog.isVisible():
            parent = QApplication.activeWindow()
            self.dialog = ErrorDialog(self.log_file, parent)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.destroyed.connect(self._dialog_gone)
            self.dialog.add(details, problem)
            self.dialog.open()
        else:
            self.dialog.add(details, problem)

    def _dialog_gone(self) -> None:
        self.dialog = None


_current: ErrorPath | None = None


def install_error_path(data_dir: Path | None) -> ErrorPath:
    global _current
    if _current is not None:
        _current.uninstall()
    _current = ErrorPath(data_dir)
    _current.install()
    return _current


def report_exception(exc: BaseException) -> None:
    """Background work and callers that catch what they cannot handle end here."""
    if _current is not None:
        _current.report(exc)
    else:  # no window yet (tests, start-up): the standard log still gets it
        log.error("unexpected %s", type(exc).__name__, exc_info=exc)
