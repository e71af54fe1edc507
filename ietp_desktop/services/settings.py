"""Per-device settings stored with the data: UI language, where the user left off."""

from __future__ import annotations

from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Preference


def get_preference(db: Database, key: str, default: str = "") -> str:
    with db.session() as session:
        row = session.get(Preference, key)
        return row.value if row else default


def set_preference(db: Database, key: str, value: str) -> None:
    with db.session() as session:
        row = session.get(Preference, key)
        if row is None:
            session.add(Preference(key=key, value=value))
        elif row.value != value:
            row.value = value
