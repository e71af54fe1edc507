"""Signed requests: how a laptop proves to the office server which enrolled specialist it is.

No passwords and no client TLS certificates: every request to `/api/` carries

    X-IETP-Certificate   base64 DER of the specialist certificate the office CA issued
    X-IETP-Timestamp     seconds since the epoch (the server accepts ±5 minutes)
    X-IETP-Nonce         32 random hex digits, refused if the server has seen it before
    X-IETP-Content-SHA256  hex sha256 of the request body ("" body included)
    X-IETP-Signature     base64 signature by the specialist key over the canonical string

canonical = "IETP-REQUEST-1\\n" METHOD "\\n" path-and-query "\\n" timestamp "\\n" nonce "\\n"
            content-sha256 "\\n" office CA fingerprint

Binding the office CA fingerprint means a request captured for one office is worthless at
another; the nonce and the timestamp make a captured request worthless a second time; the body
digest makes a changed body fail. RSA keys sign with PSS/SHA-256, EC keys with ECDSA/SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import time
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from ietp_desktop.security.certificates import SigningIdentity

SCHEME = "IETP-REQUEST-1"
CERT_HEADER = "x-ietp-certificate"
TIME_HEADER = "x-ietp-timestamp"
NONCE_HEADER = "x-ietp-nonce"
DIGEST_HEADER = "x-ietp-content-sha256"
SIGNATURE_HEADER = "x-ietp-signature"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class RequestSignatureInvalid(Exception):
    """The request's signature headers are missing, malformed or do not verify."""


@dataclass(frozen=True)
class SignedHeaders:
    certificate: x509.Certificate
    timestamp: int
    nonce: str
    content_sha256: str
    signature: bytes


def canonical(
    method: str, target: str, timestamp: int, nonce: str, content_sha256: str, ca_fingerprint: str
) -> bytes:
    return "\n".join(
        [SCHEME, method.upper(), target, str(timestamp), nonce, content_sha256, ca_fingerprint]
    ).encode("utf-8")


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def sign_request(
    identity: SigningIdentity,
    method: str,
    target: str,
    content_sha256: str,
    ca_fingerprint: str,
    *,
    now: float | None = None,
) -> dict[str, str]:
    """The headers that authenticate one request (`target` = path plus query string)."""
    timestamp = int(now if now is not None else time.time())
    nonce = secrets.token_hex(16)
    message = canonical(method, target, timestamp, nonce, content_sha256, ca_fingerprint)
    key = identity.private_key
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(message, _pss(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(message, ec.ECDSA(hashes.SHA256()))
    else:  # pragma: no cover - the office CA issues RSA or EC keys only
        raise TypeError(f"cannot sign requests with a {type(key).__name__}")
    return {
        CERT_HEADER: base64.b64encode(identity.certificate.public_bytes(Encoding.DER)).decode(),
        TIME_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        DIGEST_HEADER: content_sha256,
        SIGNATURE_HEADER: base64.b64encode(signature).decode(),
    }


def read_headers(headers: dict[str, str]) -> SignedHeaders:
    """Parse the signature headers (lower-case names); the signature is not checked yet."""
    try:
        der = base64.b64decode(headers[CERT_HEADER], validate=True)
        if len(der) > 16384:
            raise RequestSignatureInvalid("certificate too large")
        cert = x509.load_der_x509_certificate(der)
        timestamp = int(headers[TIME_HEADER])
        nonce = headers[NONCE_HEADER]
        digest = headers[DIGEST_HEADER].lower()
        signature = base64.b64decode(headers[SIGNATURE_HEADER], validate=True)
    except KeyError as exc:
        raise RequestSignatureInvalid(f"missing header {exc.args[0]}") from exc
    except (ValueError, binascii.Error) as exc:
        raise RequestSignatureInvalid("malformed signature headers") from exc
    if len(nonce) != 32 or any(c not in "0123456789abcdef" for c in nonce):
        raise RequestSignatureInvalid("malformed nonce")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise RequestSignatureInvalid("malformed content digest")
    return SignedHeaders(cert, timestamp, nonce, digest, signature)


def verify_signature(signed: SignedHeaders, method: str, target: str, ca_fingerprint: str) -> None:
    message = canonical(
        method, target, signed.timestamp, signed.nonce, signed.content_sha256, ca_fingerprint
    )
    key = signed.certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signed.signature, message, _pss(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signed.signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            raise RequestSignatureInvalid("unsupported key type")
    except InvalidSignature as exc:
        raise RequestSignatureInvalid("the signature does not verify") from exc
