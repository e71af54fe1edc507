"""What blocks completing a visit, and what completion only warns about.

Blocks: a required (visible) item unanswered; no senior manager at both meetings; the
specialist's or a senior manager's signature not saved (a pad drawn but not saved is nothing
here, the rule reads only saved signatures). Warns: a non-compliance whose CAP line names no
corrective action; a CAP not agreed with the factory.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.checklist import missing_required
from ietp_desktop.domain.findings import Classification
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import CompletionBlocker, CompletionWarning
from ietp_desktop.storage.models import Answer, Attendee, Finding, Signature, Visit

SIGNATURE_ROLES = ("specialist", "factory")


def _answers(session: Session, visit_id: int) -> dict[str, object]:
    rows = session.execute(
        select(Answer.item_id, Answer.value_json).where(Answer.visit_id == visit_id)
    )
    return {item_id: json.loads(value) for item_id, value in rows}


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def blockers_in(session: Session, visit: Visit) -> list[CompletionBlocker]:
    form = definitions.form_by_sha(session, visit.form_sha256)
    blockers = [
        CompletionBlocker(
            "required_item",
            f"required item {item.id} is not answered: {item.question.en}",
            item_id=item.id,
        )
        for item in missing_required(form, _answers(session, visit.id))  # type: ignore[arg-type]
    ]
    attendees = list(session.scalars(select(Attendee).where(Attendee.visit_id == visit.id)))
    seniors = [a for a in attendees if a.senior_management]
    if not seniors:
        blockers.append(
            CompletionBlocker("no_senior", "no senior manager is recorded among the attendees")
        )
    elif not any(a.present_opening and a.present_closing for a in seniors):
        blockers.append(
            CompletionBlocker(
                "senior_not_both",
                "no senior manager attended both the opening and the closing meeting",
            )
        )
    signed = {
        s.role: s
        for s in session.scalars(select(Signature).where(Signature.visit_id == visit.id))
        if s.png
    }
    if "specialist" not in signed:
        blockers.append(
            CompletionBlocker(
                "unsigned", "the specialist's signature is not saved", role="specialist"
            )
        )
    factory = signed.get("factory")
    if factory is None:
        blockers.append(
            CompletionBlocker("unsigned", "no senior manager's signature is saved", role="factory")
        )
    elif seniors and not any(_same_person(factory.signer_name, a.name) for a in seniors):
        blockers.append(
            CompletionBlocker(
                "signer_not_senior",
                f"the factory's signature is by {factory.signer_name}, who is not recorded as "
                "a senior manager among the attendees",
                role="factory",
                name=factory.signer_name,
            )
        )
    return blockers


def warnings_in(session: Session, visit: Visit) -> list[CompletionWarning]:
    warnings: list[CompletionWarning] = []
    noncompliances = [
        f
        for f in session.scalars(
            select(Finding).where(Finding.visit_id == visit.id).order_by(Finding.code)
        )
        if Classification(f.classification).needs_cap
    ]
    for finding in noncompliances:
        action = finding.corrective_action
        if action is None or not action.corrective_action.strip():
            warnings.append(
                CompletionWarning(
                    "cap_action_missing",
                    f"non-compliance {finding.code} has no corrective action in the CAP",
                    finding_code=finding.code,
                )
            )
    if noncompliances and not visit.cap_agreed_by.strip():
        warnings.append(
            CompletionWarning("cap_not_agreed", "the CAP is not agreed with the factory yet")
        )
    return warnings
