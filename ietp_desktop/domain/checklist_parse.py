"""Reading a checklist form file: JSON text -> Form, with every problem named by file,
item (or section) and field."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, cast

from pydantic import ValidationError

from ietp_desktop.domain.checklist_answers import format_number, parse_iso_date
from ietp_desktop.domain.checklist_model import (
    CHOICE_TYPES,
    DERIVED_TYPES,
    Condition,
    Constraint,
    Form,
    Item,
    LocalizedText,
    Section,
)
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.findings import Classification

_ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_ORDERING_OPS = frozenset({"gt", "ge", "lt", "le"})
_CONSTRAINT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("min_length", "max_length", "pattern"),
    "number": ("min", "max"),
    "date": ("not_before", "not_after"),
}


def form_sha256(text: str) -> str:
    """The sha256 (hex) of the form file's UTF-8 bytes: what a visit records it started with."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_json(text: str, source: str) -> Any:
    """Parsed JSON, or ValidationFailed naming the file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = (
            f"{source}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        )
        raise ValidationFailed(message, [message]) from None


def fail_with(problems: list[str]) -> ValidationFailed:
    """One error carrying every problem; its message is the first, on one line."""
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return ValidationFailed(problems[0] + more, problems)


def describe_pydantic_error(error: Any) -> str:
    """One pydantic error detail in plain words (without its location)."""
    kind = error["type"]
    given = repr(error.get("input"))
    if len(given) > 60:
        given = given[:57] + "..."
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field (check the spelling)"
    if kind in ("literal_error", "enum"):
        expected = str(error["ctx"]["expected"]).replace("'", "").replace(" or ", ", ")
        return f"{given} is not one of {expected}"
    return f"{error['msg']} (got {given})"


def parse_form(text: str, source: str) -> Form:
    """A checklist form from its JSON text. `source` (the file name) prefixes every message.

    Checks the shape of every field, then: unique section and item ids; relevance conditions
    that only read earlier items and non-compliance conditions that read existing items, with
    values those items can take; choices exactly for choice types; min <= max; constraints
    that fit the answer type; best-practice sections that never make a non-compliance.
    """
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise fail_with([f"{source}: the form must be a JSON object"])
    try:
        form = Form.model_validate(data)
    except ValidationError as error:
        raise fail_with(
            [
                f"{source}: {_where(data, detail['loc'])}: {describe_pydantic_error(detail)}"
                for detail in error.errors()
            ]
        ) from None
    problems = [f"{source}: {problem}" for problem in _FormChecker(form).problems()]
    if problems:
        raise fail_with(problems)
    return form


def _where(data: dict[str, Any], loc: Sequence[int | str]) -> str:
    """ "item WH-03, field 'type'" for a pydantic location inside the raw form data."""
    parts = list(loc)
    owner = "form"
    if len(parts) >= 2 and parts[0] == "sections" and isinstance(parts[1], int):
        section = _get(data, "sections", parts[1])
        owner = f"section {_label(section, parts[1])}"
        parts = parts[2:]
        if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):
            owner = f"item {_label(_get(section, 'items', parts[1]), parts[1])}"
            parts = parts[2:]
    if not parts:
        return owner
    return f"{owner}, field '{'.'.join(str(part) for part in parts)}'"


def _get(container: object, key: str, index: int) -> object:
    """container[key][index]: pydantic only reports locations that exist in the data."""
    return cast(Any, container)[key][index]


def _label(entry: object, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
        return str(entry["id"])
    return f"#{index + 1}"


class _FormChecker:
    """The checks that need more than one field at a time."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.position: dict[str, int] = {}
        self.items: dict[str, Item] = {}
        self.found: list[str] = []

    def problems(self) -> list[str]:
        self._check_text("form", "title", self.form.title)
        for name in ("form_id", "version"):
            if not getattr(self.form, name).strip():
                self.found.append(f"form, field '{name}': is empty")
        self._index_items()
        section_ids: set[str] = set()
        for number, section in enumerate(self.form.sections, start=1):
            self._check_section(f"section {section.id or f'#{number}'}", section, section_ids)
            for index, item in enumerate(section.items, start=1):
                self._check_item(f"item {item.id or f'#{index}'}", item, section.kind)
        return self.found

    def _index_items(self) -> None:
        for section in self.form.sections:
            for item in section.items:
                if item.id in self.items:
                    self.found.append(f"item {item.id}, field 'id': duplicate id")
                else:
                    self.position[item.id] = len(self.position)
                    self.items[item.id] = item

    def _check_text(self, owner: str, name: str, text: LocalizedText | None) -> None:
        if text is None:
            return
        for language in ("en", "zh"):
            if not getattr(text, language).strip():
                self.found.append(f"{owner}, field '{name}.{language}': is empty")

    def _check_section(self, owner: str, section: Section, seen: set[str]) -> None:
        if not _ITEM_ID.fullmatch(section.id):
            self.found.append(f"{owner}, field 'id': use letters, digits, '_', '.', '-'")
        if section.id in seen:
            self.found.append(f"{owner}, field 'id': duplicate id")
        seen.add(section.id)
        self._check_text(owner, "title", section.title)
        if not section.items:
            self.found.append(f"{owner}, field 'items': a section needs at least one item")
        if section.kind != "best_practice":
            return
        for item in section.items:
            if item.noncompliant_when is not None:
                self.found.append(
                    f"item {item.id}, field 'noncompliant_when': best practices are never "
                    "a non-compliance"
                )
            if item.suggested_classification not in (None, Classification.BEST_PRACTICE):
                self.found.append(
                    f"item {item.id}, field 'suggested_classification': a best-practice item "
                    f"may only suggest best_practice, not {item.suggested_classification}"
                )

    def _check_item(self, owner: str, item: Item, kind: str) -> None:
        if not _ITEM_ID.fullmatch(item.id):
            self.found.append(f"{owner}, field 'id': use letters, digits, '_', '.', '-'")
        if not item.ietp_ref.strip():
            self.found.append(f"{owner}, field 'ietp_ref': is empty")
        self._check_text(owner, "question", item.question)
        self._check_text(owner, "guidance", item.guidance)
        self._check_number_fields(owner, item)
        self._check_choices(owner, item)
        if item.constraint is not None:
            self._check_constraint(owner, item, item.constraint)
        if item.relevant_when is not None:
            self._check_condition(owner, item, "relevant_when", item.relevant_when)
        if item.derived_from is not None:
            self._check_derived(owner, item, item.derived_from)
        if item.noncompliant_when is not None:
            self._check_condition(owner, item, "noncompliant_when", item.noncompliant_when)
            if kind != "best_practice" and item.suggested_classification in (
                None,
                Classification.BEST_PRACTICE,
            ):
                self.found.append(
                    f"{owner}, field 'suggested_classification': an item with a "
                    "noncompliant_when condition must suggest a non-compliance classification"
                )

    def _check_derived(self, owner: str, item: Item, source: str) -> None:
        """A derived item is shown, never answered: nothing may ask for or judge its answer."""
        wanted = DERIVED_TYPES[source]
        if item.type != wanted:
            self.found.append(
                f"{owner}, field 'type': an item derived from {source} is {wanted}, not {item.type}"
            )
        if item.required:
            self.found.append(
                f"{owner}, field 'required': a derived item is never answered; set it to false"
            )
        for name in ("constraint", "noncompliant_when", "suggested_classification"):
            if getattr(item, name) is not None:
                self.found.append(f"{owner}, field '{name}': a derived item is never answered")

    def _check_number_fields(self, owner: str, item: Item) -> None:
        if item.type != "number":
            for name in ("unit", "min", "max"):
                if getattr(item, name) is not None:
                    self.found.append(f"{owner}, field '{name}': only number items take a {name}")
        elif item.min is not None and item.max is not None and item.min > item.max:
            self.found.append(
                f"{owner}, field 'min': {format_number(item.min)} is above max "
                f"{format_number(item.max)}"
            )

    def _check_choices(self, owner: str, item: Item) -> None:
        if item.type not in CHOICE_TYPES:
            if item.choices:
                self.found.append(
                    f"{owner}, field 'choices': only single_choice and multi_choice items "
                    f"take choices, this item is {item.type}"
                )
            return
        if len(item.choices) < 2:
            self.found.append(f"{owner}, field 'choices': a {item.type} item needs at least two")
        values: set[str] = set()
        for index, choice in enumerate(item.choices):
            if not choice.value.strip() or choice.value in values:
                self.found.append(
                    f"{owner}, field 'choices.{index}.value': {choice.value!r} is empty or repeated"
                )
            values.add(choice.value)
            self._check_text(owner, f"choices.{index}.label", choice.label)

    def _check_constraint(self, owner: str, item: Item, rule: Constraint) -> None:
        allowed = _CONSTRAINT_FIELDS.get(item.type, ())
        for name in Constraint.model_fields:
            if name != "message" and getattr(rule, name) is not None and name not in allowed:
                self.found.append(
                    f"{owner}, field 'constraint.{name}': does not apply to {item.type} items"
                )
        self._check_text(owner, "constraint.message", rule.message)
        pairs = (("min_length", "max_length"), ("min", "max"), ("not_before", "not_after"))
        for low_name, high_name in pairs:
            low, high = getattr(rule, low_name), getattr(rule, high_name)
            if low is not None and high is not None and low > high:
                self.found.append(
                    f"{owner}, field 'constraint.{low_name}': {low} is after {high_name} {high}"
                )
        for name in ("not_before", "not_after"):
            value = getattr(rule, name)
            if value is not None and parse_iso_date(value) is None:
                self.found.append(
                    f"{owner}, field 'constraint.{name}': {value!r} is not a date (YYYY-MM-DD)"
                )
        if rule.pattern is not None:
            try:
                re.compile(rule.pattern)
            except re.error as error:
                self.found.append(
                    f"{owner}, field 'constraint.pattern': not a valid regular expression ({error})"
                )

    def _check_condition(self, owner: str, item: Item, path: str, condition: Condition) -> None:
        forms = [
            condition.item is not None or condition.op is not None,
            condition.all_ is not None,
            condition.any_ is not None,
            condition.not_ is not None,
        ]
        if sum(forms) != 1:
            self.found.append(
                f"{owner}, field '{path}': give either item and op, or exactly one of all, any, not"
            )
            return
        for name, children in (("all", condition.all_), ("any", condition.any_)):
            if children is not None and not children:
                self.found.append(f"{owner}, field '{path}.{name}': is an empty list")
            for index, child in enumerate(children or []):
                self._check_condition(owner, item, f"{path}.{name}.{index}", child)
        if condition.not_ is not None:
            self._check_condition(owner, item, f"{path}.not", condition.not_)
        if forms[0]:
            self._check_test(owner, item, path, condition)

    def _check_test(self, owner: str, item: Item, path: str, condition: Condition) -> None:
        if condition.item is None or condition.op is None:
            missing = "item" if condition.item is None else "op"
            self.found.append(f"{owner}, field '{path}.{missing}': is required but missing")
            return
        target = self.items.get(condition.item)
        if target is None:
            self.found.append(f"{owner}, field '{path}.item': unknown item {condition.item!r}")
            return
        if target.derived_from is not None:
            self.found.append(
                f"{owner}, field '{path}.item': {target.id} is derived from "
                f"{target.derived_from} and has no answer to test"
            )
            return
        if path.startswith("relevant_when") and (
            self.position[target.id] >= self.position.get(item.id, len(self.position))
        ):
            self.found.append(
                f"{owner}, field '{path}.item': refers to {target.id}, which does not come "
                "earlier in the form (relevance may only depend on earlier items)"
            )
        for problem in _value_problems(target, condition):
            self.found.append(f"{owner}, field '{path}.value': {problem}")


def _value_problems(target: Item, condition: Condition) -> Iterator[str]:
    """What is wrong with a test's value, given the item it reads."""
    op, value = condition.op, condition.value
    if op == "answered":
        if value is not None:
            yield "op 'answered' takes no value"
        return
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            yield f"op '{op}' needs a non-empty list of values"
            return
        values: list[object] = list(value)
    elif isinstance(value, list) or value is None:
        yield f"op '{op}' needs a single value"
        return
    else:
        values = [value]
    if op in _ORDERING_OPS and target.type not in ("number", "date"):
        yield f"op '{op}' only compares number and date items; {target.id} is {target.type}"
        return
    allowed = target.choice_values()
    for one in values:
        if allowed and one not in allowed:
            yield f"{one!r} is not a value of {target.id} ({', '.join(allowed)})"
        elif target.type == "number" and not isinstance(one, int | float):
            yield f"{one!r} is not a number, but {target.id} is a number item"
        elif target.type == "date" and not (isinstance(one, str) and parse_iso_date(one)):
            yield f"{one!r} is not a date (YYYY-MM-DD), but {target.id} is a date item"
        elif target.type == "text" and not isinstance(one, str):
            yield f"{one!r} is not text, but {target.id} is a text item"
