"""Corrective Action Plan vocabulary shipped as data: the root-cause list
(`forms/root_causes.json`) and the days a factory has to answer each kind of non-compliance
(`forms/cap_due_days.json`)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, ValidationError

from ietp_desktop.domain.checklist_model import LocalizedText
from ietp_desktop.domain.checklist_parse import describe_pydantic_error, fail_with, load_json
from ietp_desktop.domain.findings import NON_COMPLIANCES, Classification


class RootCause(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: LocalizedText


def parse_root_causes(text: str, source: str) -> list[RootCause]:
    """The root-cause list: a JSON list of {"id", "label": {"en", "zh"}} with unique ids."""
    data = load_json(text, source)
    if not isinstance(data, list) or not data:
        raise fail_with([f"{source}: expected a non-empty JSON list of root causes"])
    problems: list[str] = []
    causes: list[RootCause] = []
    for index, entry in enumerate(data):
        name = entry.get("id") if isinstance(entry, dict) else None
        where = f"entry {index + 1}" + (f" ({name})" if isinstance(name, str) else "")
        try:
            cause = RootCause.model_validate(entry)
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"]) or "entry"
                problems.append(
                    f"{source}: {where}, field '{field}': {describe_pydantic_error(detail)}"
                )
            continue
        if not cause.id.strip() or any(known.id == cause.id for known in causes):
            problems.append(f"{source}: {where}, field 'id': {cause.id!r} is empty or repeated")
        for language in ("en", "zh"):
            if not getattr(cause.label, language).strip():
                problems.append(f"{source}: {where}, field 'label.{language}': is empty")
        causes.append(cause)
    if problems:
        raise fail_with(problems)
    return causes


def parse_cap_due_days(text: str, source: str) -> dict[Classification, int]:
    """Days after the visit's last day by which the factory's CAP is due, for each
    non-compliance classification: {"standard_nc": 30, "transparency": 14,
    "zero_tolerance": 7, "note": "..."}."""
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise fail_with([f"{source}: expected a JSON object of days per classification"])
    problems: list[str] = []
    days: dict[Classification, int] = {}
    wanted = sorted(NON_COMPLIANCES)
    for key, value in data.items():
        if key == "note":
            if not isinstance(value, str):
                problems.append(f"{source}: field 'note': must be text")
        elif key not in wanted:
            problems.append(f"{source}: field {key!r}: is not one of {', '.join(wanted)}, note")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(
                f"{source}: field {key!r}: must be a whole number of days >= 1, got {value!r}"
            )
        else:
            days[Classification(key)] = value
    for classification in wanted:
        if classification.value not in data:
            problems.append(f"{source}: field '{classification.value}': is required but missing")
    if problems:
        raise fail_with(problems)
    return days


def cap_due_date(
    visit_end: date, classification: Classification, due_days: dict[Classification, int]
) -> date | None:
    """When the CAP line for a finding is due; None for classifications that need no CAP."""
    if classification not in due_days:
        return None
    return visit_end + timedelta(days=due_days[classification])
