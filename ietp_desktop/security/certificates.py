"""Certificates of the office CA and the roles it gives them.

A certificate's role is marked by a certificate policy OID in the `2.25` arc (an OID made from a
UUID, ITU-T X.667, so no registration is needed) and, for people reading it, by the
organisational unit. The bundle reader trusts the policy OID, never the OU text.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ietp_desktop.domain.errors import UserError

RSA_KEY_BITS = 3072
_ARC = "2.25."


class Role(enum.Enum):
    """What a certificate issued by the office CA may be used for."""

    SPECIALIST = ("242347533484336982470701123131632475012", "Progress Visit Specialist")
    OFFICE_SIGNING = ("121496575874161437067852528220894612751", "Progress Visit Office Signing")
    OFFICE_ENCRYPTION = (
        "134568625186668547816981681404463415942",
        "Progress Visit Office Encryption",
    )

    @property
    def policy_oid(self) -> x509.ObjectIdentifier:
        return x509.ObjectIdentifier(_ARC + self.value[0])

    @property
    def unit(self) -> str:
        return self.value[1]


class CertificateRejected(UserError):
    """A certificate is not one this office CA issued for the role asked."""


PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


@dataclass(frozen=True)
class SigningIdentity:
    """A private key with its certificate and the chain up to (and including) the office CA."""

    private_key: PrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)


def new_ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, lowercase hex (the id used in manifests)."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


def email_of(cert: x509.Certificate) -> str:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    emails = san.get_values_for_type(x509.RFC822Name)
    return emails[0] if emails else ""


def roles_of(cert: x509.Certificate) -> set[Role]:
    try:
        policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        return set()
    oids = {p.policy_identifier for p in policies}
    return {role for role in Role if role.policy_oid in oids}


def self_signed_ca(key: PrivateKey, office_name: str, years: int = 20) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{office_name} Progress Visit CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name),
        ]
    )
    now = utcnow()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def leaf_builder(
    subject: x509.Name,
    public_key: PublicKey,
    ca_cert: x509.Certificate,
    start: dt.datetime,
    end: dt.datetime,
    *,
    digital_signature: bool = True,
    content_commitment: bool = False,
    key_encipherment: bool = False,
) -> x509.CertificateBuilder:
    """An end-entity certificate issued by the office CA, up to its key usage: the caller adds
    what the certificate is for (extended key usage, policies, names) and signs it."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=content_commitment,
                key_encipherment=key_encipherment,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )


def issue(
    ca_cert: x509.Certificate,
    ca_key: PrivateKey,
    public_key: PublicKey,
    *,
    role: Role,
    name: str,
    organisation: str,
    email: str | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> x509.Certificate:
    """A leaf certificate for `role`, signed by the office CA."""
    start = not_before or utcnow() - dt.timedelta(minutes=5)
    end = not_after or start + dt.timedelta(days=365 * 3)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role.unit),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    signing = role is not Role.OFFICE_ENCRYPTION
    builder = (
        leaf_builder(
            subject,
            public_key,
            ca_cert,
            start,
            end,
            digital_signature=signing,
            content_commitment=signing,
            key_encipherment=not signing,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(role.policy_oid, None)]),
            critical=False,
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return builder.sign(ca_key, hashes.SHA256())


def check_issued_by(
    cert: x509.Certificate,
    ca_cert: x509.Certificate,
    role: Role,
    *,
    at: dt.datetime | None = None,
    what: str,
) -> None:
    """Refuse `cert` unless the CA signed it, it is valid at `at` (and now) and it has `role`.

    `what` names the certificate in the message ("the signer of bundle x.ietpbundle").
    """

    now = utcnow()
    if not ca_cert.not_valid_before_utc <= now <= ca_cert.not_valid_after_utc:
        raise CertificateRejected("{what}: the office CA certificate has expired", what=what)
    if cert.issuer != ca_cert.subject:
        raise CertificateRejected(
            "{what}: certificate was not issued by this office's CA", what=what
        )
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise CertificateRejected(
            "{what}: certificate was not issued by this office's CA", what=what
        ) from exc
    for moment in {at or utcnow(), utcnow()}:
        if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
            raise CertificateRejected(
                "{what}: certificate is not valid at {moment} (valid {start} to {end})",
                what=what,
                moment=moment.strftime("%Y-%m-%d %H:%M UTC"),
                start=cert.not_valid_before_utc.strftime("%Y-%m-%d"),
                end=cert.not_valid_after_utc.strftime("%Y-%m-%d"),
            )
    if role not in roles_of(cert):
        raise CertificateRejected(
            "{what}: certificate is not a {role} certificate", what=what, role=role.unit
        )
    _check_key_usage(cert, role, what)


def _check_key_usage(cert: x509.Certificate, role: Role, what: str) -> None:

    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound as exc:
        raise CertificateRejected(
            "{what}: certificate lacks key usage or basic constraints", what=what
        ) from exc
    if role is Role.OFFICE_ENCRYPTION:
        allowed = usage.key_encipherment
    else:
        allowed = usage.digital_signature and usage.content_commitment
    if basic.ca or not allowed:
        raise CertificateRejected(
            "{what}: certificate's key usage does not allow this use", what=what
        )
