"""PAdES signatures on reports: sign with the specialist's unlocked key (or a PKCS#12 file),
verify against the office CA.

Verification names the level it checked:
- B-B: the signature only; the signer's certificate must be valid now;
- B-T / B-LT: a signature timestamp (and validation data), checked now as well;
- B-LTA: validation data and a document timestamp by the office's TSA (the office adds both to
  every report it accepts); the signature is checked at the timestamp's time with the CRL
  embedded then, so the report stays valid after the signer's certificate expires.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import keys, pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko.stamp.static import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.i18n import tr
from ietp_desktop.reports.fonts import LATIN, canvas_font, register_fonts
from ietp_desktop.reports.layout import STAMP_BOX, Language, fmt_time_with_offset, text_in
from ietp_desktop.security.atomic import atomic_writer
from ietp_desktop.security.certificates import SigningIdentity

FIELD_NAME = "SpecialistSignature"
Box = tuple[int, int, int, int]

# pyHanko logs every failed path validation with its traceback; the verdict says it in words
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())
    logging.getLogger(_logger).propagate = False


@dataclass(frozen=True)
class Phrase:
    """A translatable sentence and its values, worded in the reader's language when printed."""

    msgid: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, language: str | None = None) -> str:
        return tr(self.msgid, language=language, **dict(self.values))


NO_CA = Phrase("no office CA was given to check the certificate against")
NOT_CHAINED = Phrase("the certificate does not chain to the office CA")


@dataclass(frozen=True)
class SignatureVerdict:
    signer_name: str
    signer_email: str
    signing_time: datetime | None  # time the signer's clock reported (no timestamp authority)
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically valid
    trusted: bool  # the signer's certificate chains to the given office CA
    covers_whole_document: bool  # nothing was added after signing
    problem: Phrase | None = None  # why it is not trusted
    damage: str | None = None  # the file could not be read as a signed PDF (the reader's words)
    signer_sha256: str = ""  # sha256 of the signer's DER certificate (the id bundles use)
    level: str = "B-B"  # B-B | B-T | B-LT | B-LTA: what was checked
    validated_at: datetime | None = None  # the time the signer's certificate was checked at
    timestamped_at: datetime | None = None  # the document timestamp's time (B-LTA)
    timestamped_by: str = ""  # the TSA certificate's name
    certificate_expires: datetime | None = None
    revoked_at: datetime | None = None  # the signer's revocation, from a list the caller gave
    clock: datetime | None = None  # "now" for this check

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_document

    @property
    def chain_problem(self) -> str | None:
        """Why the certificate is not trusted, in English (see `lines` for other languages)."""
        return self.problem.text("en") if self.problem else None

    def headline(self, language: str | None = None) -> str:
        return tr("Valid signed report" if self.ok else "NOT a valid signed report", language)

    def lines(self, language: str | None = None) -> tuple[str, ...]:
        """What a front end prints, one fact per line, in `language` (default: the UI's)."""
        if self.damage is not None:
            return (
                tr("The file is damaged or was changed ({error})", language, error=self.damage),
                tr("Intact: NO — the document was changed after signing", language),
            )
        signer = tr("Signer: {name}", language, name=self.signer_name)
        if self.signer_email:
            signer += f" <{self.signer_email}>"
        when = (
            tr("Signing time: {time}", language, time=fmt_time_with_offset(self.signing_time))
            if self.signing_time
            else tr("Signing time: unknown", language)
        )
        problem = self.problem.text(language) if self.problem else ""
        return (
            signer,
            when,
            *self._level_lines(language),
            tr("Intact: yes", language)
            if self.intact
            else tr("Intact: NO — the document was changed after signing", language),
            tr("Trusted: yes", language)
            if self.trusted
            else tr("Trusted: NO — {problem}", language, problem=problem),
            tr("Covers the whole document: yes", language)
            if self.covers_whole_document
            else tr("Covers the whole document: NO — content was added after signing", language),
        )

    def _level_lines(self, language: str | None) -> tuple[str, ...]:
        if self.level == "B-LTA" and self.timestamped_at is not None:
            lines = [
                tr(
                    "Level: B-LTA — checked at {time}, the time of the office's document "
                    "timestamp (validation data kept in the file)",
                    language,
                    time=_minute(self.timestamped_at),
                )
            ]
            if self.ok:
                lines.append(
                    tr(
                        "Valid at {time}, timestamped by {tsa}",
                        language,
                        time=_minute(self.timestamped_at),
                        tsa=self.timestamped_by,
                    )
                )
            if self.certificate_expires is not None and self.certificate_expires < (
                self.clock or datetime.now(UTC)
            ):
                lines.append(
                    tr(
                        "The signer's certificate expired on {date}; the timestamp shows it "
                        "was valid when the office accepted the report",
                        language,
                        date=_minute(self.certificate_expires),
                    )
                )
            if self.revoked_at is not None and self.revoked_at > self.timestamped_at:
                lines.append(
                    tr(
                        "The signer's certificate was revoked on {date}, after the office's "
                        "timestamp: the report stays valid",
                        language,
                        date=_minute(self.revoked_at),
                    )
                )
            return tuple(lines)
        checked = _minute(self.validated_at) if self.validated_at else ""
        if self.level == "B-B":
            return (
                tr(
                    "Level: B-B — signature only, checked at {time}; the signer's certificate "
                    "must be valid then (no office timestamp)",
                    language,
                    time=checked,
                ),
            )
        return (
            tr(
                "Level: {level} — checked at {time}; the signer's certificate must be valid "
                "then (no office document timestamp)",
                language,
                level=self.level,
                time=checked,
            ),
        )

    @property
    def summary_lines(self) -> tuple[str, ...]:
        """`lines()` in the current UI language (English unless the UI switched)."""
        return self.lines()


def _identity_from_p12(signer_p12: Path | bytes, passphrase: bytes) -> SigningIdentity:
    if isinstance(signer_p12, bytes):
        data, what = signer_p12, "the specialist key"
    else:
        what = str(signer_p12)
        try:
            data = Path(signer_p12).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound("specialist key file {what} does not exist", what=what) from exc
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise UserError(
            "wrong passphrase for {what} (or it is not a PKCS#12 key file)", what=what
        ) from exc
    if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise UserError("{what} holds no RSA or EC signing key with its certificate", what=what)
    return SigningIdentity(key, cert, list(others))


def _simple_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    """pyHanko's signer from an unlocked key (cryptography objects, re-read as asn1crypto)."""
    key_der = identity.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # unannotated __init__
    store.register_multiple(
        x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in identity.chain
    )
    return signers.SimpleSigner(
        signing_cert=x509.Certificate.load(
            identity.certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=store,
    )


def stamp_lines(
    language: Language,
    *,
    signer_name: str,
    signed_at: datetime,
    reason: str,
    location: str,
    extra: str = "",
) -> list[str]:
    """The visible stamp's text in the report's language (bilingual labels in "both")."""
    separator = "：" if language == "zh" else ": "

    def row(msgid: str, value: str) -> str:
        return f"{text_in(language, msgid)}{separator}{value}"

    lines = [
        row("Digitally signed by", signer_name),
        row("Date", fmt_time_with_offset(signed_at)),
        row("Reason", reason),
    ]
    if location:
        lines.append(row("Location", location))
    return lines + [line for line in extra.splitlines() if line.strip()]


def _fit(lines: list[str], width: float, height: float) -> tuple[float, list[str]]:
    """The largest font size (8 pt down to 5 pt) at which the wrapped lines fit the box."""
    size, wrapped = 8.0, lines
    while size >= 5.0:
        wrapped = [
            piece for line in lines for piece in simpleSplit(line, canvas_font(line), size, width)
        ]
        fits_across = all(
            stringWidth(piece, canvas_font(piece), size) <= width for piece in wrapped
        )
        if fits_across and len(wrapped) * size * 1.25 <= height:
            break
        size -= 0.25
    return size, wrapped


def _stamp_pdf(path: Path, box: Box, lines: list[str]) -> None:
    """The visible stamp's appearance, drawn with reportlab so Chinese renders (embedded)."""
    register_fonts()
    width, height = box[2] - box[0], box[3] - box[1]
    canvas = Canvas(str(path), pagesize=(width, height), initialFontName=LATIN)
    canvas.setFillColor(HexColor("#f3f7fb"))
    canvas.setStrokeColor(HexColor("#1d4e89"))
    canvas.setLineWidth(1.2)
    canvas.rect(0.6, 0.6, width - 1.2, height - 1.2, fill=1)
    size, wrapped = _fit(lines[1:], width - 10, height - 10 - 9.5 * 1.25)
    first_size, first = _fit(lines[:1], width - 10, 9.5 * 1.25)
    y = height - 5 - first_size
    canvas.setFillColor(HexColor("#1d4e89"))
    for line in first:
        canvas.setFont(canvas_font(line), first_size)
        canvas.drawString(5, y, line)
        y -= first_size * 1.25
    canvas.setFillColor(HexColor("#1f2933"))
    for line in wrapped:
        canvas.setFont(canvas_font(line), size)
        canvas.drawString(5, y, line)
        y -= size * 1.25
    canvas.showPage()
    canvas.save()


def sign_pdf_with_identity(
    src: Path,
    dst: Path,
    identity: SigningIdentity,
    *,
    signer_name: str,
    reason: str,
    location: str,
    visible_box_text: str,
    language: Language = "en",
    box: Box = STAMP_BOX,
) -> None:
    """Sign `src` as PAdES B-B with the unlocked `identity` and a visible stamp (in `language`)
    in `box` on the last page; write `dst` atomically (`dst` may equal `src`)."""
    signer = _simple_signer(identity)
    try:
        source = Path(src).read_bytes()
    except FileNotFoundError as exc:
        raise NotFound("report {src} does not exist", src=src) from exc
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(source), strict=False)
        last_page = int(writer.root["/Pages"]["/Count"]) - 1
    except (PdfError, KeyError, ValueError) as exc:
        raise UserError("{src} is not a readable PDF ({reason})", src=src, reason=exc) from exc
    lines = stamp_lines(
        language,
        signer_name=signer_name,
        signed_at=datetime.now().astimezone(),
        reason=reason,
        location=location,
        extra=visible_box_text,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        name=signer_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    # beside the output, where a killed build's leftovers are removed at the next start
    with tempfile.TemporaryDirectory(prefix=".build-stamp-", dir=Path(dst).parent) as folder:
        stamp_file = Path(folder) / "stamp.pdf"
        _stamp_pdf(stamp_file, box, lines)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            stamp_style=StaticStampStyle.from_pdf_file(
                str(stamp_file),
                border_width=0,
                background_opacity=1.0,
                background_layout=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MIN,
                    y_align=layout.AxisAlignment.ALIGN_MIN,
                    margins=layout.Margins(0, 0, 0, 0),
                    inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
                ),
            ),
            new_field_spec=fields.SigFieldSpec(
                sig_field_name=FIELD_NAME, on_page=last_page, box=box
            ),
        )
        with atomic_writer(Path(dst)) as stream:
            pdf_signer.sign_pdf(writer, output=stream)


def sign_pdf(
    src: Path,
    dst: Path,
    signer_p12: Path | bytes,
    passphrase: bytes,
    *,
    signer_name: str,
    reason: str,
    location: str,
    visible_box_text: str,
    language: Language = "en",
    box: Box = STAMP_BOX,
) -> None:
    """As `sign_pdf_with_identity`, unlocking a PKCS#12 file (or its bytes) first."""
    sign_pdf_with_identity(
        src,
        dst,
        _identity_from_p12(signer_p12, passphrase),
        signer_name=signer_name,
        reason=reason,
        location=location,
        visible_box_text=visible_box_text,
        language=language,
        box=box,
    )


def _name_and_email(cert: x509.Certificate) -> tuple[str, str]:
    subject = cert.subject.native
    name = str(subject.get("common_name", "")) or cert.subject.human_friendly
    email = str(subject.get("email_address", ""))
    if not email:
        try:
            san = cert.subject_alt_name_value
        except (KeyError, ValueError):
            san = None
        for general_name in san or []:
            if general_name.name == "rfc822_name":
                email = str(general_name.native)
                break
    return name, email


def _trust_roots(trusted_ca_pem: bytes | None) -> list[x509.Certificate]:
    if not trusted_ca_pem:
        return []
    roots = []
    try:
        for _type, _headers, der in pem.unarmor(trusted_ca_pem, multiple=True):
            roots.append(x509.Certificate.load(der))
    except (ValueError, TypeError) as exc:
        raise UserError(
            "the office CA file is not a PEM certificate ({reason})", reason=exc
        ) from exc
    if not roots:
        raise UserError("the office CA file holds no certificate")
    return roots


def verify_pdf(
    path: Path,
    trusted_ca_pem: bytes | None,
    *,
    at: datetime | None = None,
    revocations: Mapping[str, datetime] | None = None,
) -> SignatureVerdict:
    """Check the report's signature: intact, trusted by the office CA, covering the document,
    at the level the file carries (see the module's docstring). `at` is the clock (now unless
    given); `revocations` maps a certificate's sha256 to when the office revoked it."""
    roots = _trust_roots(trusted_ca_pem)
    moment = at or datetime.now(UTC)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise NotFound("{path} does not exist", path=path) from exc
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_regular_signatures
        stamps = reader.embedded_timestamp_signatures
        dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        return _damaged(path, exc)
    if not embedded:
        raise UserError("{name} has no digital signature", name=Path(path).name)
    try:
        stamp = _document_timestamp(stamps, dss, roots, moment) if stamps else None
        if stamp is not None and not (stamp.intact and stamp.valid):
            return _damaged(path, ValueError(tr("the office's document timestamp is broken")))
        lta = stamp is not None and bool(stamp.trusted) and dss is not None
        checked_at = stamp.timestamp if lta and stamp is not None else moment
        context = _context(roots, dss, checked_at, hard=lta)
        status = validate_pdf_signature(embedded[0], context)
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        return _damaged(path, exc)
    verdict = _verdict(status, has_roots=bool(roots))
    level = "B-LTA" if lta else _lower_level(status, dss)
    whole = verdict.covers_whole_document or (
        stamp is not None
        and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        and bool(status.docmdp_ok)
        and stamp.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
    expires = status.signing_cert["tbs_certificate"]["validity"]["not_after"].native
    revoked = (revocations or {}).get(verdict.signer_sha256)
    trusted, problem = verdict.trusted, verdict.problem
    if trusted and revoked is not None and revoked <= checked_at:
        trusted = False
        problem = Phrase(
            "the signer's certificate was revoked on {date}, before the office's timestamp"
            if lta
            else "the signer's certificate was revoked on {date}",
            (("date", _minute(revoked)),),
        )
    elif not trusted and expires < checked_at:
        problem = Phrase(
            "the signer's certificate expired on {date} and the report carries no office "
            "timestamp (level {level}) to show it was signed before",
            (("date", _minute(expires)), ("level", level)),
        )
    return SignatureVerdict(
        signer_name=verdict.signer_name,
        signer_email=verdict.signer_email,
        signing_time=verdict.signing_time,
        intact=verdict.intact,
        trusted=trusted,
        covers_whole_document=whole,
        problem=problem,
        signer_sha256=verdict.signer_sha256,
        level=level,
        validated_at=checked_at,
        timestamped_at=stamp.timestamp if lta and stamp is not None else None,
        timestamped_by=_tsa_name(stamp) if lta and stamp is not None else "",
        certificate_expires=expires,
        revoked_at=revoked,
        clock=moment,
    )


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _context(
    roots: list[x509.Certificate],
    dss: DocumentSecurityStore | None,
    moment: datetime,
    *,
    hard: bool,
) -> ValidationContext:
    """Trust the office CA only; revocation from the file's DSS (required at B-LTA)."""
    settings: dict[str, object] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "moment": moment,
        "revocation_mode": "hard-fail" if hard else "soft-fail",
    }
    if hard:
        settings["best_signature_time"] = moment
    return dss.as_validation_context(settings) if dss is not None else ValidationContext(**settings)  # type: ignore[arg-type]


def _document_timestamp(
    stamps: list[EmbeddedPdfSignature],
    dss: DocumentSecurityStore | None,
    roots: list[x509.Certificate],
    moment: datetime,
) -> DocumentTimestampStatus:
    """The earliest document timestamp by a TSA the office CA vouches for (a certificate it
    issued for timestamping only), its TSA checked now; any broken one makes the file damaged."""
    statuses = [validate_pdf_timestamp(s, _context(roots, dss, moment, hard=False)) for s in stamps]
    broken = [s for s in statuses if not (s.intact and s.valid)]
    trusted = [s for s in statuses if s.trusted]
    return (broken or trusted or statuses)[0]


def _tsa_name(stamp: DocumentTimestampStatus) -> str:
    name, _email = _name_and_email(stamp.signing_cert)
    return name


def _lower_level(status: PdfSignatureStatus, dss: DocumentSecurityStore | None) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    return "B-LT" if dss is not None else "B-T"


def _damaged(path: Path, exc: Exception) -> SignatureVerdict:
    return SignatureVerdict("", "", None, False, False, False, damage=f"{Path(path).name}: {exc}")


def _verdict(status: PdfSignatureStatus, *, has_roots: bool) -> SignatureVerdict:
    name, email = _name_and_email(status.signing_cert)
    trusted = bool(status.trusted)
    problem = None
    if not trusted:
        if not has_roots:
            problem = NO_CA
        elif status.trust_problem_indic is not None:
            reason = str(getattr(status.trust_problem_indic, "name", status.trust_problem_indic))
            problem = Phrase(
                "the certificate does not chain to the office CA ({reason})",
                (("reason", reason.lower().replace("_", " ")),),
            )
        else:
            problem = NOT_CHAINED
    return SignatureVerdict(
        signer_name=name,
        signer_email=email,
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        trusted=trusted,
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        problem=problem,
        signer_sha256=hashlib.sha256(status.signing_cert.dump()).hexdigest(),
    )
