"""Opening a data folder for work: migrate, install shipped definitions."""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.services.catalogue.definitions import install_shipped_definitions
from ietp_desktop.storage.db import Database, open_data_dir


def open_workspace(data_dir: Path, *, actor: str | None = None) -> Database:
    db = open_data_dir(data_dir, actor=actor)
    install_shipped_definitions(db)
    return db
