"""CAP follow-up at the office: the factory's workbook and evidence in, change report, line
decisions (closing needs evidence and an acceptance), evidence flags, refusals, tracker."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from ietp_desktop.cli import main
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup import decisions, line_view, tracker
from ietp_desktop.office.cap_followup.factory_returns import import_cap
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.services.outcome.cap_xlsx import COLUMN, FIRST_ROW, export_cap_xlsx
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence, OfficeCapLine

from ..bundle_world import World, office_state
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
        decisions.decide_line(
            db, uuid, first, "accepted", "Two months of payroll seen", without_records=True, **WHO
        )
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


def _meta_finding_row(book: object) -> int:
    meta = book["ietp_meta"]  # type: ignore[index]
    return next(i for i, r in enumerate(meta.iter_rows(values_only=True), 1) if r[0] == "finding")


def test_bad_input_is_refused_and_nothing_is_stored(received: World, tmp_path: Path) -> None:
    db = office_db(received)
    uuid = received.visit_uuid
    try:
        code = cap_codes(db, uuid)[0]
        good = factory_workbook(received, tmp_path)
        before = office_state(received.office_dir)
        evidence_dir = OfficeFolder(received.office_dir).cap_evidence

        def refused(match: str, workbook: Path | None, files: list[tuple[str, str, bytes]]) -> None:
            with pytest.raises(UserError, match=match):
                import_cap(db, received.office_dir, uuid, workbook, files, **WHO)
            assert office_state(received.office_dir) == before
            assert not evidence_dir.exists() or not any(evidence_dir.rglob("*"))

        # another visit's form (the office holds the second visit too)
        with pytest.raises(
            UserError,
            match=rf"cap-returned.xlsx, sheet ietp_meta: the workbook is the CAP form of factory "
            rf"[\w-]+ \(visit {uuid[:8]}\), not of factory [\w-]+ "
            rf"\(visit {received.second_uuid[:8]}\)",
        ):
            import_cap(db, received.office_dir, received.second_uuid, good, [], **WHO)
        assert office_state(received.office_dir) == before

        # a changed finding id in the hidden sheet
        book = load_workbook(good)
        row = _meta_finding_row(book)
        book["ietp_meta"].cell(row, 2, 999_999)
        changed = tmp_path / "changed-id.xlsx"
        book.save(changed)
        refused(
            rf"changed-id.xlsx, sheet ietp_meta, row {row}: finding \w+ has id 999999",
            changed,
            [],
        )

        # a formula typed by the factory is not taken (the row is reported, not applied)
        book = load_workbook(good)
        book["CAP"].cell(FIRST_ROW, COLUMN["responsible"], '=HYPERLINK("http://x","y")')
        formula = tmp_path / "formula.xlsx"
        book.save(formula)
        result = import_cap(db, received.office_dir, uuid, formula, [], **WHO)
        assert result.problems and "holds a formula" in result.problems[0][1]
        assert result.problems[0][0] == FIRST_ROW
        assert all(c.finding_code != code for c in result.changes)
        before = office_state(received.office_dir)

        # evidence: too large, not an allowed type, a name that lies, a line the visit lacks
        refused("is not one of the evidence types", good, [(code, "tool.exe", b"MZ\x90\x00")])
        refused("is named like another type than it holds", None, [(code, "scan.jpg", PDF)])
        refused(
            "an evidence file is at most",
            None,
            [(code, "big.pdf", PDF + b"0" * (20 << 20))],
        )
        refused("has no CAP line F77", None, [("F77", "x.pdf", PDF)])
        with pytest.raises(UserError, match="read-only user may not take in CAP answers"):
            import_cap(db, received.office_dir, uuid, good, [], actor="rory", role="read-only")
        # a good file together with a bad one: nothing of either is kept
        refused(
            "is not one of the evidence types",
            good,
            [(code, "good.pdf", PDF), (code, "bad.png", b"\x89PNX\x00 broken")],
        )
        assert office_state(received.office_dir) == before
    finally:
        db.dispose()


def test_overdue_and_due_this_week_and_the_cap_commands(
    received: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = office_db(received)
    uuid = received.visit_uuid
    today = date.today()
    try:
        codes = cap_codes(db, uuid)
        with db.session() as session:
            visit_id = session.scalars(select(Visit.id).where(Visit.uuid == uuid)).one()
            session.add(
                OfficeCapLine(
                    visit_id=visit_id,
                    finding_code=codes[0],
                    due_date=today - timedelta(days=1),
                    decision="",
                    decision_comment="",
                    decided_by="",
                )
            )
            session.add(
                OfficeCapLine(
                    visit_id=visit_id,
                    finding_code=codes[1],
                    due_date=tracker.week_end(today),
                    decision="",
                    decision_comment="",
                    decided_by="",
                )
            )
        with db.session() as session:
            overdue = tracker.query_lines(session, tracker.CapFilter(overdue=True), today=today)
            week = tracker.query_lines(session, tracker.CapFilter(due_this_week=True), today=today)
        assert [r.finding_code for r in overdue] == [codes[0]]
        assert overdue[0].status == "overdue"
        assert codes[1] in [r.finding_code for r in week]
    finally:
        db.dispose()
    office = str(received.office_dir)
    assert main(["office", "cap", "list", "--overdue", "--json", "--office-dir", office]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["finding_code"], r["status"]) for r in rows] == [(codes[0], "overdue")]

    workbook = factory_workbook(received, tmp_path)
    photo = tmp_path / f"{codes[0]}-exit.jpg"
    photo.write_bytes(jpeg())
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(PDF)
    code = main(
        [
            "office",
            "cap",
            "import",
            uuid,
            str(workbook),
            str(photo),
            f"{codes[0]}={pdf}",
            "--office-dir",
            office,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{codes[0]} responsible: '' -> 'HR manager Li'" in out or "responsible" in out
    assert f"evidence {codes[0]}: {photo.name}" in out
    assert (
        main(["office", "cap", "import", uuid, str(workbook), str(pdf), "--office-dir", office])
        == 1
    )
    assert "say which CAP line it is evidence for" in capsys.readouterr().err
    assert main(
        ["office", "cap", "decide", uuid, codes[0], "accept", "--without-records",
         "--comment", "Payroll of two months seen", "--office-dir", office]
    ) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["office", "cap", "list", "--office-dir", office]) == 0
    table = capsys.readouterr().out
    assert "closed" in table and "accepted" in table
