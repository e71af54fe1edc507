"""Send bundles to the office server and fetch assignments from it (the laptop's use cases).

The file path keeps working (export to a USB stick, `bundle receipt`); this is the same flow
over the network: export (or take a bundle file), upload, and apply the signed receipt the
office answers with, which marks the visits received.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.services.sync.bundles import (
    AssignmentsResult,
    ReceiptResult,
    apply_receipt,
    export_visits,
    identity_dir_of,
    import_assignments,
    require_identity,
)
from ietp_desktop.storage.db import Database
from ietp_desktop.sync.office_client import OfficeClient, Progress

OUTBOX_DIR = "outbox"
RECEIPTS_DIR = "receipts"
FETCHED_DIR = "fetched"


@dataclass(frozen=True)
class SendResult:
    bundle: Path
    office_status: str
    receipt_file: Path
    receipt: ReceiptResult
    resumed_from: int


@dataclass(frozen=True)
class FetchResult:
    name: str
    result: AssignmentsResult


def _data_dir(db: Database) -> Path:
    if db.data_dir is None:
        raise UserError(tr("this database has no data folder"))
    return db.data_dir


def _client(db: Database, url: str, passphrase: str) -> OfficeClient:
    identity = require_identity(identity_dir_of(db))
    return OfficeClient(url, identity.office_ca, identity.unlock(passphrase))


def send_to_office(
    db: Database,
    url: str,
    *,
    passphrase: str,
    files: list[Path] | None = None,
    visit_refs: list[str] | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] | None = None,
) -> list[SendResult]:
    """Upload each bundle file (or one new bundle of `visit_refs`) and apply the receipts."""
    data_dir = _data_dir(db)
    bundles = [Path(f) for f in files or []]
    if not bundles:
        out = data_dir / OUTBOX_DIR / "to-office.ietpbundle"
        out.parent.mkdir(parents=True, exist_ok=True)
        exported = export_visits(db, visit_refs, out, passphrase=passphrase)
        target = out.with_name(f"{exported.bundle_id}.ietpbundle")
        out.replace(target)
        bundles = [target]
        if log:
            log(
                tr(
                    "bundle {id} with {n} visits written",
                    id=exported.bundle_id[:8],
                    n=len(exported.visits),
                )
            )
    results = []
    with _client(db, url, passphrase) as client:
        for bundle in bundles:
            if not bundle.is_file():
                raise UserError(tr("{file} does not exist", file=bundle))
            uploaded = client.upload(bundle, progress)
            receipt_file = data_dir / RECEIPTS_DIR / f"{bundle.stem}.ietp-receipt"
            atomic_write_bytes(receipt_file, uploaded.receipt)
            receipt = apply_receipt(db, receipt_file)
            results.append(
                SendResult(bundle, uploaded.status, receipt_file, receipt, uploaded.resumed_from)
            )
    return results


def fetch_from_office(
    db: Database, url: str, *, passphrase: str, log: Callable[[str], None] | None = None
) -> list[FetchResult]:
    """Download the assignments bundles the office published for this specialist and import
    them (a bundle already imported changes nothing)."""
    folder = _data_dir(db) / FETCHED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    with _client(db, url, passphrase) as client:
        for item in client.assignments():
            name = str(item["name"])
            if "/" in name or "\\" in name or name.startswith("."):
                continue
            path = client.download_assignment(name, folder / name)
            try:
                results.append(
                    FetchResult(name, import_assignments(db, path, passphrase=passphrase))
                )
            finally:
                with contextlib.suppress(OSError):
                    path.unlink()
    return results
