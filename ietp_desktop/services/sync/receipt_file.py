"""Office receipts: the signed answer to a results bundle (`*.ietp-receipt`, UTF-8 JSON).

    {"format": "ietp-receipt", "format_version": "1.0",
     "body": base64 of canonical JSON, "signature": base64 detached CMS over the body bytes}

    body = {"bundle_id": uuid, "manifest_sha256": hex, "office": name, "issued_at": ISO UTC,
            "status": "imported" | "refused", "message": str,
            "visits": [{"uuid": uuid, "revision": int, "result": "imported" | "unchanged"
                        | "stored-beside" | "refused"}]}

Signed by the office signing certificate; the laptop accepts it only if that certificate chains
to the office CA it enrolled with and has the office role. Visits are named by uuid only.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import CertificateRejected, Role, SigningIdentity
from ietp_desktop.sync.cms_signature import SignatureProblem, sign_detached, verify_detached
from ietp_desktop.sync.wire.base import WireViolation, parse_json
from ietp_desktop.sync.wire.receipt import ReceiptBody

RECEIPT_FORMAT = "ietp-receipt"
RECEIPT_VERSION = "1.0"
RECEIPT_SUFFIX = ".ietp-receipt"
MAX_RECEIPT_BYTES = 4 << 20


@dataclass(frozen=True)
class ReceiptVisit:
    uuid: str
    revision: int
    result: str


@dataclass(frozen=True)
class Receipt:
    bundle_id: str
    manifest_sha256: str
    office: str
    issued_at: str
    status: str
    message: str
    visits: list[ReceiptVisit]
    raw_body: str

    @property
    def accepted(self) -> list[ReceiptVisit]:
        return [v for v in self.visits if v.result != "refused"]


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def write_receipt(
    out: Path,
    signer: SigningIdentity,
    *,
    bundle_id: str,
    manifest_sha256: str,
    office: str,
    status: str,
    message: str,
    visits: list[ReceiptVisit],
) -> Path:
    body = _canonical(
        {
            "bundle_id": bundle_id,
            "manifest_sha256": manifest_sha256,
            "office": office,
            "issued_at": certs.utcnow().isoformat(timespec="seconds"),
            "status": status,
            "message": message,
            "visits": [
                {"uuid": v.uuid, "revision": v.revision, "result": v.result} for v in visits
            ],
        }
    )
    document = {
        "format": RECEIPT_FORMAT,
        "format_version": RECEIPT_VERSION,
        "body": base64.b64encode(body).decode("ascii"),
        "signature": base64.b64encode(sign_detached(body, signer)).decode("ascii"),
    }
    atomic_write_bytes(out, json.dumps(document, indent=2).encode("utf-8"))
    return Path(out)


def read_receipt(path: Path, office_ca: x509.Certificate) -> Receipt:
    """The receipt in `path` once its signature chains to `office_ca` with the office role."""
    path = Path(path)

    def refused(reason: str) -> UserError:
        return UserError("receipt {file} refused: {reason}", file=path.name, reason=reason)

    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_RECEIPT_BYTES + 1)
    except FileNotFoundError as exc:
        raise refused(tr("the file does not exist")) from exc
    if len(raw) > MAX_RECEIPT_BYTES:
        raise refused(tr("it is too large for a receipt"))
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != RECEIPT_FORMAT:
            raise refused(tr("it is not an office receipt"))
        version = str(document.get("format_version", ""))
        if version.split(".")[0] != RECEIPT_VERSION.split(".")[0]:
            raise refused(tr("it uses receipt format {version}", version=version))
        body = base64.b64decode(str(document["body"]), validate=True)
        signature = base64.b64decode(str(document["signature"]), validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, binascii.Error) as exc:
        raise refused(tr("it is not an office receipt")) from exc
    try:
        verified = verify_detached(body, signature)
        certs.check_issued_by(
            verified.signer,
            office_ca,
            Role.OFFICE_SIGNING,
            at=verified.signing_time,
            what=tr("the signer ({name})", name=certs.common_name(verified.signer)),
        )
    except (SignatureProblem, CertificateRejected) as exc:
        raise refused(str(exc)) from exc
    try:
        fields = parse_json(ReceiptBody, body, tr("the receipt body"))
    except WireViolation as exc:
        raise refused(str(exc)) from exc
    return Receipt(
        bundle_id=fields.bundle_id,
        manifest_sha256=fields.manifest_sha256,
        office=fields.office,
        issued_at=fields.issued_at.isoformat(),
        status=fields.status,
        message=fields.message,
        visits=[ReceiptVisit(v.uuid, v.revision, v.result) for v in fields.visits],
        raw_body=body.decode("utf-8"),
    )
