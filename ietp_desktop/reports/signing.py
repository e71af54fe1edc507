"""PAdES signatures on reports: sign with the specialist's PKCS#12, verify against the office CA."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp.static import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.reports.fonts import LATIN, canvas_font, register_fonts
from ietp_desktop.reports.layout import STAMP_BOX
from ietp_desktop.security.atomic import atomic_writer

FIELD_NAME = "SpecialistSignature"
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class SignatureVerdict:
    signer_name: str
    signer_email: str
    signing_time: datetime | None  # time the signer's clock reported (no timestamp authority)
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically valid
    trusted: bool  # the signer's certificate chains to the given office CA
    chain_problem: str | None  # why it is not trusted, in words
    covers_whole_document: bool  # nothing was added after signing
    summary_lines: tuple[str, ...]  # what a front end prints, one fact per line

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_document


def _load_signer(signer_p12: Path | bytes, passphrase: bytes) -> tuple[signers.SimpleSigner, str]:
    if isinstance(signer_p12, bytes):
        data, what = signer_p12, "the specialist key"
    else:
        what = str(signer_p12)
        try:
            data = Path(signer_p12).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"specialist key file {what} does not exist") from exc
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    except ValueError as exc:
        raise UserError(f"wrong passphrase for {what} (or it is not a PKCS#12 key file)") from exc
    return signer, what


def _stamp_pdf(path: Path, box: Box, lines: list[str]) -> None:
    """The visible stamp's appearance, drawn with reportlab so Chinese renders (embedded)."""
    register_fonts()
    width, height = box[2] - box[0], box[3] - box[1]
    canvas = Canvas(str(path), pagesize=(width, height), initialFontName=LATIN)
    canvas.setFillColor(HexColor("#f3f7fb"))
    canvas.setStrokeColor(HexColor("#1d4e89"))
    canvas.setLineWidth(1.2)
    canvas.rect(0.6, 0.6, width - 1.2, height - 1.2, fill=1)
    canvas.setFillColor(HexColor("#1d4e89"))
    size = min(8.0, (height - 8) / max(1, len(lines)) / 1.25)
    y = height - 4 - size
    for index, line in enumerate(lines):
        canvas.setFont(canvas_font(line), size + (0.5 if index == 0 else 0))
        canvas.drawString(5, y, line)
        y -= size * 1.25
        canvas.setFillColor(HexColor("#1f2933"))
    canvas.showPage()
    canvas.save()


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
    box: Box = STAMP_BOX,
) -> None:
    """Sign `src` as PAdES B-B with a visible stamp in `box` on the last page; write `dst`
    atomically (`dst` may equal `src`)."""
    signer, _what = _load_signer(signer_p12, passphrase)
    try:
        source = Path(src).read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"report {src} does not exist") from exc
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(source), strict=False)
        last_page = int(writer.root["/Pages"]["/Count"]) - 1
    except (PdfError, KeyError, ValueError) as exc:
        raise UserError(f"{src} is not a readable PDF ({exc})") from exc
    now = datetime.now().astimezone()
    lines = [
        f"Digitally signed by {signer_name}",
        f"Date: {now:%Y-%m-%d %H:%M %z}",
        f"Reason: {reason}",
        f"Location: {location}",
        *visible_box_text.splitlines(),
    ]
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        name=signer_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    with tempfile.TemporaryDirectory(prefix="ietp-stamp-") as folder:
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
        raise UserError(f"the office CA file is not a PEM certificate ({exc})") from exc
    if not roots:
        raise UserError("the office CA file holds no certificate")
    return roots


def verify_pdf(path: Path, trusted_ca_pem: bytes | None) -> SignatureVerdict:
    """Check the report's signature: intact, trusted by the office CA, covering the document."""
    roots = _trust_roots(trusted_ca_pem)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"{path} does not exist") from exc
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_regular_signatures
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        return _damaged(path, exc)
    if not embedded:
        raise UserError(f"{Path(path).name} has no digital signature")
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(embedded[0], context)
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        return _damaged(path, exc)
    return _verdict(status, has_roots=bool(roots))


def _damaged(path: Path, exc: Exception) -> SignatureVerdict:
    line = f"{Path(path).name}: the file is damaged or was changed ({exc})"
    return SignatureVerdict(
        "", "", None, False, False, "not checked: the file is damaged", False, (line, "Intact: no")
    )


def _verdict(status: PdfSignatureStatus, *, has_roots: bool) -> SignatureVerdict:
    name, email = _name_and_email(status.signing_cert)
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    problem = None
    if not trusted:
        if not has_roots:
            problem = "no office CA was given to check the certificate against"
        elif status.trust_problem_indic is not None:
            reason = str(getattr(status.trust_problem_indic, "name", status.trust_problem_indic))
            problem = (
                f"the certificate does not chain to the office CA "
                f"({reason.lower().replace('_', ' ')})"
            )
        else:
            problem = "the certificate does not chain to the office CA"
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    when = status.signer_reported_dt
    lines = [
        f"Signer: {name}" + (f" <{email}>" if email else ""),
        f"Signing time: {when:%Y-%m-%d %H:%M:%S %z}" if when else "Signing time: unknown",
        f"Intact: {'yes' if intact else 'NO — the document was changed after signing'}",
        f"Trusted: {'yes' if trusted else 'NO — ' + (problem or '')}",
        "Covers the whole document: "
        + ("yes" if whole else "NO — content was added after signing"),
    ]
    return SignatureVerdict(name, email, when, intact, trusted, problem, whole, tuple(lines))
