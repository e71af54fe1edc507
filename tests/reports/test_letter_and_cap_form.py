from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ietp_desktop.i18n import tr
from ietp_desktop.reports.cap_form import build_cap_form
from ietp_desktop.reports.preparation_letter import AGENDA, RECORDS, build_preparation_letter
from ietp_desktop.reports.sample import sample_cap_form_data, sample_letter_data
from tests.reports.pdftext import page_texts, squash, unembedded_fonts

PNG_DIR = Path("/tmp/report-pngs")


def _save_first_page(pdf_path: Path, name: str) -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(str(pdf_path))
    pdf[0].render(scale=1.3).to_pil().save(PNG_DIR / name)


def test_preparation_letter_is_bilingual_and_complete(tmp_path: Path) -> None:
    data = sample_letter_data()
    out = tmp_path / "letter.pdf"
    build_preparation_letter(data, out)
    text = squash("".join(page_texts(out)))
    assert squash(data.factory.name_zh) in text
    assert data.confirmed_date.isoformat() in text
    assert squash(data.specialist_name) in text
    for title, _detail in AGENDA:
        assert squash(title) in text
        assert squash(tr(title, language="zh")) in text
    for record in RECORDS:
        assert squash(tr(record, language="zh")) in text
    assert squash(data.extra_records[0]) in text
    assert unembedded_fonts(out) == []
    _save_first_page(out, "letter-p1.png")


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_cap_form_has_a_row_per_cap_line(tmp_path: Path, language: str) -> None:
    data = sample_cap_form_data()
    out = tmp_path / f"cap-{language}.pdf"
    build_cap_form(data, out, language)  # type: ignore[arg-type]
    text = squash("".join(page_texts(out)))
    for line in data.cap_lines:
        assert line.finding_code in text
        assert squash(line.corrective_action) in text
    assert squash(data.factory.name_zh) in text
    blank_column = tr("Root cause (factory)", language="zh" if language == "zh" else "en")
    assert squash(blank_column) in text
    assert unembedded_fonts(out) == []
    _save_first_page(out, f"cap-{language}-p1.png")
