"""Review states of a received visit and the actions that move them.

new → in review → accepted, or → returned to the specialist with comments. A review concerns
one revision: when the specialist answers with a new revision, the visit is new again. Who may
act is checked here (not only in the console): reviewers, coordinators and administrators; the
command line acts as the office's own operator. Every action lands in the office audit trail in
the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, REVIEWER
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_review_models import OfficeReview
from ietp_desktop.storage.types import utcnow

NEW = "new"
IN_REVIEW = "in_review"
ACCEPTED = "accepted"
RETURNED = "returned"
STATES = (NEW, IN_REVIEW, ACCEPTED, RETURNED)
STATE_LABELS = {
    NEW: "New",
    IN_REVIEW: "In review",
    ACCEPTED: "Accepted",
    RETURNED: "Returned",
}
ACTING_ROLES = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER})
CLI_ROLE = "cli"  # the office's operator at the command line
MAX_COMMENT = 2000  # what the assignments wire carries


@dataclass(frozen=True)
class ReviewStatus:
    uuid: str
    revision: int
    state: str
    comment: str
    decided_by: str
    decided_at: datetime | None
    factory_ietp_id: str = ""
    factory: str = ""
    specialist: str = ""


def state_of(review: OfficeReview | None, revision: int) -> str:
    """A review of an older revision does not count: the specialist sent a new one."""
    if review is None or review.revision < revision:
        return NEW
    return review.state


def may_act(role: str) -> bool:
    return role in ACTING_ROLES or role == CLI_ROLE


def _received(session: Session, uuid: str) -> Visit:
    visit = session.scalars(
        select(Visit).where(Visit.uuid == uuid.strip(), Visit.received_at.is_not(None))
    ).first()
    if visit is None:
        raise NotFound("there is no received visit {id}", id=uuid[:40])
    return visit


def _status(visit: Visit, review: OfficeReview | None) -> ReviewStatus:
    current = review if review is not None and review.revision >= visit.revision else None
    return ReviewStatus(
        uuid=visit.uuid,
        revision=visit.revision,
        state=state_of(review, visit.revision),
        comment=current.comment if current else "",
        decided_by=current.decided_by if current else "",
        decided_at=current.decided_at if current else None,
        factory_ietp_id=visit.factory.ietp_id,
        factory=visit.factory.name_en,
        specialist=visit.specialist_name,
    )


def review_status(database: Database, uuid: str) -> ReviewStatus:
    with database.session() as session:
        visit = _received(session, uuid)
        return _status(visit, session.get(OfficeReview, visit.id))


def list_reviews(database: Database, state: str = "") -> list[ReviewStatus]:
    """Every received visit with its review state, newest received first."""
    if state and state not in STATES:
        raise UserError(
            "unknown review state '{state}'; choose one of {states}",
            state=state,
            states=", ".join(STATES),
        )
    with database.session() as session:
        rows = session.execute(
            select(Visit, OfficeReview)
            .join(Factory, Factory.id == Visit.factory_id)
            .outerjoin(OfficeReview, OfficeReview.visit_id == Visit.id)
            .where(Visit.received_at.is_not(None))
            .order_by(Visit.received_at.desc(), Visit.id.desc())
        ).all()
        result = [_status(visit, review) for visit, review in rows]
    return [r for r in result if not state or r.state == state]


def _act(
    database: Database,
    uuid: str,
    new_state: str,
    allowed_from: tuple[str, ...],
    *,
    actor: str,
    role: str,
    comment: str = "",
    remote: str = "",
) -> ReviewStatus:
    if not may_act(role):
        raise UserError("a {role} user may not review visits", role=role)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise UserError(
            "the comment has {count} characters; at most {limit}",
            count=len(comment),
            limit=MAX_COMMENT,
        )
    with database.session() as session:
        visit = _received(session, uuid)
        review = session.get(OfficeReview, visit.id)
        current = state_of(review, visit.revision)
        if current not in allowed_from:
            raise UserError(
                "visit {id} revision {revision} is {state}; it cannot become {new}",
                id=visit.uuid[:8],
                revision=visit.revision,
                state=STATE_LABELS[current],
                new=STATE_LABELS[new_state],
            )
        if review is None:
            review = OfficeReview(visit_id=visit.id)
            session.add(review)
        review.revision = visit.revision
        review.state = new_state
        review.comment = comment
        review.decided_by = actor[:120]
        review.decided_at = utcnow()
        audit.record(
            session,
            actor,
            f"review.{new_state}",
            f"{visit.uuid} r{visit.revision}",
            comment,
            remote,
        )
        session.flush()
        return _status(visit, review)


def start_review(
    database: Database, uuid: str, *, actor: str, role: str, remote: str = ""
) -> ReviewStatus:
    return _act(database, uuid, IN_REVIEW, (NEW,), actor=actor, role=role, remote=remote)


def accept_visit(
    database: Database,
    uuid: str,
    *,
    actor: str,
    role: str,
    comment: str = "",
    remote: str = "",
) -> ReviewStatus:
    return _act(
        database,
        uuid,
        ACCEPTED,
        (IN_REVIEW,),
        actor=actor,
        role=role,
        comment=comment,
        remote=remote,
    )


def return_visit(
    database: Database,
    uuid: str,
    comment: str,
    *,
    actor: str,
    role: str,
    remote: str = "",
) -> ReviewStatus:
    """Returned with comments: they go to the specialist's laptop with the next assignments."""
    if not comment.strip():
        raise UserError("say what the specialist must change: a returned visit needs a comment")
    return _act(
        database,
        uuid,
        RETURNED,
        (IN_REVIEW,),
        actor=actor,
        role=role,
        comment=comment,
        remote=remote,
    )
