"""The file dialog for photos: opens in the folder the last photo came from, else Pictures."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ietp_desktop.i18n import tr
from ietp_desktop.services import settings
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.user_errors import user_errors

PHOTO_FILTER = "*.jpg *.jpeg *.png *.heic *.tif *.tiff *.bmp *.webp"


def start_folder(db: Database) -> Path:
    last = settings.read(db, settings.LAST_PHOTO_FOLDER)
    if last is not None and last.is_dir():
        return last
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.home()


def choose_photo_files(parent: QWidget, db: Database) -> list[Path]:
    files, _filter = QFileDialog.getOpenFileNames(
        parent, tr("Add photos"), str(start_folder(db)), tr("Photos") + f" ({PHOTO_FILTER})"
    )
    chosen = [Path(f) for f in files]
    if chosen:
        with user_errors(lambda _m: None):  # a folder not remembered is no reason to stop
            settings.write(db, (settings.LAST_PHOTO_FOLDER, chosen[0].parent))
    return chosen
