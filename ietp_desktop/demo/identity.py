"""The demo office and specialist, so a newcomer can try signing and verifying on one machine.

`<demo data dir>/office/` holds a demo office CA (keys NOT encrypted: demo only) and the
enrolment file it issued to the demo specialist Lin Mei (林梅). The enrolment is imported into
the demo data folder with the passphrase DEMO_PASSPHRASE ("demo-passphrase").

The demo's three completed visits stay `completed` (one per outcome, so they can be signed by
hand, and the demo keeps a visit in every state); one extra visit, "signed", is added and
signed, with a finding, a photo, drawn signatures and its CAP line. Signing is the slow part
(about 2 s per report), so the demo signs only that one.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ietp_desktop.demo.seed import (
    DEMO_SPECIALIST,
    DEMO_SPECIALIST_EMAIL,
    HR,
    SENIOR,
    DemoResult,
    answer_everything,
)
from ietp_desktop.domain.errors import UserError
from ietp_desktop.reports.sample import photo_bytes, signature_png
from ietp_desktop.security.enrolment import write_enrolment
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.identity.keys import import_identity
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.reporting import reports
from ietp_desktop.services.visits import attendees, factories, lifecycle, signatures
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database

DEMO_PASSPHRASE = "demo-passphrase"
DEMO_OFFICE_NAME = "IETP Demo Office"
OFFICE_DIR = "office"
ENROLMENT_FILE = "lin-mei.ietp-enrol"


def create_demo_office(data_dir: Path) -> Path:
    """The demo office and Lin Mei's enrolment file in it; returns the enrolment file."""
    office_dir = data_dir / OFFICE_DIR
    create_office(office_dir, DEMO_OFFICE_NAME, None)
    office = load_office(office_dir, None)
    enrolment = office_dir / ENROLMENT_FILE
    write_enrolment(office, DEMO_SPECIALIST, DEMO_SPECIALIST_EMAIL, DEMO_PASSPHRASE, enrolment)
    return enrolment


def _completed_visit(db: Database, factory_ietp_id: str, day: date, with_finding: bool) -> str:
    planned = lifecycle.plan_visit(
        db,
        factory_ietp_id,
        day,
        specialist_name=DEMO_SPECIALIST,
        specialist_email=DEMO_SPECIALIST_EMAIL,
        man_days=Decimal("1"),
    )
    uuid = planned.uuid
    lifecycle.set_visit_fields(db, uuid, day_rate_usd=Decimal("850"))
    lifecycle.confirm_visit(db, uuid, day, day - timedelta(days=14))
    lifecycle.start_visit(db, uuid, day)
    attendees.add_attendee(db, uuid, SENIOR)
    attendees.add_attendee(db, uuid, HR)
    with db.session() as session:
        form = definitions.form_by_sha(session, definitions.latest_form_sha(session))
    answer_everything(db, uuid, form, day)
    if with_finding:
        finding = findings.add_finding(
            db,
            uuid,
            findings.FindingInput(
                classification="standard_nc",
                category="ehs",
                root_cause="health_safety_awareness",
                title="Fire extinguisher inspection overdue",
                description="Two extinguishers in the paint workshop were last inspected 14 "
                "months ago.",
                title_zh="灭火器检查逾期",
                description_zh="喷漆车间两个灭火器上次检查已是14个月前。",
            ),
        )
        with tempfile.TemporaryDirectory(prefix="ietp-demo-") as folder:
            photo = Path(folder) / "extinguisher.jpg"
            photo.write_bytes(photo_bytes(1600, 1200, 11, label="P01"))
            attachments.add_photo(
                db,
                uuid,
                photo,
                caption="Extinguisher tag, paint workshop / 喷漆车间灭火器检查标签",
                finding_refs=(finding.code,),
            )
    signatures.save_signature(db, uuid, "specialist", DEMO_SPECIALIST, signature_png(3))
    signatures.save_signature(
        db, uuid, "factory", SENIOR.name, signature_png(5), signer_role=SENIOR.role
    )
    lifecycle.complete_visit(db, uuid, day)
    return uuid


def seed_demo_identity(result: DemoResult, today: date | None = None) -> list[str]:
    """Create the demo office, enrol and import Lin Mei, add and sign one demo visit.

    Returns the uuids of the signed visits (also in `result.visits`)."""
    today = today or date.today()
    data_dir = Path(result.data_dir)
    import_identity(data_dir, create_demo_office(data_dir), DEMO_PASSPHRASE)
    db = open_workspace(data_dir, actor="demo")
    try:
        made = factories.list_factories(db)
        if len(made) < 2:
            raise UserError(
                "{data_dir} holds no demo factories to sign visits for", data_dir=data_dir
            )
        signer = reports.unlock_signer(db, DEMO_PASSPHRASE)

        def sign(uuid: str) -> None:
            revision = load_detail(db, uuid).summary.revision
            reports.build_report(
                db, uuid, reports.stored_report_path(db, uuid, revision), "both", signer
            )

        uuid = _completed_visit(db, made[0].ietp_id, today - timedelta(days=60), True)
        sign(uuid)
        result.visits["signed"] = uuid
    finally:
        db.dispose()
    return [uuid]
