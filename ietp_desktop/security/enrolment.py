"""Enrolment: the file an office hands a specialist, and the identity it sets up on the laptop.

An enrolment file (`*.ietp-enrol`) is UTF-8 JSON:

    {"format": "ietp-enrolment", "format_version": "1.0",
     "office_name": str, "specialist": {"name": str, "email": str},
     "pkcs12": base64 (specialist key + certificate, PBES2/AES-256, passphrase chosen at enrolment),
     "office_ca": PEM, "office_encryption": PEM, "office_signing": PEM,
     "signature": base64}

`signature` is the office signing key's signature over the canonical JSON of every other
field (sorted keys, no spaces), so nothing in the file can be swapped without the office's key;
the signing certificate must be issued by the file's CA.

The laptop trusts the CA in the file on first use; `SpecialistIdentity.ca_fingerprint` is shown so
the specialist can compare it with the office out of band. On the laptop the identity folder holds
specialist.p12 (still encrypted), office-ca.pem, office-encryption.pem, office-signing.pem and
identity.json, written last, which marks the identity as complete.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.i18n import tr
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import Role, SigningIdentity
from ietp_desktop.security.office_ca import Office
from ietp_desktop.security.pkcs12 import dump_pkcs12, load_pkcs12

ENROLMENT_FORMAT = "ietp-enrolment"
ENROLMENT_VERSION = "1.1"
ENROLMENT_SUFFIX = ".ietp-enrol"
MAX_ENROLMENT_BYTES = 1 << 20

IDENTITY_FILE = "identity.json"
PKCS12_FILE = "specialist.p12"
_OFFICE_FILES = {
    "office_ca": "office-ca.pem",
    "office_encryption": "office-encryption.pem",
    "office_signing": "office-signing.pem",
}


@dataclass(frozen=True)
class EnrolmentInfo:
    path: Path
    name: str
    email: str
    fingerprint: str


@dataclass(frozen=True)
class SpecialistIdentity:
    """The enrolled specialist on this laptop; the key stays locked until `unlock`."""

    directory: Path
    name: str
    email: str
    office_name: str
    certificate: x509.Certificate
    fingerprint: str
    office_ca: x509.Certificate
    office_encryption_cert: x509.Certificate
    office_signing_cert: x509.Certificate

    @property
    def ca_fingerprint(self) -> str:
        return certs.fingerprint(self.office_ca)

    @property
    def pkcs12_path(self) -> Path:
        return self.directory / PKCS12_FILE

    def unlock(self, passphrase: bytes | str) -> SigningIdentity:
        loaded = load_pkcs12(self.pkcs12_path.read_bytes(), passphrase, str(self.pkcs12_path))
        if certs.fingerprint(loaded.certificate) != self.fingerprint:
            raise UserError(
                "{file} does not match {id}",
                file=self.pkcs12_path,
                id=self.directory / IDENTITY_FILE,
            )
        return SigningIdentity(loaded.private_key, loaded.certificate, [self.office_ca])


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def write_enrolment(
    office: Office, name: str, email: str, passphrase: bytes | str, out: Path
) -> EnrolmentInfo:
    """Issue `name` a key and specialist certificate and write them with the office certificates."""
    identity = office.issue_specialist(name, email)
    p12 = dump_pkcs12(
        name, identity.private_key, identity.certificate, [office.ca_cert], passphrase
    )
    document = {
        "format": ENROLMENT_FORMAT,
        "format_version": ENROLMENT_VERSION,
        "office_name": office.name,
        "specialist": {"name": name.strip(), "email": email.strip()},
        "pkcs12": base64.b64encode(p12).decode("ascii"),
        "office_ca": _pem(office.ca_cert),
        "office_encryption": _pem(office.encryption_cert),
        "office_signing": _pem(office.signing.certificate),
    }
    document["signature"] = base64.b64encode(
        _sign(office.signing.private_key, _signed_bytes(document))
    ).decode("ascii")
    atomic_write_bytes(out, json.dumps(document, indent=2).encode("utf-8"))
    return EnrolmentInfo(
        Path(out), name.strip(), email.strip(), certs.fingerprint(identity.certificate)
    )


def _signed_bytes(document: Mapping[str, object]) -> bytes:
    body = {key: value for key, value in document.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _sign(key: object, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    raise TypeError(f"cannot sign with a {type(key).__name__}")


def _check_signature(document: Mapping[str, object], signer: x509.Certificate, file: Path) -> None:
    try:
        signature = base64.b64decode(str(document["signature"]), validate=True)
    except KeyError as exc:
        raise UserError(
            "{file} is not signed by the office; ask the office for a new enrolment file",
            file=file,
        ) from exc
    except (ValueError, binascii.Error) as exc:
        raise UserError("{file} is damaged: {error}", file=file, error=exc) from exc
    data = _signed_bytes(document)
    key = signer.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise InvalidSignature
    except InvalidSignature as exc:
        raise UserError(
            "{file} was changed after the office signed it; ask the office for a new "
            "enrolment file",
            file=file,
        ) from exc


def _parse_enrolment(path: Path) -> dict[str, object]:
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_ENROLMENT_BYTES + 1)
    except FileNotFoundError as exc:
        raise NotFound("{file} does not exist", file=path) from exc
    if len(raw) > MAX_ENROLMENT_BYTES:
        raise UserError("{file} is too large for an enrolment file", file=path)
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError("{file} is not an enrolment file", file=path) from exc
    if not isinstance(document, dict) or document.get("format") != ENROLMENT_FORMAT:
        raise UserError("{file} is not an enrolment file", file=path)
    version = str(document.get("format_version", ""))
    if version.split(".")[0] != ENROLMENT_VERSION.split(".")[0]:
        raise UserError(
            "{file} has enrolment format {version}, which this program cannot read",
            file=path,
            version=version,
        )
    return document


def import_enrolment(
    file: Path, identity_dir: Path, passphrase: bytes | str, *, replace: bool = False
) -> SpecialistIdentity:
    """Check the enrolment file's chain and passphrase, then set up `identity_dir`."""
    file = Path(file)
    identity_dir = Path(identity_dir)
    if (identity_dir / IDENTITY_FILE).exists() and not replace:
        raise UserError("{dir} already holds an enrolled specialist", dir=identity_dir)
    document = _parse_enrolment(file)
    try:
        p12 = base64.b64decode(str(document["pkcs12"]), validate=True)
        office_certs = {
            key: x509.load_pem_x509_certificate(str(document[key]).encode("ascii"))
            for key in _OFFICE_FILES
        }
        office_name = str(document["office_name"])
    except (KeyError, ValueError, binascii.Error) as exc:
        raise UserError("{file} is damaged: {error}", file=file, error=exc) from exc
    loaded = load_pkcs12(p12, passphrase, str(file))
    ca = office_certs["office_ca"]
    if ca.issuer != ca.subject:
        raise UserError("{file}: the office CA certificate is not self-signed", file=file)
    try:
        ca.verify_directly_issued_by(ca)
    except Exception as exc:
        raise UserError("{file}: the office CA certificate is not self-signed", file=file) from exc
    what = tr("enrolment file {file}", file=file)
    certs.check_issued_by(loaded.certificate, ca, Role.SPECIALIST, what=what)
    certs.check_issued_by(office_certs["office_encryption"], ca, Role.OFFICE_ENCRYPTION, what=what)
    certs.check_issued_by(office_certs["office_signing"], ca, Role.OFFICE_SIGNING, what=what)
    _check_signature(document, office_certs["office_signing"], file)
    if not isinstance(office_certs["office_encryption"].public_key(), rsa.RSAPublicKey):
        raise UserError("{file}: the office encryption certificate is not RSA", file=file)
    if loaded.private_key.public_key().public_numbers() != (
        loaded.certificate.public_key().public_numbers()  # type: ignore[union-attr]
    ):
        raise UserError("{file}: the key does not match the certificate", file=file)

    atomic_write_bytes(identity_dir / PKCS12_FILE, p12)
    for key, filename in _OFFICE_FILES.items():
        atomic_write_bytes(identity_dir / filename, _pem(office_certs[key]).encode("ascii"))
    record = {
        "name": certs.common_name(loaded.certificate),
        "email": certs.email_of(loaded.certificate),
        "office_name": office_name,
        "fingerprint": certs.fingerprint(loaded.certificate),
        "certificate": _pem(loaded.certificate),
        # the office CA is pinned by this fingerprint (shown at enrolment): a swapped
        # office-ca.pem is refused instead of trusted
        "office_ca_sha256": certs.fingerprint(ca),
    }
    atomic_write_bytes(identity_dir / IDENTITY_FILE, json.dumps(record, indent=2).encode("utf-8"))
    identity = load_identity(identity_dir)
    assert identity is not None
    return identity


def load_identity(identity_dir: Path) -> SpecialistIdentity | None:
    """The enrolled specialist in `identity_dir`, or None if nobody is enrolled there."""
    identity_dir = Path(identity_dir)
    record_path = identity_dir / IDENTITY_FILE
    if not record_path.is_file():
        return None
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        cert = x509.load_pem_x509_certificate(record["certificate"].encode("ascii"))
        office = {
            key: x509.load_pem_x509_certificate((identity_dir / filename).read_bytes())
            for key, filename in _OFFICE_FILES.items()
        }
        pinned = record.get("office_ca_sha256")
        if pinned is not None and certs.fingerprint(office["office_ca"]) != pinned:
            raise UserError(
                "{file} is not the office CA this laptop enrolled with (its fingerprint is "
                "{found}, the one shown at enrolment {pinned}); enrol again with the file "
                "your office gives you",
                file=identity_dir / _OFFICE_FILES["office_ca"],
                found=certs.fingerprint(office["office_ca"])[:16],
                pinned=str(pinned)[:16],
            )
        for key in ("office_encryption", "office_signing"):  # bundles are encrypted to these
            try:
                office[key].verify_directly_issued_by(office["office_ca"])
            except (ValueError, TypeError, InvalidSignature) as exc:
                raise UserError(
                    "{file} was not issued by the office CA this laptop enrolled with",
                    file=identity_dir / _OFFICE_FILES[key],
                ) from exc
        return SpecialistIdentity(
            directory=identity_dir,
            name=str(record["name"]),
            email=str(record["email"]),
            office_name=str(record["office_name"]),
            certificate=cert,
            fingerprint=certs.fingerprint(cert),
            office_ca=office["office_ca"],
            office_encryption_cert=office["office_encryption"],
            office_signing_cert=office["office_signing"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(
            "the identity in {dir} is damaged: {error}", dir=identity_dir, error=exc
        ) from exc
