"""Laptop side of sync bundles: export signed visits, apply office receipts, import assignments.

Export: only signed visits (status signed, or exported again); the bundle is written atomically
(a killed export leaves nothing under the final name); then one transaction records an Export row
per visit and sets the status to exported. A receipt signed by the office marks the visits
received. Nothing is deleted here, ever: a visit stays on the laptop after its receipt too.

The signed report is looked for under `<data dir>/reports/` (see `signed_report_file`).
`Export.sha256` is the sha256 of the bundle's signed manifest, which commits to every entry.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.i18n import tr
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.security.enrolment import SpecialistIdentity, load_identity
from ietp_desktop.services.receipt_file import Receipt, read_receipt
from ietp_desktop.services.visit_read import attachment_path
from ietp_desktop.services.visit_refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Export, Visit
from ietp_desktop.storage.types import utcnow
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.bundle import PayloadSource, write_bundle

IDENTITY_DIR_NAME = "identity"
REPORTS_DIR_NAME = "reports"
BUNDLE_SUFFIX = ".ietpbundle"
EXPORTABLE = (VisitStatus.SIGNED.value, VisitStatus.EXPORTED.value)
Progress = Callable[[float], None]


@dataclass(frozen=True)
class ExportedVisit:
    uuid: str
    revision: int
    factory: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    size: int
    manifest_sha256: str
    visits: list[ExportedVisit]


@dataclass(frozen=True)
class ReceiptResult:
    bundle_id: str
    office: str
    status: str
    message: str
    received: list[str]  # visit uuids now marked received
    not_received: list[str] = field(default_factory=list)  # refused by the office


def identity_dir_of(db: Database) -> Path:
    if db.data_dir is None:
        raise UserError(tr("this database has no data folder, so no enrolled specialist"))
    return db.data_dir / IDENTITY_DIR_NAME


def require_identity(identity_dir: Path) -> SpecialistIdentity:
    identity = load_identity(identity_dir)
    if identity is None:
        raise NotFound(
            tr(
                "no specialist is enrolled in {dir}; import the enrolment file from the office",
                dir=identity_dir,
            )
        )
    return identity


def signed_report_file(db: Database, visit: Visit) -> Path | None:
    """The signed PDF whose sha256 the visit recorded, if it is stored under reports/."""
    if not visit.report_sha256 or db.data_dir is None:
        return None
    folder = db.data_dir / REPORTS_DIR_NAME
    sha = visit.report_sha256
    candidates = [folder / f"{sha}.pdf", folder / sha[:2] / sha]
    if folder.is_dir():
        candidates += sorted(folder.rglob(f"*{visit.uuid}*.pdf"))
    for path in candidates:
        if path.is_file() and _file_sha256(path) == sha:
            return path
    return None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _CheckedReader:
    """Reads a local file for export and refuses it at the end if its sha256 changed."""

    def __init__(self, path: Path, sha256: str, what: str) -> None:
        self._stream: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._digest = hashlib.sha256()
        self._sha256 = sha256
        self._what = what

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._digest.update(data)
        if not data and self._digest.hexdigest() != self._sha256:
            raise UserError(
                tr(
                    "{what} has changed on disk since it was recorded; export stopped",
                    what=self._what,
                )
            )
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def __enter__(self) -> _CheckedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _checked_source(name: str, path: Path, sha256: str, what: str) -> PayloadSource:
    return PayloadSource(name, lambda: _CheckedReader(path, sha256, what))  # type: ignore[arg-type,return-value]


def _select_visits(session: Session, visit_refs: list[str] | None) -> list[Visit]:
    if visit_refs:
        chosen = [resolve_visit(session, ref) for ref in visit_refs]
        for visit in chosen:
            if visit.status not in EXPORTABLE:
                raise UserError(
                    tr(
                        "visit {id} is {status}; only signed visits can be exported",
                        id=short_id(visit.uuid),
                        status=VisitStatus(visit.status).label.lower(),
                    )
                )
        return list({v.id: v for v in chosen}.values())
    chosen = list(
        session.scalars(
            select(Visit).where(Visit.status == VisitStatus.SIGNED.value).order_by(Visit.id)
        )
    )
    if not chosen:
        raise UserError(tr("there is no signed visit waiting to be exported"))
    return chosen


def _visit_sources(
    db: Database, session: Session, visit: Visit
) -> tuple[list[PayloadSource], dict[str, int]]:
    """The payload entries of one visit and the plain sizes of its files (for progress)."""
    document = vp.build_document(session, visit)
    sources: list[PayloadSource] = []
    sizes: dict[str, int] = {}
    label = short_id(visit.uuid)
    if visit.report_sha256:
        report = signed_report_file(db, visit)
        if report is None:
            raise NotFound(
                tr(
                    "the signed report of visit {id} (sha256 {sha}) is not in {dir}",
                    id=label,
                    sha=visit.report_sha256[:12],
                    dir=(db.data_dir or Path()) / REPORTS_DIR_NAME,
                )
            )
        name = vp.report_entry_name(visit.uuid, visit.revision)
        document["report"] = {"entry": name, "sha256": visit.report_sha256}
        sources.append(
            _checked_source(
                name, report, visit.report_sha256, tr("the report of visit {id}", id=label)
            )
        )
        sizes[name] = report.stat().st_size
    for attachment in document["attachments"]:
        path = Path(attachment_path(db, attachment["sha256"]))
        if not path.is_file():
            raise NotFound(
                tr(
                    "photo {file} of visit {id} is missing from {path}",
                    file=attachment["filename"] or attachment["sha256"][:12],
                    id=label,
                    path=path,
                )
            )
        sources.append(
            _checked_source(
                attachment["entry"],
                path,
                attachment["sha256"],
                tr("photo {file} of visit {id}", file=attachment["filename"], id=label),
            )
        )
        sizes[attachment["entry"]] = path.stat().st_size
    data = vp.encode(document)
    name = vp.visit_entry_name(visit.uuid, visit.revision)
    sources.insert(0, PayloadSource.from_bytes(name, data))
    sizes[name] = len(data)
    return sources, sizes


def manifest_sha256(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as archive:
        return hashlib.sha256(archive.read(mf.MANIFEST_NAME)).hexdigest()


def export_visits(
    db: Database,
    visit_refs: list[str] | None,
    out: Path,
    progress: Progress | None = None,
    *,
    signer: SigningIdentity | None = None,
    passphrase: bytes | str | None = None,
    identity_dir: Path | None = None,
) -> ExportResult:
    """Write the signed visits (all waiting ones when `visit_refs` is None) to `out`.

    The bundle is signed with `signer`, or with the enrolled specialist's key unlocked by
    `passphrase`, and encrypted to the office certificate from the enrolment.
    """
    out = Path(out)
    identity = require_identity(identity_dir or identity_dir_of(db))
    if signer is None:
        if passphrase is None:
            raise UserError(tr("the specialist key passphrase is needed to sign the bundle"))
        signer = identity.unlock(passphrase)
    sources: list[PayloadSource] = []
    sizes: dict[str, int] = {}
    with db.session() as session:
        visits = _select_visits(session, visit_refs)
        exported = [
            ExportedVisit(v.uuid, v.revision, v.factory.name_en or v.factory.ietp_id)
            for v in visits
        ]
        seen: set[str] = set()
        for visit in visits:
            visit_sources, visit_sizes = _visit_sources(db, session, visit)
            for source in visit_sources:
                if source.name not in seen:  # one photo may serve several visits
                    seen.add(source.name)
                    sources.append(source)
                    sizes[source.name] = visit_sizes[source.name]
    total = max(1, sum(sizes.values()))
    info = write_bundle(
        out,
        "visit-results",
        sources,
        signer,
        [identity.office_encryption_cert],
        [{"uuid": v.uuid, "revision": v.revision} for v in exported],
        vp.SCHEMA,
        progress=(lambda done: progress(min(1.0, done / total))) if progress else None,
    )
    digest = manifest_sha256(out)
    try:
        with db.session() as session:
            now = utcnow()
            for item in exported:
                visit = resolve_visit(session, item.uuid)
                session.add(
                    Export(
                        bundle_id=info.bundle_id,
                        visit_id=visit.id,
                        revision=item.revision,
                        sha256=digest,
                        path=str(out.resolve()),
                        exported_at=now,
                    )
                )
                if visit.status == VisitStatus.SIGNED.value:
                    visit.status = VisitStatus.EXPORTED.value
                visit.exported_at = now
                record_event(session, visit.id, "Visit", "exported", f"bundle {info.bundle_id}")
    except BaseException:
        out.unlink(missing_ok=True)  # unrecorded: the visits stay "signed", nothing was sent
        raise
    return ExportResult(out, info.bundle_id, info.size, digest, exported)


def apply_receipt(
    db: Database, receipt_file: Path, *, identity_dir: Path | None = None
) -> ReceiptResult:
    """Mark the visits of a receipt (signed by the enrolled office) received."""
    identity = require_identity(identity_dir or identity_dir_of(db))
    receipt = read_receipt(Path(receipt_file), identity.office_ca)
    name = Path(receipt_file).name
    received: list[str] = []
    refused: list[str] = []
    with db.session() as session:
        exports = list(session.scalars(select(Export).where(Export.bundle_id == receipt.bundle_id)))
        if not exports:
            raise NotFound(
                tr(
                    "receipt {file} is for bundle {id}, which this laptop did not export",
                    file=name,
                    id=receipt.bundle_id[:8],
                )
            )
        if any(e.sha256 != receipt.manifest_sha256 for e in exports):
            raise UserError(
                tr("receipt {file} does not match the bundle this laptop exported", file=name)
            )
        by_visit = {(e.visit_id, e.revision): e for e in exports}
        now = utcnow()
        for item in receipt.visits:
            visit = session.scalars(select(Visit).where(Visit.uuid == item.uuid)).first()
            export = by_visit.get((visit.id, item.revision)) if visit else None
            if visit is None or export is None:
                raise UserError(
                    tr(
                        "receipt {file} names visit {id} revision {revision}, which was not "
                        "in that bundle",
                        file=name,
                        id=item.uuid[:8],
                        revision=item.revision,
                    )
                )
            if item.result == "refused" or receipt.status != "imported":
                refused.append(item.uuid)
                continue
            if export.received_at is None:
                export.received_at = now
                export.receipt_json = receipt.raw_body
            if visit.revision == item.revision and visit.status == VisitStatus.EXPORTED.value:
                visit.status = VisitStatus.RECEIVED.value
                visit.received_at = now
                record_event(
                    session, visit.id, "Visit", "received", f"receipt for {receipt.bundle_id}"
                )
            received.append(item.uuid)
    return ReceiptResult(
        receipt.bundle_id, receipt.office, receipt.status, receipt.message, received, refused
    )


def receipt_of(receipt: Receipt) -> dict[str, Any]:
    return json.loads(receipt.raw_body)
