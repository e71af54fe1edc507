"""Per-device settings stored with the data, each declared once with its type and default.

    language = settings.read(db, settings.LANGUAGE)
    settings.write(db, (settings.LAST_VISIT, uuid), (settings.LAST_SECTION, section_id))

`write` stores all the values it is given in one transaction, so a position is never half
saved. A stored value that no longer parses reads as the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Preference

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    parse: Callable[[str], T]
    dump: Callable[[T], str]


def _text(key: str, default: str = "") -> Setting[str]:
    return Setting(key, default, str, str)


def _flag(key: str) -> Setting[bool]:
    return Setting(key, False, lambda text: text == "yes", lambda value: "yes" if value else "")


def _folder(key: str) -> Setting[Path | None]:
    return Setting(key, None, lambda text: Path(text) if text else None, lambda v: str(v or ""))


LANGUAGE = _text("ui.language", "en")
SPECIALIST_NAME = _text("ui.specialist_name")
LAST_VISIT = _text("ui.last_visit")
LAST_SECTION = _text("ui.last_section")
LAST_ITEM = _text("ui.last_item")
IDENTITY_OFFERED = _flag("ui.identity_offered")
WINDOW_GEOMETRY = _text("ui.window_geometry")  # Qt's saveGeometry(), base64
OFFICE_URL = _text("sync.office_url")  # the office server "Send to office" talks to
LAST_PHOTO_FOLDER = _folder("ui.last_photo_folder")  # where the last photo was picked from


def read(db: Database, setting: Setting[T]) -> T:
    with db.session() as session:
        row = session.get(Preference, setting.key)
    if row is None:
        return setting.default
    try:
        return setting.parse(row.value)
    except ValueError:
        return setting.default


def write(db: Database, *values: tuple[Setting[Any], Any]) -> None:
    with db.session() as session:
        for setting, value in values:
            text = setting.dump(value)
            row = session.get(Preference, setting.key)
            if row is None:
                session.add(Preference(key=setting.key, value=text))
            elif row.value != text:
                row.value = text
