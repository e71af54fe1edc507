"""A finding's title and description in a language: its own text in that language, or the
other language's when only that one was written (findings made before issue 13 are English)."""

from __future__ import annotations

from ietp_desktop.i18n import current_language
from ietp_desktop.storage.models import Finding


def title_in(finding: Finding, language: str | None = None) -> str:
    if (language or current_language()) == "zh":
        return finding.title_zh or finding.title
    return finding.title or finding.title_zh


def description_in(finding: Finding, language: str | None = None) -> str:
    if (language or current_language()) == "zh":
        return finding.description_zh or finding.description
    return finding.description or finding.description_zh
