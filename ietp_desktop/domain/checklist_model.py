"""The shape of a checklist form: sections of items, each with a typed answer.

Models only; parsing with file-level checks lives in `checklist_parse`, answer handling in
`checklist_answers`. Import everything from `ietp_desktop.domain.checklist`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ietp_desktop.domain.findings import Category, Classification

AnswerType = Literal[
    "yes_no_na", "yes_partial_no", "number", "date", "text", "single_choice", "multi_choice"
]
ANSWER_TYPES: tuple[str, ...] = (
    "yes_no_na",
    "yes_partial_no",
    "number",
    "date",
    "text",
    "single_choice",
    "multi_choice",
)
CHOICE_TYPES = frozenset({"single_choice", "multi_choice"})
SectionKind = Literal["meeting", "checklist", "best_practice", "discussion"]
ConditionOp = Literal["eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "answered"]
# Facts the program already holds elsewhere; an item derived from one is shown, never typed.
DerivedSource = Literal["attendees.senior_manager", "cap.due_date", "rules.minimum_wage"]
# The answer type a derived value takes, so it is worded like an answer of that type.
DERIVED_TYPES: dict[str, str] = {
    "attendees.senior_manager": "yes_no_na",
    "cap.due_date": "date",
    "rules.minimum_wage": "number",
}

# yes/no/na: the value stored, str for a choice, float for a number, "YYYY-MM-DD" for a date,
# str for text, list[str] for multi choice; None when unanswered.
AnswerValue = str | float | list[str] | None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True)


class LocalizedText(_Frozen):
    en: str
    zh: str

    def get(self, language: str) -> str:
        """The text in `language` ("en" or "zh"); English when that text is empty or unknown."""
        if language == "zh" and self.zh:
            return self.zh
        return self.en


def _text(en: str, zh: str) -> LocalizedText:
    return LocalizedText(en=en, zh=zh)


BUILT_IN_CHOICES: dict[str, tuple[tuple[str, LocalizedText], ...]] = {
    "yes_no_na": (
        ("yes", _text("Yes", "是")),
        ("no", _text("No", "否")),
        ("na", _text("N/A", "不适用")),
    ),
    "yes_partial_no": (
        ("yes", _text("Yes", "是")),
        ("partial", _text("Partly", "部分")),
        ("no", _text("No", "否")),
    ),
}


class Choice(_Frozen):
    value: str
    label: LocalizedText


class Condition(_Frozen):
    """Either a test of one answer (`item`, `op`, `value`) or a combination: `all`, `any`
    (lists of conditions) or `not` (one condition). A test of an unanswered item is false."""

    item: str | None = None
    op: ConditionOp | None = None
    value: str | float | list[str] | None = None
    all_: list[Condition] | None = Field(default=None, alias="all")
    any_: list[Condition] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")


class Constraint(_Frozen):
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    not_before: str | None = None
    not_after: str | None = None
    message: LocalizedText | None = None


class Item(_Frozen):
    id: str
    ietp_ref: str
    question: LocalizedText
    guidance: LocalizedText | None = None
    type: AnswerType
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    choices: list[Choice] = Field(default_factory=list)
    required: bool = True
    relevant_when: Condition | None = None
    constraint: Constraint | None = None
    noncompliant_when: Condition | None = None
    suggested_classification: Classification | None = None
    category: Category | None = None
    # The title a finding raised on this item starts with (forms from v2 on).
    finding_title: LocalizedText | None = None
    # Forms from v2 on: the item's value is read from where the program keeps the fact.
    derived_from: DerivedSource | None = None

    @property
    def derived(self) -> bool:
        return self.derived_from is not None

    def choice_values(self) -> list[str]:
        """The values an answer may take, for the choice-like types; [] for the others."""
        if self.type in BUILT_IN_CHOICES:
            return [value for value, _ in BUILT_IN_CHOICES[self.type]]
        return [choice.value for choice in self.choices]

    def choice_labels(self) -> list[tuple[str, LocalizedText]]:
        if self.type in BUILT_IN_CHOICES:
            return list(BUILT_IN_CHOICES[self.type])
        return [(choice.value, choice.label) for choice in self.choices]

    def choice_label(self, value: str, language: str) -> str:
        """The label shown for `value`; the value itself when it is not one of the choices."""
        for known, label in self.choice_labels():
            if known == value:
                return label.get(language)
        return value


class Section(_Frozen):
    id: str
    title: LocalizedText
    kind: SectionKind
    items: list[Item]


class Form(_Frozen):
    form_id: str
    version: str
    title: LocalizedText
    sections: list[Section]

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        section, index = self._position(item_id)
        return self.sections[section].items[index]

    def section_of(self, item_id: str) -> Section:
        return self.sections[self._position(item_id)[0]]

    def _position(self, item_id: str) -> tuple[int, int]:
        for s, section in enumerate(self.sections):
            for i, item in enumerate(section.items):
                if item.id == item_id:
                    return s, i
        raise KeyError(f"item {item_id} is not in form {self.form_id} v{self.version}")


@dataclass(frozen=True)
class Problem:
    """Why an answer is not accepted. `message` is an English str.format string for the
    translation catalogue; `localized` carries a form's own bilingual message when it has one."""

    message: str
    params: dict[str, object] = field(default_factory=dict)
    localized: LocalizedText | None = None

    def text(self, language: str = "en") -> str:
        template = self.localized.get(language) if self.localized else self.message
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template
