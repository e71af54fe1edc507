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

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import CertificateRejected, Role
from ietp_desktop.security.office_ca import Office
from ietp_desktop.sync.cms_signature import SignatureProblem, sign_detached, verify_detached

FORMAT = "ietp-revocations"
LIST_FILE = "revocations.ietp-crl"
SIGNATURE_FILE = "revocations.ietp-crl.p7s"
MAX_LIST_BYTES = 4 << 20


@dataclass(frozen=True)
class Revocation:
    cert_sha256: str
    name: str
    email: str
    revoked_at: datetime
    reason: str


def _canonical(document: dict[str, object]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def read_revocations(office_dir: Path, ca_cert: x509.Certificate) -> list[Revocation]:
    """The office's revocation list, its signature checked; none yet is an empty list."""
    path = Path(office_dir) / LIST_FILE
    if not path.exists():
        return []
    body = path.read_bytes()[: MAX_LIST_BYTES + 1]
    signature = (Path(office_dir) / SIGNATURE_FILE).read_bytes()
    return parse_signed(body, signature, ca_cert, str(path))


def parse_signed(
    body: bytes, signature: bytes, ca_cert: x509.Certificate, where: str
) -> list[Revocation]:
    if len(body) > MAX_LIST_BYTES:
        raise UserError("{file} is too large for a revocation list", file=where)
    try:
        verified = verify_detached(body, signature)
        certs.check_issued_by(
            verified.signer, ca_cert, Role.OFFICE_SIGNING, at=verified.signing_time, what=where
        )
        document = json.loads(body.decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError("not a revocation list")
        return [
            Revocation(
                str(item["cert_sha256"]),
                str(item["name"]),
                str(item["email"]),
                datetime.fromisoformat(str(item["revoked_at"])),
                str(item["reason"]),
            )
            for item in document["revoked"]
        ]
    except (SignatureProblem, CertificateRejected) as exc:
        raise UserError(
            "{file}: the revocation list's signature is not the office's ({error})",
            file=where,
            error=exc,
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("{file} is not a revocation list ({error})", file=where, error=exc) from exc


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
    body = _canonical(
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
    document = {
        "body": base64.b64encode(path.read_bytes()).decode("ascii"),
        "signature": base64.b64encode((Path(office_dir) / SIGNATURE_FILE).read_bytes()).decode(
            "ascii"
        ),
    }
    return base64.b64encode(json.dumps(document).encode("ascii")).decode("ascii")


def revoked_at(revocations: list[Revocation], fingerprint: str) -> datetime | None:
    return next((r.revoked_at for r in revocations if r.cert_sha256 == fingerprint), None)
