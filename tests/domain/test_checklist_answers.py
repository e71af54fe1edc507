"""Reading, checking and showing answers, one table per answer type."""

from __future__ import annotations

import json
import re
import string
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ietp_desktop.domain import checklist_answers
from ietp_desktop.domain.checklist import (
    Condition,
    Item,
    LocalizedText,
    Problem,
    coerce_answer,
    format_answer,
    validate_answer,
)
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.paths import resources_dir


def make_item(type_: str, **fields: Any) -> Item:
    data: dict[str, Any] = {
        "id": fields.pop("id", "X-01"),
        "ietp_ref": "5.1",
        "question": {"en": "Question?", "zh": "问题？"},
        "type": type_,
    }
    data.update(fields)
    return Item.model_validate(data)


YES_NO = make_item("yes_no_na", id="WH-01")
PARTIAL = make_item("yes_partial_no", id="WH-08")
HOURS = make_item("number", id="WH-03", unit="h", min=0, max=168)
COUNT = make_item("number", id="OM-06")
AT_LEAST = make_item("number", id="N-02", min=1)
AT_MOST_CNY = make_item("number", id="N-03", max=100, unit="%")
DRILL = make_item(
    "date", id="EH-03", constraint={"not_before": "2020-01-01", "not_after": "2030-12-31"}
)
PLAIN_DATE = make_item("date", id="D-02")
NOTE = make_item(
    "text",
    id="TR-07",
    constraint={
        "min_length": 3,
        "max_length": 10,
        "message": {"en": "Between 3 and 10 characters.", "zh": "请输入3至10个字。"},
    },
)
CODE = make_item("text", id="T-02", constraint={"pattern": r"[A-Z]{2}-\d{2}"})
FREE_TEXT = make_item("text", id="T-03")
PAY = make_item(
    "single_choice",
    id="WG-15",
    choices=[
        {"value": "bank", "label": {"en": "Bank transfer", "zh": "银行转账"}},
        {"value": "cash", "label": {"en": "Cash", "zh": "现金"}},
    ],
)
CHALLENGES = make_item(
    "multi_choice",
    id="DQ-01",
    choices=[
        {"value": "working_hours", "label": {"en": "Working hours", "zh": "工时"}},
        {"value": "health_safety", "label": {"en": "Health and safety", "zh": "健康与安全"}},
        {"value": "other", "label": {"en": "Other", "zh": "其他"}},
    ],
)
BOUNDED = make_item(
    "number",
    id="N-04",
    min=0,
    max=1000,
    constraint={"min": 10, "max": 20, "message": {"en": "Use 10 to 20.", "zh": "请填10至20。"}},
)


@pytest.mark.parametrize(
    ("item", "raw", "expected"),
    [
        (YES_NO, "yes", "yes"),
        (YES_NO, " No ", "no"),
        (YES_NO, "N/A", "na"),
        (YES_NO, "是", "yes"),
        (YES_NO, "不适用", "na"),
        (YES_NO, True, "yes"),
        (YES_NO, False, "no"),
        (YES_NO, None, None),
        (YES_NO, "  ", None),
        (PARTIAL, "partly", "partial"),
        (PARTIAL, "partial", "partial"),
        (PARTIAL, "部分", "partial"),
        (HOURS, "12.5", 12.5),
        (HOURS, "61 h", 61.0),
        (HOURS, 48, 48.0),
        (HOURS, 7.25, 7.25),
        (COUNT, "1,250", 1250.0),
        (COUNT, "-3", -3.0),
        (DRILL, "2026-10-01", "2026-10-01"),
        (DRILL, " 2026-10-01 ", "2026-10-01"),
        (DRILL, date(2026, 3, 4), "2026-03-04"),
        (DRILL, datetime(2026, 3, 4, 15, 30), "2026-03-04"),
        (NOTE, "  two sets of books  ", "two sets of books"),
        (PAY, "cash", "cash"),
        (PAY, "Bank transfer", "bank"),
        (PAY, "现金", "cash"),
        (CHALLENGES, "other,working_hours", ["working_hours", "other"]),
        (CHALLENGES, "工时，其他", ["working_hours", "other"]),
        (CHALLENGES, ["health_safety", "health_safety"], ["health_safety"]),
        (CHALLENGES, ("other",), ["other"]),
        (CHALLENGES, " , ", None),
        (CHALLENGES, [], None),
    ],
)
def test_coerce_reads_user_input_into_the_typed_answer(
    item: Item, raw: object, expected: object
) -> None:
    assert coerce_answer(item, raw) == expected


@pytest.mark.parametrize(
    ("item", "raw", "message"),
    [
        (YES_NO, "maybe", "item WH-01: 'maybe' is not one of yes, no, na"),
        (YES_NO, 1, "item WH-01: expected one of yes, no, na, got 1"),
        (PARTIAL, "na", "item WH-08: 'na' is not one of yes, partial, no"),
        (PAY, True, "item WG-15: expected one of bank, cash, got True"),
        (PAY, "cheque", "item WG-15: 'cheque' is not one of bank, cash"),
        (HOURS, "twelve", "item WH-03: 'twelve' is not a number"),
        (HOURS, "12,5", "item WH-03: '12,5' is not a number"),
        (HOURS, True, "item WH-03: expected a number, got True"),
        (HOURS, [12], "item WH-03: expected a number, got [12]"),
        (HOURS, "nan", "item WH-03: 'nan' is not a finite number"),
        (HOURS, float("inf"), "item WH-03: inf is not a finite number"),
        (DRILL, "2026-13-01", "item EH-03: '2026-13-01' is not a date (YYYY-MM-DD)"),
        (DRILL, "1/10/2026", "item EH-03: '1/10/2026' is not a date (YYYY-MM-DD)"),
        (DRILL, 20261001, "item EH-03: 20261001 is not a date (YYYY-MM-DD)"),
        (NOTE, 42, "item TR-07: expected text, got 42"),
        (
            CHALLENGES,
            "overtime",
            "item DQ-01: 'overtime' is not one of working_hours, health_safety, other",
        ),
        (CHALLENGES, 3, "item DQ-01: expected a list of choices, got 3"),
        (CHALLENGES, ["other", 3], "item DQ-01: expected a list of choices, got 3 in it"),
    ],
)
def test_coerce_refuses_unreadable_input_naming_the_item(
    item: Item, raw: object, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        coerce_answer(item, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("item", "value", "expected"),
    [
        (YES_NO, "yes", None),
        (YES_NO, None, None),
        (YES_NO, "", None),
        (YES_NO, "maybe", "Choose one of: yes, no, na."),
        (YES_NO, 1.0, "Choose one of: yes, no, na."),
        (PAY, "bank", None),
        (PAY, "cheque", "Choose one of: bank, cash."),
        (CHALLENGES, ["other"], None),
        (CHALLENGES, [], None),
        (
            CHALLENGES,
            ["other", "overtime"],
            "Choose only from: working_hours, health_safety, other.",
        ),
        (CHALLENGES, "other", "Choose only from: working_hours, health_safety, other."),
        (HOURS, 168.0, None),
        (HOURS, 0.0, None),
        (HOURS, 169.0, "Enter a number between 0 and 168 h."),
        (HOURS, -1.0, "Enter a number between 0 and 168 h."),
        (HOURS, "12", "Enter a number."),
        (COUNT, -5.0, None),
        (AT_LEAST, 0.5, "Enter a number of at least 1."),
        (AT_MOST_CNY, 100.5, "Enter a number of at most 100 %."),
        (BOUNDED, 15.0, None),
        (BOUNDED, 2000.0, "Enter a number between 0 and 1000."),
        (BOUNDED, 25.0, "Use 10 to 20."),
        (DRILL, "2025-06-30", None),
        (DRILL, "2019-12-31", "Enter a date on or after 2020-01-01."),
        (DRILL, "2031-01-01", "Enter a date on or before 2030-12-31."),
        (DRILL, "2025-02-30", "Enter a date as YYYY-MM-DD."),
        (PLAIN_DATE, "1999-01-01", None),
        (PLAIN_DATE, 2025.0, "Enter a date as YYYY-MM-DD."),
        (NOTE, "abcd", None),
        (NOTE, "ab", "Between 3 and 10 characters."),
        (NOTE, "abcdefghijk", "Between 3 and 10 characters."),
        (NOTE, ["ab"], "Enter text."),
        (CODE, "WH-03", None),
        (CODE, "wh-03", "The answer does not have the expected format."),
        (FREE_TEXT, "anything at all", None),
    ],
)
def test_validate_answer_explains_what_is_wrong(
    item: Item, value: Any, expected: str | None
) -> None:
    problem = validate_answer(item, value)
    assert (problem.text() if problem else None) == expected


def test_out_of_range_number_keeps_the_template_and_values_for_translation() -> None:
    problem = validate_answer(HOURS, 200.5)
    assert problem == Problem(
        "Enter a number between {min} and {max} {unit}.",
        {"min": "0", "max": "168", "unit": "h"},
    )


def test_form_supplied_message_is_shown_in_the_chosen_language() -> None:
    problem = validate_answer(NOTE, "ab")
    assert problem is not None
    assert problem.text("zh") == "请输入3至10个字。"
    assert problem.text("en") == "Between 3 and 10 characters."
    assert problem.message == "Enter at least {count} characters."
    assert problem.params == {"count": 3}


def test_problem_text_with_a_broken_template_shows_it_unformatted() -> None:
    broken = Problem("x", {}, LocalizedText(en="Needs {what}", zh="需要{what}"))
    assert broken.text() == "Needs {what}"


@pytest.mark.parametrize(
    ("item", "value", "language", "expected"),
    [
        (YES_NO, "yes", "en", "Yes"),
        (YES_NO, "yes", "zh", "是"),
        (YES_NO, "na", "en", "N/A"),
        (PARTIAL, "partial", "zh", "部分"),
        (YES_NO, "stale", "en", "stale"),
        (YES_NO, None, "en", ""),
        (HOURS, 12.0, "en", "12 h"),
        (HOURS, 12.5, "zh", "12.5 h"),
        (COUNT, 1250.0, "en", "1250"),
        (DRILL, "2026-10-01", "zh", "2026-10-01"),
        (NOTE, "two books", "en", "two books"),
        (PAY, "cash", "zh", "现金"),
        (CHALLENGES, ["working_hours", "other"], "en", "Working hours, Other"),
        (CHALLENGES, ["working_hours", "other"], "zh", "工时、其他"),
        (CHALLENGES, [], "en", ""),
    ],
)
def test_format_answer_gives_the_text_a_reader_sees(
    item: Item, value: Any, language: str, expected: str
) -> None:
    assert format_answer(item, value, language) == expected


def test_choice_values_and_labels_cover_built_in_and_form_choices() -> None:
    assert YES_NO.choice_values() == ["yes", "no", "na"]
    assert PARTIAL.choice_values() == ["yes", "partial", "no"]
    assert PAY.choice_values() == ["bank", "cash"]
    assert HOURS.choice_values() == []
    assert PARTIAL.choice_label("partial", "en") == "Partly"
    assert PAY.choice_label("bank", "zh") == "银行转账"
    assert PAY.choice_label("bank", "fr") == "Bank transfer"


def test_localized_text_falls_back_to_english() -> None:
    text = LocalizedText(en="Exit", zh="")
    assert text.get("zh") == "Exit"
    assert LocalizedText(en="Exit", zh="出口").get("zh") == "出口"
    assert LocalizedText(en="Exit", zh="出口").get("de") == "Exit"


def test_models_are_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        HOURS.min = 5  # type: ignore[misc]
    assert Condition.model_validate({"all": [{"item": "A", "op": "answered"}]}).all_ is not None


def test_every_problem_template_has_a_chinese_translation_with_the_same_placeholders() -> None:
    source = Path(checklist_answers.__file__).read_text(encoding="utf-8")
    templates = set(re.findall(r'"((?:Enter|Choose|The answer)[^"\n]*\.)"', source))
    catalogue = json.loads(
        (resources_dir() / "i18n" / "zh" / "checklist.json").read_text(encoding="utf-8")
    )
    assert len(templates) == 16
    assert templates <= set(catalogue)

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    for template in templates:
        assert names(catalogue[template]) == names(template), template


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (  # the zero-tolerance screen: "yes" reports the violation
            {
                "suggested_classification": "zero_tolerance",
                "noncompliant_when": {"item": "ZT-01", "op": "eq", "value": "yes"},
            },
            {"yes"},
        ),
        (  # an ordinary item: "no" is non-compliant, but it is no violation
            {
                "suggested_classification": "standard_nc",
                "noncompliant_when": {"item": "ZT-01", "op": "eq", "value": "no"},
            },
            set(),
        ),
        ({"suggested_classification": "zero_tolerance"}, set()),  # no condition to read
    ],
)
def test_violation_values_come_from_the_items_own_condition(
    fields: dict[str, Any], expected: set[str]
) -> None:
    item = make_item("yes_no_na", id="ZT-01", **fields)
    assert checklist_answers.violation_values(item) == expected
