"""Checklist v2 as shipped: v1 with each fact the program already holds given one source."""

from __future__ import annotations

import pytest

from ietp_desktop.domain.checklist import Form, missing_required, parse_form
from ietp_desktop.paths import forms_dir
from tests.forms.test_shipped_checklist_v1 import CJK, texts

FOLDER = forms_dir() / "checklists"


def _load(name: str) -> Form:
    path = FOLDER / name
    return parse_form(path.read_text(encoding="utf-8"), path.name)


@pytest.fixture(scope="module")
def v1() -> Form:
    return _load("pv-checklist-v1.json")


@pytest.fixture(scope="module")
def v2() -> Form:
    return _load("pv-checklist-v2.json")


def test_v2_is_v1_without_the_typed_copies(v1: Form, v2: Form) -> None:
    assert (v2.form_id, v2.version) == (v1.form_id, "2")
    assert [i.id for i in v2.items()] == [i.id for i in v1.items() if i.id != "CM-07"]
    derived = {i.id: i.derived_from for i in v2.items() if i.derived}
    assert derived == {
        "OM-04": "attendees.senior_manager",
        "WG-02": "rules.minimum_wage",
        "CM-06": "cap.due_date",
    }
    unchanged = [i.id for i in v2.items() if i.id not in derived]
    assert all(v2.item(i) == v1.item(i) for i in unchanged)


def test_derived_items_are_never_required_and_bilingual(v2: Form) -> None:
    assert {i.id for i in missing_required(v2, {})}.isdisjoint({"OM-04", "WG-02", "CM-06"})
    for where, text in texts(v2):
        assert text.en.strip() and CJK.search(text.zh), where
