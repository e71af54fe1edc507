"""A reviewer's decision on one CAP line. A line closes only with evidence and an acceptance:
the rule is here, so the console and `office cap` cannot differ."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    without_records: bool = False,
) -> None:
    """`without_records`: the reviewer confirms accepting a wage or hours line whose new
    records were not checked, or whose check is flagged (see records_check)."""
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
        if decision == ACCEPTED:
            _confirm_records(session, visit, code, comment, without_records)
        line = line_row(session, visit.id, code)
        line.decision = decision
        line.decision_comment = comment
        line.decided_by = actor[:120]
        line.decided_at = utcnow()
        line.updated_at = utcnow()
        detail = comment
        if decision == ACCEPTED and without_records:
            detail = f"accepted without a clean records check: {comment}"
        audit.record(session, actor, f"cap.{decision}", f"{visit.uuid} {code}", detail, remote)


def _confirm_records(
    session: Session, visit: Visit, code: str, comment: str, without_records: bool
) -> None:
    """A wage or hours line asks for two months of new records. Accepting it without a
    check, or with a flagged one, is not refused (the evidence may lie elsewhere, e.g. a
    finding about payslips), but needs the reviewer's explicit confirmation and reason."""
    from ietp_desktop.office.cap_followup.records_check import line_records_in

    finding = session.scalars(
        select(Finding).where(Finding.visit_id == visit.id, Finding.code == code)
    ).one()
    records = line_records_in(session, visit, finding)
    if not records.needs_confirmation_to_accept:
        return
    if not without_records:
        if records.latest is None:
            raise UserError(
                "line {code} is about working hours or wages: check two months of new records "
                "first, or confirm that you accept it without them and say why",
                code=code,
            )
        raise UserError(
            "the records check of line {code} is flagged ({flags}): confirm that you accept "
            "the line all the same and say why",
            code=code,
            flags=", ".join(records.latest.summary.flags),
        )
    if not comment:
        raise UserError("say why line {code} is accepted without a clean records check", code=code)
