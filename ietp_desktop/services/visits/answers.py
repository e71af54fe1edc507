"""Answering checklist items: validated against the visit's own form, committed at once."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from ietp_desktop.domain.checklist import (
    AnswerValue,
    coerce_answer,
    is_noncompliant,
    validate_answer,
)
from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits.derived import NOT_TYPED
from ietp_desktop.services.visits.read import answers_of
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Answer
from ietp_desktop.storage.types import utcnow


@dataclass(frozen=True)
class SavedAnswer:
    item_id: str
    value: AnswerValue
    note: str
    noncompliant: bool  # the answer suggests a finding (see the item's suggested classification)
    saved_at_iso: str


def record_answer(
    db: Database,
    visit_ref: str | int,
    item_id: str,
    raw_value: object,
    note: str | None = None,
) -> SavedAnswer:
    """Validate and commit one answer. `raw_value` may be typed or text ("yes", "12.5").

    A confirmed visit starts when its first answer is recorded. An invalid value raises
    ValidationFailed naming the visit and item, and the stored answer stays as it was.
    """
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        form = definitions.form_by_sha(session, visit.form_sha256)
        label = f"visit {short_id(visit.uuid)}, item {item_id}"
        try:
            item = form.item(item_id)
        except KeyError:
            raise NotFound(
                "{label}: no such item in form {form_id} {version}",
                label=label,
                form_id=form.form_id,
                version=form.version,
            ) from None
        if item.derived_from is not None:
            raise ValidationFailed(NOT_TYPED[item.derived_from], label=label)
        value = coerce_answer(item, raw_value)
        problem = validate_answer(item, value) if value not in (None, "", []) else None
        if problem is not None:
            raise ValidationFailed(
                "{label}: {text}", [problem.text()], label=label, text=problem.text()
            )
        if visit.status == VisitStatus.CONFIRMED.value:
            visit.status = VisitStatus.IN_PROGRESS.value
            visit.visit_start = visit.visit_start or utcnow().date()
        elif visit.status == VisitStatus.PLANNED.value:
            raise ValidationFailed(
                "{label}: the visit is only planned; confirm the date with the factory first",
                label=label,
            )
        row = session.scalars(
            select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id)
        ).first()
        if row is None:
            row = Answer(visit_id=visit.id, item_id=item_id, note="")
            session.add(row)
        row.value_json = json.dumps(value, ensure_ascii=False)
        if note is not None:
            row.note = note
        session.flush()
        answers = answers_of(session, visit.id)
        return SavedAnswer(
            item_id=item_id,
            value=value,
            note=row.note,
            noncompliant=value not in (None, "", []) and is_noncompliant(item, answers),
            saved_at_iso=row.updated_at.isoformat(),
        )


def set_note(db: Database, visit_ref: str | int, item_id: str, note: str) -> None:
    """Notes can be written before the item is answered."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        form = definitions.form_by_sha(session, visit.form_sha256)
        try:
            form.item(item_id)
        except KeyError:
            raise NotFound(
                "visit {visit}: no item {item_id} in form {form_id}",
                visit=short_id(visit.uuid),
                item_id=item_id,
                form_id=form.form_id,
            ) from None
        row = session.scalars(
            select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id)
        ).first()
        if row is None:
            session.add(Answer(visit_id=visit.id, item_id=item_id, value_json="null", note=note))
        else:
            row.note = note
