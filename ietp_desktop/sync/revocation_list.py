"""The office's signed list of revoked specialist certificates, as both sides read it.

The list is canonical JSON
    {"format": "ietp-revocations", "office": name, "issued_at": ISO UTC,
     "revoked": [{"cert_sha256": hex, "name": str, "email": str, "revoked_at": ISO UTC,
                  "reason": str}]}
with a detached CMS signature by the office signing key beside it (`.p7s`). The office writes
it (office/revocation.py) and ships it inside every assignments bundle; the laptop keeps the
newest one it received in its identity folder and refuses to sign with a revoked certificate.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import CertificateRejected, Role
from ietp_desktop.sync.cms_signature import SignatureProblem, verify_detached

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


@dataclass(frozen=True)
class RevocationList:
    issued_at: datetime
    revoked: list[Revocation]


def canonical(document: dict[str, object]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def parse_signed(
    body: bytes, signature: bytes, ca_cert: x509.Certificate, where: str
) -> RevocationList:
    """The list, once its signature is checked to be the office's."""
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
        return RevocationList(
            datetime.fromisoformat(str(document["issued_at"])),
            [
                Revocation(
                    str(item["cert_sha256"]),
                    str(item["name"]),
                    str(item["email"]),
                    datetime.fromisoformat(str(item["revoked_at"])),
                    str(item["reason"]),
                )
                for item in document["revoked"]
            ],
        )
    except (SignatureProblem, CertificateRejected) as exc:
        raise UserError(
            "{file}: the revocation list's signature is not the office's ({error})",
            file=where,
            error=exc,
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("{file} is not a revocation list ({error})", file=where, error=exc) from exc


def read_list(folder: Path, ca_cert: x509.Certificate) -> RevocationList | None:
    """The list kept in `folder` (an office folder or a laptop's identity folder), checked."""
    path = Path(folder) / LIST_FILE
    if not path.exists():
        return None
    body = path.read_bytes()[: MAX_LIST_BYTES + 1]
    signature = (Path(folder) / SIGNATURE_FILE).read_bytes()
    return parse_signed(body, signature, ca_cert, str(path))


def revoked_at(revocations: list[Revocation], fingerprint: str) -> datetime | None:
    return next((r.revoked_at for r in revocations if r.cert_sha256 == fingerprint), None)


def pack(body: bytes, signature: bytes) -> str:
    """The list and its signature as one base64 text, for the assignments document."""
    document = {
        "body": base64.b64encode(body).decode("ascii"),
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return base64.b64encode(json.dumps(document).encode("ascii")).decode("ascii")


def keep_newer(folder: Path, packed: str, ca_cert: x509.Certificate, where: str) -> bool:
    """Check a shipped list and keep it in `folder` unless the one there is as new or newer.

    Returns whether it was kept."""
    try:
        document = json.loads(base64.b64decode(packed, validate=True))
        body = base64.b64decode(str(document["body"]), validate=True)
        signature = base64.b64decode(str(document["signature"]), validate=True)
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise UserError("{file}: the revocation list is damaged", file=where) from exc
    shipped = parse_signed(body, signature, ca_cert, where)
    kept = read_list(folder, ca_cert)
    if kept is not None and kept.issued_at >= shipped.issued_at:
        return False
    atomic_write_bytes(Path(folder) / SIGNATURE_FILE, signature)
    atomic_write_bytes(Path(folder) / LIST_FILE, body)
    return True


def check_not_revoked(folder: Path, ca_cert: x509.Certificate, cert: x509.Certificate) -> None:
    """Refuse to sign with a certificate the office has revoked (per the list in `folder`)."""
    kept = read_list(folder, ca_cert)
    if kept is None:
        return
    fingerprint = certs.fingerprint(cert)
    found = next((r for r in kept.revoked if r.cert_sha256 == fingerprint), None)
    if found is not None:
        raise UserError(
            "the office revoked this laptop's signing certificate on {date} ({reason}), so "
            "nothing can be signed or exported with it; ask the office to enrol you again",
            date=f"{found.revoked_at:%Y-%m-%d}",
            reason=found.reason or "-",
        )
