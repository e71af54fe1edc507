"""Send bundles to the office server and fetch assignments from it (the laptop's use cases).

The file path keeps working (export to a USB stick, `bundle receipt`); this is the same flow
over the network: export (or take a bundle file), upload, and apply the signed receipt the
office answers with, which marks the visits received.
"""

from __future__ import annotations

import contextlib
import re
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
from ietp_desktop.sync.office_client import OfficeClient, OfficeRefused, Progress

OUTBOX_DIR = "outbox"
RECEIPTS_DIR = "receipts"
FETCHED_DIR = "fetched"
_BUNDLE_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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


def export_for_office(
    db: Database,
    visit_refs: list[str] | None,
    *,
    passphrase: str,
    log: Callable[[str], None] | None = None,
) -> Path:
    """One new bundle of `visit_refs` (default: every signed visit) in the outbox, named by
    its bundle id, where `pending_bundles` finds it until the office's receipt is back."""
    out = _data_dir(db) / OUTBOX_DIR / "to-office.ietpbundle"
    out.parent.mkdir(parents=True, exist_ok=True)
    exported = export_visits(db, visit_refs, out, passphrase=passphrase)
    target = out.with_name(f"{exported.bundle_id}.ietpbundle")
    out.replace(target)
    if log:
        log(
            tr(
                "bundle {id} with {n} visits written",
                id=exported.bundle_id[:8],
                n=len(exported.visits),
            )
        )
    return target


def pending_bundles(db: Database) -> list[Path]:
    """Bundles written for the office whose receipt has not come back (an interrupted or
    cancelled send): sending one again continues where the office stopped receiving it."""
    data_dir = _data_dir(db)
    outbox = data_dir / OUTBOX_DIR
    if not outbox.is_dir():
        return []
    return sorted(
        (
            path
            for path in outbox.glob("*.ietpbundle")
            if _BUNDLE_NAME.match(path.stem)
            and not (data_dir / RECEIPTS_DIR / f"{path.stem}.ietp-receipt").exists()
        ),
        key=lambda path: path.stat().st_mtime,
    )


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
        bundles = [export_for_office(db, visit_refs, passphrase=passphrase, log=log)]
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


BundleProgress = Callable[[Path, int, int], None]  # bundle, bytes the office holds, total
# The office will never take these bundles: set aside, so they do not block the next send.
_NEVER_ACCEPTED = {"bundle-refused", "wrong-signer", "too-large"}
REFUSED_SUFFIX = ".refused"


def send_waiting(
    db: Database,
    url: str,
    *,
    passphrase: str,
    new_visits: list[str],
    progress: BundleProgress | None = None,
) -> list[SendResult]:
    """Send the bundles still waiting for their receipt (continuing an interrupted upload),
    then one new bundle of `new_visits` (none when empty); apply every receipt."""
    waiting = pending_bundles(db)
    if new_visits:
        waiting.append(export_for_office(db, new_visits, passphrase=passphrase))
    if not waiting:
        raise UserError(tr("nothing to send: choose signed visits"))
    results: list[SendResult] = []
    for bundle in waiting:

        def report(done: int, total: int, bundle: Path = bundle) -> None:
            if progress is not None:
                progress(bundle, done, total)

        try:
            results += send_to_office(
                db, url, passphrase=passphrase, files=[bundle], progress=report
            )
        except OfficeRefused as exc:
            if exc.code in _NEVER_ACCEPTED:
                bundle.replace(bundle.with_name(bundle.name + REFUSED_SUFFIX))
            raise
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
            if log:
                log(tr("fetching {name}", name=name))
            path = client.download_assignment(name, folder / name)
            try:
                results.append(
                    FetchResult(name, import_assignments(db, path, passphrase=passphrase))
                )
            finally:
                with contextlib.suppress(OSError):
                    path.unlink()
    return results
