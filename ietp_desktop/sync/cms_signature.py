"""Detached CMS signatures over the manifest.

cryptography writes them (PKCS7SignatureBuilder, detached, binary) but cannot verify CMS, so
`verify_detached` checks the single SignerInfo itself: SHA-256 digest, content type and message
digest in the signed attributes, then the signature over the DER SET of signed attributes with the
signer certificate's key. Whether that certificate is trusted is the caller's next question.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, tsp  # noqa: F401 - tsp registers its CMS attribute names first
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from ietp_desktop.i18n import tr
from ietp_desktop.security.certificates import SigningIdentity


class SignatureProblem(Exception):
    """Why a signature does not verify (turned into BundleRefused by the caller)."""


@dataclass(frozen=True)
class VerifiedSignature:
    signer: x509.Certificate
    signing_time: dt.datetime | None


def sign_detached(data: bytes, identity: SigningIdentity) -> bytes:
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data)
    builder = builder.add_signer(identity.certificate, identity.private_key, hashes.SHA256())
    for cert in identity.chain:
        builder = builder.add_certificate(cert)
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    return builder.sign(serialization.Encoding.DER, options)


_RSA_ALGORITHMS = {"rsassa_pkcs1v15", "sha256_rsa"}
_EC_ALGORITHMS = {"ecdsa", "sha256_ecdsa"}


def verify_detached(data: bytes, signature: bytes) -> VerifiedSignature:
    try:
        signer_info, certificates = _parse(signature)
        signed_attrs = signer_info["signed_attrs"]
        attributes = {attr["type"].native: attr["values"] for attr in signed_attrs}
        digest_algorithm = signer_info["digest_algorithm"]["algorithm"].native
        signature_algorithm = signer_info["signature_algorithm"]["algorithm"].native
        signature_bytes = signer_info["signature"].native
        sid = signer_info["sid"]
        if sid.name != "issuer_and_serial_number":
            raise SignatureProblem(tr("the signature names its signer in an unsupported way"))
        issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
        signer = next(
            (c for c in certificates if c.issuer == issuer and c.serial_number == serial), None
        )
        content_type = attributes["content_type"][0].native if "content_type" in attributes else ""
        message_digest = (
            attributes["message_digest"][0].native if "message_digest" in attributes else b""
        )
        signing_time = (
            attributes["signing_time"][0].native if "signing_time" in attributes else None
        )
        # The signature covers the attributes encoded as a SET (tag 0x31), not as [0] IMPLICIT.
        signed_bytes = b"\x31" + signed_attrs.dump()[1:]
        signer_cert = x509.load_der_x509_certificate(signer.dump()) if signer else None
    except SignatureProblem:
        raise
    except Exception as exc:  # asn1crypto reports malformed input with many exception types
        raise SignatureProblem(tr("the signature file is malformed")) from exc
    if signer_cert is None:
        raise SignatureProblem(tr("the signature does not carry the signer's certificate"))
    if digest_algorithm != "sha256":
        raise SignatureProblem(
            tr("the signature uses digest {name}, not SHA-256", name=digest_algorithm)
        )
    if content_type != "data":
        raise SignatureProblem(tr("the signature's content type is not data"))
    if message_digest != hashlib.sha256(data).digest():
        raise SignatureProblem(tr("the manifest does not match its signature"))
    _check_signature(signer_cert, signature_algorithm, signature_bytes, signed_bytes)
    if isinstance(signing_time, dt.datetime) and signing_time.tzinfo is None:
        signing_time = signing_time.replace(tzinfo=dt.UTC)
    return VerifiedSignature(
        signer_cert, signing_time if isinstance(signing_time, dt.datetime) else None
    )


def _parse(signature: bytes) -> tuple[cms.SignerInfo, list[Any]]:
    info = cms.ContentInfo.load(signature, strict=True)
    if info["content_type"].native != "signed_data":
        raise SignatureProblem(tr("the signature file is not CMS signed data"))
    signed_data = info["content"]
    if signed_data["encap_content_info"]["content"].native is not None:
        raise SignatureProblem(tr("the signature is not detached"))
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise SignatureProblem(tr("the signature must have exactly one signer"))
    certificates = [
        choice.chosen
        for choice in signed_data["certificates"] or []
        if choice.name == "certificate"
    ]
    signed_data.native  # noqa: B018 - parse everything now so damage shows up here
    return signer_infos[0], certificates


def _check_signature(
    cert: x509.Certificate, algorithm: str, signature: bytes, signed: bytes
) -> None:
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm in _RSA_ALGORITHMS:
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm in _EC_ALGORITHMS:
            key.verify(signature, signed, ec.ECDSA(hashes.SHA256()))
        else:
            raise SignatureProblem(
                tr("the signature algorithm {name} is not supported", name=algorithm)
            )
    except InvalidSignature as exc:
        raise SignatureProblem(tr("the signature does not verify")) from exc
