"""Everything the page of one CAP line shows: the line, its evidence with flags, decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.office.cap_followup import flags, tracker
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence


@dataclass(frozen=True)
class Flag:
    kind: str  # photo-before-finding | reused-line | reused-factory
    taken_at: datetime | None = None
    raised_at: datetime | None = None
    visit_uuid: str = ""
    finding_code: str = ""
    factory_ietp_id: str = ""


@dataclass(frozen=True)
class Evidence:
    id: int
    sha256: str
    filename: str
    media_type: str
    size: int
    taken_at: datetime | None
    uploaded_by: str
    uploaded_at: datetime
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class LineView:
    line: tracker.TrackerLine
    evidence: tuple[Evidence, ...]

    @property
    def flag_count(self) -> int:
        return sum(len(e.flags) for e in self.evidence)


def load_line(database: Database, uuid: str, code: str, today: date | None = None) -> LineView:
    with database.session() as session:
        found = tracker.query_lines(
            session, tracker.CapFilter(visit=uuid.strip()), today=today, limit=10_000
        )
        line = next((r for r in found if r.finding_code == code.strip().upper()), None)
        if line is None:
            raise NotFound("visit {visit} has no CAP line {code}", visit=uuid[:8], code=code[:10])
        visit_id = session.scalar(select(Visit.id).where(Visit.uuid == line.visit_uuid))
        assert visit_id is not None
        rows = list(
            session.scalars(
                select(OfficeCapEvidence)
                .where(
                    OfficeCapEvidence.visit_id == visit_id,
                    OfficeCapEvidence.finding_code == line.finding_code,
                )
                .order_by(OfficeCapEvidence.id)
            )
        )
        reused = flags.reuses(session, visit_id, line.finding_code, [r.sha256 for r in rows])
        evidence = []
        for row in rows:
            found_flags: list[Flag] = []
            if flags.taken_before(row.taken_at, line.finding_created_at):
                found_flags.append(
                    Flag("photo-before-finding", row.taken_at, line.finding_created_at)
                )
            for other in reused:
                if other.sha256 == row.sha256:
                    found_flags.append(
                        Flag(
                            "reused-factory" if other.other_factory else "reused-line",
                            visit_uuid=other.visit_uuid,
                            finding_code=other.finding_code,
                            factory_ietp_id=other.factory_ietp_id,
                        )
                    )
            evidence.append(
                Evidence(
                    row.id,
                    row.sha256,
                    row.filename,
                    row.media_type,
                    row.size,
                    row.taken_at,
                    row.uploaded_by,
                    row.uploaded_at,
                    tuple(found_flags),
                )
            )
    return LineView(line, tuple(evidence))


def evidence_of(database: Database, uuid: str, code: str, evidence_id: int) -> Evidence:
    view = load_line(database, uuid, code)
    for item in view.evidence:
        if item.id == evidence_id:
            return item
    raise NotFound("this CAP line has no evidence file {number}", number=evidence_id)
