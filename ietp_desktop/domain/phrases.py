"""Notes, problem lines and evidence as values a front end renders in its language.

A `Phrase` is an English template with its values, like a `UserError` but not raised:
`Phrase("{year} is provisional", year=2026)`. `text("zh")` renders it in a language through the
renderer the program installed (the translation catalogue), `str()` in the current language;
values that are phrases or periods are rendered in the same language. `Lines` joins phrases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ietp_desktop.domain.errors import Localized, current, render


@dataclass(frozen=True, eq=True)
class Phrase(Localized):
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, template: str, /, **params: object) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", params)

    def text(self, language: str | None = None) -> str:
        return render(self.template, self.params, language)

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted((k, str(v)) for k, v in self.params.items()))))


@dataclass(frozen=True)
class Lines(Localized):
    """Phrases (or plain text) shown one after another, joined by `separator`."""

    parts: tuple[Localized | str, ...]
    separator: str = "\n"

    @classmethod
    def of(cls, parts: Iterable[Localized | str], separator: str = "\n") -> Lines:
        return cls(tuple(parts), separator)

    def text(self, language: str | None = None) -> str:
        return self.separator.join(
            part if isinstance(part, str) else part.text(language) for part in self.parts
        )


@dataclass(frozen=True)
class Wording(Localized):
    """Text from data (a rule set) that may carry its own Chinese: `zh` when given, else the
    English looked up in the translation catalogue."""

    en: str
    zh: str = ""

    def text(self, language: str | None = None) -> str:
        language = current(language)
        if language == "zh" and self.zh:
            return self.zh
        return render(self.en, {}, language)


def phrase_from_data(data: object) -> Phrase:
    """A phrase stored as data (`dataclasses.asdict`: {"template", "params"}), or an older
    stored English text, back as a phrase."""
    if isinstance(data, dict) and isinstance(data.get("template"), str):
        params = data.get("params") or {}
        return Phrase(data["template"], **{name: _value(v) for name, v in params.items()})
    return Phrase(str(data))


def _value(data: object) -> object:
    if isinstance(data, dict) and isinstance(data.get("en"), str):
        return Wording(data["en"], str(data.get("zh") or ""))
    return phrase_from_data(data) if isinstance(data, dict) else data
