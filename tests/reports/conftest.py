"""Fixtures: a throwaway CA and specialist PKCS#12 (the real office CA lives elsewhere), and a
fully populated visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ietp_desktop.reports.model import ReportData
from ietp_desktop.reports.sample import sample_report_data

PASSPHRASE = b"correct horse battery staple"


@dataclass(frozen=True)
class Identity:
    ca_pem: bytes
    p12: bytes
    p12_path: Path


def _name(common_name: str, email: str | None = None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IETP test office"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def make_identity(folder: Path, ca_name: str, signer: str, email: str) -> Identity:
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer, email))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"specialist", key, cert, [ca_cert], serialization.BestAvailableEncryption(PASSPHRASE)
    )
    path = folder / f"{signer.replace(' ', '-').lower()}.p12"
    path.write_bytes(p12)
    return Identity(ca_cert.public_bytes(serialization.Encoding.PEM), p12, path)


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return make_identity(
        tmp_path_factory.mktemp("office"),
        "IETP Test Office CA",
        "Anna Berger",
        "anna.berger@example.org",
    )


@pytest.fixture(scope="session")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return make_identity(
        tmp_path_factory.mktemp("stranger"),
        "Some Other CA",
        "Mallory Impostor",
        "mallory@example.net",
    )


@pytest.fixture(scope="session")
def report_data() -> ReportData:
    return sample_report_data()


@pytest.fixture(scope="session")
def built_reports(
    tmp_path_factory: pytest.TempPathFactory, report_data: ReportData
) -> dict[str, Path]:
    """The sample visit built once per language."""
    from ietp_desktop.reports.visit_report import build_visit_report

    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for language in ("en", "zh", "both"):
        path = folder / f"report-{language}.pdf"
        build_visit_report(report_data, path, language)  # type: ignore[arg-type]
        out[language] = path
    return out
