"""PKCS#12 files with a strong KDF.

cryptography's BestAvailableEncryption picks what OpenSSL calls "best" for compatibility; here we
ask explicitly for PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and certificates and an
HMAC-SHA256 integrity MAC, with a high PBKDF2 iteration count.

cryptography always derives the MAC key with only 2048 iterations of the PKCS#12 KDF. The MAC is
keyed by the same passphrase, so it would let an attacker test guesses 300 times faster than
through PBES2; `_strengthen_mac` recomputes it with KDF_ROUNDS iterations (RFC 7292 B.2), which
OpenSSL (and so cryptography and pyHanko) reads back like any other iteration count.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    KeySerializationEncryption,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security.certificates import PrivateKey

# OWASP's 2023 advice for PBKDF2-HMAC-SHA256. Unlocking takes well under a second.
KDF_ROUNDS = 600_000


@dataclass(frozen=True)
class KeyAndCertificates:
    private_key: PrivateKey
    certificate: x509.Certificate
    additional: list[x509.Certificate]


def _passphrase_bytes(passphrase: bytes | str) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def dump_pkcs12(
    name: str,
    private_key: PrivateKey,
    certificate: x509.Certificate,
    additional: list[x509.Certificate] | None,
    passphrase: bytes | str | None,
    *,
    kdf_rounds: int | None = None,
) -> bytes:
    """The PKCS#12 bytes; `passphrase=None` writes the key unencrypted (demo offices only)."""
    encryption: KeySerializationEncryption
    if passphrase is None:
        encryption = NoEncryption()
    else:
        secret = _passphrase_bytes(passphrase)
        if not secret:
            raise UserError("the passphrase must not be empty")
        encryption = (
            PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(kdf_rounds or KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(secret)
        )
    data = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), private_key, certificate, additional or None, encryption
    )
    if passphrase is None:
        return data
    return _strengthen_mac(data, _passphrase_bytes(passphrase), kdf_rounds or KDF_ROUNDS)


def _pkcs12_kdf_sha256(password: bytes, salt: bytes, iterations: int, key_id: int) -> bytes:
    """RFC 7292 appendix B.2 with SHA-256 (u=32, v=64), producing one 32-byte key."""
    u, v = 32, 64
    bmp = password.decode("utf-8").encode("utf-16-be") + b"\x00\x00"
    diversifier = bytes([key_id]) * v

    def fill(value: bytes) -> bytes:
        if not value:
            return b""
        length = v * ((len(value) + v - 1) // v)
        return (value * (length // len(value) + 1))[:length]

    block = hashlib.sha256(diversifier + fill(salt) + fill(bmp)).digest()
    for _ in range(iterations - 1):
        block = hashlib.sha256(block).digest()
    return block[:u]


def _strengthen_mac(data: bytes, password: bytes, iterations: int) -> bytes:
    pfx = asn1_pkcs12.Pfx.load(data)
    content = pfx["auth_safe"]["content"].native
    salt = os.urandom(32)
    key = _pkcs12_kdf_sha256(password, salt, iterations, key_id=3)
    digest = hmac.new(key, content, hashlib.sha256).digest()
    pfx["mac_data"] = asn1_pkcs12.MacData(
        {
            "mac": {"digest_algorithm": {"algorithm": "sha256"}, "digest": digest},
            "mac_salt": salt,
            "iterations": iterations,
        }
    )
    return bytes(pfx.dump(force=True))


def load_pkcs12(data: bytes, passphrase: bytes | str | None, source: str) -> KeyAndCertificates:
    """Unlock PKCS#12 `data`; `source` names the file in messages.

    A wrong passphrase raises UserError("wrong passphrase for <source>").
    """
    secret = None if passphrase is None else _passphrase_bytes(passphrase)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        if _is_pkcs12_structure(data):
            raise UserError("wrong passphrase for {file}", file=source) from exc
        raise UserError("{file} is not a PKCS#12 key file", file=source) from exc
    except TypeError as exc:  # encrypted file opened without a passphrase
        raise UserError("wrong passphrase for {file}", file=source) from exc
    if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise UserError("{file} holds no usable key and certificate", file=source)
    return KeyAndCertificates(key, cert, list(extra))


def _is_pkcs12_structure(data: bytes) -> bool:
    try:
        parsed = asn1_pkcs12.Pfx.load(data)
        parsed.native  # noqa: B018 - forces a full parse
    except Exception:  # asn1crypto raises many types on garbage
        return False
    return True
