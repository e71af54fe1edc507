"""A broken form file gets one line naming the file, the item (or section) and the field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from ietp_desktop.domain.checklist import form_sha256, parse_form
from ietp_desktop.domain.errors import ValidationFailed

SOURCE = "pv-checklist-v1.json"


def base() -> dict[str, Any]:
    def q(item_id: str, type_: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": item_id,
            "ietp_ref": "5.2",
            "question": {"en": "Question?", "zh": "问题？"},
            "type": type_,
            **fields,
        }

    return {
        "form_id": "pv-checklist",
        "version": "1",
        "title": {"en": "Checklist", "zh": "检查表"},
        "sections": [
            {
                "id": "working_hours",
                "kind": "checklist",
                "title": {"en": "Working hours", "zh": "工时"},
                "items": [
                    q(
                        "WH-01",
                        "yes_no_na",
                        noncompliant_when={"item": "WH-01", "op": "eq", "value": "no"},
                        suggested_classification="standard_nc",
                    ),
                    q(
                        "WH-02",
                        "multi_choice",
                        choices=[
                            {"value": "a", "label": {"en": "A", "zh": "甲"}},
                            {"value": "b", "label": {"en": "B", "zh": "乙"}},
                        ],
                    ),
                    q("WH-03", "number", unit="h", min=0, max=168),
                    q("WH-04", "date"),
                    q("WH-05", "text"),
                ],
            },
            {
                "id": "best_practices",
                "kind": "best_practice",
                "title": {"en": "Best practices", "zh": "最佳实践"},
                "items": [q("BP-01", "yes_no_na", suggested_classification="best_practice")],
            },
        ],
    }


Edit = Callable[[dict[str, Any]], None]


def item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    for section in data["sections"]:
        for entry in section["items"]:
            if entry["id"] == item_id:
                return entry  # type: ignore[no-any-return]
    raise KeyError(item_id)


def setting(item_id: str, **fields: Any) -> Edit:
    return lambda data: item(data, item_id).update(fields)


def dropping(item_id: str, name: str) -> Edit:
    return lambda data: item(data, item_id).pop(name)


def problem_for(edit: Edit) -> ValidationFailed:
    data = copy.deepcopy(base())
    edit(data)
    with pytest.raises(ValidationFailed) as caught:
        parse_form(json.dumps(data, ensure_ascii=False), SOURCE)
    return caught.value


def test_the_unbroken_base_form_loads() -> None:
    form = parse_form(json.dumps(base()), SOURCE)
    assert [i.id for i in form.items()] == ["WH-01", "WH-02", "WH-03", "WH-04", "WH-05", "BP-01"]
    assert form.section_of("BP-01").kind == "best_practice"
    assert form.item("WH-03").unit == "h"
    with pytest.raises(KeyError, match="WH-99"):
        form.item("WH-99")


ON_WH03 = "relevant_when"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # shape (pydantic) problems
        (
            setting("WH-03", type="nummber"),
            "pv-checklist-v1.json: item WH-03, field 'type': 'nummber' is not one of yes_no_na, "
            "yes_partial_no, number, date, text, single_choice, multi_choice",
        ),
        (
            dropping("WH-03", "ietp_ref"),
            "pv-checklist-v1.json: item WH-03, field 'ietp_ref': is required but missing",
        ),
        (
            setting("WH-03", qestion="typo"),
            "pv-checklist-v1.json: item WH-03, field 'qestion': is not a known field "
            "(check the spelling)",
        ),
        (
            setting("WH-03", question={"en": "Hours?"}),
            "pv-checklist-v1.json: item WH-03, field 'question.zh': is required but missing",
        ),
        (
            setting("WH-03", min="zero"),
            "pv-checklist-v1.json: item WH-03, field 'min': Input should be a valid number, "
            "unable to parse string as a number (got 'zero')",
        ),
        (
            setting("WH-01", suggested_classification="severe"),
            "pv-checklist-v1.json: item WH-01, field 'suggested_classification': 'severe' is not "
            "one of standard_nc, transparency, zero_tolerance, observation, best_practice",
        ),
        (
            setting("WH-01", noncompliant_when={"item": "WH-01", "op": "equals", "value": "no"}),
            "pv-checklist-v1.json: item WH-01, field 'noncompliant_when.op': 'equals' is not one "
            "of eq, ne, in, not_in, gt, ge, lt, le, answered",
        ),
        (
            setting("WH-05", relevant_when={"all": [{"item": "WH-01", "op": "bogus"}]}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.all.0.op': 'bogus' is not "
            "one of eq, ne, in, not_in, gt, ge, lt, le, answered",
        ),
        (
            lambda d: d["sections"][0].update(kind="audit"),
            "pv-checklist-v1.json: section working_hours, field 'kind': 'audit' is not one of "
            "meeting, checklist, best_practice, discussion",
        ),
        (
            lambda d: d["sections"][0].pop("items"),
            "pv-checklist-v1.json: section working_hours, field 'items': is required but missing",
        ),
        (
            lambda d: d["sections"][0]["items"][2].pop("id"),
            "pv-checklist-v1.json: item #3, field 'id': is required but missing",
        ),
        (
            lambda d: d["sections"][0]["items"].__setitem__(2, "WH-03"),
            "pv-checklist-v1.json: item #3: Input should be a valid dictionary or instance of "
            "Item (got 'WH-03')",
        ),
        (
            lambda d: d["sections"][0].update(id=""),
            "pv-checklist-v1.json: section #1, field 'id': use letters, digits, '_', '.', '-'",
        ),
        (
            setting("WH-04", id=""),
            "pv-checklist-v1.json: item #4, field 'id': use letters, digits, '_', '.', '-'",
        ),
        (
            lambda d: d.pop("version"),
            "pv-checklist-v1.json: form, field 'version': is required but missing",
        ),
        # checks across fields
        (
            setting("WH-04", id="WH-03"),
            "pv-checklist-v1.json: item WH-03, field 'id': duplicate id",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-99", "op": "answered"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.item': unknown item 'WH-99'",
        ),
        (
            setting("WH-01", noncompliant_when={"item": "WH-77", "op": "eq", "value": "no"}),
            "pv-checklist-v1.json: item WH-01, field 'noncompliant_when.item': unknown item "
            "'WH-77'",
        ),
        (
            setting("WH-03", relevant_when={"item": "WH-04", "op": "answered"}),
            "pv-checklist-v1.json: item WH-03, field 'relevant_when.item': refers to WH-04, which "
            "does not come earlier in the form (relevance may only depend on earlier items)",
        ),
        (
            setting("WH-03", relevant_when={"item": "WH-03", "op": "answered"}),
            "pv-checklist-v1.json: item WH-03, field 'relevant_when.item': refers to WH-03, which "
            "does not come earlier in the form (relevance may only depend on earlier items)",
        ),
        (
            dropping("WH-02", "choices"),
            "pv-checklist-v1.json: item WH-02, field 'choices': a multi_choice item needs at "
            "least two",
        ),
        (
            setting("WH-05", choices=[{"value": "a", "label": {"en": "A", "zh": "甲"}}]),
            "pv-checklist-v1.json: item WH-05, field 'choices': only single_choice and "
            "multi_choice items take choices, this item is text",
        ),
        (
            setting(
                "WH-02",
                choices=[
                    {"value": "a", "label": {"en": "A", "zh": "甲"}},
                    {"value": "a", "label": {"en": "B", "zh": "乙"}},
                ],
            ),
            "pv-checklist-v1.json: item WH-02, field 'choices.1.value': 'a' is empty or repeated",
        ),
        (
            setting("WH-03", min=170),
            "pv-checklist-v1.json: item WH-03, field 'min': 170 is above max 168",
        ),
        (
            setting("WH-05", unit="h"),
            "pv-checklist-v1.json: item WH-05, field 'unit': only number items take a unit",
        ),
        (
            setting("WH-01", suggested_classification=None),
            "pv-checklist-v1.json: item WH-01, field 'suggested_classification': an item with a "
            "noncompliant_when condition must suggest a non-compliance classification",
        ),
        (
            setting("BP-01", suggested_classification="standard_nc"),
            "pv-checklist-v1.json: item BP-01, field 'suggested_classification': a best-practice "
            "item may only suggest best_practice, not standard_nc",
        ),
        (
            setting("BP-01", noncompliant_when={"item": "BP-01", "op": "eq", "value": "no"}),
            "pv-checklist-v1.json: item BP-01, field 'noncompliant_when': best practices are "
            "never a non-compliance",
        ),
        (
            setting("WH-03", question={"en": "Hours?", "zh": " "}),
            "pv-checklist-v1.json: item WH-03, field 'question.zh': is empty",
        ),
        (
            setting("WH-03", guidance={"en": "", "zh": "说明"}),
            "pv-checklist-v1.json: item WH-03, field 'guidance.en': is empty",
        ),
        (
            setting("WH-03", ietp_ref=" "),
            "pv-checklist-v1.json: item WH-03, field 'ietp_ref': is empty",
        ),
        (
            setting("WH-03", id="WH 03"),
            "pv-checklist-v1.json: item WH 03, field 'id': use letters, digits, '_', '.', '-'",
        ),
        (lambda d: d.update(form_id=""), "pv-checklist-v1.json: form, field 'form_id': is empty"),
        (
            lambda d: d.update(title={"en": "Checklist", "zh": ""}),
            "pv-checklist-v1.json: form, field 'title.zh': is empty",
        ),
        (
            lambda d: d["sections"][1].update(id="working_hours"),
            "pv-checklist-v1.json: section working_hours, field 'id': duplicate id",
        ),
        (
            lambda d: d["sections"][1].update(items=[]),
            "pv-checklist-v1.json: section best_practices, field 'items': a section needs at "
            "least one item",
        ),
        # constraints
        (
            setting("WH-03", constraint={"pattern": "[0-9]+"}),
            "pv-checklist-v1.json: item WH-03, field 'constraint.pattern': does not apply to "
            "number items",
        ),
        (
            setting("WH-05", constraint={"pattern": "(unclosed"}),
            "pv-checklist-v1.json: item WH-05, field 'constraint.pattern': not a valid regular "
            "expression (missing ), unterminated subpattern at position 0)",
        ),
        (
            setting("WH-05", constraint={"min_length": 9, "max_length": 3}),
            "pv-checklist-v1.json: item WH-05, field 'constraint.min_length': 9 is after "
            "max_length 3",
        ),
        (
            setting("WH-04", constraint={"not_before": "2026-02-30"}),
            "pv-checklist-v1.json: item WH-04, field 'constraint.not_before': '2026-02-30' is not "
            "a date (YYYY-MM-DD)",
        ),
        (
            setting(
                "WH-04",
                constraint={"not_after": "2026-01-01", "message": {"en": "Too late.", "zh": ""}},
            ),
            "pv-checklist-v1.json: item WH-04, field 'constraint.message.zh': is empty",
        ),
        # condition shapes and values
        (
            setting("WH-05", relevant_when={}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when': give either item and op, "
            "or exactly one of all, any, not",
        ),
        (
            setting(
                "WH-05",
                relevant_when={
                    "item": "WH-01",
                    "op": "answered",
                    "any": [{"item": "WH-01", "op": "answered"}],
                },
            ),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when': give either item and op, "
            "or exactly one of all, any, not",
        ),
        (
            setting("WH-05", relevant_when={"any": []}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.any': is an empty list",
        ),
        (
            setting("WH-05", relevant_when={"not": {"item": "WH-01"}}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.not.op': is required but "
            "missing",
        ),
        (
            setting("WH-05", relevant_when={"op": "answered"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.item': is required but missing",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-01", "op": "eq", "value": "yess"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': 'yess' is not a value "
            "of WH-01 (yes, no, na)",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-02", "op": "in", "value": ["a", "c"]}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': 'c' is not a value "
            "of WH-02 (a, b)",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-02", "op": "in", "value": "a"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': op 'in' needs a "
            "non-empty list of values",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-01", "op": "eq"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': op 'eq' needs a "
            "single value",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-01", "op": "answered", "value": "yes"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': op 'answered' takes "
            "no value",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-01", "op": "gt", "value": "yes"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': op 'gt' only compares "
            "number and date items; WH-01 is yes_no_na",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-03", "op": "gt", "value": "sixty"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': 'sixty' is not a "
            "number, but WH-03 is a number item",
        ),
        (
            setting("WH-05", relevant_when={"item": "WH-04", "op": "lt", "value": "01/02/2026"}),
            "pv-checklist-v1.json: item WH-05, field 'relevant_when.value': '01/02/2026' is not a "
            "date (YYYY-MM-DD), but WH-04 is a date item",
        ),
        (
            setting("WH-01", noncompliant_when={"item": "WH-05", "op": "eq", "value": 3}),
            "pv-checklist-v1.json: item WH-01, field 'noncompliant_when.value': 3.0 is not text, "
            "but WH-05 is a text item",
        ),
    ],
)
def test_a_broken_form_gets_one_line_naming_file_item_and_field(edit: Edit, message: str) -> None:
    error = problem_for(edit)
    assert str(error) == message
    assert "\n" not in str(error)
    assert error.problems == [message]


def test_section_with_a_bad_id_is_named_by_position_and_field() -> None:
    error = problem_for(lambda d: d["sections"][0].update(id="working hours"))
    assert str(error) == (
        "pv-checklist-v1.json: section working hours, field 'id': use letters, digits, "
        "'_', '.', '-'"
    )


def test_several_problems_are_all_listed_and_the_message_counts_them() -> None:
    def edit(data: dict[str, Any]) -> None:
        item(data, "WH-03")["type"] = "nummber"
        item(data, "WH-04")["type"] = "datum"

    error = problem_for(edit)
    assert str(error).startswith("pv-checklist-v1.json: item WH-03, field 'type'")
    assert str(error).endswith("(and 1 more problems)")
    assert len(error.problems) == 2
    assert error.problems[1].startswith("pv-checklist-v1.json: item WH-04, field 'type'")


def test_a_cross_field_problem_list_keeps_every_problem() -> None:
    def edit(data: dict[str, Any]) -> None:
        item(data, "WH-05")["unit"] = "h"
        item(data, "WH-05")["min"] = 1

    error = problem_for(edit)
    assert error.problems == [
        "pv-checklist-v1.json: item WH-05, field 'unit': only number items take a unit",
        "pv-checklist-v1.json: item WH-05, field 'min': only number items take a min",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{\n  "form_id": "pv",\n  "version": "1"\n  "title": {}\n}',
            "pv-checklist-v1.json: line 4, column 3: not valid JSON (Expecting ',' delimiter)",
        ),
        ("", "pv-checklist-v1.json: line 1, column 1: not valid JSON (Expecting value)"),
        ("[1, 2]", "pv-checklist-v1.json: the form must be a JSON object"),
    ],
)
def test_malformed_json_names_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_form(text, SOURCE)
    assert str(caught.value) == message


def test_a_long_wrong_value_is_shortened_in_the_message() -> None:
    error = problem_for(setting("WH-03", min="x" * 100))
    assert str(error).endswith("(got '" + "x" * 56 + "...)")


def test_form_sha256_is_the_hash_of_the_utf8_bytes() -> None:
    assert form_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert form_sha256("检查表") != form_sha256("检查表 ")
    assert len(form_sha256("检查表")) == 64


# --- derived items (forms from v2 on): shown from where the program keeps the fact -------


def with_derived(**fields: Any) -> Edit:
    """The base form plus WG-02, derived from the rule set's minimum wage."""

    def edit(data: dict[str, Any]) -> None:
        entry: dict[str, Any] = {
            "id": "WG-02",
            "ietp_ref": "6.2",
            "question": {"en": "Minimum wage", "zh": "最低工资"},
            "type": "number",
            "unit": "CNY",
            "required": False,
            "derived_from": "rules.minimum_wage",
            **fields,
        }
        data["sections"][0]["items"].append({k: v for k, v in entry.items() if v is not None})

    return edit


def test_a_derived_item_loads_and_is_never_required() -> None:
    data = copy.deepcopy(base())
    with_derived()(data)
    form = parse_form(json.dumps(data), SOURCE)
    assert form.item("WG-02").derived and form.item("WG-02").derived_from == "rules.minimum_wage"
    assert not form.item("WH-03").derived


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            with_derived(type="text", unit=None),
            "pv-checklist-v1.json: item WG-02, field 'type': an item derived from "
            "rules.minimum_wage is number, not text",
        ),
        (
            with_derived(required=True),
            "pv-checklist-v1.json: item WG-02, field 'required': a derived item is never "
            "answered; set it to false",
        ),
        (
            with_derived(constraint={"min": 1}),
            "pv-checklist-v1.json: item WG-02, field 'constraint': a derived item is never "
            "answered",
        ),
        (
            with_derived(derived_from="hours.total"),
            "pv-checklist-v1.json: item WG-02, field 'derived_from': 'hours.total' is not one of "
            "attendees.senior_manager, cap.due_date, rules.minimum_wage",
        ),
    ],
)
def test_a_derived_item_that_could_be_answered_is_refused(edit: Edit, message: str) -> None:
    assert str(problem_for(edit)) == message


def test_no_condition_may_read_a_derived_item() -> None:
    def edit(data: dict[str, Any]) -> None:
        with_derived()(data)
        item(data, "WH-01")["noncompliant_when"] = {"item": "WG-02", "op": "gt", "value": 1}

    assert str(problem_for(edit)) == (
        "pv-checklist-v1.json: item WH-01, field 'noncompliant_when.item': WG-02 is derived from "
        "rules.minimum_wage and has no answer to test"
    )
