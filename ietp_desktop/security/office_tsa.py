"""The office's timestamping key: a certificate from the office CA whose only use is RFC 3161
time-stamp tokens (extended key usage timeStamping, critical, as RFC 3161 §2.3 requires).

`timestamping.p12` sits beside the other office keys, protected by the same passphrase. An
office folder made before the office stamped reports gets one the first time its keys are
unlocked. It is trusted because the CA signed it for that use, not by a fingerprint in
office.json, so two servers unlocking the same old folder at once can each write one and both
stay valid.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.certificates import PrivateKey, SigningIdentity
from ietp_desktop.security.pkcs12 import dump_pkcs12, load_pkcs12

STEM = "timestamping"


def issue_timestamping(
    ca_cert: x509.Certificate, ca_key: PrivateKey, office_name: str
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new RSA key (pyHanko's local time-stamper signs with RSA) and its TSA certificate,
    valid as long as the CA."""
    key = certs.new_rsa_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{office_name} timestamping"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Progress Visit Office TSA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name),
        ]
    )
    cert = (
        certs.leaf_builder(
            subject,
            key.public_key(),
            ca_cert,
            certs.utcnow() - dt.timedelta(minutes=5),
            ca_cert.not_valid_after_utc,
            content_commitment=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def write_timestamping(
    office_dir: Path,
    office_name: str,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    ca_cert: x509.Certificate,
    passphrase: bytes | str | None,
) -> None:
    atomic_write_bytes(
        Path(office_dir) / f"{STEM}.p12",
        dump_pkcs12(f"{office_name} {STEM}", key, cert, [ca_cert], passphrase),
    )
    atomic_write_bytes(
        Path(office_dir) / f"{STEM}.pem", cert.public_bytes(serialization.Encoding.PEM)
    )


def is_timestamping_certificate(cert: x509.Certificate, ca_cert: x509.Certificate) -> bool:
    """Signed by this CA, with timeStamping as its only, critical, extended key usage."""
    try:
        cert.verify_directly_issued_by(ca_cert)
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except (InvalidSignature, ValueError, TypeError, x509.ExtensionNotFound):
        return False
    return usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def load_or_create_timestamping(
    office_dir: Path,
    office_name: str,
    ca_cert: x509.Certificate,
    ca_key: PrivateKey,
    passphrase: bytes | str | None,
) -> SigningIdentity:
    """Unlock `timestamping.p12`, or issue and write it when the folder has none yet."""
    path = Path(office_dir) / f"{STEM}.p12"
    if not path.exists():
        key, cert = issue_timestamping(ca_cert, ca_key, office_name)
        write_timestamping(office_dir, office_name, key, cert, ca_cert, passphrase)
        return SigningIdentity(key, cert, [ca_cert])
    loaded = load_pkcs12(path.read_bytes(), passphrase, str(path))
    if not is_timestamping_certificate(loaded.certificate, ca_cert) or not isinstance(
        loaded.private_key, rsa.RSAPrivateKey
    ):
        raise UserError("{file} does not belong to this office", file=path)
    return SigningIdentity(loaded.private_key, loaded.certificate, [ca_cert])
