from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.reports.model import ReportData
from ietp_desktop.reports.sample import WORKER_NAMES
from ietp_desktop.reports.visit_report import build_visit_report
from tests.reports.pdftext import font_count, page_texts, squash, unembedded_fonts

PNG_DIR = Path("/tmp/report-pngs")


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_report_shows_the_whole_visit(
    built_reports: dict[str, Path], report_data: ReportData, language: str
) -> None:
    text = squash("\n".join(page_texts(built_reports[language])))
    assert squash(report_data.factory.name_zh) in text
    assert squash(report_data.factory.name_en) in text
    for section in report_data.sections:
        for item in section.items:
            if item.answer:
                assert squash(item.answer) in text, item.item_id
            if item.note:
                assert squash(item.note) in text, item.item_id
    for finding in report_data.findings:
        assert finding.code in text
        assert squash(finding.description) in text, finding.code
    for line in report_data.cap_lines:
        assert squash(line.corrective_action) in text
    assert squash(report_data.outcome.final) in text
    for worker in report_data.workers.workers:  # type: ignore[union-attr]
        assert worker.code in text
    for question in report_data.questions:
        assert squash(question.question) in text


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_worker_names_never_printed(
    built_reports: dict[str, Path], report_data: ReportData, language: str
) -> None:
    names = [w.name for w in report_data.workers.workers]  # type: ignore[union-attr]
    assert names and all(names)
    text = squash("\n".join(page_texts(built_reports[language])))
    for name in names:
        assert squash(name) not in text
    for name in WORKER_NAMES:
        assert squash(name) not in text


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_every_page_says_page_x_of_n(built_reports: dict[str, Path], language: str) -> None:
    pages = page_texts(built_reports[language])
    total = len(pages)
    assert total >= 5
    for number, page in enumerate(pages, start=1):
        wanted = {
            "en": f"Page {number} of {total}",
            "zh": tr("Page {page} of {total}", language="zh", page=number, total=total),
            "both": f"Page / 页码 {number} / {total}",
        }[language]
        assert squash(wanted) in squash(page), f"page {number}"
        assert "5f1c2a9e" in page, f"visit id missing on page {number}"


def test_bilingual_header_and_footer_print_each_value_once(built_reports: dict[str, Path]) -> None:
    for number, page in enumerate(page_texts(built_reports["both"]), start=1):
        lines = page.splitlines()
        assert "Visit 5f1c2a9e · Revision 2 / 第 2 版" in lines, f"page {number}"
        assert "Generated / 生成于 2024-03-13 18:00" in lines, f"page {number}"
        assert not any("访问 5f1c2a9e" in line for line in lines), f"page {number}"


def test_labels_follow_the_language(built_reports: dict[str, Path]) -> None:
    en = squash("\n".join(page_texts(built_reports["en"])))
    zh = squash("\n".join(page_texts(built_reports["zh"])))
    both = squash("\n".join(page_texts(built_reports["both"])))
    findings_zh = tr("Findings", language="zh")
    assert findings_zh != "Findings"
    assert "CorrectiveActionPlan" in en and findings_zh not in en
    assert findings_zh in zh and "CorrectiveActionPlan" not in zh
    assert findings_zh in both and "CorrectiveActionPlan" in both


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_fonts_are_embedded(built_reports: dict[str, Path], language: str) -> None:
    assert font_count(built_reports[language]) > 0
    assert unembedded_fonts(built_reports[language]) == []


@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_pages_render_with_content(built_reports: dict[str, Path], language: str) -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(str(built_reports[language]))
    for index in range(len(pdf)):
        image = pdf[index].render(scale=1.0).to_pil().convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 2000, f"page {index + 1} looks blank"
        if index < 3:
            image_rgb = pdf[index].render(scale=1.3).to_pil()
            image_rgb.save(PNG_DIR / f"test-{language}-p{index + 1}.png")


def test_progress_runs_from_zero_to_one(report_data: ReportData) -> None:
    seen: list[float] = []
    build_visit_report(report_data, io.BytesIO(), "en", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_revision_reason_is_printed(
    built_reports: dict[str, Path], report_data: ReportData
) -> None:
    text = squash("\n".join(page_texts(built_reports["en"])))
    assert squash(report_data.visit.revision_reason or "x") in text
    assert re.search(r"Revision2", text)


def test_unreadable_photo_is_named(report_data: ReportData) -> None:
    broken = replace(report_data.photos[1], image=b"not an image")
    data = replace(report_data, photos=(report_data.photos[0], broken))
    with pytest.raises(UserError, match="photo P02"):
        build_visit_report(data, io.BytesIO(), "en")


def test_report_without_optional_parts(report_data: ReportData) -> None:
    bare = replace(
        report_data,
        photos=(),
        workers=None,
        fee=None,
        cap_lines=(),
        findings=(),
        questions=(),
        best_practices=(),
        signatures=(),
        attendees=(),
    )
    out = io.BytesIO()
    build_visit_report(bare, out, "both")
    assert out.getvalue().startswith(b"%PDF")
