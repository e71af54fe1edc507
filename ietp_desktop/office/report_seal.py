"""The office's seal on an accepted report: validation data and a document timestamp (PAdES B-LTA).

A report arrives signed by its specialist (PAdES B-B). The office appends, as incremental
updates that leave the signed bytes untouched:
1. the document security store (DSS): the signer's chain and a CRL issued now by the office CA
   from its revocation list, proving the certificate was good when the report was accepted;
2. a document timestamp from the office's own TSA key, covering the file including the DSS.
A verifier then checks the signature at the timestamp's time, so the report stays verifiable
after the specialist's certificate expires. The original bytes are the first bytes of the
sealed file; the office keeps their sha256 for the chain of custody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.revocation import read_revocations
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.office_ca import Office
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_ltv_models import OfficeReportSeal
from ietp_desktop.storage.office_models import OfficeRevocation

CRL_VALIDITY = dt.timedelta(days=7)
TIMESTAMP_FIELD = "OfficeTimestamp"
Clock = Callable[[], dt.datetime]


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _issued_serials(office_dir: Path) -> dict[str, int]:
    """Fingerprint → serial of every certificate the CA issued (the revocation list names
    certificates by fingerprint, a CRL by serial)."""
    serials: dict[str, int] = {}
    for path in sorted(OfficeFolder(office_dir).issued.glob("*.pem")):
        try:
            cert = x509.load_pem_x509_certificate(path.read_bytes())
        except ValueError:
            continue
        serials[certs.fingerprint(cert)] = cert.serial_number
    return serials


def office_crl(
    office: Office,
    now: dt.datetime,
    extra: tuple[x509.Certificate, ...] = (),
    console_revoked: tuple[tuple[int, dt.datetime], ...] = (),
) -> x509.CertificateRevocationList:
    """A CRL signed by the office CA now, listing every revoked certificate it can name by
    serial: those on the signed revocation list (found in issued/, or among `extra`) and those
    revoked in the console (`console_revoked`: serial, time)."""
    directory = office.info.directory
    serials = _issued_serials(directory)
    serials.update({certs.fingerprint(c): c.serial_number for c in extra})
    builder = (
        x509.CertificateRevocationListBuilder()
        .last_update(now - dt.timedelta(minutes=1))
        .next_update(now + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                office.ca_cert.public_key()  # type: ignore[arg-type]
            ),
            critical=False,
        )
    )
    revoked: dict[int, dt.datetime] = dict(console_revoked)
    for revocation in read_revocations(directory, office.ca_cert):
        serial = serials.get(revocation.cert_sha256)
        if serial is not None:
            revoked[serial] = min(revocation.revoked_at, revoked.get(serial, revocation.revoked_at))
    for serial, when in sorted(revoked.items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return office.sign_crl(builder)


def office_timestamper(office: Office, now: dt.datetime) -> DummyTimeStamper:
    """pyHanko's local time-stamper (the office is its own TSA), signing with its TSA key;
    every token says `now`."""
    identity = office.timestamping
    key_der = identity.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(
        tsa_cert=_asn1_cert(identity.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=[_asn1_cert(office.ca_cert)],  # type: ignore[arg-type]
        fixed_dt=now,
    )


def seal_report(
    office: Office,
    data: bytes,
    clock: Clock = certs.utcnow,
    console_revoked: tuple[tuple[int, dt.datetime], ...] = (),
) -> bytes:
    """`data` (a report whose signature the caller verified) with the office's validation data
    and document timestamp appended.

    The DSS is written as given, not collected by validating now: a report signed before its
    signer's revocation but received after it is accepted (see intake), and its CRL then says
    so for any later reader."""
    now = clock()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signature = reader.embedded_regular_signatures[0]
    signer_cert = x509.load_der_x509_certificate(signature.signer_cert.dump())
    crl = office_crl(office, now, (signer_cert,), console_revoked)
    with_dss = io.BytesIO(data)
    DocumentSecurityStore.add_dss(
        with_dss,
        signature.pkcs7_content.hex().encode("ascii"),
        certs=[
            _asn1_cert(c) for c in (signer_cert, office.timestamping.certificate, office.ca_cert)
        ],
        crls=[asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))],
        strict=False,
    )
    writer = IncrementalPdfFileWriter(with_dss, strict=False)
    output = io.BytesIO()
    signers.PdfTimeStamper(
        office_timestamper(office, now), field_name=TIMESTAMP_FIELD
    ).timestamp_pdf(writer, "sha256", output=output)
    return output.getvalue()


@dataclass(frozen=True)
class Seal:
    """What the office keeps about a report it sealed (see storage/office_ltv_models.py)."""

    original_sha256: str
    original_size: int
    sealed_sha256: str
    level: str
    timestamped_at: dt.datetime
    tsa_fingerprint: str


@dataclass(frozen=True)
class ReportSealer:
    """Seals reports at import with an unlocked office's CA and TSA keys."""

    office: Office
    clock: Clock = certs.utcnow
    console_revoked: tuple[tuple[int, dt.datetime], ...] = ()  # see console_revocations

    def seal(self, data: bytes) -> bytes:
        return seal_report(self.office, data, self.clock, self.console_revoked)

    @property
    def tsa_fingerprint(self) -> str:
        return certs.fingerprint(self.office.timestamping.certificate)


class _Outcome(Protocol):
    @property
    def uuid(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def result(self) -> str: ...


def record_seals(
    session: Session, seals: Mapping[tuple[str, int], Seal], outcomes: Iterable[_Outcome]
) -> None:
    """One row per revision stored now (a revision the office already held keeps its file)."""
    for outcome in outcomes:
        seal = seals.get((outcome.uuid, outcome.revision))
        if seal is None or outcome.result not in ("imported", "stored-beside"):
            continue
        visit_id = session.scalars(select(Visit.id).where(Visit.uuid == outcome.uuid)).one()
        session.add(
            OfficeReportSeal(
                visit_id=visit_id,
                revision=outcome.revision,
                original_sha256=seal.original_sha256,
                original_size=seal.original_size,
                sealed_sha256=seal.sealed_sha256,
                level=seal.level,
                timestamped_at=seal.timestamped_at,
                tsa_fingerprint=seal.tsa_fingerprint,
            )
        )


def console_revocations(database: Database) -> tuple[tuple[int, dt.datetime], ...]:
    """Certificates revoked in the console's specialists page (serial, time), for the CRL."""
    with database.session() as session:
        rows = session.execute(select(OfficeRevocation.serial_hex, OfficeRevocation.revoked_at))
        return tuple((int(serial, 16), when) for serial, when in rows if serial)


def seal_of(session: Session, visit_id: int, revision: int) -> OfficeReportSeal | None:
    return session.get(OfficeReportSeal, (visit_id, revision))


def original_report(session: Session, stored: Path, visit_id: int, revision: int) -> bytes | None:
    """The report as the specialist signed it: the sealed file's first bytes, checked against
    the sha256 kept at import (None when the office did not seal this revision)."""
    seal = seal_of(session, visit_id, revision)
    if seal is None:
        return None
    with open(stored, "rb") as stream:
        data = stream.read(seal.original_size)
    if hashlib.sha256(data).hexdigest() != seal.original_sha256:
        raise UserError(
            "the stored report of revision {revision} no longer starts with the original the "
            "office received",
            revision=revision,
        )
    return data


def signed_size(data: bytes) -> int:
    """How many bytes the specialist's signature covers: the original's length in a sealed
    file (its byte range ends where the signed revision ends)."""
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures[0]
    byte_range = signature.sig_object["/ByteRange"]
    return int(byte_range[2]) + int(byte_range[3])
