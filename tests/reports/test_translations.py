from __future__ import annotations

import io
from dataclasses import replace

import pytest

import ietp_desktop.reports.layout as layout
import ietp_desktop.reports.preparation_letter as letter
from ietp_desktop.i18n import catalogue, tr
from ietp_desktop.reports.cap_form import build_cap_form
from ietp_desktop.reports.model import ReportData
from ietp_desktop.reports.sample import sample_cap_form_data, sample_letter_data
from ietp_desktop.reports.visit_report import build_visit_report


def test_every_label_has_a_chinese_translation(
    monkeypatch: pytest.MonkeyPatch, report_data: ReportData
) -> None:
    used: set[str] = set()

    def recording_tr(msgid: str, /, language: str | None = None, **values: object) -> str:
        used.add(msgid)
        return tr(msgid, language=language, **values)

    monkeypatch.setattr(layout, "tr", recording_tr)
    monkeypatch.setattr(letter, "tr", recording_tr)
    build_visit_report(report_data, io.BytesIO(), "zh")
    empty = replace(
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
    build_visit_report(empty, io.BytesIO(), "both")
    build_cap_form(sample_cap_form_data(), io.BytesIO(), "zh")
    letter.build_preparation_letter(sample_letter_data(), io.BytesIO())
    zh = catalogue("zh")
    worker_figures = {k for w in report_data.workers.workers for k in w.figures}  # type: ignore[union-attr]
    missing = sorted(m for m in used if m not in zh and m not in worker_figures)
    assert len(used) > 100
    assert missing == []
