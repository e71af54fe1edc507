"""Revoking a specialist's certificate (lost laptop, person left) and the signed list of them.

The list lives in the office folder as `revocations.ietp-crl`: canonical JSON
    {"format": "ietp-revocations", "office": name, "issued_at": ISO UTC,
     "revoked": [{"cert_sha256": hex, "name": str, "email": str, "revoked_at": ISO UTC,
                  "reason": str}]}
with a detached CMS signature by the office signing key beside it (`.p7s`). Only the office
writes it (`office revoke`); import refuses a bundle whose signer is on it and whose signature
was made at or after the revocation time, and `office assign` ships the signed list to laptops.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.office_ca import Office
from ietp_desktop.sync.cms_signature import sign_detached
from ietp_desktop.sync.revocation_list import (
    FORMAT,
    LIST_FILE,
    SIGNATURE_FILE,
    Revocation,
    canonical,
    pack,
    read_list,
    revoked_at,
)

__all__ = ["Revocation", "read_revocations", "revoke", "revoked_at", "signed_list"]


def read_revocations(office_dir: Path, ca_cert: x509.Certificate) -> list[Revocation]:
    """The office's revocation list, its signature checked; none yet is an empty list."""
    kept = read_list(Path(office_dir), ca_cert)
    return kept.revoked if kept is not None else []


def revoke(office: Office, cert: x509.Certificate, reason: str) -> Revocation:
    """Add `cert` to the office's signed revocation list (from now on)."""
    directory = office.info.directory
    current = read_revocations(directory, office.ca_cert)
    fingerprint = certs.fingerprint(cert)
    if any(r.cert_sha256 == fingerprint for r in current):
        raise UserError(
            "the certificate of {name} <{email}> is already revoked",
            name=certs.common_name(cert),
            email=certs.email_of(cert),
        )
    added = Revocation(
        fingerprint,
        certs.common_name(cert),
        certs.email_of(cert),
        certs.utcnow().replace(microsecond=0),
        reason.strip()[:500],
    )
    revoked = [*current, added]
    body = canonical(
        {
            "format": FORMAT,
            "office": office.name,
            "issued_at": certs.utcnow().isoformat(timespec="seconds"),
            "revoked": [
                {
                    "cert_sha256": r.cert_sha256,
                    "name": r.name,
                    "email": r.email,
                    "revoked_at": r.revoked_at.isoformat(),
                    "reason": r.reason,
                }
                for r in revoked
            ],
        }
    )
    atomic_write_bytes(directory / SIGNATURE_FILE, sign_detached(body, office.signing))
    atomic_write_bytes(directory / LIST_FILE, body)
    return added


def signed_list(office_dir: Path) -> str | None:
    """The list and its signature as one base64 text, for the assignments document."""
    path = Path(office_dir) / LIST_FILE
    if not path.exists():
        return None
    return pack(path.read_bytes(), (Path(office_dir) / SIGNATURE_FILE).read_bytes())
