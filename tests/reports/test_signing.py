from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.reports.layout import STAMP_BOX, Language
from ietp_desktop.reports.signing import (
    sign_pdf,
    sign_pdf_with_identity,
    stamp_lines,
    verify_pdf,
)
from ietp_desktop.security.certificates import SigningIdentity
from tests.reports.conftest import PASSPHRASE, Identity
from tests.reports.pdftext import page_texts, squash, unembedded_fonts

PNG_DIR = Path("/tmp/report-pngs")


def _sign(src: Path, dst: Path, who: Identity, passphrase: bytes = PASSPHRASE) -> None:
    sign_pdf(
        src,
        dst,
        who.p12_path,
        passphrase,
        signer_name="Anna Berger",
        reason="Progress Visit report, revision 2",
        location="Dongguan",
        visible_box_text="东莞市宏达玩具有限公司\nVisit 5f1c2a9e · Revision 2",
    )


@pytest.fixture(scope="module")
def signed(
    built_reports: dict[str, Path], office: Identity, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    dst = tmp_path_factory.mktemp("signed") / "signed.pdf"
    _sign(built_reports["both"], dst, office)
    return dst


def test_signed_report_is_intact_and_trusted(signed: Path, office: Identity) -> None:
    verdict = verify_pdf(signed, office.ca_pem)
    assert verdict.intact and verdict.trusted and verdict.covers_whole_document
    assert verdict.ok
    assert verdict.signer_name == "Anna Berger"
    assert verdict.signer_email == "anna.berger@example.org"
    assert verdict.signing_time is not None
    assert verdict.chain_problem is None
    assert any("Anna Berger" in line for line in verdict.summary_lines)


def test_visible_stamp_on_last_page(signed: Path, built_reports: dict[str, Path]) -> None:
    reader = PdfReader(signed)
    assert len(reader.pages) == len(PdfReader(built_reports["both"]).pages)
    last = reader.pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots", [])]
    boxes = [[round(float(v)) for v in w["/Rect"]] for w in widgets if w.get("/FT") == "/Sig"]
    assert boxes == [list(STAMP_BOX)]
    assert all("/Annots" not in page for page in reader.pages[:-1])
    assert unembedded_fonts(signed) == []
    # The stamp's text is drawn (appearance stream), including the Chinese factory name.
    pdf = pdfium.PdfDocument(str(signed))
    pdf.init_forms()
    page = pdf[len(pdf) - 1]
    image = page.render(scale=1.0, may_draw_forms=True).to_pil().convert("L")
    x1, y1, x2, y2 = STAMP_BOX
    height = image.height
    stamp = image.crop((x1, height - y2, x2, height - y1))
    assert sum(stamp.histogram()[:160]) > 200, "the stamp area is empty"
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    page.render(scale=1.3, may_draw_forms=True).to_pil().save(PNG_DIR / "signed-last-page.png")


def test_report_text_unchanged_by_signing(signed: Path, built_reports: dict[str, Path]) -> None:
    before = squash("".join(page_texts(built_reports["both"])))
    after = squash("".join(page_texts(signed)))
    assert before in after or before == after


def test_flipped_byte_in_signed_range_is_not_intact(
    signed: Path, office: Identity, tmp_path: Path
) -> None:
    data = bytearray(signed.read_bytes())
    # Inside the report's first page content (well before the signature's /Contents).
    marker = data.index(b"Progress Visit report")
    data[marker + 3] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    verdict = verify_pdf(tampered, office.ca_pem)
    assert not verdict.intact
    assert not verdict.ok
    assert any("Intact: NO" in line or "Intact: no" in line for line in verdict.summary_lines)


def test_certificate_from_another_ca_is_untrusted(
    built_reports: dict[str, Path], office: Identity, stranger: Identity, tmp_path: Path
) -> None:
    dst = tmp_path / "stranger.pdf"
    _sign(built_reports["en"], dst, stranger)
    verdict = verify_pdf(dst, office.ca_pem)
    assert verdict.intact
    assert not verdict.trusted
    assert verdict.chain_problem and "office CA" in verdict.chain_problem
    assert verdict.signer_name == "Mallory Impostor"


def test_without_a_ca_nothing_is_trusted(signed: Path) -> None:
    verdict = verify_pdf(signed, None)
    assert verdict.intact and not verdict.trusted
    assert verdict.chain_problem == "no office CA was given to check the certificate against"


def test_wrong_passphrase(built_reports: dict[str, Path], office: Identity, tmp_path: Path) -> None:
    dst = tmp_path / "never.pdf"
    with pytest.raises(UserError, match=r"wrong passphrase for .*anna-berger\.p12"):
        _sign(built_reports["en"], dst, office, passphrase=b"guess")
    assert not dst.exists()


def test_p12_given_as_bytes(
    built_reports: dict[str, Path], office: Identity, tmp_path: Path
) -> None:
    dst = tmp_path / "bytes.pdf"
    sign_pdf(
        built_reports["zh"],
        dst,
        office.p12,
        PASSPHRASE,
        signer_name="Anna Berger",
        reason="r",
        location="l",
        visible_box_text="",
    )
    assert verify_pdf(dst, office.ca_pem).ok


def test_unsigned_pdf_is_a_clear_error(built_reports: dict[str, Path], office: Identity) -> None:
    with pytest.raises(UserError, match="has no digital signature"):
        verify_pdf(built_reports["en"], office.ca_pem)


def test_missing_files(tmp_path: Path, office: Identity) -> None:
    with pytest.raises(NotFound):
        verify_pdf(tmp_path / "nope.pdf", office.ca_pem)
    with pytest.raises(NotFound):
        sign_pdf(
            tmp_path / "nope.pdf",
            tmp_path / "out.pdf",
            office.p12,
            PASSPHRASE,
            signer_name="x",
            reason="r",
            location="l",
            visible_box_text="",
        )


def _unlocked(who: Identity) -> SigningIdentity:
    key, cert, chain = pkcs12.load_key_and_certificates(who.p12, PASSPHRASE)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and cert is not None
    return SigningIdentity(key, cert, list(chain))


def test_signed_with_an_unlocked_identity_in_chinese(
    built_reports: dict[str, Path], office: Identity, tmp_path: Path
) -> None:
    dst = tmp_path / "zh.pdf"
    sign_pdf_with_identity(
        built_reports["zh"],
        dst,
        _unlocked(office),
        signer_name="Anna Berger",
        reason="进展访问报告",
        location="东莞",
        visible_box_text="东莞市宏达玩具有限公司",
        language="zh",
    )
    assert verify_pdf(dst, office.ca_pem).ok
    signature = PdfReader(dst).trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"]
    assert signature["/Reason"] == "进展访问报告"
    assert signature["/Location"] == "东莞"


@pytest.mark.parametrize(
    ("language", "signed_by", "reason"),
    [
        ("en", "Digitally signed by: Anna Berger", "Reason: Progress Visit report"),
        ("zh", "数字签名人：Anna Berger", "原因：Progress Visit report"),
        (
            "both",
            "Digitally signed by / 数字签名人: Anna Berger",
            "Reason / 原因: Progress Visit report",
        ),
    ],
)
def test_stamp_text_follows_the_report_language(
    language: Language, signed_by: str, reason: str
) -> None:
    moment = datetime(2024, 3, 19, 2, 2, 7, tzinfo=UTC)
    lines = stamp_lines(
        language,
        signer_name="Anna Berger",
        signed_at=moment,
        reason="Progress Visit report",
        location="Dongguan",
        extra="东莞市宏达玩具有限公司\n",
    )
    assert lines[0] == signed_by
    assert lines[2] == reason
    assert lines[-1] == "东莞市宏达玩具有限公司"
    # The time carries its UTC offset, and it names the same moment.
    stamp_time = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC([+-]\d\d:\d\d)?$", lines[1])
    assert stamp_time is not None, lines[1]
    offset = stamp_time.group(2) or "+00:00"
    read_back = datetime.fromisoformat(f"{stamp_time.group(1)}{offset}")
    assert read_back == moment


def test_verdict_lines_in_english_and_chinese(signed: Path, office: Identity) -> None:
    verdict = verify_pdf(signed, office.ca_pem)
    en, zh = verdict.lines("en"), verdict.lines("zh")
    assert en[0] == "Signer: Anna Berger <anna.berger@example.org>"
    assert "Intact: yes" in en and "Trusted: yes" in en
    assert zh[0] == "签署人：Anna Berger <anna.berger@example.org>"
    assert "内容完整：是" in zh and "受办公室信任：是" in zh
    assert re.search(r"UTC([+-]\d\d:\d\d)?$", en[1])
    assert verdict.headline("zh") == "有效的已签署报告"


def test_untrusted_verdict_says_why_in_chinese(
    built_reports: dict[str, Path], stranger: Identity, tmp_path: Path
) -> None:
    dst = tmp_path / "stranger.pdf"
    _sign(built_reports["en"], dst, stranger)
    verdict = verify_pdf(dst, None)
    assert "受办公室信任：否 — 未提供用于核验证书的办公室 CA" in verdict.lines("zh")
    assert verdict.headline("zh") == "不是有效的已签署报告"
