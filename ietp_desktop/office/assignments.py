"""Assignments (office -> laptop): factories, planned visits, forms and rule sets."""

from __future__ import annotations

import time
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from ietp_desktop.domain.checklist import form_sha256, parse_form
from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.rules import parse_rule_set, rule_set_sha256
from ietp_desktop.office import catalogue
from ietp_desktop.office.folder import (
    open_office_db,
)
from ietp_desktop.office.planning.withdrawals import pending_withdrawals
from ietp_desktop.office.review.returns import open_returns
from ietp_desktop.office.revocation import signed_list
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.office_ca import (
    load_office,
)
from ietp_desktop.storage.models import (
    Factory,
    FormDefinition,
    RuleSetDefinition,
    VisitOwner,
)
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.bundle import (
    PayloadSource,
    write_bundle,
)

ASSIGNMENTS_SCHEMA = "ietp-assignments/1"
ASSIGNMENTS_ENTRY = "assignments.json"


@dataclass(frozen=True)
class AssignedVisit:
    factory_ietp_id: str
    planned_date: date | None
    man_days: Decimal | None = None
    uuid: str | None = None  # a visit planned on the board keeps its uuid when sent again


@dataclass(frozen=True)
class AssignResult:
    path: Path
    bundle_id: str
    specialist: str
    factories: list[str]
    visits: list[str]  # uuids
    forms: list[str]
    rule_sets: list[str]


def find_specialist_certificate(office_dir: Path, who: str) -> x509.Certificate:
    """A PEM file, or the newest certificate this office issued to the e-mail address `who`."""
    path = Path(who)
    if path.is_file():
        try:
            return x509.load_pem_x509_certificate(path.read_bytes())
        except ValueError as exc:
            raise UserError("{file} is not a certificate", file=path) from exc
    matches = []
    for pem in sorted(OfficeFolder(Path(office_dir)).issued.glob("*.pem")):
        cert = x509.load_pem_x509_certificate(pem.read_bytes())
        if certs.email_of(cert).lower() == who.strip().lower():
            matches.append(cert)
    if not matches:
        raise NotFound("this office has enrolled no specialist with e-mail {email}", email=who)
    return max(matches, key=lambda c: c.not_valid_after_utc)


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _definition(text: str, kind: str, source: str) -> dict[str, Any]:
    if kind == "form":
        form = parse_form(text, source)
        return {
            "sha256": form_sha256(text),
            "form_id": form.form_id,
            "version": form.version,
            "source": source,
            "content": text,
        }
    rules = parse_rule_set(text, source)
    return {
        "sha256": rule_set_sha256(text),
        "rule_set_id": rules.rule_set_id,
        "version": rules.version,
        "source": source,
        "content": text,
    }


def assign(
    office_dir: Path,
    specialist: str,
    factories: Sequence[str],
    visits: Sequence[AssignedVisit],
    forms: Sequence[Path],
    rules: Sequence[Path],
    out: Path,
    *,
    office_passphrase: bytes | str | None = None,
    db_url: str | None = None,
    withdrawals: Sequence[dict[str, Any]] = (),
) -> AssignResult:
    """An assignments bundle signed by the office and encrypted to the specialist.

    It carries the visits withdrawn from the specialist (`withdrawals`: those not stored yet,
    beside the stored ones of office/planning/withdrawals)."""
    office = load_office(Path(office_dir), office_passphrase)
    recipient = find_specialist_certificate(office_dir, specialist)
    name = certs.common_name(recipient)
    form_docs = [_definition(_read_text(p), "form", p.name) for p in forms]
    rule_docs = [_definition(_read_text(p), "rules", p.name) for p in rules]
    database = open_office_db(office_dir, db_url)
    try:
        with database.session() as session:
            wanted = list(dict.fromkeys([*factories, *(v.factory_ietp_id for v in visits)]))
            factory_docs = []
            for ietp_id in wanted:
                factory = session.scalars(select(Factory).where(Factory.ietp_id == ietp_id)).first()
                if factory is None:
                    raise NotFound("the office database has no factory {id}", id=ietp_id)
                factory_docs.append(vp.row_to_json(factory, {"id", "created_at", "updated_at"}))
            for path, doc in zip(forms, form_docs, strict=True):
                catalogue.install(
                    session, doc["content"], catalogue.FORM, path.name, "office assign"
                )
            for path, doc in zip(rules, rule_docs, strict=True):
                catalogue.install(
                    session, doc["content"], catalogue.RULES, path.name, "office assign"
                )
            form_sha = form_docs[-1]["sha256"] if form_docs else catalogue.latest_form_sha(session)
            rules_sha = (
                rule_docs[-1]["sha256"] if rule_docs else catalogue.latest_rule_set_sha(session)
            )
            for sha, model, docs, kind in (
                (form_sha, FormDefinition, form_docs, "form"),
                (rules_sha, RuleSetDefinition, rule_docs, "rules"),
            ):
                if sha and not any(d["sha256"] == sha for d in docs):
                    row: Any = session.get(model, sha)
                    if row is not None:
                        docs.append(_definition(row.content, kind, row.source))
            visit_docs = [
                {
                    "uuid": v.uuid or str(uuid_module.uuid4()),
                    "factory_ietp_id": v.factory_ietp_id,
                    "planned_date": v.planned_date.isoformat() if v.planned_date else None,
                    "man_days": str(v.man_days) if v.man_days is not None else None,
                    "specialist_name": name,
                    "specialist_email": certs.email_of(recipient),
                    "form_sha256": form_sha,
                    "rule_set_sha256": rules_sha,
                }
                for v in visits
            ]
            reviews = open_returns(session, certs.email_of(recipient))
            withdrawn = list(withdrawals)
            known = {w["visit_uuid"] for w in withdrawn}
            for stored in pending_withdrawals(session, certs.email_of(recipient)):
                if stored["visit_uuid"] not in known:
                    withdrawn.append(stored)
            for doc in visit_docs:  # only this specialist may send results for these visits
                if session.get(VisitOwner, doc["uuid"]) is not None:
                    continue  # sent before (a changed date): the owner stays as recorded
                session.add(
                    VisitOwner(
                        visit_uuid=doc["uuid"],
                        specialist_email=doc["specialist_email"],
                        specialist_name=name,
                        cert_sha256=certs.fingerprint(recipient),
                        origin="assigned",
                    )
                )
    finally:
        database.dispose()
    document = {
        "schema": ASSIGNMENTS_SCHEMA,
        "office": office.name,
        # grows with every assignments bundle this office writes: a laptop refuses an older one
        "sequence": time.time_ns() // 1000,
        "issued_at": certs.utcnow().isoformat(timespec="seconds"),
        "revocations": signed_list(Path(office_dir)),
        "factories": factory_docs,
        "visits": visit_docs,
        "forms": form_docs,
        "rule_sets": rule_docs,
        "reviews": reviews,
        "withdrawals": withdrawn,
        "certificates": {
            "office_ca": _pem(office.ca_cert),
            "office_encryption": _pem(office.encryption_cert),
            "office_signing": _pem(office.signing.certificate),
        },
    }
    info = write_bundle(
        Path(out),
        "assignments",
        [PayloadSource.from_bytes(ASSIGNMENTS_ENTRY, vp.encode(document))],
        office.signing,
        [recipient],
        [],
        ASSIGNMENTS_SCHEMA,
    )
    return AssignResult(
        Path(out),
        info.bundle_id,
        name,
        [f["ietp_id"] for f in factory_docs],
        [str(v["uuid"]) for v in visit_docs],
        [f"{d['form_id']} {d['version']}" for d in form_docs],
        [f"{d['rule_set_id']} {d['version']}" for d in rule_docs],
    )


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError("cannot read {file}: {error}", file=path, error=exc) from exc
