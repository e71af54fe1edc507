"""Answers to checklist items: reading them from user input, checking them, showing them,
and deciding which items apply and which answers are non-compliant."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ietp_desktop.domain.checklist_model import (
    AnswerValue,
    Condition,
    Constraint,
    Form,
    Item,
    LocalizedText,
    Problem,
)
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.findings import Classification

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_MULTI_SEPARATORS = re.compile(r"[,，;；]")
_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def is_blank(value: object) -> bool:
    """Unanswered: None, an empty or blank string, an empty selection."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def format_number(value: float) -> str:
    """12.0 -> "12", 12.5 -> "12.5"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_iso_date(text: str) -> date | None:
    """The date of a strict "YYYY-MM-DD" string, or None."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- coercion: user input -> typed answer ---------------------------------------------------


def coerce_answer(item: Item, raw: object) -> AnswerValue:
    """The typed answer for what a user typed or picked ("yes", "是", "12.5", "12 h",
    "2026-10-01", "a,b"). Raises ValidationFailed("item ID: ...") when it cannot be read."""
    if is_blank(raw):
        return None
    return _COERCERS[item.type](item, raw)


def _fail(item: Item, detail: str) -> ValidationFailed:
    return ValidationFailed("item {id}: {detail}", id=item.id, detail=detail)


def _match_choice(item: Item, raw: str) -> str:
    key = raw.strip().casefold()
    for value, label in item.choice_labels():
        if key in (value.casefold(), label.en.casefold(), label.zh.casefold()):
            return value
    raise _fail(item, f"{raw.strip()!r} is not one of {', '.join(item.choice_values())}")


def _coerce_choice(item: Item, raw: object) -> AnswerValue:
    if isinstance(raw, bool) and item.type != "single_choice":
        raw = "yes" if raw else "no"
    if not isinstance(raw, str):
        raise _fail(item, f"expected one of {', '.join(item.choice_values())}, got {raw!r}")
    return _match_choice(item, raw)


def _coerce_multi(item: Item, raw: object) -> AnswerValue:
    if isinstance(raw, str):
        parts: list[object] = list(_MULTI_SEPARATORS.split(raw))
    elif isinstance(raw, list | tuple):
        parts = list(raw)
    else:
        raise _fail(item, f"expected a list of choices, got {raw!r}")
    chosen: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise _fail(item, f"expected a list of choices, got {part!r} in it")
        if part.strip():
            chosen.add(_match_choice(item, part))
    ordered = [value for value in item.choice_values() if value in chosen]
    return ordered or None


def _coerce_number(item: Item, raw: object) -> AnswerValue:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _fail(item, f"expected a number, got {raw!r}")
    if isinstance(raw, str):
        text = raw.strip()
        if item.unit and text.endswith(item.unit):
            text = text[: -len(item.unit)].strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise _fail(item, f"{raw.strip()!r} is not a number") from None
    else:
        number = float(raw)
    if not math.isfinite(number):
        raise _fail(item, f"{raw!r} is not a finite number")
    return number


def _coerce_date(item: Item, raw: object) -> AnswerValue:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, str) and parse_iso_date(raw.strip()) is not None:
        return raw.strip()
    raise _fail(item, f"{raw!r} is not a date (YYYY-MM-DD)")


def _coerce_text(item: Item, raw: object) -> AnswerValue:
    if not isinstance(raw, str):
        raise _fail(item, f"expected text, got {raw!r}")
    return raw.strip()


_COERCERS: dict[str, Callable[[Item, object], AnswerValue]] = {
    "yes_no_na": _coerce_choice,
    "yes_partial_no": _coerce_choice,
    "single_choice": _coerce_choice,
    "multi_choice": _coerce_multi,
    "number": _coerce_number,
    "date": _coerce_date,
    "text": _coerce_text,
}


# --- validation: typed answer -> problem ----------------------------------------------------

_RANGE_MESSAGES = {
    ("between", True): "Enter a number between {min} and {max} {unit}.",
    ("between", False): "Enter a number between {min} and {max}.",
    ("at_least", True): "Enter a number of at least {min} {unit}.",
    ("at_least", False): "Enter a number of at least {min}.",
    ("at_most", True): "Enter a number of at most {max} {unit}.",
    ("at_most", False): "Enter a number of at most {max}.",
}


def validate_answer(item: Item, value: AnswerValue) -> Problem | None:
    """Why `value` is not acceptable for `item` (range, constraint, choice), or None.
    An unanswered item has no problem here: see `missing_required`."""
    if is_blank(value):
        return None
    return _VALIDATORS[item.type](item, value)


def _validate_choice(item: Item, value: AnswerValue) -> Problem | None:
    if isinstance(value, str) and value in item.choice_values():
        return None
    return Problem("Choose one of: {choices}.", {"choices": ", ".join(item.choice_values())})


def _validate_multi(item: Item, value: AnswerValue) -> Problem | None:
    allowed = item.choice_values()
    if isinstance(value, list) and all(choice in allowed for choice in value):
        return None
    return Problem("Choose only from: {choices}.", {"choices": ", ".join(allowed)})


def _range_problem(
    value: float,
    low: float | None,
    high: float | None,
    unit: str | None,
    localized: LocalizedText | None = None,
) -> Problem | None:
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        kind = "between"
    else:
        kind = "at_least" if low is not None else "at_most"
    params: dict[str, object] = {
        "min": "" if low is None else format_number(low),
        "max": "" if high is None else format_number(high),
        "unit": unit or "",
    }
    return Problem(_RANGE_MESSAGES[(kind, bool(unit))], params, localized)


def _validate_number(item: Item, value: AnswerValue) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Problem("Enter a number.")
    problem = _range_problem(value, item.min, item.max, item.unit)
    if problem is None and item.constraint is not None:
        rule = item.constraint
        problem = _range_problem(value, rule.min, rule.max, item.unit, rule.message)
    return problem


def _validate_date(item: Item, value: AnswerValue) -> Problem | None:
    if not isinstance(value, str) or parse_iso_date(value) is None:
        return Problem("Enter a date as YYYY-MM-DD.")
    rule = item.constraint or Constraint()
    if rule.not_before is not None and value < rule.not_before:
        return Problem("Enter a date on or after {date}.", {"date": rule.not_before}, rule.message)
    if rule.not_after is not None and value > rule.not_after:
        return Problem("Enter a date on or before {date}.", {"date": rule.not_after}, rule.message)
    return None


def _validate_text(item: Item, value: AnswerValue) -> Problem | None:
    if not isinstance(value, str):
        return Problem("Enter text.")
    rule = item.constraint or Constraint()
    if rule.min_length is not None and len(value) < rule.min_length:
        return Problem(
            "Enter at least {count} characters.", {"count": rule.min_length}, rule.message
        )
    if rule.max_length is not None and len(value) > rule.max_length:
        return Problem(
            "Enter at most {count} characters.", {"count": rule.max_length}, rule.message
        )
    if rule.pattern is not None and not re.fullmatch(rule.pattern, value):
        return Problem("The answer does not have the expected format.", {}, rule.message)
    return None


_VALIDATORS: dict[str, Callable[[Item, AnswerValue], Problem | None]] = {
    "yes_no_na": _validate_choice,
    "yes_partial_no": _validate_choice,
    "single_choice": _validate_choice,
    "multi_choice": _validate_multi,
    "number": _validate_number,
    "date": _validate_date,
    "text": _validate_text,
}


# --- display ------------------------------------------------------------------------------


def format_answer(item: Item, value: AnswerValue, language: str) -> str:
    """Human text for an answer: "Yes" / "是", "12 h", "Working hours, Other"; "" if unanswered."""
    if value is None or is_blank(value):
        return ""
    if isinstance(value, list):
        separator = "、" if language == "zh" else ", "
        return separator.join(item.choice_label(choice, language) for choice in value)
    if isinstance(value, str):
        return item.choice_label(value, language) if item.choice_values() else value
    number = format_number(value)
    return f"{number} {item.unit}" if item.unit else number


# --- conditions, relevance, non-compliance -------------------------------------------------


def evaluate(condition: Condition, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether `condition` holds for `answers`. Any test of an unanswered item is false
    (use {"not": ...} to ask for the opposite); on a multi-choice answer, eq/ne ask whether
    the value is selected and in/not_in whether any of the values is."""
    if condition.all_ is not None:
        return all(evaluate(child, answers) for child in condition.all_)
    if condition.any_ is not None:
        return any(evaluate(child, answers) for child in condition.any_)
    if condition.not_ is not None:
        return not evaluate(condition.not_, answers)
    answer = answers.get(condition.item or "")
    if answer is None or is_blank(answer):
        return False
    if condition.op == "answered":
        return True
    if isinstance(answer, list):
        return _test_selection(str(condition.op), answer, condition.value)
    return _compare(str(condition.op), answer, condition.value)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def _test_selection(op: str, selected: list[str], value: object) -> bool:
    hit = any(choice in _as_list(value) for choice in selected)
    if op in ("eq", "in"):
        return hit
    if op in ("ne", "not_in"):
        return not hit
    return False


def _compare(op: str, answer: str | float, value: object) -> bool:
    if op == "eq":
        return answer == value
    if op == "ne":
        return answer != value
    if op == "in":
        return answer in _as_list(value)
    if op == "not_in":
        return answer not in _as_list(value)
    same_kind = isinstance(answer, str) == isinstance(value, str)
    if same_kind and isinstance(value, str | int | float):
        return bool(_ORDER[op](answer, value))
    return False


def is_relevant(item: Item, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether the item applies given the answers (its own relevance condition only; use
    `visible_items` to also hide items whose controlling item is itself hidden)."""
    return item.relevant_when is None or evaluate(item.relevant_when, answers)


def effective_answers(form: Form, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
    """The answers of visible items only: an answer left behind on an item that a later
    change hid no longer counts."""
    visible = visible_items(form, answers)
    return {item.id: answers[item.id] for item in visible if item.id in answers}


def visible_items(form: Form, answers: Mapping[str, AnswerValue]) -> list[Item]:
    """Items that apply, in form order. Relevance only depends on earlier items, so one pass
    that ignores the answers of hidden items settles it."""
    seen: dict[str, AnswerValue] = {}
    visible: list[Item] = []
    for item in form.items():
        if is_relevant(item, seen):
            visible.append(item)
            seen[item.id] = answers.get(item.id)
    return visible


def missing_required(form: Form, answers: Mapping[str, AnswerValue]) -> list[Item]:
    """Visible, required items with no answer (None, "" or [])."""
    return [
        item
        for item in visible_items(form, answers)
        if item.required and is_blank(answers.get(item.id))
    ]


def is_noncompliant(item: Item, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether the answers make this item non-compliant (never for an item that does not apply
    or has no noncompliance condition)."""
    return (
        item.noncompliant_when is not None
        and is_relevant(item, answers)
        and evaluate(item.noncompliant_when, answers)
    )


def violation_values(item: Item) -> frozenset[str]:
    """The answers that report a zero-tolerance violation on a zero-tolerance screen item
    ("Yes" to "was any worker under 16?"); empty for every other item. Read from the item's own
    non-compliance condition, so the screen's wording never has to be guessed."""
    if (
        item.suggested_classification is not Classification.ZERO_TOLERANCE
        or item.noncompliant_when is None
    ):
        return frozenset()
    condition = item.noncompliant_when
    return frozenset(
        value for value in item.choice_values() if evaluate(condition, {item.id: value})
    )


def noncompliant_items(form: Form, answers: Mapping[str, AnswerValue]) -> list[Item]:
    """Visible items whose answers are non-compliant, in form order."""
    effective = effective_answers(form, answers)
    return [item for item in visible_items(form, answers) if is_noncompliant(item, effective)]
