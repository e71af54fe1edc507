"""Progress over the required items and the next one still open, follow-ups included."""

from __future__ import annotations

from ietp_desktop.domain.checklist import AnswerValue, Form, missing_required, parse_form
from ietp_desktop.domain.checklist_progress import next_required, required_progress
from ietp_desktop.paths import forms_dir


def _form() -> Form:
    path = forms_dir() / "checklists" / "pv-checklist-v1.json"
    return parse_form(path.read_text(encoding="utf-8"), path.name)


def test_progress_counts_required_items_that_apply() -> None:
    form = _form()
    answered, required = required_progress(form, {})
    assert answered == 0 and required == len(missing_required(form, {}))
    first = missing_required(form, {})[0]
    assert required_progress(form, {first.id: "yes"}) == (1, required)


def test_next_required_walks_on_and_wraps() -> None:
    form = _form()
    missing = missing_required(form, {})
    assert next_required(form, {}) == missing[0]
    assert next_required(form, {}, after=missing[0].id) == missing[1]
    assert next_required(form, {}, after=missing[-1].id) == missing[0]  # wraps round
    answers: dict[str, AnswerValue] = {}
    while (item := next_required(form, answers)) is not None:
        answers[item.id] = "x"  # answering each revealed follow-up in turn ends the walk
    assert missing_required(form, answers) == []


def test_a_follow_up_revealed_by_an_answer_is_next() -> None:
    form = _form()
    answers: dict[str, AnswerValue] = {}
    assert next_required(form, answers, after="WH-11") != form.item("WH-12")
    answers["WH-11"] = "yes"  # reveals WH-12, the approval's expiry date
    assert next_required(form, answers, after="WH-11") == form.item("WH-12")
