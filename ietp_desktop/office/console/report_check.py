"""A received report's verification, done once and kept: intact, signer, trusted, revoked, and
the office's seal on it (level, document timestamp, the original's hash)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.report_seal import seal_of
from ietp_desktop.security.office_ca import load_office_certificate
from ietp_desktop.services.reporting.reports import verify_report
from ietp_desktop.storage.office_models import OfficeReportCheck, OfficeRevocation
from ietp_desktop.storage.types import utcnow


@dataclass(frozen=True)
class ReportStatus:
    present: bool
    intact: bool
    trusted: bool
    whole_document: bool
    signer: str
    signer_fingerprint: str
    signed_at: datetime | None
    problem: str
    revoked_at: datetime | None
    level: str = "B-B"  # B-LTA when the office sealed it at import
    timestamped_at: datetime | None = None  # the office's document timestamp
    original_sha256: str = ""  # the report as the specialist signed it
    original_size: int = 0

    @property
    def revoked_after_timestamp(self) -> bool:
        """Revoked, but after the office's timestamp proved the report existed: still valid."""
        return (
            self.revoked_at is not None
            and self.timestamped_at is not None
            and self.revoked_at > self.timestamped_at
        )

    @property
    def state(self) -> str:
        """valid | revoked | invalid | missing: one word for lists and filters."""
        if not self.present:
            return "missing"
        if not (self.intact and self.trusted and self.whole_document):
            return "invalid"
        if self.revoked_at is not None and not self.revoked_after_timestamp:
            return "revoked"
        return "valid"


def report_path(office_dir: Path, uuid: str, revision: int) -> Path:
    return Path(office_dir) / "reports" / f"{uuid}-r{revision}.pdf"


def _signer_fingerprint(data: bytes) -> str:
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures
        if embedded:
            return hashlib.sha256(embedded[0].signer_cert.dump()).hexdigest()
    except Exception:  # a damaged PDF: the verdict already says so
        return ""
    return ""


def check(
    session: Session, office_dir: Path, visit_id: int, uuid: str, revision: int
) -> ReportStatus:
    """The stored verdict for this revision, verifying the PDF the first time it is asked."""
    row = session.get(OfficeReportCheck, (visit_id, revision))
    path = report_path(office_dir, uuid, revision)
    if row is None:
        if not path.is_file():
            return ReportStatus(False, False, False, False, "", "", None, "", None)
        data = path.read_bytes()
        ca_pem = path.parent.parent.joinpath("ca.pem").read_bytes()
        load_office_certificate(office_dir, "ca")  # refuse a folder whose CA file is damaged
        try:
            verdict = verify_report(path, ca_pem)
            problem = verdict.damage or verdict.chain_problem or ""
            row = OfficeReportCheck(
                visit_id=visit_id,
                revision=revision,
                report_sha256=hashlib.sha256(data).hexdigest(),
                intact=verdict.intact,
                trusted=verdict.trusted,
                whole_document=verdict.covers_whole_document,
                signer=f"{verdict.signer_name} <{verdict.signer_email}>"[:300],
                signer_fingerprint=_signer_fingerprint(data),
                signed_at=verdict.signing_time,
                problem=problem,
                checked_at=utcnow(),
            )
        except UserError as exc:  # not a signed PDF at all
            row = OfficeReportCheck(
                visit_id=visit_id,
                revision=revision,
                report_sha256=hashlib.sha256(data).hexdigest(),
                intact=False,
                trusted=False,
                whole_document=False,
                signer="",
                signer_fingerprint="",
                signed_at=None,
                problem=str(exc),
                checked_at=utcnow(),
            )
        session.add(row)
        session.flush()
    revocation = (
        session.get(OfficeRevocation, row.signer_fingerprint) if row.signer_fingerprint else None
    )
    seal = seal_of(session, visit_id, revision)
    return ReportStatus(
        True,
        row.intact,
        row.trusted,
        row.whole_document,
        row.signer,
        row.signer_fingerprint,
        row.signed_at,
        row.problem,
        revocation.revoked_at if revocation else None,
        seal.level if seal else "B-B",
        seal.timestamped_at if seal else None,
        seal.original_sha256 if seal else "",
        seal.original_size if seal else 0,
    )
