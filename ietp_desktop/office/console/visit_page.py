"""Everything the visit page shows, gathered in one place from the office database and folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.console.report_check import ReportStatus, check
from ietp_desktop.reports.model import ReportData
from ietp_desktop.services.reporting.report_data import report_data
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Attachment, ReceivedBundle, Visit, VisitRevision
from ietp_desktop.storage.office_models import OfficeVisitView
from ietp_desktop.storage.types import utcnow

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Photo:
    ref: str
    sha256: str
    caption: str
    media_type: str


@dataclass(frozen=True)
class RevisionRow:
    revision: int
    reason: str
    received_at: datetime | None
    report: ReportStatus


@dataclass(frozen=True)
class VisitPage:
    uuid: str
    revision: int
    data: ReportData | None
    problem: str
    photos: list[Photo]
    revisions: list[RevisionRow]
    bundles: list[str]


def require_visit_id(database: Database, uuid: str) -> int:
    if not UUID.match(uuid):
        raise NotFound("there is no visit {id}", id=uuid[:40])
    with database.session() as session:
        visit_id = session.scalars(
            select(Visit.id).where(Visit.uuid == uuid, Visit.received_at.is_not(None))
        ).first()
    if visit_id is None:
        raise NotFound("there is no visit {id}", id=uuid[:40])
    return int(visit_id)


def load_page(
    database: Database, office_dir: Path, uuid: str, user_id: int, lang: str
) -> VisitPage:
    visit_id = require_visit_id(database, uuid)
    problem = ""
    data: ReportData | None = None
    try:
        data = report_data(database, uuid, "zh" if lang == "zh" else "en")
    except UserError as exc:
        problem = str(exc)
    detail = load_detail(database, uuid)
    photos = [
        Photo(f"P{index:02d}", a.sha256, a.caption or a.filename, a.media_type)
        for index, a in enumerate(detail.attachments, start=1)
        if a.media_type.startswith("image/")
    ]
    with database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        revisions = [
            RevisionRow(
                r.revision,
                r.reason,
                r.created_at,
                check(session, office_dir, visit_id, uuid, r.revision),
            )
            for r in session.scalars(
                select(VisitRevision)
                .where(VisitRevision.visit_id == visit_id)
                .order_by(VisitRevision.revision.desc())
            )
        ]
        bundles = [
            f"{b.bundle_id[:8]} · {b.signer} · {b.received_at:%Y-%m-%d %H:%M}"
            for b in session.scalars(
                select(ReceivedBundle).order_by(ReceivedBundle.received_at.desc())
            )
            if f'"uuid": "{uuid}"' in b.summary_json
        ]
        view = session.get(OfficeVisitView, (user_id, visit_id))
        if view is None:
            session.add(
                OfficeVisitView(
                    user_id=user_id, visit_id=visit_id, revision=visit.revision, seen_at=utcnow()
                )
            )
        else:
            view.revision = visit.revision
            view.seen_at = utcnow()
        revision = visit.revision
    return VisitPage(uuid, revision, data, problem, photos, revisions, bundles)


def photo_file(database: Database, office_dir: Path, uuid: str, sha256: str) -> tuple[Path, str]:
    visit_id = require_visit_id(database, uuid)
    if not SHA256.match(sha256):
        raise NotFound("this visit has no such photo")
    with database.session() as session:
        media = session.scalars(
            select(Attachment.media_type).where(
                Attachment.visit_id == visit_id, Attachment.sha256 == sha256
            )
        ).first()
    path = Path(office_dir) / "attachments" / sha256[:2] / sha256
    if media is None or not path.is_file():
        raise NotFound("this visit has no such photo")
    return path, str(media)


def report_file(database: Database, office_dir: Path, uuid: str, revision: int) -> Path:
    require_visit_id(database, uuid)
    path = Path(office_dir) / "reports" / f"{uuid}-r{int(revision)}.pdf"
    if not path.is_file():
        raise NotFound("the office holds no report for revision {revision}", revision=revision)
    return path
