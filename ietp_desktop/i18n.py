"""One translation catalogue for every user-visible string, shared by ui/ and reports/.

Source strings are English. Simplified Chinese lives in `resources/i18n/zh/*.json`
(one file per area, merged at load): {"English text": "中文"}. Placeholders use
str.format names: tr("Saved at {time}", time="10:02").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache

from ietp_desktop.domain import errors
from ietp_desktop.paths import resources_dir

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
_state = {"language": "en"}


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _state["language"] = language


def current_language() -> str:
    return _state["language"]


@cache
def catalogue(language: str) -> dict[str, str]:
    if language == "en":
        return {}
    merged: dict[str, str] = {}
    folder = resources_dir() / "i18n" / language
    for path in sorted(folder.glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def tr(msgid: str, /, language: str | None = None, **values: object) -> str:
    """Translate `msgid` into `language` (default: the current UI language)."""
    language = language or current_language()
    text = catalogue(language).get(msgid, msgid)
    return text.format(**errors.localized(values, language)) if values else text


def both(msgid: str, /, **values: object) -> str:
    """English and Chinese together, for bilingual documents: 'Visit report / 访问报告'."""
    en = tr(msgid, language="en", **values)
    zh = tr(msgid, language="zh", **values)
    return en if en == zh else f"{en} / {zh}"


def _render_error(message: str, params: Mapping[str, object], language: str | None) -> str:
    return tr(message, language=language, **params)


errors.use_renderer(_render_error, current_language)
