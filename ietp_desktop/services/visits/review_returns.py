"""On the laptop: visits the office returned with the reviewer's comments.

They arrive with the assignments (services/sync/bundles); the visit workspace shows the latest
one, and the specialist answers with a new revision of the visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.services.visits.refs import resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_review_models import ReviewReturn


@dataclass(frozen=True)
class ReturnedReview:
    revision: int
    comment: str
    reviewer: str
    returned_at: datetime
    office: str
    answered: bool  # the visit has moved on to a newer revision since


def apply_review_returns(
    session: Session, records: Iterable[dict[str, Any]], office: str
) -> tuple[list[str], list[str]]:
    """Store each return once; (uuids stored, uuids of visits this laptop does not hold)."""
    stored: list[str] = []
    unknown: list[str] = []
    for record in records:
        uuid = str(record["visit_uuid"])
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
        if visit is None:
            unknown.append(uuid)
            continue
        returned_at = datetime.fromisoformat(str(record["returned_at"]))
        revision = int(record["revision"])
        already = session.scalars(
            select(ReviewReturn.id).where(
                ReviewReturn.visit_id == visit.id,
                ReviewReturn.revision == revision,
                ReviewReturn.returned_at == returned_at,
            )
        ).first()
        if already is not None:
            continue
        session.add(
            ReviewReturn(
                visit_id=visit.id,
                revision=revision,
                comment=str(record["comment"]),
                reviewer=str(record.get("reviewer", "")),
                returned_at=returned_at,
                office=office[:200],
            )
        )
        stored.append(uuid)
    return stored, unknown


def review_returns(db: Database, visit_ref: str | int) -> list[ReturnedReview]:
    """The visit's returns, newest first."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        return [
            ReturnedReview(
                r.revision,
                r.comment,
                r.reviewer,
                r.returned_at,
                r.office,
                visit.revision > r.revision and visit.status in ("signed", "exported", "received"),
            )
            for r in session.scalars(
                select(ReviewReturn)
                .where(ReviewReturn.visit_id == visit.id)
                .order_by(ReviewReturn.returned_at.desc(), ReviewReturn.id.desc())
            )
        ]
