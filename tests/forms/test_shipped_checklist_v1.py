"""The Progress Visit checklist v1 and the CAP data files as shipped in forms/."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ietp_desktop.domain.cap_policy import parse_cap_due_days, parse_root_causes
from ietp_desktop.domain.checklist import (
    ANSWER_TYPES,
    AnswerValue,
    Classification,
    Form,
    LocalizedText,
    coerce_answer,
    form_sha256,
    is_noncompliant,
    missing_required,
    noncompliant_items,
    parse_form,
    visible_items,
)
from ietp_desktop.paths import forms_dir

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = forms_dir() / "checklists" / "pv-checklist-v1.json"


@pytest.fixture(scope="module")
def form() -> Form:
    return parse_form(FILE.read_text(encoding="utf-8"), FILE.name)


def texts(form: Form) -> list[tuple[str, LocalizedText]]:
    found: list[tuple[str, LocalizedText]] = [("title", form.title)]
    for section in form.sections:
        found.append((section.id, section.title))
        for item in section.items:
            found.append((item.id, item.question))
            if item.guidance:
                found.append((f"{item.id} guidance", item.guidance))
            found.extend((f"{item.id} {c.value}", c.label) for c in item.choices)
    return found


def test_identity_and_size(form: Form) -> None:
    assert (form.form_id, form.version) == ("pv-checklist", "1")
    assert len(form.items()) >= 60
    assert len(form_sha256(FILE.read_text(encoding="utf-8"))) == 64


def test_sections_in_the_agreed_order(form: Form) -> None:
    assert [(s.id, s.kind) for s in form.sections] == [
        ("opening", "meeting"),
        ("transparency", "checklist"),
        ("working_hours", "checklist"),
        ("wages", "checklist"),
        ("employment", "checklist"),
        ("ehs", "checklist"),
        ("zero_tolerance", "checklist"),
        ("best_practices", "best_practice"),
        ("discussion", "discussion"),
        ("closing", "meeting"),
    ]


def test_every_text_is_bilingual_and_the_chinese_is_chinese(form: Form) -> None:
    for where, text in texts(form):
        assert text.en.strip(), where
        assert text.zh.strip(), where
        assert CJK.search(text.zh), f"{where}: {text.zh!r} has no Chinese characters"
        assert not CJK.search(text.en), f"{where}: English text contains Chinese"


def test_most_items_give_guidance(form: Form) -> None:
    with_guidance = [i for i in form.items() if i.guidance]
    assert len(with_guidance) >= 0.6 * len(form.items())


def test_every_answer_type_is_used(form: Form) -> None:
    assert {item.type for item in form.items()} == set(ANSWER_TYPES)


def test_ietp_refs_are_section_numbers(form: Form) -> None:
    for item in form.items():
        assert re.fullmatch(r"\d{1,2}(\.\d{1,2})?", item.ietp_ref), item.id


def test_best_practices_never_make_a_noncompliance(form: Form) -> None:
    for item in form.section_of("BP-01").items:
        assert item.noncompliant_when is None
        assert item.suggested_classification in (None, Classification.BEST_PRACTICE)


def test_zero_tolerance_screen_flags_a_yes_as_zero_tolerance(form: Form) -> None:
    screen = [i for i in form.section_of("ZT-01").items if i.noncompliant_when]
    assert len(screen) == 6
    for item in screen:
        assert item.suggested_classification is Classification.ZERO_TOLERANCE
        assert is_noncompliant(item, {item.id: "yes"})
        assert not is_noncompliant(item, {item.id: "no"})


def test_transparency_items_suggest_transparency(form: Form) -> None:
    flagged = [i for i in form.section_of("TR-01").items if i.noncompliant_when]
    assert flagged
    assert {i.suggested_classification for i in flagged} == {Classification.TRANSPARENCY}


def test_weekly_hours_over_sixty_is_a_noncompliance(form: Form) -> None:
    hours = form.item("WH-03")
    assert (hours.unit, hours.min, hours.max) == ("h", 0, 168)
    assert is_noncompliant(hours, {"WH-03": coerce_answer(hours, "61")})
    assert not is_noncompliant(hours, {"WH-03": coerce_answer(hours, "60 h")})


def test_follow_up_questions_appear_only_when_they_apply(form: Form) -> None:
    ids = {i.id for i in visible_items(form, {"EM-03": "no", "WG-11": "no"})}
    assert not ids & {"EM-04", "EM-05", "EM-06", "WG-12", "WG-13"}
    ids = {i.id for i in visible_items(form, {"EM-03": "yes", "WG-11": "yes"})}
    assert {"EM-04", "EM-05", "EM-06", "WG-12", "WG-13"} <= ids


def test_answering_every_visible_required_item_completes_the_form(form: Form) -> None:
    zero_tolerance = {i.id for i in form.section_of("ZT-01").items}
    plain: dict[str, object] = {
        "number": "0",
        "date": "2026-05-04",
        "text": "Nothing further to note here.",
    }
    specific = {"OM-06": "350", "WG-02": "2520", "WG-10": "100 %"}
    answers: dict[str, AnswerValue] = {}
    for item in form.items():
        if item.type in ("yes_no_na", "yes_partial_no"):
            negative = item.id in zero_tolerance or item.id in ("EM-03", "WG-11")
            raw: object = "no" if negative else "yes"
        elif item.type in ("single_choice", "multi_choice"):
            raw = item.choice_values()[0]
        else:
            raw = plain[item.type]
        answers[item.id] = coerce_answer(item, specific.get(item.id, raw))
    assert missing_required(form, answers) == []
    assert noncompliant_items(form, answers) == []
    answers["WH-03"] = 66.0
    answers["ZT-05"] = "yes"
    assert [i.id for i in noncompliant_items(form, answers)] == ["WH-03", "ZT-05"]
    assert [i.id for i in missing_required(form, answers)] == []  # ZT-07 already answered
    answers["ZT-07"] = None
    assert [i.id for i in missing_required(form, answers)] == ["ZT-07"]


def test_shipped_root_causes() -> None:
    path = forms_dir() / "root_causes.json"
    causes = parse_root_causes(path.read_text(encoding="utf-8"), path.name)
    assert [c.id for c in causes] == [
        "production_planning",
        "recruitment_retention",
        "health_safety_awareness",
        "management_system",
        "worker_awareness",
        "record_keeping",
        "supplier_subcontracting",
        "other",
    ]
    assert all(CJK.search(c.label.zh) for c in causes)


def test_shipped_cap_due_days() -> None:
    path = forms_dir() / "cap_due_days.json"
    assert parse_cap_due_days(path.read_text(encoding="utf-8"), path.name) == {
        Classification.STANDARD_NC: 30,
        Classification.TRANSPARENCY: 14,
        Classification.ZERO_TOLERANCE: 7,
    }


def test_item_ids_are_unique_and_prefixed_by_section(form: Form) -> None:
    ids = [i.id for i in form.items()]
    assert not [i for i, n in Counter(ids).items() if n > 1]
    for section in form.sections:
        assert len({item.id.split("-")[0] for item in section.items}) == 1, section.id
