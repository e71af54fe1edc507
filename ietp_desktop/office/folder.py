"""The office folder: where the office keeps its database, keys, files and receipts."""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security.office_ca import (
    OfficeInfo,
    read_office_info,
)
from ietp_desktop.storage.db import Database, open_url, owner_only

OFFICE_ACTOR = "office import"


def office_db_url(office_dir: Path, db_url: str | None = None) -> str:
    return db_url or f"sqlite:///{OfficeFolder(Path(office_dir)).database}"


def open_office_db(office_dir: Path, db_url: str | None = None) -> Database:
    read_office_info(office_dir)  # refuse a folder that holds no office
    owner_only(Path(office_dir))  # keys, the database, received photos and reports
    database = open_url(
        office_db_url(office_dir, db_url),
        actor=OFFICE_ACTOR,
        backup_dir=OfficeFolder(Path(office_dir)).backups if db_url is None else None,
    )
    database.data_dir = Path(office_dir)
    return database


def require_office(office_dir: Path) -> OfficeInfo:
    try:
        return read_office_info(office_dir)
    except NotFound as exc:
        raise NotFound(
            "{dir} holds no office; run 'ietp-desktop office init' first", dir=office_dir
        ) from exc
