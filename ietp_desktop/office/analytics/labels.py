"""Stored keys (root cause, classification, headcount band …) in the reader's language."""

from __future__ import annotations

from ietp_desktop.domain.findings import CATEGORY_LABELS, CLASSIFICATION_LABELS
from ietp_desktop.domain.outcome import OUTCOME_LABELS
from ietp_desktop.i18n import tr
from ietp_desktop.office.analytics.topics import topic_label
from ietp_desktop.services.outcome.findings import root_causes

# Headcount bands: (key, lowest headcount, label). A factory without a headcount is "unknown".
SIZE_BANDS: tuple[tuple[str, int, str], ...] = (
    ("1-99", 1, "fewer than 100 workers"),
    ("100-299", 100, "100 to 299 workers"),
    ("300-999", 300, "300 to 999 workers"),
    ("1000+", 1000, "1,000 workers or more"),
)

_FIXED: dict[str, dict[str, str]] = {
    "classification": {k.value: v for k, v in CLASSIFICATION_LABELS.items()},
    "category": {k.value: v for k, v in CATEGORY_LABELS.items()},
    "outcome": {k.value: v for k, v in OUTCOME_LABELS.items()},
    "band": {key: text for key, _, text in SIZE_BANDS} | {"unknown": "headcount not known"},
    "population": {
        "sample": "sampled workers",
        "workforce": "whole workforce",
    },
    "window": {
        "inside": "inside the window",
        "before": "before the window",
        "after": "after the window",
        "no_seal": "no seal date",
        "no_date": "no visit date",
    },
}


def root_cause_label(key: str, language: str) -> str:
    if not key:
        return tr("(no root cause given)", language=language)
    for cause in root_causes():
        if cause.id == key:
            return cause.label.zh if language == "zh" else cause.label.en
    return key


def cell_text(kind: str, value: object, language: str) -> str:
    """A table cell as the reader sees it (and as exports write it)."""
    if value is None:
        return "–"
    if kind == "root_cause":
        return root_cause_label(str(value), language)
    if kind == "topic":
        return topic_label(str(value), language)
    if kind in ("region", "city", "specialist") and value == "":
        return tr("(not recorded)", language=language)
    if kind == "specialist" and value == "__office__":
        return tr("Office average", language=language)
    if kind in _FIXED:
        text = _FIXED[kind].get(str(value))
        return tr(text, language=language) if text else str(value)
    if isinstance(value, float):
        return str(round(value, 2))
    return str(value)


def fixed_labels() -> list[str]:
    """Every label above (the translation test reads them)."""
    return [text for labels in _FIXED.values() for text in labels.values()]


def column_text(column: str, params: dict[str, object], language: str) -> str:
    """A column heading: an English msgid with {fields}, or "outcome:<key>"."""
    if column.startswith("outcome:"):
        return cell_text("outcome", column.split(":", 1)[1], language)
    return tr(column, language=language, **params)
