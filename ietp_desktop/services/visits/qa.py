"""Open discussion & Q&A: question, answer, who raised it, follow-up flag."""

from __future__ import annotations

from sqlalchemy import func, select

from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.services.dto import QaView
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import QaEntry

RAISED_BY = ("factory", "specialist")


def _check(question: str, raised_by: str) -> None:
    if not question.strip():
        raise ValidationFailed("a Q&A entry needs a question")
    if raised_by not in RAISED_BY:
        raise ValidationFailed(
            "raised by must be one of {names} (got {raised_by!r})",
            names=", ".join(RAISED_BY),
            raised_by=raised_by,
        )


def _view(q: QaEntry) -> QaView:
    return QaView(q.id, q.position, q.question, q.answer, q.raised_by, q.follow_up)


def add_qa(
    db: Database,
    visit_ref: str | int,
    question: str,
    answer: str = "",
    raised_by: str = "factory",
    follow_up: bool = False,
) -> QaView:
    _check(question, raised_by)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        position = session.scalar(
            select(func.coalesce(func.max(QaEntry.position), 0)).where(QaEntry.visit_id == visit.id)
        )
        entry = QaEntry(
            visit_id=visit.id,
            position=(position or 0) + 1,
            question=question.strip(),
            answer=answer.strip(),
            raised_by=raised_by,
            follow_up=follow_up,
        )
        session.add(entry)
        session.flush()
        return _view(entry)


def update_qa(
    db: Database,
    visit_ref: str | int,
    qa_id: int,
    question: str,
    answer: str,
    raised_by: str,
    follow_up: bool,
) -> QaView:
    _check(question, raised_by)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        entry = session.get(QaEntry, qa_id)
        if entry is None or entry.visit_id != visit.id:
            raise NotFound("no Q&A entry {qa_id} in this visit", qa_id=qa_id)
        entry.question, entry.answer = question.strip(), answer.strip()
        entry.raised_by, entry.follow_up = raised_by, follow_up
        session.flush()
        return _view(entry)


def remove_qa(db: Database, visit_ref: str | int, qa_id: int) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        entry = session.get(QaEntry, qa_id)
        if entry is None or entry.visit_id != visit.id:
            raise NotFound("no Q&A entry {qa_id} in this visit", qa_id=qa_id)
        session.delete(entry)
