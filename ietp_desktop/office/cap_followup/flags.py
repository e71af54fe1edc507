"""What the reviewer should look at twice in a line's evidence: a photo taken before the
finding was raised, and the same file (same sha256) sent for another line or factory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence


@dataclass(frozen=True)
class Reuse:
    sha256: str
    visit_uuid: str
    finding_code: str
    factory_ietp_id: str
    other_factory: bool


def reuses(session: Session, visit_id: int, code: str, shas: list[str]) -> list[Reuse]:
    """Other lines (of any visit or factory) holding one of these files."""
    if not shas:
        return []
    factory_id = session.scalar(select(Visit.factory_id).where(Visit.id == visit_id))
    rows = session.execute(
        select(
            OfficeCapEvidence.sha256,
            Visit.uuid,
            OfficeCapEvidence.finding_code,
            Factory.ietp_id,
            OfficeCapEvidence.factory_id,
        )
        .join(Visit, Visit.id == OfficeCapEvidence.visit_id)
        .join(Factory, Factory.id == OfficeCapEvidence.factory_id)
        .where(
            OfficeCapEvidence.sha256.in_(shas),
            or_(
                OfficeCapEvidence.visit_id != visit_id,
                and_(
                    OfficeCapEvidence.visit_id == visit_id,
                    OfficeCapEvidence.finding_code != code,
                ),
            ),
        )
        .order_by(Visit.uuid, OfficeCapEvidence.finding_code)
    ).all()
    return [Reuse(r[0], r[1], r[2], r[3], r[4] != factory_id) for r in rows]


def taken_before(taken_at: datetime | None, raised_at: datetime | None) -> bool:
    return taken_at is not None and raised_at is not None and taken_at < raised_at
