"""Receiving results bundles: verify, decrypt and store each visit in one transaction.

The office database has the laptop's schema (same models, same migrations). Photos go to
`<office dir>/attachments/ab/<sha256>` (the laptop's layout), signed reports to
`<office dir>/reports/<uuid>-r<revision>.pdf`, receipts to `<office dir>/receipts/`.

Revisions: the visit's own rows (answers, findings, CAP…) always hold the highest revision
imported; every imported revision is also kept whole in `visit_revisions` (snapshot_json = the
visit JSON exactly as it arrived, report_sha256). So a higher revision is stored beside the
earlier one, and the earlier stays readable; a lower revision, or the same revision with other
content, is refused. Import order per bundle (DESIGN.md): limits → signature and trust → hashes
(all in open_bundle) → already-seen bundle id = no-op → decrypt → one transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.office import money_followup
from ietp_desktop.office.analytics import finding_counts
from ietp_desktop.office.evidence import StagedFiles, ca_pem
from ietp_desktop.office.folder import (
    open_office_db,
)
from ietp_desktop.office.ownership import check_sender, record_first_sender
from ietp_desktop.office.planning.confirmations import apply_confirmations, read_confirmations
from ietp_desktop.office.report_seal import ReportSealer, console_revocations, record_seals
from ietp_desktop.office.revocation import read_revocations, revoked_at
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security.office_ca import (
    Office,
    load_office,
)
from ietp_desktop.services.sync.bundles import manifest_sha256
from ietp_desktop.services.sync.receipt_file import RECEIPT_SUFFIX, ReceiptVisit, write_receipt
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    Answer,
    Attachment,
    AttachmentLink,
    Attendee,
    AuditEvent,
    CorrectiveAction,
    Factory,
    Finding,
    FindingItem,
    FormDefinition,
    PayRecord,
    QaEntry,
    ReceivedBundle,
    RemediationRecord,
    RuleSetDefinition,
    Signature,
    TimeRecord,
    Visit,
    VisitRevision,
    Worker,
)
from ietp_desktop.storage.types import utcnow
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.bundle import (
    BundleRefused,
    VerifiedBundle,
    open_bundle,
)
from ietp_desktop.sync.wire.confirmations import CONFIRMATIONS_ENTRY

Progress = Callable[[float], None]


@dataclass(frozen=True)
class VisitOutcome:
    uuid: str
    revision: int
    result: str  # imported | unchanged | stored-beside | refused
    message: str = ""


@dataclass(frozen=True)
class ImportOutcome:
    file: Path
    status: str  # imported | already-imported | refused
    message: str
    bundle_id: str = ""
    signer: str = ""
    visits: list[VisitOutcome] = field(default_factory=list)
    receipt: Path | None = None


# --- import ------------------------------------------------------------------------------


def _refuse(path: Path, reason: str) -> BundleRefused:
    return BundleRefused(path, reason)


def _check_entries(bundle: VerifiedBundle, documents: dict[str, dict[str, Any]]) -> None:
    """Every entry is a visit document, a photo or a report those documents name."""
    expected: set[str] = set()
    for name, document in documents.items():
        expected.add(name)
        expected.update(a.get("entry", "") for a in document["attachments"])
        report = document.get("report")
        if isinstance(report, dict):
            expected.add(str(report.get("entry", "")))
    present = set(bundle.names())
    expected.update(present & {CONFIRMATIONS_ENTRY})  # dates agreed, see office/planning
    for name in sorted(expected - present):
        raise _refuse(
            bundle.path, tr("entry '{name}' named by the visit data is missing", name=name)
        )
    for name in sorted(present - expected):
        raise _refuse(bundle.path, tr("entry '{name}' belongs to no visit", name=name))


def _read_documents(bundle: VerifiedBundle) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for ref in bundle.visits:
        name = vp.visit_entry_name(ref.uuid, ref.revision)
        if name not in bundle.names():
            raise _refuse(bundle.path, tr("it has no visit data for {id}", id=ref.uuid[:8]))
        try:
            document = vp.parse(bundle.read_entry(name, vp.MAX_VISIT_JSON_BYTES), name)
        except BundleRefused:
            raise
        except UserError as exc:
            raise _refuse(bundle.path, str(exc)) from exc
        visit = document["visit"]
        if visit.get("uuid") != ref.uuid or visit.get("revision") != ref.revision:
            raise _refuse(
                bundle.path,
                tr("{name} does not hold the visit the manifest names", name=name),
            )
        documents[name] = document
    return documents


def _new_id(session: Session, model: Any, values: dict[str, Any]) -> int:
    return int(session.execute(insert(model).values(**values).returning(model.id)).scalar_one())


def _bulk(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), rows)


def _store_definitions(session: Session, document: dict[str, Any]) -> None:
    """The form and rule set the visit was done with, kept as its evidence (the wire model
    checked each text against its sha256). They are never added to the office catalogue
    (office/catalogue.py), so they never become what the office ships."""
    form = document["form"]
    if session.get(FormDefinition, form["sha256"]) is None:
        session.execute(
            insert(FormDefinition).values(
                sha256=form["sha256"],
                form_id=form["form_id"],
                version=form["version"],
                content=form["content"],
                source=form["source"],
                installed_at=utcnow(),
            )
        )
    rules = document.get("rule_set")
    if rules is not None and session.get(RuleSetDefinition, rules["sha256"]) is None:
        session.execute(
            insert(RuleSetDefinition).values(
                sha256=rules["sha256"],
                rule_set_id=rules["rule_set_id"],
                version=rules["version"],
                content=rules["content"],
                source=rules["source"],
                installed_at=utcnow(),
            )
        )


def _factory_id(session: Session, document: dict[str, Any], source: str) -> int:
    columns = vp.factory_columns(document, source)
    ietp_id = columns.get("ietp_id")
    if not ietp_id:
        raise UserError("{source}: the factory has no IETP id", source=source)
    existing = session.scalars(select(Factory.id).where(Factory.ietp_id == ietp_id)).first()
    if existing is not None:
        return int(existing)  # the office's own factory record wins
    now = utcnow()
    return _new_id(session, Factory, columns | {"created_at": now, "updated_at": now})


_CHILD_TABLES = (
    AttachmentLink,
    RemediationRecord,
    CorrectiveAction,
    FindingItem,
    Finding,
    Attachment,
    Attendee,
    Answer,
    QaEntry,
    Signature,
)


def _clear_children(session: Session, visit_id: int) -> None:
    worker_ids = select(Worker.id).where(Worker.visit_id == visit_id)
    session.execute(delete(TimeRecord).where(TimeRecord.worker_id.in_(worker_ids)))
    session.execute(delete(PayRecord).where(PayRecord.worker_id.in_(worker_ids)))
    session.execute(delete(Worker).where(Worker.visit_id == visit_id))
    for model in _CHILD_TABLES:
        session.execute(delete(model).where(model.visit_id == visit_id))
    session.execute(
        delete(AuditEvent).where(AuditEvent.visit_id == visit_id, AuditEvent.entity != "Bundle")
    )


def _insert_children(
    session: Session,
    visit_id: int,
    doc: dict[str, Any],
    src: str,
    photo_hashes: dict[str, str],
) -> None:
    j = vp.json_to_columns
    vid = {"visit_id": visit_id}
    _bulk(session, Attendee, [j(Attendee, r, f"{src}: attendee") | vid for r in doc["attendees"]])
    _bulk(session, Answer, [j(Answer, r, f"{src}: answer") | vid for r in doc["answers"]])
    _bulk(session, QaEntry, [j(QaEntry, r, f"{src}: Q&A") | vid for r in doc["qa"]])
    _bulk(
        session, Signature, [j(Signature, r, f"{src}: signature") | vid for r in doc["signatures"]]
    )
    _bulk(session, AuditEvent, [j(AuditEvent, r, f"{src}: audit") | vid for r in doc["audit"]])
    attachment_ids: dict[Any, int] = {}
    for record in doc["attachments"]:
        stored_as = {"sha256": photo_hashes[record["sha256"]]}  # the office's re-encoding
        attachment_ids[record.get("ref")] = _new_id(
            session, Attachment, j(Attachment, record, f"{src}: attachment") | vid | stored_as
        )
    finding_ids: dict[Any, int] = {}
    for record in doc["findings"]:
        where = f"{src}: finding {record.get('code', '')}"
        finding_id = _new_id(session, Finding, j(Finding, record, where) | vid)
        finding_ids[record.get("ref")] = finding_id
        _bulk(
            session,
            FindingItem,
            [{"finding_id": finding_id, "item_id": str(i)} | vid for i in record.get("items", [])],
        )
        action = record.get("corrective_action")
        if isinstance(action, dict):
            action_id = _new_id(
                session,
                CorrectiveAction,
                j(CorrectiveAction, action, f"{where} CAP") | vid | {"finding_id": finding_id},
            )
            _bulk(
                session,
                RemediationRecord,
                [
                    j(RemediationRecord, r, f"{where} remediation")
                    | vid
                    | {
                        "corrective_action_id": action_id,
                        "attachment_id": attachment_ids.get(r.get("attachment_ref")),
                    }
                    for r in action.get("records", [])
                ],
            )
    links = []
    for record in doc["attachments"]:
        for link in record.get("links", []):
            finding_ref = link.get("finding_ref")
            links.append(
                {
                    "attachment_id": attachment_ids[record.get("ref")],
                    "visit_id": visit_id,
                    "item_id": link.get("item_id"),
                    "finding_id": finding_ids.get(finding_ref) if finding_ref else None,
                }
            )
    _bulk(session, AttachmentLink, links)
    for record in doc["workers"]:
        worker_id = _new_id(session, Worker, j(Worker, record, f"{src}: worker") | vid)
        wid = {"worker_id": worker_id}
        _bulk(
            session,
            TimeRecord,
            [j(TimeRecord, r, f"{src}: time record") | wid for r in record.get("time_records", [])],
        )
        _bulk(
            session,
            PayRecord,
            [j(PayRecord, r, f"{src}: pay record") | wid for r in record.get("pay_records", [])],
        )


def _import_visit(
    session: Session,
    bundle: VerifiedBundle,
    name: str,
    doc: dict[str, Any],
    raw: bytes,
    photo_hashes: dict[str, str],
) -> VisitOutcome:
    columns = vp.visit_columns(doc, name)
    visit_uuid, revision = str(columns["uuid"]), int(columns["revision"])
    existing = session.scalars(select(Visit).where(Visit.uuid == visit_uuid)).first()
    now = utcnow()
    if existing is not None:
        stored = {
            r.revision: r
            for r in session.scalars(
                select(VisitRevision).where(VisitRevision.visit_id == existing.id)
            )
        }
        highest = max(stored) if stored else existing.revision
        if revision < highest:
            raise _refuse(
                bundle.path,
                tr(
                    "visit {id} revision {revision} is older than revision {highest} the office "
                    "already holds",
                    id=visit_uuid[:8],
                    revision=revision,
                    highest=highest,
                ),
            )
        if revision in stored:
            earlier = vp.content_sha256(vp.parse(stored[revision].snapshot_json.encode(), name))
            if earlier == vp.content_sha256(doc):
                return VisitOutcome(visit_uuid, revision, "unchanged")
            raise _refuse(
                bundle.path,
                tr(
                    "visit {id} revision {revision} conflicts with the revision the office "
                    "already holds (same number, different content)",
                    id=visit_uuid[:8],
                    revision=revision,
                ),
            )
    _store_definitions(session, doc)
    record_first_sender(session, bundle, visit_uuid)
    factory_id = _factory_id(session, doc, name)
    values = columns | {
        "factory_id": factory_id,
        "status": "received",
        "received_at": now,
        "updated_at": now,
    }
    if existing is None:
        visit_id = _new_id(session, Visit, values)
        result = "imported"
    else:
        visit_id = existing.id
        _clear_children(session, visit_id)
        session.execute(
            Visit.__table__.update().where(Visit.id == visit_id).values(**values)  # type: ignore[attr-defined]
        )
        result = "stored-beside"
    _insert_children(session, visit_id, doc, name, photo_hashes)
    finding_counts.count_visits(session, [visit_id])  # the analytics read these counts
    session.execute(
        insert(VisitRevision).values(
            visit_id=visit_id,
            revision=revision,
            reason=str(doc["visit"].get("revision_reason", "")),
            snapshot_json=raw.decode("utf-8"),
            report_sha256=doc["visit"].get("report_sha256"),
            created_at=now,
        )
    )
    record_event(session, visit_id, "Bundle", "imported", f"{bundle.bundle_id} r{revision}")
    return VisitOutcome(visit_uuid, revision, result)


def _import_one(
    office: Office, database: Database, path: Path, progress: Progress | None
) -> ImportOutcome:
    bundle = open_bundle(
        path,
        office.ca_cert,
        "visit-results",
        office.encryption_key,
        office.encryption_cert,
        progress=(lambda done: progress(0.5 * done / max(1, path.stat().st_size)))
        if progress
        else None,
    )
    digest = manifest_sha256(path)
    signer = f"{bundle.signer.name} <{bundle.signer.email}>"
    _refuse_revoked(office, bundle)
    with database.session() as session:
        seen = session.get(ReceivedBundle, bundle.bundle_id)
        if seen is not None:
            summary = json.loads(seen.summary_json or "{}")
            visits = [VisitOutcome(**v) for v in summary.get("visits", [])]
            return ImportOutcome(
                path,
                "already-imported",
                tr("bundle {id} was already imported; nothing changed", id=bundle.bundle_id[:8]),
                bundle.bundle_id,
                signer,
                visits,
            )
    try:
        return _import_verified(bundle, database, office, digest, signer, progress)
    except UserError as exc:  # signed by a trusted specialist, yet refused: tell the laptop
        if _database_busy(exc):
            raise  # not the bundle's fault: tried again, never a signed refusal
        return ImportOutcome(
            path,
            "refused",
            str(exc),
            bundle.bundle_id,
            signer,
            [VisitOutcome(v.uuid, v.revision, "refused", str(exc)) for v in bundle.visits],
        )


def _refuse_revoked(office: Office, bundle: VerifiedBundle) -> None:
    """A bundle signed (by the time its signature claims) at or after its signer's certificate
    was revoked is refused; earlier ones, sent before the laptop was lost, still go in."""
    revocations = read_revocations(office.info.directory, office.ca_cert)
    when = revoked_at(revocations, bundle.signer.fingerprint)
    signed = bundle.signer.signing_time
    if when is not None and (signed is None or signed >= when):
        raise BundleRefused(
            bundle.path,
            tr(
                "its signer {signer} had their certificate revoked on {date}",
                signer=f"{bundle.signer.name} <{bundle.signer.email}>",
                date=when.isoformat(timespec="minutes"),
            ),
        )


def _import_verified(
    bundle: VerifiedBundle,
    database: Database,
    office: Office,
    digest: str,
    signer: str,
    progress: Progress | None,
) -> ImportOutcome:
    """Check who sent what before a file is written; stage and check the files; then write the
    rows and place the files in one step, undone together if the transaction fails."""
    path = bundle.path
    documents = _read_documents(bundle)
    _check_entries(bundle, documents)
    try:
        confirmations = read_confirmations(bundle)
    except UserError as exc:
        raise _refuse(path, str(exc)) from exc
    with database.session() as session:
        for document in documents.values():
            visit = document["visit"]
            if document.get("report") is None:
                raise _refuse(
                    path,
                    tr(
                        "visit {id} revision {revision} has no signed report",
                        id=visit["uuid"][:8],
                        revision=visit["revision"],
                    ),
                )
            check_sender(session, bundle, visit["uuid"], visit["revision"])
    staged = StagedFiles(
        bundle,
        OfficeFolder(office.info.directory),
        bundle.signer.fingerprint,
        ca_pem(office.ca_cert),
        ReportSealer(office, console_revoked=console_revocations(database)),
    )
    outcomes: list[VisitOutcome] = []
    with staged:
        staged.fetch(documents)
        staged.verify(documents)
        try:
            with database.session() as session:
                for name, document in documents.items():
                    raw = bundle.read_entry(name, vp.MAX_VISIT_JSON_BYTES)
                    try:
                        outcomes.append(
                            _import_visit(session, bundle, name, document, raw, staged.photo_hashes)
                        )
                    except BundleRefused:
                        raise
                    except UserError as exc:
                        raise _refuse(path, str(exc)) from exc
                record_seals(session, staged.seals, outcomes)
                if confirmations is not None:
                    apply_confirmations(session, bundle, confirmations)
                session.add(
                    ReceivedBundle(
                        bundle_id=bundle.bundle_id,
                        kind=bundle.kind,
                        sha256=digest,
                        signer=signer[:200],
                        file_name=path.name[:260],
                        summary_json=json.dumps({"visits": [o.__dict__ for o in outcomes]}),
                    )
                )
                session.flush()
                money_followup.visits_received(
                    session, [o.uuid for o in outcomes if o.result != "unchanged"]
                )
                staged.place()
        except BaseException:
            staged.remove_placed()
            raise
    if progress:
        progress(1.0)
    return ImportOutcome(path, "imported", tr("imported"), bundle.bundle_id, signer, outcomes)


CONCURRENT_ATTEMPTS = 5


def _database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": another writer held the file longer than the busy
    timeout, or committed after this transaction first read (WAL snapshot)."""
    cause = exc if isinstance(exc, OperationalError) else exc.__cause__
    return isinstance(cause, OperationalError) and "locked" in str(cause.orig or cause)


def _import_retrying(
    office: Office, database: Database, path: Path, progress: Progress | None
) -> ImportOutcome:
    """`_import_one`, again when another import ran at the same time: another server process
    committed a row this import also inserts (a form definition, a factory, this very bundle),
    or held SQLite's write lock. The transaction was rolled back whole; the next attempt finds
    that row and uses it."""
    for attempt in range(1, CONCURRENT_ATTEMPTS + 1):
        try:
            return _import_one(office, database, path, progress)
        except (IntegrityError, UserError, OperationalError) as exc:
            if isinstance(exc, UserError) and not _database_busy(exc):
                raise
            if attempt == CONCURRENT_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _database_refusal(path: Path, exc: SQLAlchemyError) -> str:
    """One line naming the database's reason, never the values (they may be personal data)."""
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
    return str(
        BundleRefused(path, tr("the office database refused its data ({reason})", reason=reason))
    )


def _receipt_path(office_dir: Path, bundle: Path, bundle_id: str) -> Path:
    return OfficeFolder(office_dir).receipts / f"{bundle.stem}-{bundle_id[:8]}{RECEIPT_SUFFIX}"


def import_bundles(
    office_dir: Path,
    files: Sequence[Path],
    db_url: str | None = None,
    *,
    office_passphrase: bytes | str | None = None,
    progress: Progress | None = None,
    office: Office | None = None,
    database: Database | None = None,
) -> list[ImportOutcome]:
    """Import each bundle in its own transaction; a refused bundle changes nothing.

    A signed receipt is written for every bundle whose signature was good: imported, already
    imported, or refused for its content (an older or conflicting revision); a bundle refused
    before that (damaged, untrusted, not for this office) gets none, as nobody vouches for it.
    """
    office_dir = Path(office_dir)
    # A server passes the office it loaded once and its own connection pool: loading the keys
    # (PKCS#12) and opening an engine cost more than a small bundle's whole import.
    office = office or load_office(office_dir, office_passphrase)
    own_database = database is None
    database = database or open_office_db(office_dir, db_url)
    results: list[ImportOutcome] = []
    try:
        for index, file in enumerate(files):
            path = Path(file)

            def step(fraction: float, index: int = index) -> None:
                if progress:
                    progress((index + fraction) / len(files))

            try:
                outcome = _import_retrying(office, database, path, step)
            except UserError as exc:
                results.append(ImportOutcome(path, "refused", str(exc)))
                continue
            except SQLAlchemyError as exc:  # a value the database type refuses: this bundle only
                results.append(ImportOutcome(path, "refused", _database_refusal(path, exc)))
                continue
            receipt = write_receipt(
                _receipt_path(office_dir, path, outcome.bundle_id),
                office.signing,
                bundle_id=outcome.bundle_id,
                manifest_sha256=manifest_sha256(path),
                office=office.name,
                status="refused" if outcome.status == "refused" else "imported",
                message=outcome.message,
                visits=[ReceiptVisit(v.uuid, v.revision, v.result) for v in outcome.visits],
            )
            results.append(
                ImportOutcome(
                    outcome.file,
                    outcome.status,
                    outcome.message,
                    outcome.bundle_id,
                    outcome.signer,
                    outcome.visits,
                    receipt,
                )
            )
    finally:
        if own_database:
            database.dispose()
    return results
