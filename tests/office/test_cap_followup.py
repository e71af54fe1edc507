"""CAP follow-up at the office: the factory's workbook and evidence in, change report, line
decisions (closing needs evidence and an acceptance), evidence flags, refusals, tracker."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup import decisions, line_view, tracker
from ietp_desktop.office.cap_followup.factory_returns import import_cap
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.services.outcome.cap_xlsx import COLUMN, FIRST_ROW, export_cap_xlsx
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence

from ..bundle_world import World
from .review_world import office_db, receive

WHO = {"actor": "rex", "role": "reviewer"}


def jpeg(taken: str | None = None, colour: tuple[int, int, int] = (10, 120, 40)) -> bytes:
    image = Image.new("RGB", (32, 24), colour)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    stream = io.BytesIO()
    image.save(stream, "JPEG", exif=exif.tobytes())
    return stream.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def received(office: World, tmp_path: Path) -> World:
    return receive(office, tmp_path)


def cap_codes(db: Database, uuid: str) -> list[str]:
    with db.session() as session:
        return [r.finding_code for r in tracker.query_lines(session, tracker.CapFilter(visit=uuid))]


def factory_workbook(world: World, tmp_path: Path, uuid: str | None = None) -> Path:
    """The CAP form the laptop exports, as the factory sends it back filled in."""
    laptop = world.laptop()
    try:
        out = export_cap_xlsx(laptop, uuid or world.visit_uuid, tmp_path / "cap-returned.xlsx")
    finally:
        laptop.dispose()
    book = load_workbook(out)
    sheet = book["CAP"]
    sheet.cell(FIRST_ROW, COLUMN["corrective_action"], "Overtime capped at 36 h/month 加班封顶")
    sheet.cell(FIRST_ROW, COLUMN["responsible"], "HR manager Li")
    sheet.cell(FIRST_ROW, COLUMN["status"], "Closed")
    book.save(out)
    return out


def test_workbook_in_change_report_and_line_decisions(received: World, tmp_path: Path) -> None:
    db = office_db(received)
    uuid = received.visit_uuid
    try:
        codes = cap_codes(db, uuid)
        assert codes, "the world's visit has CAP lines"
        first = codes[0]
        workbook = factory_workbook(received, tmp_path)
        result = import_cap(
            db,
            received.office_dir,
            uuid,
            workbook,
            [(first, "F-payroll.pdf", PDF), (first, "exit.jpg", jpeg("2030:01:01 10:00:00"))],
            **WHO,
        )
        changed = {(c.finding_code, c.field, c.new) for c in result.changes}
        assert (first, "corrective_action", "Overtime capped at 36 h/month 加班封顶") in changed
        assert (first, "responsible", "HR manager Li") in changed
        assert (first, "status", "closed") in changed
        assert [e.media_type for e in result.evidence] == ["application/pdf", "image/jpeg"]
        for item in result.evidence:
            assert OfficeFolder(received.office_dir).cap_evidence_file(item.sha256).is_file()

        with db.session() as session:
            line = next(
                r
                for r in tracker.query_lines(session, tracker.CapFilter(visit=uuid))
                if r.finding_code == first
            )
        assert line.status == "progress"  # the factory says closed; the office has not agreed
        assert (line.responsible, line.evidence) == ("HR manager Li", 2)

        assert len(codes) > 1  # a line without evidence cannot be accepted
        with pytest.raises(UserError, match="has no evidence yet"):
            decisions.decide_line(db, uuid, codes[1], "accepted", **WHO)
        with pytest.raises(UserError, match="say why the line is rejected"):
            decisions.decide_line(db, uuid, first, "rejected", " ", **WHO)
        with pytest.raises(UserError, match="a read-only user may not decide"):
            decisions.decide_line(db, uuid, first, "accepted", actor="rory", role="read-only")
        decisions.decide_line(db, uuid, first, "rejected", "Payroll of two months needed", **WHO)
        decisions.decide_line(db, uuid, first, "accepted", "Two months of payroll seen", **WHO)
        with db.session() as session:
            closed = tracker.query_lines(session, tracker.CapFilter(status="closed"))
        assert [(r.finding_code, r.decision, r.decided_by) for r in closed] == [
            (first, "accepted", "rex")
        ]
        actions = [e.action for e in audit.entries(db, text=uuid)]
        assert actions[:3] == ["cap.accepted", "cap.rejected", "cap.import"]
    finally:
        db.dispose()


def test_exif_before_the_finding_and_reused_files_are_flagged(
    received: World, tmp_path: Path
) -> None:
    db = office_db(received)
    uuid, other = received.visit_uuid, received.second_uuid
    try:
        codes = cap_codes(db, uuid)
        with db.session() as session:
            raised = session.scalars(
                select(Finding.created_at)
                .join(Visit, Visit.id == Finding.visit_id)
                .where(Visit.uuid == uuid, Finding.code == codes[0])
            ).one()
        before = (raised - timedelta(days=3)).strftime("%Y:%m:%d %H:%M:%S")
        after = (raised + timedelta(days=3)).strftime("%Y:%m:%d %H:%M:%S")
        old_photo, new_photo = jpeg(before), jpeg(after, (200, 10, 10))
        import_cap(
            db,
            received.office_dir,
            uuid,
            None,
            [(codes[0], "old.jpg", old_photo), (codes[0], "new.jpg", new_photo)],
            **WHO,
        )
        view = line_view.load_line(db, uuid, codes[0])
        kinds = {e.filename: [f.kind for f in e.flags] for e in view.evidence}
        assert kinds == {"old.jpg": ["photo-before-finding"], "new.jpg": []}

        # the same file for another line of the visit, and for a line of another factory
        import_cap(db, received.office_dir, uuid, None, [(codes[1], "b.jpg", new_photo)], **WHO)
        with db.session() as session:  # a line of another factory already holds the file
            factory = Factory(ietp_id="IETP-GD-99001", name_en="Other Toys", name_zh="别的玩具厂")
            session.add(factory)
            session.flush()
            second = session.scalars(select(Visit).where(Visit.uuid == other)).one()
            second.factory_id = factory.id
            session.add(
                OfficeCapEvidence(
                    visit_id=second.id,
                    finding_code="F01",
                    factory_id=factory.id,
                    sha256=hashlib.sha256(new_photo).hexdigest(),
                    filename="c.jpg",
                    media_type="image/jpeg",
                    size=len(new_photo),
                    uploaded_by="rex",
                )
            )
        view = line_view.load_line(db, uuid, codes[0])
        flags = {f.kind for e in view.evidence if e.filename == "new.jpg" for f in e.flags}
        assert "reused-factory" in flags
        assert len(codes) > 1 and "reused-line" in flags
    finally:
        db.dispose()
