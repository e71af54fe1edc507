"""Turning service messages and answer problems into text in the UI language."""

from __future__ import annotations

import contextlib
import re

from ietp_desktop.domain.checklist import Form, Problem
from ietp_desktop.i18n import current_language, tr

_REQUIRED = re.compile(r"required item (\S+) is not answered: (.*)")
_FIXED = {
    "no senior manager is recorded among the attendees": "No senior manager is recorded among "
    "the attendees",
    "no senior manager attended both the opening and the closing meeting": "No senior manager "
    "attended both meetings",
}


def problem_text(problem: Problem) -> str:
    language = current_language()
    if problem.localized is not None:
        return problem.text(language)
    template = tr(problem.message)
    try:
        return template.format(**problem.params)
    except (KeyError, IndexError, ValueError):
        return template


def completion_problem_text(problem: str, form: Form | None) -> str:
    """A completion gate reason from services, in the UI language."""
    match = _REQUIRED.fullmatch(problem)
    if match:
        item_id, question = match.groups()
        if form is not None:
            with contextlib.suppress(KeyError):
                question = form.item(item_id).question.get(current_language())
        return tr(
            "Required item {item} is not answered: {question}", item=item_id, question=question
        )
    if problem in _FIXED:
        return tr(_FIXED[problem])
    return problem
