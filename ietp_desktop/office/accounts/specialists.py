"""Specialists as the office sees them: the certificates its CA issued, enrolment, revocation.

The enrolment file (key encrypted with the passphrase the office chose) is kept in
`<office>/enrolments/<fingerprint>.ietp-enrol` so the console can hand it over again.
Revocations are rows in the office database, checked on every signed request of a laptop.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office import setup
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.enrolment import ENROLMENT_SUFFIX
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.office_models import OfficeRevocation
from ietp_desktop.storage.types import utcnow

ENROLMENTS_DIR = "enrolments"


@dataclass(frozen=True)
class SpecialistView:
    fingerprint: str
    serial_hex: str
    name: str
    email: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None
    revoked_reason: str
    has_enrolment_file: bool

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.valid_until < utcnow() else "active"


def issued_certificates(office_dir: Path) -> list[x509.Certificate]:
    found = []
    for pem in sorted((Path(office_dir) / "issued").glob("*.pem")):
        try:
            found.append(x509.load_pem_x509_certificate(pem.read_bytes()))
        except ValueError:
            continue  # not a certificate: nothing the office issued
    return found


def enrolment_file(office_dir: Path, fingerprint: str) -> Path:
    if len(fingerprint) != 64 or any(c not in "0123456789abcdef" for c in fingerprint):
        raise NotFound("there is no specialist certificate {id}", id=fingerprint[:16])
    path = Path(office_dir) / ENROLMENTS_DIR / f"{fingerprint}{ENROLMENT_SUFFIX}"
    if not path.is_file():
        raise NotFound("the office kept no enrolment file for this certificate")
    return path


def list_specialists(office_dir: Path, database: Database) -> list[SpecialistView]:
    with database.session() as session:
        revoked = {r.fingerprint: r for r in session.scalars(select(OfficeRevocation))}
    views = []
    for cert in issued_certificates(office_dir):
        fp = certs.fingerprint(cert)
        revocation = revoked.get(fp)
        views.append(
            SpecialistView(
                fingerprint=fp,
                serial_hex=f"{cert.serial_number:x}",
                name=certs.common_name(cert),
                email=certs.email_of(cert),
                valid_from=cert.not_valid_before_utc,
                valid_until=cert.not_valid_after_utc,
                revoked_at=revocation.revoked_at if revocation else None,
                revoked_reason=revocation.reason if revocation else "",
                has_enrolment_file=(
                    Path(office_dir) / ENROLMENTS_DIR / f"{fp}{ENROLMENT_SUFFIX}"
                ).is_file(),
            )
        )
    return sorted(views, key=lambda v: (v.name.lower(), v.valid_from))


def enrol(
    office_dir: Path,
    database: Database,
    name: str,
    email: str,
    *,
    specialist_passphrase: str,
    office_passphrase: str | None,
    actor: str,
    remote: str = "",
) -> SpecialistView:
    """Issue a certificate (the same function as `office enroll`) and keep the enrolment file."""
    folder = Path(office_dir) / ENROLMENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".new-{uuid.uuid4().hex}{ENROLMENT_SUFFIX}"
    info = setup.enroll(
        office_dir,
        name,
        email,
        temporary,
        specialist_passphrase=specialist_passphrase,
        office_passphrase=office_passphrase,
    )
    temporary.replace(folder / f"{info.fingerprint}{ENROLMENT_SUFFIX}")
    with database.session() as session:
        record(
            session,
            actor,
            "specialist.enrol",
            f"{info.name} <{info.email}>",
            info.fingerprint,
            remote,
        )
    return next(
        s for s in list_specialists(office_dir, database) if s.fingerprint == info.fingerprint
    )


def revoke(
    office_dir: Path,
    database: Database,
    fingerprint: str,
    reason: str,
    *,
    actor: str,
    remote: str = "",
) -> SpecialistView:
    cert = next(
        (c for c in issued_certificates(office_dir) if certs.fingerprint(c) == fingerprint), None
    )
    if cert is None:
        raise NotFound("there is no specialist certificate {id}", id=fingerprint[:16])
    reason = reason.strip()
    if not reason:
        raise UserError("say why the certificate is revoked")
    with database.session() as session:
        if session.get(OfficeRevocation, fingerprint) is not None:
            raise UserError("this certificate is already revoked")
        session.add(
            OfficeRevocation(
                fingerprint=fingerprint,
                serial_hex=f"{cert.serial_number:x}",
                name=certs.common_name(cert),
                email=certs.email_of(cert),
                reason=reason[:2000],
                revoked_at=utcnow(),
                revoked_by=actor[:120],
            )
        )
        record(
            session,
            actor,
            "specialist.revoke",
            f"{certs.common_name(cert)} <{certs.email_of(cert)}>",
            f"{fingerprint}: {reason}",
            remote,
        )
    return next(s for s in list_specialists(office_dir, database) if s.fingerprint == fingerprint)


def revocation_of(session: Session, fingerprint: str) -> OfficeRevocation | None:
    return session.get(OfficeRevocation, fingerprint)
