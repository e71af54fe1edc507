"""How far a checklist is: required items answered, and the next one still open."""

from __future__ import annotations

from collections.abc import Mapping

from ietp_desktop.domain.checklist_answers import is_blank, visible_items
from ietp_desktop.domain.checklist_model import AnswerValue, Form, Item


def required_progress(form: Form, answers: Mapping[str, AnswerValue]) -> tuple[int, int]:
    """(answered, required) over the required items that apply now."""
    required = [item for item in visible_items(form, answers) if item.required]
    answered = sum(1 for item in required if not is_blank(answers.get(item.id)))
    return answered, len(required)


def next_required(
    form: Form, answers: Mapping[str, AnswerValue], after: str | None = None
) -> Item | None:
    """The first unanswered required item after `after` in form order, wrapping round to
    the start; None when every one is answered."""
    visible = visible_items(form, answers)
    order = [item.id for item in visible]
    start = order.index(after) + 1 if after in order else 0
    for item in visible[start:] + visible[:start]:
        if item.required and is_blank(answers.get(item.id)):
            return item
    return None
