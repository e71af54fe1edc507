"""The training topic of each root cause: data in forms/training_topics.json that the office
edits, checked when loaded (a wrong file names the entry and what is wrong)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import forms_dir
from ietp_desktop.services.outcome.findings import root_causes


@dataclass(frozen=True)
class Topic:
    root_cause: str
    en: str
    zh: str

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


def topics_path() -> Path:
    return forms_dir() / "training_topics.json"


def parse_topics(text: str, source: str) -> dict[str, Topic]:
    """{"topics": [{"root_cause": id, "topic": {"en": …, "zh": …}}, …]} → root cause → Topic."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            "{file}: line {line}: not valid JSON ({problem})",
            file=source,
            line=exc.lineno,
            problem=exc.msg,
        ) from None
    entries = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise UserError('{file}: expected an object with a non-empty list "topics"', file=source)
    known = {cause.id for cause in root_causes()}
    found: dict[str, Topic] = {}
    for number, entry in enumerate(entries, start=1):
        cause = entry.get("root_cause") if isinstance(entry, dict) else None
        topic = entry.get("topic") if isinstance(entry, dict) else None
        if not isinstance(cause, str) or cause not in known:
            raise UserError(
                "{file}: entry {entry}: root_cause {cause} is not one of {known}",
                file=source,
                entry=number,
                cause=repr(cause),
                known=", ".join(sorted(known)),
            )
        if cause in found:
            raise UserError(
                "{file}: entry {entry}: root_cause {cause} is given twice",
                file=source,
                entry=number,
                cause=cause,
            )
        names = topic if isinstance(topic, dict) else {}
        for language in ("en", "zh"):
            value = names.get(language)
            if not isinstance(value, str) or not value.strip():
                raise UserError(
                    "{file}: entry {entry}: topic.{code} must be a non-empty text",
                    file=source,
                    entry=number,
                    code=language,
                )
        found[cause] = Topic(cause, names["en"].strip(), names["zh"].strip())
    return found


_loaded: dict[Path, tuple[float, dict[str, Topic]]] = {}


def load_topics(path: Path | None = None) -> dict[str, Topic]:
    """The topics, read again whenever the file has changed (the office edits it)."""
    chosen = path or topics_path()
    try:
        stamp = chosen.stat().st_mtime
        cached = _loaded.get(chosen)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        text = chosen.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(
            "{file}: cannot read the training topics ({problem})",
            file=chosen,
            problem=exc.strerror or exc,
        ) from None
    topics = parse_topics(text, chosen.name)
    _loaded[chosen] = (stamp, topics)
    return topics


def topic_label(root_cause: str, language: str) -> str:
    topic = load_topics().get(root_cause)
    if topic is None:
        return "–"
    return topic.label(language)
