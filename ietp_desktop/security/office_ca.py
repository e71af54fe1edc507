"""The office: a small CA, an encryption certificate for bundles and a signing certificate.

Office directory layout (all written atomically):

    office.json            name, creation time, certificate fingerprints, whether keys are encrypted
    ca.pem                 self-signed CA certificate (EC P-256)
    ca.p12                 CA key + certificate (PKCS#12, PBES2/AES-256, PBKDF2-SHA256)
    encryption.pem / .p12  RSA-3072; bundles to the office wrap their data key to it (OAEP-SHA256)
    signing.pem / .p12     EC P-256, role "office"; signs assignments bundles
    timestamping.pem / .p12  RSA-3072, EKU timeStamping; the office's time-stamps on reports
                           (created on first unlock for folders made before; office_tsa.py)
    issued/<serial>.pem    every specialist certificate the CA issued
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import PrivateKey, PublicKey, Role, SigningIdentity
from ietp_desktop.security.office_tsa import (
    issue_timestamping,
    load_or_create_timestamping,
    write_timestamping,
)
from ietp_desktop.security.pkcs12 import dump_pkcs12, load_pkcs12

OFFICE_FORMAT = "ietp-office"
OFFICE_FILE = "office.json"


@dataclass(frozen=True)
class OfficeInfo:
    directory: Path
    name: str
    created_at: str
    ca_fingerprint: str
    encryption_fingerprint: str
    signing_fingerprint: str
    keys_encrypted: bool


class Office:
    """An unlocked office: issues certificates, signs assignments, unwraps bundle keys."""

    def __init__(
        self,
        info: OfficeInfo,
        ca: SigningIdentity,
        encryption_key: rsa.RSAPrivateKey,
        encryption_cert: x509.Certificate,
        signing: SigningIdentity,
        timestamping: SigningIdentity,
    ) -> None:
        self.info = info
        self.ca_cert = ca.certificate
        self._ca_key = ca.private_key
        self.encryption_key = encryption_key
        self.encryption_cert = encryption_cert
        self.signing = signing
        self.timestamping = timestamping

    @property
    def name(self) -> str:
        return self.info.name

    def issue_certificate(
        self,
        public_key: PublicKey,
        *,
        role: Role,
        name: str,
        email: str | None = None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> x509.Certificate:
        """Any leaf certificate under this CA (tests use it for expired or wrong-role signers)."""
        return certs.issue(
            self.ca_cert,
            self._ca_key,
            public_key,
            role=role,
            name=name,
            organisation=self.name,
            email=email,
            not_before=not_before,
            not_after=not_after,
        )

    def issue_specialist(
        self,
        name: str,
        email: str,
        *,
        valid_days: int = 3 * 365,
        private_key: rsa.RSAPrivateKey | None = None,
    ) -> SigningIdentity:
        """A new RSA key pair and a specialist certificate; the certificate is kept in issued/."""
        if not name.strip():
            raise UserError("the specialist's name must not be empty")
        if "@" not in email:
            raise UserError("'{email}' is not an e-mail address", email=email)
        key = private_key or certs.new_rsa_key()
        start = certs.utcnow() - dt.timedelta(minutes=5)
        cert = self.issue_certificate(
            key.public_key(),
            role=Role.SPECIALIST,
            name=name.strip(),
            email=email.strip(),
            not_before=start,
            not_after=start + dt.timedelta(days=valid_days),
        )
        atomic_write_bytes(
            OfficeFolder(self.info.directory).issued / f"{cert.serial_number:x}.pem",
            cert.public_bytes(serialization.Encoding.PEM),
        )
        return SigningIdentity(key, cert, [self.ca_cert])

    def sign_certificate(self, builder: x509.CertificateBuilder) -> x509.Certificate:
        """Sign a certificate the caller built with `certificates.leaf_builder` (the office
        server's TLS certificate)."""
        return builder.sign(self._ca_key, hashes.SHA256())

    def sign_crl(
        self, builder: x509.CertificateRevocationListBuilder
    ) -> x509.CertificateRevocationList:
        """Sign a revocation list the caller built (the CRL embedded in accepted reports)."""
        return builder.issuer_name(self.ca_cert.subject).sign(self._ca_key, hashes.SHA256())


def create_office(office_dir: Path, office_name: str, passphrase: bytes | str | None) -> OfficeInfo:
    """Create the CA, encryption and signing keys in `office_dir` (refused if one is there)."""
    office_dir = Path(office_dir)
    if (office_dir / OFFICE_FILE).exists():
        raise UserError("{dir} already holds an office", dir=office_dir)
    if not office_name.strip():
        raise UserError("the office name must not be empty")
    office_name = office_name.strip()
    ca_key = certs.new_ec_key()
    ca_cert = certs.self_signed_ca(ca_key, office_name)
    enc_key = certs.new_rsa_key()
    enc_cert = certs.issue(
        ca_cert,
        ca_key,
        enc_key.public_key(),
        role=Role.OFFICE_ENCRYPTION,
        name=f"{office_name} bundle encryption",
        organisation=office_name,
        not_after=ca_cert.not_valid_after_utc,
    )
    sign_key = certs.new_ec_key()
    sign_cert = certs.issue(
        ca_cert,
        ca_key,
        sign_key.public_key(),
        role=Role.OFFICE_SIGNING,
        name=f"{office_name} office",
        organisation=office_name,
        not_after=ca_cert.not_valid_after_utc,
    )
    for stem, key, cert in (
        ("ca", ca_key, ca_cert),
        ("encryption", enc_key, enc_cert),
        ("signing", sign_key, sign_cert),
    ):
        atomic_write_bytes(
            office_dir / f"{stem}.p12",
            dump_pkcs12(f"{office_name} {stem}", key, cert, [ca_cert], passphrase),
        )
        atomic_write_bytes(
            office_dir / f"{stem}.pem", cert.public_bytes(serialization.Encoding.PEM)
        )
    tsa_key, tsa_cert = issue_timestamping(ca_cert, ca_key, office_name)
    write_timestamping(office_dir, office_name, tsa_key, tsa_cert, ca_cert, passphrase)
    info = OfficeInfo(
        directory=office_dir,
        name=office_name,
        created_at=certs.utcnow().isoformat(timespec="seconds"),
        ca_fingerprint=certs.fingerprint(ca_cert),
        encryption_fingerprint=certs.fingerprint(enc_cert),
        signing_fingerprint=certs.fingerprint(sign_cert),
        keys_encrypted=passphrase is not None,
    )
    record = {"format": OFFICE_FORMAT, "format_version": 1} | {
        k: v for k, v in info.__dict__.items() if k != "directory"
    }
    atomic_write_bytes(office_dir / OFFICE_FILE, json.dumps(record, indent=2).encode("utf-8"))
    return info


def read_office_info(office_dir: Path) -> OfficeInfo:
    path = Path(office_dir) / OFFICE_FILE
    if not path.is_file():
        raise NotFound("{dir} holds no office (no {file})", dir=office_dir, file=OFFICE_FILE)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("format") != OFFICE_FORMAT:
            raise ValueError("wrong format")
        return OfficeInfo(
            directory=Path(office_dir),
            name=record["name"],
            created_at=record["created_at"],
            ca_fingerprint=record["ca_fingerprint"],
            encryption_fingerprint=record["encryption_fingerprint"],
            signing_fingerprint=record["signing_fingerprint"],
            keys_encrypted=bool(record["keys_encrypted"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError("{file} is damaged: {error}", file=path, error=exc) from exc


def load_office_certificate(office_dir: Path, stem: str) -> x509.Certificate:
    """`ca`, `encryption` or `signing` certificate, without unlocking any key."""
    path = Path(office_dir) / f"{stem}.pem"
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError as exc:
        raise NotFound("{file} is missing", file=path) from exc
    except ValueError as exc:
        raise UserError("{file} is not a certificate", file=path) from exc


def load_office(office_dir: Path, passphrase: bytes | str | None) -> Office:
    """Unlock the office keys; a wrong passphrase raises UserError naming the key file."""
    info = read_office_info(office_dir)
    unlocked: dict[str, tuple[PrivateKey, x509.Certificate]] = {}
    for stem, expected in (
        ("ca", info.ca_fingerprint),
        ("encryption", info.encryption_fingerprint),
        ("signing", info.signing_fingerprint),
    ):
        path = Path(office_dir) / f"{stem}.p12"
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound("{file} is missing", file=path) from exc
        loaded = load_pkcs12(data, passphrase, str(path))
        if certs.fingerprint(loaded.certificate) != expected:
            raise UserError("{file} does not belong to this office", file=path)
        unlocked[stem] = (loaded.private_key, loaded.certificate)
    ca_key, ca_cert = unlocked["ca"]
    enc_key, enc_cert = unlocked["encryption"]
    sign_key, sign_cert = unlocked["signing"]
    if not isinstance(enc_key, rsa.RSAPrivateKey):
        raise UserError("{file} does not hold an RSA key", file=Path(office_dir) / "encryption.p12")
    timestamping = load_or_create_timestamping(
        Path(office_dir), info.name, ca_cert, ca_key, passphrase
    )
    return Office(
        info,
        SigningIdentity(ca_key, ca_cert, []),
        enc_key,
        enc_cert,
        SigningIdentity(sign_key, sign_cert, [ca_cert]),
        timestamping,
    )
