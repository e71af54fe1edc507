"""Turning service messages and answer problems into text in the UI language."""

from __future__ import annotations

import contextlib
import re

from ietp_desktop.domain.checklist import Form, Problem
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.dto import CompletionBlocker, CompletionWarning

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


def blocker_text(blocker: CompletionBlocker, form: Form | None) -> str:
    """One reason completion is refused, in the UI language."""
    if blocker.kind == "required_item":
        return completion_problem_text(blocker.message, form)
    if blocker.kind == "unsigned" and blocker.role == "specialist":
        return tr("The specialist's signature is not saved")
    if blocker.kind == "unsigned":
        return tr("No senior manager's signature is saved")
    if blocker.kind == "signer_not_senior":
        return tr(
            "The factory's signature is by {name}, who is not recorded as a senior manager",
            name=blocker.name,
        )
    return completion_problem_text(blocker.message, form)


def warning_text(warning: CompletionWarning) -> str:
    if warning.kind == "cap_action_missing":
        return tr(
            "Non-compliance {code} has no corrective action in the CAP", code=warning.finding_code
        )
    if warning.kind == "cap_not_agreed":
        return tr("The CAP is not agreed with the factory yet")
    return warning.message
