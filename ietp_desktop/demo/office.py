"""The demo's sync step: visits travel to the demo office and one receipt comes back.

Runs after services/demo_identity.py created the demo office (`<demo data dir>/office`) and
enrolled Lin Mei. Two more visits are completed and signed: one is exported, imported at the
office and its receipt applied (status `received`); the other is exported and imported, but its
receipt is left in `office/receipts/` for the newcomer to apply (status `exported`). The
bundles stay in `<demo data dir>/outbox/`.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ietp_desktop.demo.identity import DEMO_PASSPHRASE, OFFICE_DIR, _completed_visit
from ietp_desktop.demo.seed import DemoResult
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.reporting import reports
from ietp_desktop.services.sync import bundles
from ietp_desktop.services.visits.factories import list_factories
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace

OUTBOX_DIR = "outbox"


def seed_demo_office(result: DemoResult, today: date | None = None) -> list[Path]:
    """Export, import and receive demo visits; returns the bundles written."""
    today = today or date.today()
    data_dir = Path(result.data_dir)
    office_dir = data_dir / OFFICE_DIR
    db = open_workspace(data_dir, actor="demo")
    written: list[Path] = []
    try:
        made = list_factories(db)
        signer = reports.unlock_signer(db, DEMO_PASSPHRASE)
        identity = bundles.require_identity(bundles.identity_dir_of(db))
        signing = identity.unlock(DEMO_PASSPHRASE)
        for label, factory, days_ago in (("received", made[-1], 90), ("exported", made[1], 30)):
            uuid = _completed_visit(db, factory.ietp_id, today - timedelta(days=days_ago), False)
            revision = load_detail(db, uuid).summary.revision
            reports.build_report(
                db, uuid, reports.stored_report_path(db, uuid, revision), "both", signer
            )
            out = data_dir / OUTBOX_DIR / f"demo-{label}.ietpbundle"
            exported = bundles.export_visits(db, [uuid], out, signer=signing)
            [outcome] = import_bundles(office_dir, [exported.path])
            if label == "received" and outcome.receipt is not None:
                bundles.apply_receipt(db, outcome.receipt)
            result.visits[label] = uuid
            written.append(exported.path)
    finally:
        db.dispose()
    return written
