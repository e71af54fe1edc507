"""What the office holds: the visits it has received."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ietp_desktop.office.folder import (
    open_office_db,
)
from ietp_desktop.storage.models import (
    CorrectiveAction,
    Visit,
    VisitRevision,
)


@dataclass(frozen=True)
class OfficeVisit:
    uuid: str
    revision: int
    revisions: list[int]
    factory: str
    factory_ietp_id: str
    specialist: str
    visit_start: str | None
    outcome: str | None
    open_cap_lines: int
    cap_lines: int
    received_at: str | None


def office_visits(office_dir: Path, db_url: str | None = None) -> list[OfficeVisit]:
    database = open_office_db(office_dir, db_url)
    try:
        with database.session() as session:
            rows = []
            for visit in session.scalars(select(Visit).order_by(Visit.visit_start, Visit.id)):
                revisions = sorted(
                    session.scalars(
                        select(VisitRevision.revision).where(VisitRevision.visit_id == visit.id)
                    )
                )
                if not revisions:
                    continue  # planned at the office, not imported
                total = session.scalar(
                    select(func.count()).where(CorrectiveAction.visit_id == visit.id)
                )
                open_lines = session.scalar(
                    select(func.count()).where(
                        CorrectiveAction.visit_id == visit.id, CorrectiveAction.status != "closed"
                    )
                )
                rows.append(
                    OfficeVisit(
                        uuid=visit.uuid,
                        revision=visit.revision,
                        revisions=list(revisions),
                        factory=visit.factory.name_en,
                        factory_ietp_id=visit.factory.ietp_id,
                        specialist=visit.specialist_name,
                        visit_start=visit.visit_start.isoformat() if visit.visit_start else None,
                        outcome=visit.outcome_final or visit.outcome_recommended,
                        open_cap_lines=int(open_lines or 0),
                        cap_lines=int(total or 0),
                        received_at=visit.received_at.isoformat(timespec="seconds")
                        if visit.received_at
                        else None,
                    )
                )
            return rows
    finally:
        database.dispose()
