"""A laptop with signed visits and an office it is enrolled with, for the bundle tests.

Built once per session (the demo data plus a photo, workers and a signed report) and copied for
each test, so every test starts from the same laptop and an empty office database.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import delete, func, select, text

from ietp_desktop.demo.seed import seed_demo_visits
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.setup import enroll, init_office
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.security.enrolment import import_enrolment
from ietp_desktop.security.office_ca import Office, load_office
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.visits import lifecycle, signatures
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Base, PayRecord, TimeRecord, Visit, Worker

SPECIALIST_PASSPHRASE = "correct horse battery"


def signed_pdf(signer: SigningIdentity, signer_name: str, text: str) -> bytes:
    """A one-page PDF saying `text`, PAdES-signed by `signer` as the report step signs it."""
    import tempfile

    from reportlab.pdfgen.canvas import Canvas

    from ietp_desktop.reports.signing import sign_pdf_with_identity

    with tempfile.TemporaryDirectory() as folder:
        plain, signed = Path(folder) / "plain.pdf", Path(folder) / "signed.pdf"
        canvas = Canvas(str(plain))
        canvas.drawString(72, 720, text)
        canvas.save()
        sign_pdf_with_identity(
            plain,
            signed,
            signer,
            signer_name=signer_name,
            reason="Progress Visit report",
            location="Shenzhen",
            visible_box_text=text,
        )
        return signed.read_bytes()


def signed_report(data_dir: Path, text: str, passphrase: str = "correct horse battery") -> bytes:
    """A report signed by the specialist enrolled in `data_dir` (what the report step leaves
    behind; the office checks this signature at import)."""
    from ietp_desktop.security.enrolment import load_identity

    identity = load_identity(DataFolder(data_dir).identity)
    assert identity is not None
    return signed_pdf(identity.unlock(passphrase), identity.name, text)


@dataclass(frozen=True)
class World:
    data_dir: Path
    office_dir: Path
    visit_uuid: str  # signed, with findings, CAP, photo, workers and a report
    second_uuid: str  # signed as well
    in_progress_uuid: str

    def laptop(self) -> Database:
        return open_workspace(self.data_dir, actor="Lin Mei")

    def office(self) -> Office:
        return load_office(self.office_dir, None)


def _png(colour: tuple[int, int, int]) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(stream, "PNG")
    return stream.getvalue()


def sign_visit(db: Database, uuid: str, report: bytes | None = None) -> None:
    """What the report signing step leaves behind: status signed and the PDF under reports/."""
    import hashlib

    assert db.data_dir is not None
    if report is None:
        report = signed_report(db.data_dir, f"report of {uuid}")

    sha = hashlib.sha256(report).hexdigest()
    assert db.data_dir is not None
    folder = db.folder.reports
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sha}.pdf").write_bytes(report)
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
        if visit.status == "completed":
            visit.status = "signed"
            visit.signed_at = datetime.now(UTC)
        visit.report_sha256 = sha


def _add_workers(db: Database, uuid: str) -> None:
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
        # One known worker instead of the demo's sample keeps the expectations exact.
        session.execute(delete(Worker).where(Worker.visit_id == visit.id))
        worker = Worker(
            visit_id=visit.id,
            code="W01",
            name="Wang Fang 王芳",
            employee_no="E-1001",
            hire_date=date(2024, 3, 1),
            base_rate=Decimal("2300.00"),
        )
        session.add(worker)
        session.flush()
        session.add(
            TimeRecord(
                worker_id=worker.id,
                work_date=date(2026, 9, 1),
                start_at=datetime(2026, 9, 1, 8, 0),
                end_at=datetime(2026, 9, 1, 20, 30),
                source_file="time.csv",
                source_row=2,
            )
        )
        session.add(
            PayRecord(
                worker_id=worker.id,
                period_start=date(2026, 9, 1),
                period_end=date(2026, 9, 30),
                base_pay=Decimal("2300.00"),
                net_pay=Decimal("2810.55"),
            )
        )


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("world")
    data_dir, office_dir = root / "laptop", root / "office"
    # The demo's visits without its own office and specialist: this laptop is enrolled with
    # the test office below, and every signed visit on it is signed under that enrolment.
    result = seed_demo_visits(data_dir)
    init_office(office_dir, "Shenzhen Office")
    enrolment = root / "lin-mei.ietp-enrol"
    enroll(
        office_dir,
        "Lin Mei",
        "lin.mei@example.org",
        enrolment,
        specialist_passphrase=SPECIALIST_PASSPHRASE,
    )
    import_enrolment(enrolment, DataFolder(data_dir).identity, SPECIALIST_PASSPHRASE)
    db = open_workspace(data_dir, actor="Lin Mei")
    uuid = result.visits["completed-cap"]
    second = result.visits["completed-clean"]
    photo = root / "dormitory.png"
    photo.write_bytes(_png((200, 30, 30)))
    lifecycle.reopen_visit(db, uuid)
    attachments.add_photo(db, uuid, photo, caption="Dormitory exit 宿舍出口")
    signatures.save_signature(db, uuid, "specialist", "Lin Mei", _png((0, 0, 0)))
    _add_workers(db, uuid)
    lifecycle.complete_visit(db, uuid)
    sign_visit(db, uuid)
    sign_visit(db, second)
    db.dispose()
    return World(data_dir, office_dir, uuid, second, result.visits["in-progress"])


@pytest.fixture
def world(world_template: World, tmp_path: Path) -> World:
    data_dir = tmp_path / "laptop"
    office_dir = tmp_path / "office"
    shutil.copytree(world_template.data_dir, data_dir)
    shutil.copytree(world_template.office_dir, office_dir)
    return World(
        data_dir,
        office_dir,
        world_template.visit_uuid,
        world_template.second_uuid,
        world_template.in_progress_uuid,
    )


def database_state(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, for 'the office database is unchanged' assertions."""
    state: dict[str, list[tuple[object, ...]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            state[table.name] = sorted((tuple(r) for r in rows), key=repr)
        state["_alembic"] = [tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))]
    return state


def office_state(
    office_dir: Path, db_url: str | None = None
) -> dict[str, list[tuple[object, ...]]]:
    db = open_office_db(office_dir, db_url)
    try:
        return database_state(db)
    finally:
        db.dispose()


def row_count(db: Database, model: type[Base]) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
