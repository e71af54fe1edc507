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
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.i18n import tr
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.security.enrolment import SpecialistIdentity, load_identity
from ietp_desktop.security.expiry import check_can_sign
from ietp_desktop.services.catalogue.definitions import install_form_text, install_rule_set_text
from ietp_desktop.services.sync.receipt_file import Receipt, read_receipt
from ietp_desktop.services.visits.read import attachment_path
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.services.visits.review_returns import apply_review_returns
from ietp_desktop.services.visits.withdrawals import apply_withdrawals
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    AuditEvent,
    Export,
    Factory,
    FormDefinition,
    ReceivedBundle,
    Visit,
)
from ietp_desktop.storage.types import utcnow
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync import revocation_list
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.bundle import (
    BundleRefused,
    PayloadSource,
    VerifiedBundle,
    open_bundle,
    write_bundle,
)
from ietp_desktop.sync.errors import SourceChanged
from ietp_desktop.sync.wire import confirmations as confirmations_wire
from ietp_desktop.sync.wire.assignments import AssignmentsDocument
from ietp_desktop.sync.wire.base import WireViolation, parse_json

BUNDLE_SUFFIX = ".ietpbundle"
EXPORTABLE = (VisitStatus.SIGNED.value, VisitStatus.EXPORTED.value)
CONFIRMATION_SENT = "confirmation-sent"  # audit event: a bundle carried this agreed date
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
        raise UserError("this database has no data folder, so no enrolled specialist")
    return db.folder.identity


def require_identity(identity_dir: Path) -> SpecialistIdentity:
    identity = load_identity(identity_dir)
    if identity is None:
        raise NotFound(
            "no specialist is enrolled in {dir}; import the enrolment file from the office",
            dir=identity_dir,
        )
    return identity


def signed_report_file(db: Database, visit: Visit) -> Path | None:
    """The signed PDF whose sha256 the visit recorded, if it is stored under reports/."""
    if not visit.report_sha256 or db.data_dir is None:
        return None
    folder = db.folder.reports
    sha = visit.report_sha256
    candidates = [
        folder / f"{visit.uuid}-r{visit.revision}.pdf",  # where services/reports stores it
        folder / f"{sha}.pdf",
        folder / sha[:2] / sha,
    ]
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


def _select_visits(session: Session, visit_refs: list[str] | None) -> list[Visit]:
    if visit_refs:
        chosen = [resolve_visit(session, ref) for ref in visit_refs]
        for visit in chosen:
            if visit.status not in EXPORTABLE:
                raise UserError(
                    "visit {id} is {status}; only signed visits can be exported",
                    id=short_id(visit.uuid),
                    status=VisitStatus(visit.status).label.lower(),
                )
        return list({v.id: v for v in chosen}.values())
    chosen = list(
        session.scalars(
            select(Visit).where(Visit.status == VisitStatus.SIGNED.value).order_by(Visit.id)
        )
    )
    if not chosen:
        raise UserError("there is no signed visit waiting to be exported")
    return chosen


def _visit_sources(
    db: Database, session: Session, visit: Visit, whats: dict[str, str]
) -> tuple[list[PayloadSource], dict[str, int]]:
    """The payload entries of one visit and the plain sizes of its files (for progress).

    Files carry the sha256 the visit recorded: the writer checks it in its one encrypting pass
    and stops the export if a file changed on disk. `whats` gets what to call each file then.
    """
    document = vp.build_document(session, visit)
    sources: list[PayloadSource] = []
    sizes: dict[str, int] = {}
    label = short_id(visit.uuid)
    if visit.report_sha256:
        report = signed_report_file(db, visit)
        if report is None:
            raise NotFound(
                "the signed report of visit {id} (sha256 {sha}) is not in {dir}",
                id=label,
                sha=visit.report_sha256[:12],
                dir=db.folder.reports if db.data_dir else Path(),
            )
        name = vp.report_entry_name(visit.uuid, visit.revision)
        document["report"] = {"entry": name, "sha256": visit.report_sha256}
        sources.append(PayloadSource.from_path(name, report, visit.report_sha256))
        whats[name] = tr("the report of visit {id}", id=label)
        sizes[name] = report.stat().st_size
    for attachment in document["attachments"]:
        path = Path(attachment_path(db, attachment["sha256"]))
        if not path.is_file():
            raise NotFound(
                "photo {file} of visit {id} is missing from {path}",
                file=attachment["filename"] or attachment["sha256"][:12],
                id=label,
                path=path,
            )
        sources.append(PayloadSource.from_path(attachment["entry"], path, attachment["sha256"]))
        whats[attachment["entry"]] = tr(
            "photo {file} of visit {id}", file=attachment["filename"], id=label
        )
        sizes[attachment["entry"]] = path.stat().st_size
    name = vp.visit_entry_name(visit.uuid, visit.revision)
    vp.check_document(document, tr("visit {id}", id=label))
    data = vp.encode(document)
    sources.insert(0, PayloadSource.from_bytes(name, data))
    sizes[name] = len(data)
    return sources, sizes


def _confirmations(
    session: Session, *, unsent_only: bool = False
) -> list[confirmations_wire.ConfirmationWire]:
    """Visits whose date the specialist agreed with the factory and that have not started
    (`unsent_only`: whose agreed date no bundle has carried yet)."""
    sent: set[tuple[int | None, str | None]] = set()
    if unsent_only:
        sent = {
            (e.visit_id, e.new_value)
            for e in session.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity == "Visit", AuditEvent.field == CONFIRMATION_SENT
                )
            )
        }
    return [
        confirmations_wire.ConfirmationWire(
            uuid=visit.uuid,
            confirmed_date=visit.confirmed_date,
            announcement_sent_on=visit.announcement_sent_on,
        )
        for visit in session.scalars(
            select(Visit)
            .where(Visit.status == VisitStatus.CONFIRMED.value, Visit.confirmed_date.is_not(None))
            .order_by(Visit.id)
            .limit(confirmations_wire.MAX_CONFIRMATIONS)
        )
        if visit.confirmed_date is not None
        and (visit.id, visit.confirmed_date.isoformat()) not in sent
    ]


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
            raise UserError("the specialist key passphrase is needed to sign the bundle")
        signer = identity.unlock(passphrase)
    check_can_sign(signer.certificate)
    revocation_list.check_not_revoked(identity.directory, identity.office_ca, signer.certificate)
    sources: list[PayloadSource] = []
    sizes: dict[str, int] = {}
    whats: dict[str, str] = {}
    with db.session() as session:
        confirmations = _confirmations(session)
        try:
            visits = _select_visits(session, visit_refs)
        except UserError:
            # nothing signed yet: dates agreed since the last bundle go on their own
            confirmations = _confirmations(session, unsent_only=True)
            if visit_refs or not confirmations:
                raise
            visits = []
        exported = [
            ExportedVisit(v.uuid, v.revision, v.factory.name_en or v.factory.ietp_id)
            for v in visits
        ]
        seen: set[str] = set()
        if confirmations:  # dates agreed with factories travel with the next results
            data = confirmations_wire.encode(confirmations)
            sources.append(PayloadSource.from_bytes(confirmations_wire.CONFIRMATIONS_ENTRY, data))
            sizes[confirmations_wire.CONFIRMATIONS_ENTRY] = len(data)
        for visit in visits:
            visit_sources, visit_sizes = _visit_sources(db, session, visit, whats)
            for source in visit_sources:
                if source.name not in seen:  # one photo may serve several visits
                    seen.add(source.name)
                    sources.append(source)
                    sizes[source.name] = visit_sizes[source.name]
    total = max(1, sum(sizes.values()))
    try:
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
    except SourceChanged as exc:
        raise UserError(
            "{what} has changed on disk since it was recorded; export stopped",
            what=whats.get(exc.name, exc.name),
        ) from exc
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
            for confirmation in confirmations:
                confirmed = resolve_visit(session, confirmation.uuid)
                record_event(
                    session,
                    confirmed.id,
                    "Visit",
                    CONFIRMATION_SENT,
                    confirmation.confirmed_date.isoformat(),
                )
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
        if not exports and not receipt.visits:  # a bundle of confirmed dates only
            return ReceiptResult(
                receipt.bundle_id, receipt.office, receipt.status, receipt.message, [], []
            )
        if not exports:
            raise NotFound(
                "receipt {file} is for bundle {id}, which this laptop did not export",
                file=name,
                id=receipt.bundle_id[:8],
            )
        if any(e.sha256 != receipt.manifest_sha256 for e in exports):
            raise UserError(
                "receipt {file} does not match the bundle this laptop exported", file=name
            )
        by_visit = {(e.visit_id, e.revision): e for e in exports}
        now = utcnow()
        for item in receipt.visits:
            visit = session.scalars(select(Visit).where(Visit.uuid == item.uuid)).first()
            export = by_visit.get((visit.id, item.revision)) if visit else None
            if visit is None or export is None:
                raise UserError(
                    "receipt {file} names visit {id} revision {revision}, which was not "
                    "in that bundle",
                    file=name,
                    id=item.uuid[:8],
                    revision=item.revision,
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
    body: dict[str, Any] = json.loads(receipt.raw_body)
    return body


ASSIGNMENTS_SCHEMA_MAJOR = "ietp-assignments/1"
ASSIGNMENTS_ENTRY = "assignments.json"


@dataclass(frozen=True)
class AssignmentsResult:
    bundle_id: str
    office: str
    already_imported: bool
    factories_added: list[str] = field(default_factory=list)
    factories_updated: list[str] = field(default_factory=list)
    visits_added: list[str] = field(default_factory=list)
    visits_updated: list[str] = field(default_factory=list)
    visits_kept_form: list[str] = field(default_factory=list)  # started: form unchanged
    definitions: list[str] = field(default_factory=list)
    reviews_returned: list[str] = field(default_factory=list)  # uuids returned with comments
    reviews_unknown: list[str] = field(default_factory=list)  # returned visits not on this laptop
    visits_withdrawn: list[str] = field(default_factory=list)  # moved away or cancelled
    visits_redated: list[str] = field(default_factory=list)  # a new date: to agree again


def _parse_assignments(bundle: VerifiedBundle) -> dict[str, Any]:
    """assignments.json checked against the wire model (sync/wire/assignments)."""
    if bundle.names() != [ASSIGNMENTS_ENTRY]:
        raise BundleRefused(bundle.path, tr("an assignments bundle holds assignments.json only"))
    raw = bundle.read_entry(ASSIGNMENTS_ENTRY)
    try:
        schema = json.loads(raw.decode("utf-8")).get("schema")
    except (UnicodeDecodeError, ValueError, AttributeError, RecursionError) as exc:
        raise BundleRefused(bundle.path, tr("assignments.json is not valid JSON")) from exc
    if not isinstance(schema, str) or schema.split(".")[0] != ASSIGNMENTS_SCHEMA_MAJOR:
        raise BundleRefused(
            bundle.path, tr("it uses assignments schema {schema}", schema=str(schema)[:40])
        )
    try:
        document = parse_json(AssignmentsDocument, raw, ASSIGNMENTS_ENTRY)
    except WireViolation as exc:
        raise BundleRefused(bundle.path, str(exc)) from exc
    return document.model_dump(mode="json", by_alias=True)


def _apply_assignments(
    session: Session, bundle: VerifiedBundle, document: dict[str, Any], result: AssignmentsResult
) -> None:
    where = bundle.path.name
    for form in document["forms"]:
        ref = install_form_text(session, str(form["content"]), str(form.get("source") or where))
        result.definitions.append(f"{ref.ident} {ref.version}")
    for rules in document["rule_sets"]:
        ref = install_rule_set_text(
            session, str(rules["content"]), str(rules.get("source") or where)
        )
        result.definitions.append(f"{ref.ident} {ref.version}")
    session.flush()
    for record in document["factories"]:
        columns = vp.json_to_columns(
            Factory, record, f"{where}: factory", {"id", "created_at", "updated_at"}
        )
        factory = session.scalars(
            select(Factory).where(Factory.ietp_id == columns.get("ietp_id"))
        ).first()
        if factory is None:
            session.add(Factory(**columns))
            result.factories_added.append(str(columns.get("ietp_id")))
        else:
            for key, value in columns.items():
                setattr(factory, key, value)
            result.factories_updated.append(factory.ietp_id)
    session.flush()
    for record in document["visits"]:
        factory = session.scalars(
            select(Factory).where(Factory.ietp_id == record["factory_ietp_id"])
        ).first()
        if factory is None:
            raise BundleRefused(
                bundle.path,
                tr(
                    "a visit names factory {id}, which is not in the bundle",
                    id=record["factory_ietp_id"],
                ),
            )
        if session.get(FormDefinition, record["form_sha256"]) is None:
            raise BundleRefused(bundle.path, tr("a visit names a form the bundle does not carry"))
        planned = date.fromisoformat(record["planned_date"]) if record.get("planned_date") else None
        man_days = Decimal(record["man_days"]) if record.get("man_days") else None
        visit = session.scalars(select(Visit).where(Visit.uuid == record["uuid"])).first()
        if visit is None:
            session.add(
                Visit(
                    uuid=str(record["uuid"]),
                    factory_id=factory.id,
                    form_sha256=record["form_sha256"],
                    rule_set_sha256=record.get("rule_set_sha256"),
                    status=VisitStatus.PLANNED.value,
                    planned_date=planned,
                    man_days=man_days,
                    specialist_name=str(record.get("specialist_name", "")),
                    specialist_email=str(record.get("specialist_email", "")),
                )
            )
            result.visits_added.append(str(record["uuid"]))
        elif visit.status in (VisitStatus.PLANNED.value, VisitStatus.CONFIRMED.value):
            if visit.planned_date != planned and planned is not None:
                result.visits_redated.append(visit.uuid)
                if visit.confirmed_date is not None and visit.confirmed_date != planned:
                    # the office moved the date: the factory must agree the new one
                    visit.status = VisitStatus.PLANNED.value
                    visit.confirmed_date = None
            visit.planned_date = planned
            visit.man_days = man_days
            visit.form_sha256 = record["form_sha256"]
            visit.rule_set_sha256 = record.get("rule_set_sha256")
            result.visits_updated.append(visit.uuid)
        else:  # a visit already started keeps the form version it started with
            result.visits_kept_form.append(visit.uuid)
    session.flush()
    stored, unknown = apply_review_returns(
        session, document.get("reviews", []), str(document.get("office", ""))
    )
    result.reviews_returned.extend(stored)
    result.reviews_unknown.extend(unknown)
    withdrawn, _ = apply_withdrawals(
        session, document.get("withdrawals", []), str(document.get("office", ""))
    )
    result.visits_withdrawn.extend(withdrawn)


def _refuse_stale(session: Session, bundle: VerifiedBundle, sequence: int) -> None:
    """An assignments bundle older than one already applied would put back the factory data
    and plans the newer one replaced: refused. The office numbers them as it writes them."""
    newest = 0
    for summary in session.scalars(
        select(ReceivedBundle.summary_json).where(ReceivedBundle.kind == "assignments")
    ):
        try:
            newest = max(newest, int(json.loads(summary or "{}").get("sequence") or 0))
        except (ValueError, TypeError, AttributeError):
            continue
    if sequence <= newest:
        raise BundleRefused(
            bundle.path,
            tr(
                "it is older than assignments this laptop already applied (number {sequence}, "
                "newest applied {newest}); ask the office for its latest assignments",
                sequence=sequence,
                newest=newest,
            ),
        )


def import_assignments(
    db: Database,
    file: Path,
    *,
    passphrase: bytes | str | None = None,
    private_key: Any = None,
    identity_dir: Path | None = None,
) -> AssignmentsResult:
    """Factories, planned visits, forms and rule sets from the office, in one transaction."""
    identity = require_identity(identity_dir or identity_dir_of(db))
    if private_key is None:
        if passphrase is None:
            raise UserError("the specialist key passphrase is needed to open the bundle")
        private_key = identity.unlock(passphrase).private_key
    bundle = open_bundle(
        Path(file), identity.office_ca, "assignments", private_key, identity.certificate
    )
    with db.session() as session:
        if session.get(ReceivedBundle, bundle.bundle_id) is not None:
            return AssignmentsResult(bundle.bundle_id, bundle.signer.organisation, True)
    document = _parse_assignments(bundle)
    if document.get("revocations"):  # kept even if the rest is refused: the office signed it
        revocation_list.keep_newer(
            identity.directory, document["revocations"], identity.office_ca, bundle.path.name
        )
    result = AssignmentsResult(bundle.bundle_id, str(document.get("office", "")), False)
    try:
        with db.session() as session:
            _refuse_stale(session, bundle, int(document["sequence"]))
            _apply_assignments(session, bundle, document, result)
            session.add(
                ReceivedBundle(
                    bundle_id=bundle.bundle_id,
                    kind=bundle.kind,
                    sha256=manifest_sha256(bundle.path),
                    signer=bundle.signer.name,
                    file_name=bundle.path.name,
                    summary_json=json.dumps(
                        result.__dict__ | {"sequence": document["sequence"]}, default=str
                    ),
                )
            )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise BundleRefused(
            bundle.path, tr("assignments.json is malformed ({error})", error=exc)
        ) from exc
    return result
