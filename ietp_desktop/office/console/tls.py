"""The office server's TLS certificate, issued by the office CA.

Every enrolled laptop already trusts the office CA (it came with the enrolment file), so the
laptop connects without any public CA and refuses a server whose certificate the office CA did
not issue. Files: `<office>/tls/server.pem` (certificate then CA) and `tls/server-key.pem`
(encrypted with the office passphrase when the office keys are, owner-only either way).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.office_ca import load_office

TLS_DIR = "tls"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"
VALID_DAYS = 825  # the longest validity browsers accept for a TLS server certificate


@dataclass(frozen=True)
class TlsFiles:
    certificate: Path
    key: Path
    hosts: tuple[str, ...]
    fingerprint: str
    not_after: dt.datetime


def default_hosts() -> list[str]:
    names = ["localhost", "127.0.0.1", "::1"]
    for name in (socket.gethostname(), socket.getfqdn()):
        if name and name not in names:
            names.append(name)
    return names


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        if not host or any(c.isspace() or c in "/\\:" for c in host):
            raise UserError("'{host}' is not a host name or an IP address", host=host) from None
        return x509.DNSName(host.lower())


def tls_paths(office_dir: Path) -> tuple[Path, Path]:
    folder = Path(office_dir) / TLS_DIR
    return folder / CERT_FILE, folder / KEY_FILE


def issue_server_certificate(
    office_dir: Path, hosts: list[str] | None = None, office_passphrase: str | None = None
) -> TlsFiles:
    office = load_office(Path(office_dir), office_passphrase)
    names = list(dict.fromkeys(hosts or default_hosts()))
    key = ec.generate_private_key(ec.SECP256R1())
    start = certs.utcnow() - dt.timedelta(minutes=5)
    end = min(start + dt.timedelta(days=VALID_DAYS), office.ca_cert.not_valid_after_utc)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, names[0]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, office.name),
        ]
    )
    builder = (
        certs.leaf_builder(subject, key.public_key(), office.ca_cert, start, end)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([_general_name(h) for h in names]), critical=False
        )
    )
    cert = office.sign_certificate(builder)
    cert_path, key_path = tls_paths(office_dir)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(office_passphrase.encode("utf-8"))
        if office_passphrase
        else serialization.NoEncryption()
    )
    atomic_write_bytes(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ),
    )
    os.chmod(key_path, 0o600)
    atomic_write_bytes(
        cert_path,
        cert.public_bytes(serialization.Encoding.PEM)
        + office.ca_cert.public_bytes(serialization.Encoding.PEM),
    )
    return TlsFiles(cert_path, key_path, tuple(names), certs.fingerprint(cert), end)
