"""Signed visit reports, their verification, the preparation letter and the CAP form.

Signing a completed visit builds the PDF, signs it (PAdES) with the enrolled specialist's key,
writes it where the user asked and keeps a copy in `<data dir>/reports/<uuid>-r<revision>.pdf`;
the visit becomes `signed` and its content is locked. A later change needs
`visits.open_new_revision` with a reason, and the next report says which revision it is and why.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.lifecycle import VisitStatus, check_transition
from ietp_desktop.reports import cap_form, preparation_letter, signing, visit_report
from ietp_desktop.reports.layout import LANGUAGES, Language, text_in
from ietp_desktop.reports.model import ReportData
from ietp_desktop.reports.signing import SignatureVerdict
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.services.identity import keys as identity_service
from ietp_desktop.services.reporting.report_data import (
    cap_form_data,
    preparation_letter_data,
    report_data,
)
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.types import utcnow

SIGNABLE = (VisitStatus.COMPLETED, VisitStatus.REFUSED)

Progress = Callable[[float], None]


@dataclass(frozen=True)
class BuiltReport:
    path: Path  # where the user asked for it
    stored_path: Path  # the copy kept in the data folder
    sha256: str  # of the signed PDF (also on the visit)
    revision: int
    signer_name: str
    signed_at: datetime | None
    already_signed: bool = False  # the visit was signed before: this is a copy of that report


@dataclass(frozen=True)
class UnlockedSigner:
    """The specialist's key unlocked once, for one or more signatures in this process."""

    name: str
    email: str
    key: SigningIdentity


def unlock_signer(db: Database, passphrase: str) -> UnlockedSigner:
    """Check the passphrase against the enrolled identity; the key stays in memory only."""
    identity = identity_service.require_identity(db)
    unlocked = identity_service.unlock(identity, passphrase)
    return UnlockedSigner(identity.name, identity.email, unlocked)


def reports_dir(db: Database) -> Path:
    if db.data_dir is None:
        raise UserError("this database has no data folder to keep signed reports in")
    return db.folder.reports


def stored_report_path(db: Database, uuid: str, revision: int) -> Path:
    return reports_dir(db) / f"{uuid}-r{revision}.pdf"


def _check_language(language: str) -> Language:
    if language not in LANGUAGES:
        raise UserError(
            "unknown report language {language!r}; choose en, zh or both", language=language
        )
    return language


def _copy_signed(db: Database, ref: str | int, out: Path) -> BuiltReport:
    detail = load_detail(db, ref)
    s = detail.summary
    stored = stored_report_path(db, s.uuid, s.revision)
    label = f"visit {s.short_id} is {s.status_label.lower()} (revision {s.revision})"
    try:
        data = stored.read_bytes()
    except FileNotFoundError:
        raise UserError(
            "{label} but its signed report is missing from {stored}; open a "
            "new revision with a reason to sign it again",
            label=label,
            stored=stored,
        ) from None
    with db.session() as session:
        expected = resolve_visit(session, ref).report_sha256
    digest = hashlib.sha256(data).hexdigest()
    if expected and digest != expected:
        raise UserError(
            "{label} but {stored} was changed since it was signed", label=label, stored=stored
        )
    if Path(out).resolve() != stored.resolve():
        atomic_write_bytes(out, data)
    return BuiltReport(
        Path(out), stored, digest, s.revision, s.specialist_name, detail.signed_at, True
    )


def needs_signing(db: Database, visit: str | int) -> bool:
    """Whether building the report signs it (and so needs the passphrase); a visit signed
    before gets a copy of its signed report."""
    with db.session() as session:
        return not VisitStatus(resolve_visit(session, visit).status).content_locked


def build_report(
    db: Database,
    visit: str | int,
    out: Path | str,
    language: str = "both",
    passphrase: str | UnlockedSigner = "",
    progress: Progress | None = None,
) -> BuiltReport:
    """Build, sign and store the report of a completed visit, then mark the visit signed.

    A visit signed before gets a copy of its signed report (nothing is signed again)."""
    lang = _check_language(language)
    report = progress or (lambda _f: None)
    out = Path(out)
    with db.session() as session:
        row = resolve_visit(session, visit)
        uuid, status, revision = row.uuid, VisitStatus(row.status), row.revision
    if status.content_locked:
        return _copy_signed(db, uuid, out)
    if status not in SIGNABLE:
        raise UserError(
            "visit {visit} is {status}; complete it before building the signed report",
            visit=short_id(uuid),
            status=status.label.lower(),
        )
    report(0.0)
    signer = passphrase if isinstance(passphrase, UnlockedSigner) else unlock_signer(db, passphrase)
    report(0.05)
    data = report_data(db, uuid, lang, specialist_name=signer.name, specialist_email=signer.email)
    stored = stored_report_path(db, uuid, revision)
    stored.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=stored.parent) as folder:
        unsigned = Path(folder) / "unsigned.pdf"
        visit_report.build_visit_report(
            data, unsigned, lang, progress=lambda f: report(0.05 + 0.8 * f)
        )
        reason, lines = _stamp_reason_and_lines(lang, data, uuid, revision)
        signing.sign_pdf_with_identity(
            unsigned,
            stored,
            signer.key,
            signer_name=signer.name,
            reason=reason,
            location=data.factory.city or data.factory.address,
            visible_box_text="\n".join(lines),
            language=lang,
        )
    report(0.95)
    signed_bytes = stored.read_bytes()
    digest = hashlib.sha256(signed_bytes).hexdigest()
    if out.resolve() != stored.resolve():
        atomic_write_bytes(out, signed_bytes)
    signed_at = utcnow()
    with db.session() as session:
        row = resolve_visit(session, uuid)
        if row.revision != revision:
            raise UserError(
                "visit {visit} changed while its report was being built", visit=short_id(uuid)
            )
        check_transition(VisitStatus(row.status), VisitStatus.SIGNED, short_id(uuid))
        row.status = VisitStatus.SIGNED.value
        row.signed_at = signed_at
        row.report_sha256 = digest
        record_event(
            session, row.id, "Visit", "signed", f"revision {revision}, report sha256 {digest}"
        )
    report(1.0)
    return BuiltReport(out, stored, digest, revision, signer.name, signed_at)


def _stamp_reason_and_lines(
    language: Language, data: ReportData, uuid: str, revision: int
) -> tuple[str, list[str]]:
    """The signature's reason and the stamp's extra lines, in the report's language(s)."""
    reason = text_in(language, "Progress Visit report")
    lines = [
        data.factory.name_zh or data.factory.name_en,
        text_in(
            language,
            "Visit {visit} · Revision {revision}",
            {"visit": short_id(uuid), "revision": revision},
            zh_msgid="Revision {revision}",
        ),
    ]
    if data.visit.revision_reason:
        lines.append(
            text_in(language, "Revision reason: {reason}", {"reason": data.visit.revision_reason})
        )
    return reason, lines


def read_ca_file(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFound("office CA file {path} does not exist", path=path) from None
    except OSError as exc:
        raise UserError(
            "cannot read office CA file {path}: {reason}", path=path, reason=exc.strerror
        ) from exc


def verify_report(
    path: Path | str,
    ca_pem: bytes | None = None,
    *,
    at: datetime | None = None,
    revocations: Mapping[str, datetime] | None = None,
) -> SignatureVerdict:
    """Signer, signing time, intact, trusted (chains to `ca_pem`; nothing is trusted without),
    and the level checked (B-LTA: at the office's timestamp). `at` is the clock (default now)."""
    return signing.verify_pdf(Path(path), ca_pem, at=at, revocations=revocations)


def verify_report_here(
    db: Database, path: Path | str, ca_pem: bytes | None = None, *, at: datetime | None = None
) -> SignatureVerdict:
    """As verify_report, trusting the enrolled office's CA unless `ca_pem` is given, and the
    office's revocation list this laptop received."""
    if ca_pem is not None:
        return verify_report(path, ca_pem, at=at)
    return verify_report(
        path,
        identity_service.office_ca_pem(db),
        at=at,
        revocations=identity_service.known_revocations(db),
    )


def _specialist(db: Database) -> tuple[str, str]:
    identity = identity_service.current_identity(db)
    return (identity.name, identity.email) if identity else ("", "")


def build_preparation_letter(db: Database, visit: str | int, out: Path | str) -> Path:
    """The bilingual preparation letter for the announced visit (not signed)."""
    name, email = _specialist(db)
    data = preparation_letter_data(db, visit, specialist_name=name, specialist_email=email)
    preparation_letter.build_preparation_letter(data, Path(out))
    return Path(out)


def build_cap_form(db: Database, visit: str | int, out: Path | str, language: str = "both") -> Path:
    """The CAP form the factory fills in and returns (not signed)."""
    lang = _check_language(language)
    name, email = _specialist(db)
    data = cap_form_data(db, visit, lang, specialist_name=name, specialist_email=email)
    cap_form.build_cap_form(data, Path(out), lang)
    return Path(out)
