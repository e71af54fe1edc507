"""A reviewer's decision on one CAP line. A line closes only with evidence and an acceptance:
the rule is here, so the console and `office cap` cannot differ."""

from __future__ import annotations

from sqlalchemy import func, select

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup.factory_returns import line_row
from ietp_desktop.office.review.decisions import MAX_COMMENT, may_act
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import CorrectiveAction, Finding, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence
from ietp_desktop.storage.types import utcnow

ACCEPTED = "accepted"
REJECTED = "rejected"


def decide_line(
    database: Database,
    uuid: str,
    code: str,
    decision: str,
    comment: str = "",
    *,
    actor: str,
    role: str,
    remote: str = "",
) -> None:
    if not may_act(role):
        raise UserError("a {role} user may not decide on CAP lines", role=role)
    if decision not in (ACCEPTED, REJECTED):
        raise UserError("a CAP line is accepted or rejected, not '{decision}'", decision=decision)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise UserError(
            "the comment has {count} characters; at most {limit}",
            count=len(comment),
            limit=MAX_COMMENT,
        )
    if decision == REJECTED and not comment:
        raise UserError("say why the line is rejected: the factory needs to know what is missing")
    code = code.strip().upper()
    with database.session() as session:
        visit = session.scalars(
            select(Visit).where(Visit.uuid == uuid.strip(), Visit.received_at.is_not(None))
        ).first()
        if visit is None:
            raise NotFound("there is no received visit {id}", id=uuid[:40])
        has_line = session.scalars(
            select(Finding.id)
            .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
            .where(Finding.visit_id == visit.id, Finding.code == code)
        ).first()
        if has_line is None:
            raise NotFound("visit {visit} has no CAP line {code}", visit=uuid[:8], code=code)
        files = session.scalar(
            select(func.count()).where(
                OfficeCapEvidence.visit_id == visit.id, OfficeCapEvidence.finding_code == code
            )
        )
        if decision == ACCEPTED and not files:
            raise UserError(
                "line {code} has no evidence yet; a CAP line closes only with evidence and an "
                "acceptance",
                code=code,
            )
        line = line_row(session, visit.id, code)
        line.decision = decision
        line.decision_comment = comment
        line.decided_by = actor[:120]
        line.decided_at = utcnow()
        line.updated_at = utcnow()
        audit.record(session, actor, f"cap.{decision}", f"{visit.uuid} {code}", comment, remote)
