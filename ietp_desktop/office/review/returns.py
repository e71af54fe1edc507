"""Returned visits travel to the specialist's laptop in the assignments channel.

Every assignments bundle the office writes for a specialist carries the comments of each of
their visits that is returned and not yet answered with a new revision, so a bundle lost on
the way is made good by the next one. `send_returns` writes such a bundle at once and puts it
in the specialist's outbox on the office server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.storage.models import Visit, VisitOwner
from ietp_desktop.storage.office_review_models import OfficeReview

RETURNED = "returned"


def specialist_email(session: Session, visit: Visit) -> str:
    """Whose laptop answers for the visit: its recorded owner, else the e-mail it carries."""
    owner = session.get(VisitOwner, visit.uuid)
    return (owner.specialist_email if owner else visit.specialist_email).strip().lower()


def open_returns(session: Session, email: str) -> list[dict[str, Any]]:
    """The returned, unanswered visits of the specialist with `email`, as the wire carries."""
    email = email.strip().lower()
    rows = session.execute(
        select(Visit, OfficeReview)
        .join(OfficeReview, OfficeReview.visit_id == Visit.id)
        .outerjoin(VisitOwner, VisitOwner.visit_uuid == Visit.uuid)
        .where(
            OfficeReview.state == RETURNED,
            OfficeReview.revision >= Visit.revision,
            or_(
                func.lower(VisitOwner.specialist_email) == email,
                func.lower(Visit.specialist_email) == email,
            ),
        )
        .order_by(Visit.id)
    ).all()
    return [
        {
            "visit_uuid": visit.uuid,
            "revision": review.revision,
            "comment": review.comment,
            "reviewer": review.decided_by[:120],
            "returned_at": review.decided_at.isoformat(timespec="seconds"),
        }
        for visit, review in rows
        if specialist_email(session, visit) == email
    ]


def send_returns(
    office_dir: Path,
    uuid: str,
    *,
    db_url: str | None = None,
    office_passphrase: str | None = None,
) -> Path:
    """An assignments bundle for the visit's specialist, published in their outbox."""
    from ietp_desktop.office.assignments import assign
    from ietp_desktop.office.console.outbox import publish
    from ietp_desktop.office.folder import open_office_db

    database = open_office_db(office_dir, db_url)
    try:
        with database.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
            if visit is None:
                raise NotFound("there is no received visit {id}", id=uuid[:40])
            email = specialist_email(session, visit)
    finally:
        database.dispose()
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder) / f"returns-{uuid[:8]}.ietpbundle"
        assign(
            office_dir,
            email,
            [],
            [],
            [],
            [],
            bundle,
            office_passphrase=office_passphrase,
            db_url=db_url,
        )
        return publish(office_dir, bundle, email)
