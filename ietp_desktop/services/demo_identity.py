"""The demo office and specialist, so a newcomer can try signing and verifying on one machine.

`<demo data dir>/office/` holds a demo office CA (keys NOT encrypted: demo only) and the
enrolment file it issued to the demo specialist Lin Mei (林梅). The enrolment is imported into
the demo data folder with the passphrase DEMO_PASSPHRASE ("demo-passphrase"), and the demo's
completed visits are signed, except one left `completed` for trying "Build signed report".
"""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.security.enrolment import write_enrolment
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services import reports
from ietp_desktop.services.app import open_workspace
from ietp_desktop.services.demo import DEMO_SPECIALIST, DEMO_SPECIALIST_EMAIL, DemoResult
from ietp_desktop.services.identity import import_identity

DEMO_PASSPHRASE = "demo-passphrase"
DEMO_OFFICE_NAME = "IETP Demo Office"
OFFICE_DIR = "office"
ENROLMENT_FILE = "lin-mei.ietp-enrol"
# Left completed so the demo still has a visit to sign by hand.
LEFT_UNSIGNED = "completed-cap"


def seed_demo_identity(result: DemoResult) -> list[str]:
    """Create the demo office, enrol and import Lin Mei, sign the completed demo visits.

    Returns the uuids of the visits signed."""
    data_dir = Path(result.data_dir)
    office_dir = data_dir / OFFICE_DIR
    create_office(office_dir, DEMO_OFFICE_NAME, None)
    office = load_office(office_dir, None)
    enrolment = office_dir / ENROLMENT_FILE
    write_enrolment(office, DEMO_SPECIALIST, DEMO_SPECIALIST_EMAIL, DEMO_PASSPHRASE, enrolment)
    import_identity(data_dir, enrolment, DEMO_PASSPHRASE)
    db = open_workspace(data_dir, actor="demo")
    signed: list[str] = []
    try:
        signer = reports.unlock_signer(db, DEMO_PASSPHRASE)
        for label, uuid in result.visits.items():
            if not label.startswith("completed") or label == LEFT_UNSIGNED:
                continue
            reports.build_report(db, uuid, reports.stored_report_path(db, uuid, 1), "both", signer)
            signed.append(uuid)
    finally:
        db.dispose()
    return signed
