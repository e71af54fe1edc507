"""Root causes and CAP due days: loaders and the due-date rule."""

from __future__ import annotations

from datetime import date

import pytest

from ietp_desktop.domain.cap_policy import cap_due_date, parse_cap_due_days, parse_root_causes
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.findings import Classification

DAYS = {
    Classification.STANDARD_NC: 30,
    Classification.TRANSPARENCY: 14,
    Classification.ZERO_TOLERANCE: 7,
}


def test_root_causes_load_in_file_order() -> None:
    causes = parse_root_causes(
        '[{"id": "record_keeping", "label": {"en": "Record keeping", "zh": "记录保存"}},'
        ' {"id": "other", "label": {"en": "Other", "zh": "其他"}}]',
        "root_causes.json",
    )
    assert [c.id for c in causes] == ["record_keeping", "other"]
    assert causes[0].label.get("zh") == "记录保存"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[", "root_causes.json: line 1, column 2: not valid JSON (Expecting value)"),
        ("{}", "root_causes.json: expected a non-empty JSON list of root causes"),
        ("[]", "root_causes.json: expected a non-empty JSON list of root causes"),
        (
            '[{"id": "x", "label": {"en": "X"}}]',
            "root_causes.json: entry 1 (x), field 'label.zh': is required but missing",
        ),
        (
            '["x"]',
            "root_causes.json: entry 1, field 'entry': Input should be a valid dictionary or "
            "instance of RootCause (got 'x')",
        ),
        (
            '[{"id": "x", "label": {"en": "X", "zh": "甲"}}, {"id": "x", '
            '"label": {"en": "Y", "zh": "乙"}}]',
            "root_causes.json: entry 2 (x), field 'id': 'x' is empty or repeated",
        ),
        (
            '[{"id": "x", "label": {"en": "X", "zh": " "}}]',
            "root_causes.json: entry 1 (x), field 'label.zh': is empty",
        ),
        (
            '[{"id": "x", "label": {"en": "X", "zh": "甲"}, "colour": "red"}]',
            "root_causes.json: entry 1 (x), field 'colour': is not a known field "
            "(check the spelling)",
        ),
    ],
)
def test_root_cause_file_errors_name_file_entry_and_field(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_root_causes(text, "root_causes.json")
    assert str(caught.value) == message


def test_cap_due_days_load() -> None:
    text = '{"note": "days", "standard_nc": 30, "transparency": 14, "zero_tolerance": 7}'
    assert parse_cap_due_days(text, "cap_due_days.json") == DAYS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "cap_due_days.json: expected a JSON object of days per classification"),
        (
            '{"standard_nc": 30, "transparency": 14}',
            "cap_due_days.json: field 'zero_tolerance': is required but missing",
        ),
        (
            '{"standard_nc": "30", "transparency": 14, "zero_tolerance": 7}',
            "cap_due_days.json: field 'standard_nc': must be a whole number of days >= 1, got '30'",
        ),
        (
            '{"standard_nc": 30, "transparency": 0, "zero_tolerance": 7}',
            "cap_due_days.json: field 'transparency': must be a whole number of days >= 1, got 0",
        ),
        (
            '{"standard_nc": 30, "transparency": 14, "zero_tolerance": true}',
            "cap_due_days.json: field 'zero_tolerance': must be a whole number of days >= 1, "
            "got True",
        ),
        (
            '{"standard_nc": 30, "transparency": 14, "zero_tolerance": 7, "observation": 60}',
            "cap_due_days.json: field 'observation': is not one of standard_nc, transparency, "
            "zero_tolerance, note",
        ),
        (
            '{"standard_nc": 30, "transparency": 14, "zero_tolerance": 7, "note": 1}',
            "cap_due_days.json: field 'note': must be text",
        ),
    ],
)
def test_cap_due_days_errors_name_file_and_field(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_cap_due_days(text, "cap_due_days.json")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("classification", "expected"),
    [
        (Classification.STANDARD_NC, date(2026, 3, 31)),
        (Classification.TRANSPARENCY, date(2026, 3, 15)),
        (Classification.ZERO_TOLERANCE, date(2026, 3, 8)),
        (Classification.OBSERVATION, None),
        (Classification.BEST_PRACTICE, None),
    ],
)
def test_cap_due_date_counts_calendar_days_after_the_visit(
    classification: Classification, expected: date | None
) -> None:
    assert cap_due_date(date(2026, 3, 1), classification, DAYS) == expected
