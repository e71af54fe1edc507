"""Relevance, required items and non-compliance on a small hand-made form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ietp_desktop.domain.checklist import (
    AnswerValue,
    Condition,
    Form,
    evaluate,
    is_noncompliant,
    is_relevant,
    missing_required,
    noncompliant_items,
    parse_form,
    visible_items,
)


def q(item_id: str, type_: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "ietp_ref": "6.2",
        "question": {"en": f"Question {item_id}?", "zh": f"问题 {item_id}？"},
        "type": type_,
        **fields,
    }


CHALLENGE_CHOICES = [
    {"value": v, "label": {"en": v, "zh": v}} for v in ("hours", "recruitment", "safety", "other")
]

FORM_DATA = {
    "form_id": "test",
    "version": "1",
    "title": {"en": "Test", "zh": "测试"},
    "sections": [
        {
            "id": "wages",
            "kind": "checklist",
            "title": {"en": "Wages", "zh": "工资"},
            "items": [
                q("PR-01", "yes_no_na"),
                q(
                    "PR-02",
                    "yes_no_na",
                    relevant_when={"item": "PR-01", "op": "eq", "value": "yes"},
                    noncompliant_when={"item": "PR-02", "op": "eq", "value": "no"},
                    suggested_classification="standard_nc",
                ),
                q("PR-03", "number", unit="CNY", relevant_when={"item": "PR-02", "op": "answered"}),
                q(
                    "HR-01",
                    "number",
                    unit="h",
                    noncompliant_when={"item": "HR-01", "op": "gt", "value": 60},
                    suggested_classification="standard_nc",
                ),
                q(
                    "HR-02",
                    "yes_partial_no",
                    relevant_when={
                        "any": [
                            {"item": "HR-01", "op": "gt", "value": 60},
                            {"item": "PR-01", "op": "eq", "value": "no"},
                        ]
                    },
                    noncompliant_when={"item": "HR-02", "op": "in", "value": ["partial", "no"]},
                    suggested_classification="transparency",
                ),
                q(
                    "HR-03",
                    "text",
                    required=False,
                    relevant_when={
                        "all": [
                            {"item": "PR-01", "op": "eq", "value": "yes"},
                            {"not": {"item": "HR-01", "op": "le", "value": 48}},
                        ]
                    },
                ),
                q("DQ-01", "multi_choice", choices=CHALLENGE_CHOICES),
                q("DQ-02", "text", relevant_when={"item": "DQ-01", "op": "eq", "value": "other"}),
                q(
                    "DQ-03",
                    "date",
                    required=False,
                    relevant_when={"item": "DQ-01", "op": "not_in", "value": ["hours", "safety"]},
                ),
            ],
        }
    ],
}
FORM: Form = parse_form(json.dumps(FORM_DATA), "test.json")


def visible(answers: dict[str, AnswerValue]) -> list[str]:
    return [item.id for item in visible_items(FORM, answers)]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, ["PR-01", "HR-01", "DQ-01"]),
        # HR-01 unanswered: "HR-01 le 48" is false, so "not" of it is true and HR-03 shows
        ({"PR-01": "yes"}, ["PR-01", "PR-02", "HR-01", "HR-03", "DQ-01"]),
        ({"PR-01": "yes", "PR-02": "no"}, ["PR-01", "PR-02", "PR-03", "HR-01", "HR-03", "DQ-01"]),
        # any: hours over 60 or PR-01 = no
        ({"PR-01": "no"}, ["PR-01", "HR-01", "HR-02", "DQ-01"]),
        ({"HR-01": 61.0}, ["PR-01", "HR-01", "HR-02", "DQ-01"]),
        ({"HR-01": 60.0}, ["PR-01", "HR-01", "DQ-01"]),
        # all + not: PR-01 yes and hours not <= 48
        ({"PR-01": "yes", "HR-01": 50.0}, ["PR-01", "PR-02", "HR-01", "HR-03", "DQ-01"]),
        ({"PR-01": "yes", "HR-01": 48.0}, ["PR-01", "PR-02", "HR-01", "DQ-01"]),
        # multi choice: eq = selected, not_in = none of them selected
        ({"DQ-01": ["recruitment", "other"]}, ["PR-01", "HR-01", "DQ-01", "DQ-02", "DQ-03"]),
        ({"DQ-01": ["hours", "other"]}, ["PR-01", "HR-01", "DQ-01", "DQ-02"]),
        ({"DQ-01": []}, ["PR-01", "HR-01", "DQ-01"]),
    ],
)
def test_visible_items_follow_the_answers(
    answers: dict[str, AnswerValue], expected: list[str]
) -> None:
    assert visible(answers) == expected


def test_changing_the_controlling_answer_hides_follow_ups_and_their_follow_ups() -> None:
    answers: dict[str, AnswerValue] = {"PR-01": "yes", "PR-02": "no", "PR-03": 1500.0}
    assert "PR-03" in visible(answers)
    answers["PR-01"] = "na"
    # PR-02 is hidden, so its stale answer no longer shows PR-03 either
    assert visible(answers) == ["PR-01", "HR-01", "DQ-01"]
    # on its own PR-03's condition still reads the raw answer: only the form-level view hides it
    assert is_relevant(FORM.item("PR-03"), answers)


def test_missing_required_lists_only_visible_unanswered_required_items() -> None:
    assert [i.id for i in missing_required(FORM, {})] == ["PR-01", "HR-01", "DQ-01"]
    answers: dict[str, AnswerValue] = {
        "PR-01": "yes",
        "PR-02": "",
        "HR-01": 50.0,
        "DQ-01": ["other"],
        "DQ-02": "  ",
    }
    # HR-03 (not required) and DQ-03 (not required) are ignored; PR-03 is hidden
    assert [i.id for i in missing_required(FORM, answers)] == ["PR-02", "DQ-02"]
    answers.update({"PR-02": "yes", "PR-03": 2300.0, "DQ-02": "costs"})
    assert missing_required(FORM, answers) == []
    answers["PR-01"] = "no"  # hides PR-02 and PR-03, shows HR-02
    assert [i.id for i in missing_required(FORM, answers)] == ["HR-02"]


@pytest.mark.parametrize(
    ("item_id", "answers", "expected"),
    [
        ("HR-01", {"HR-01": 61.0}, True),
        ("HR-01", {"HR-01": 60.0}, False),
        ("HR-01", {}, False),
        ("PR-02", {"PR-01": "yes", "PR-02": "no"}, True),
        ("PR-02", {"PR-01": "yes", "PR-02": "yes"}, False),
        ("PR-02", {"PR-01": "na", "PR-02": "no"}, False),  # not relevant: never non-compliant
        ("HR-02", {"PR-01": "no", "HR-02": "partial"}, True),
        ("HR-02", {"PR-01": "no", "HR-02": "yes"}, False),
        ("PR-01", {"PR-01": "no"}, False),  # no noncompliant_when at all
    ],
)
def test_is_noncompliant(item_id: str, answers: dict[str, AnswerValue], expected: bool) -> None:
    assert is_noncompliant(FORM.item(item_id), answers) is expected


def test_noncompliant_items_ignore_answers_left_on_hidden_items() -> None:
    answers: dict[str, AnswerValue] = {"PR-01": "yes", "PR-02": "no", "HR-01": 72.0}
    assert [i.id for i in noncompliant_items(FORM, answers)] == ["PR-02", "HR-01"]
    answers["PR-01"] = "no"
    assert [i.id for i in noncompliant_items(FORM, answers)] == ["HR-01"]


def cond(**data: Any) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (cond(item="A", op="ne", value="yes"), {"A": "no"}, True),
        (cond(item="A", op="ne", value="yes"), {"A": "yes"}, False),
        (cond(item="A", op="ne", value="yes"), {}, False),  # unanswered: every test is false
        (cond(item="A", op="in", value=["no", "na"]), {"A": "na"}, True),
        (cond(item="A", op="not_in", value=["no", "na"]), {"A": "yes"}, True),
        (cond(item="A", op="not_in", value=["no", "na"]), {"A": "no"}, False),
        (cond(item="A", op="ge", value=60), {"A": 60.0}, True),
        (cond(item="A", op="lt", value=100), {"A": 99.5}, True),
        (cond(item="A", op="le", value=100), {"A": 100.5}, False),
        (cond(item="D", op="lt", value="2026-01-01"), {"D": "2025-12-31"}, True),
        (cond(item="D", op="gt", value="2026-01-01"), {"D": "2025-12-31"}, False),
        (cond(item="D", op="gt", value="2026-01-01"), {"D": 5.0}, False),  # mixed kinds
        (cond(item="D", op="gt", value=None), {"D": 5.0}, False),
        (cond(item="A", op="answered"), {"A": "na"}, True),
        (cond(item="A", op="answered"), {"A": ""}, False),
        (cond(item="M", op="ne", value="other"), {"M": ["hours"]}, True),
        (cond(item="M", op="ne", value="other"), {"M": ["other"]}, False),
        (cond(item="M", op="in", value=["x", "hours"]), {"M": ["hours"]}, True),
        (cond(item="M", op="gt", value="a"), {"M": ["hours"]}, False),
        (cond(item="M", op="answered"), {"M": []}, False),
        (cond(all=[]), {}, True),
        (cond(any=[]), {}, False),
        (cond(**{"not": {"item": "A", "op": "eq", "value": "yes"}}), {}, True),
    ],
)
def test_evaluate_conditions(
    condition: Condition, answers: dict[str, AnswerValue], expected: bool
) -> None:
    assert evaluate(condition, answers) is expected
