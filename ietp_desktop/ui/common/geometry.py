"""Where the window opens: where it was last time (size, position, maximised), always inside
the screen it lands on; the first time maximised on a laptop-sized screen, otherwise a
comfortable size centred on the available area (taskbar and panels excluded)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the opening window is placed before the database layer is imported
    from ietp_desktop.storage.db import Database

COMFORTABLE = QSize(1280, 820)
# Below this much room the first opening is maximised: the status bar and bottom buttons of a
# 1280×820 window would not fit a 768-pixel laptop screen.
MAXIMISE_BELOW = QSize(1440, 900)


def _screen(window: QWidget) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def available_area(window: QWidget) -> QRect:
    screen = _screen(window)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 600)


def place_window(window: QWidget, db: Database | None) -> bool:
    """Size and place `window` before it is shown; True when it should open maximised."""
    area = available_area(window)
    stored = ""
    if db is not None:
        from ietp_desktop.services import settings

        stored = settings.read(db, settings.WINDOW_GEOMETRY)
    if stored and window.restoreGeometry(QByteArray.fromBase64(stored.encode("ascii"))):
        if window.isMaximized():
            return True
        _keep_inside(window, area)
        return False
    if area.width() < MAXIMISE_BELOW.width() or area.height() < MAXIMISE_BELOW.height():
        window.setGeometry(area)  # the normal size to come back to from maximised
        return True
    size = COMFORTABLE.boundedTo(area.size())
    window.resize(size)
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())
    return False


def _keep_inside(window: QWidget, area: QRect) -> None:
    """A stored geometry from a bigger screen (or a detached monitor) is brought back in."""
    frame = window.frameGeometry()
    extra = frame.size() - window.size()
    width = min(window.width(), area.width() - extra.width())
    height = min(window.height(), area.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    window.move(x, y)


# Room left around a dialog for its title bar and frame, which the available area includes.
DIALOG_FRAME = QSize(24, 64)


def fit_dialog(dialog: QWidget, width: int, height: int) -> None:
    """Give a dialog its comfortable size, but never more than the screen it opens on has
    room for (a 1024×600 screen, or 1366×768 at 150 %): its buttons stay on screen and its
    content scrolls or shrinks instead."""
    anchor = dialog.parentWidget() or dialog
    room = available_area(anchor).size() - DIALOG_FRAME
    dialog.resize(QSize(width, height).boundedTo(room))


def show_placed(window: QWidget, db: Database | None) -> None:
    if place_window(window, db):
        window.showMaximized()
    else:
        window.show()


def remember_geometry(window: QWidget, db: Database) -> None:
    from ietp_desktop.domain.errors import UserError
    from ietp_desktop.services import settings

    text = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    with contextlib.suppress(UserError):
        settings.write(db, (settings.WINDOW_GEOMETRY, text))
