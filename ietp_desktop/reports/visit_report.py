"""The visit report: what IETP, the factory and the brands read after a Progress Visit."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from ietp_desktop.domain.findings import (
    CATEGORY_LABELS,
    CLASSIFICATION_LABELS,
    Category,
    Classification,
)
from ietp_desktop.reports import charts
from ietp_desktop.reports.document import SIGNATURE, PageFurniture, build_document
from ietp_desktop.reports.fonts import markup
from ietp_desktop.reports.images import PreparedImage, downscale, downscale_all, side_for_print
from ietp_desktop.reports.layout import (
    CONTENT_WIDTH,
    MUTED,
    TONE_COLOURS,
    Labels,
    Language,
    Styles,
    fmt_date,
    fmt_dates,
    fmt_money,
    grid_table,
    key_value_table,
    para,
    short_id,
    table_style,
)
from ietp_desktop.reports.model import ReportData, ReportFinding, ReportPhoto
from ietp_desktop.reports.output import Output, open_output

Progress = Callable[[float], None]
_ZT_RED = "#b42318"
SENIOR = HexColor("#1e7b3a")
PHOTO_WIDTH = (CONTENT_WIDTH - 6 * mm) / 2  # two photos per row
PHOTO_MAX_HEIGHT = 68 * mm


def _hex(colour: Color) -> str:
    return "#" + str(colour.hexval())[2:]


def build_visit_report(
    data: ReportData,
    out: Output,
    language: Language,
    progress: Progress | None = None,
) -> None:
    """Write the visit report PDF (unsigned; see signing.sign_pdf) to a path or binary stream.

    `progress` receives fractions 0.0 … 1.0; it is called from the calling thread.
    """
    report = _Report(data, language, progress)
    with open_output(out) as stream:
        report.write(stream)


class _Report:
    def __init__(self, data: ReportData, language: Language, progress: Progress | None) -> None:
        self.d = data
        self.s = Styles()
        self.L = Labels(language, self.s)
        self.progress = progress or (lambda _f: None)
        self.images: dict[str, PreparedImage] = {}
        self.folder = Path()

    # -- assembly ---------------------------------------------------------------------------
    def write(self, stream: BinaryIO) -> None:
        # Prepared photos are placed from files: reportlab then embeds the JPEG as it is and
        # names it by path, where an in-memory image would be decoded again to hash its pixels.
        with tempfile.TemporaryDirectory(prefix="ietp-report-") as folder:
            self.folder = Path(folder)
            self._write(stream)

    def _write(self, stream: BinaryIO) -> None:
        self.progress(0.0)
        photos = self.d.photos
        self.images = downscale_all(
            [(p.ref, p.image) for p in photos],
            progress=lambda n: self.progress(0.5 * n / len(photos)),
            max_side=side_for_print(PHOTO_WIDTH),
        )
        story: list[Flowable] = []
        for part in (
            self.cover,
            self.visit_details,
            self.outcome_details,
            self.checklist,
            self.workers,
            self.findings,
            self.cap,
            self.photos,
            self.questions,
            self.best_practices,
            self.fee,
            self.signatures,
        ):
            story += part()
        self.progress(0.55)
        total = max(1, len(story))

        def on_progress(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                self.progress(0.55 + 0.44 * min(1.0, value / total))

        v, f = self.d.visit, self.d.factory
        furniture = PageFurniture(
            header_left=f"{self.L.text('Progress Visit report')} · {f.ietp_id}",
            header_right=self.L.text(
                "Visit {visit} · Revision {revision}",
                zh_msgid="Revision {revision}",
                visit=short_id(v.uuid),
                revision=v.revision,
            ),
            footer_left=self.L.label_value(
                "Generated", fmt_date(self.d.generated_at or datetime.now())
            ),
        )
        build_document(
            stream,
            story,
            self.L,
            furniture,
            title=f"{self.L.text('Progress Visit report')} — {f.name_en}",
            author=v.specialist_name,
            on_progress=on_progress,
        )
        self.progress(1.0)

    # -- helpers ----------------------------------------------------------------------------
    def p(self, text: str, style: str = "cell") -> Paragraph:
        """Content as entered, printed once."""
        return para(markup(text) if text else "—", getattr(self.s, style))

    def lbl(self, msgid: str, style: str = "cell", **values: object) -> Paragraph:
        return para(self.L.markup(msgid, **values), getattr(self.s, style))

    def kv(self, rows: list[tuple[str, str]], label_width: float = 48 * mm) -> Table:
        return key_value_table([(self.L.cell(k), self.p(v, "body")) for k, v in rows], label_width)

    def section(self, msgid: str) -> list[Flowable]:
        return [CondPageBreak(40 * mm), self.L.heading(msgid)]

    def classification(self, value: str, style: ParagraphStyle) -> list[Flowable]:
        try:
            return self.L.cell(CLASSIFICATION_LABELS[Classification(value)], style)
        except ValueError:
            return [para(markup(value), style)]

    def category(self, value: str) -> list[Flowable]:
        try:
            return self.L.cell(CATEGORY_LABELS[Category(value)], self.s.cell)
        except ValueError:
            return [para(markup(value), self.s.cell)]

    # -- parts ------------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        f, v, o = self.d.factory, self.d.visit, self.d.outcome
        out: list[Flowable] = [
            Spacer(1, 18 * mm),
            *self.L.stacked("Progress Visit report", self.s.title),
            Spacer(1, 10 * mm),
        ]
        out.append(para(markup(f.name_en), self.s.cover_name))
        if f.name_zh:
            out.append(para(markup(f.name_zh), self.s.cover_name))
        out.append(Spacer(1, 6 * mm))
        out.append(
            self.kv(
                [
                    ("IETP id", f.ietp_id),
                    ("Address", f"{f.address}\n{f.city}" if f.city else f.address),
                    ("Visit dates", fmt_dates(v.visit_dates)),
                    ("Specialist", f"{v.specialist_name} <{v.specialist_email}>"),
                    ("Revision", self._revision_text()),
                ]
            )
        )
        out.append(Spacer(1, 12 * mm))
        fill, ink = TONE_COLOURS.get(o.tone, TONE_COLOURS["good"])
        inner: list[list[Flowable]] = [
            [para(self.L.markup("Outcome"), self.s.cell_head)],
            [para(f'<font color="{_hex(ink)}">{markup(o.final)}</font>', self.s.outcome)],
        ]
        if o.override_reason:
            inner.append(
                [
                    para(
                        f"{self.L.inline('Recommended')}: {markup(o.recommended)}<br/>"
                        f"{self.L.inline('Reason for override')}: {markup(o.override_reason)}",
                        self.s.small,
                    )
                ]
            )
        if o.drivers:
            lines = "<br/>".join(
                f"<b>{markup(', '.join(d.finding_codes))}</b> — {markup(d.text)}" for d in o.drivers
            )
            inner.append([para(lines, self.s.body)])
        box = Table(inner, colWidths=[CONTENT_WIDTH])
        box.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), fill),
                    ("BOX", (0, 0), (-1, -1), 1.5, ink),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, 0), 8),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
                ]
            )
        )
        out += [box, PageBreak()]
        return out

    def _revision_text(self) -> str:
        v = self.d.visit
        text = str(v.revision)
        if v.revision_reason:
            text += f" — {v.revision_reason}"
        return text

    def visit_details(self) -> list[Flowable]:
        v = self.d.visit
        out = self.section("Visit details")
        out.append(
            self.kv(
                [
                    ("Visit id", v.uuid),
                    ("Revision", self._revision_text()),
                    ("Status", v.status),
                    ("Planned date", fmt_date(v.planned_date)),
                    ("Confirmed date", fmt_date(v.confirmed_date)),
                    ("Visit dates", ", ".join(d.isoformat() for d in v.visit_dates) or "—"),
                    ("Man-days", f"{v.man_days:g}"),
                    ("Specialist", f"{v.specialist_name} <{v.specialist_email}>"),
                    ("Checklist", f"{v.form_id} {v.form_version}"),
                ]
            )
        )
        out.append(self.L.heading("Attendees", self.s.h2))
        if not self.d.attendees:
            return [*out, self.lbl("No attendees recorded", "body")]
        headers = ("Name", "Role", "Senior management", "Opening meeting", "Closing meeting")
        rows: list[list[object]] = [[self.L.cell(h) for h in headers]]
        for a in self.d.attendees:
            senior = (
                f'<font color="{_hex(SENIOR)}"><b>{self.L.markup("Yes")}</b></font>'
                if a.senior_management
                else "—"
            )
            rows.append(
                [
                    self.p(a.name),
                    self.p(a.role),
                    para(senior, self.s.cell),
                    para(self.L.yes_no(a.present_opening), self.s.cell),
                    para(self.L.yes_no(a.present_closing), self.s.cell),
                ]
            )
        w = CONTENT_WIDTH
        out.append(grid_table(rows, [0.27 * w, 0.27 * w, 0.2 * w, 0.13 * w, 0.13 * w]))
        return out

    def outcome_details(self) -> list[Flowable]:
        o = self.d.outcome
        out = self.section("Outcome")
        rows = [("Outcome", o.final), ("Recommended", o.recommended)]
        if o.override_reason:
            rows.append(("Reason for override", o.override_reason))
        out.append(self.kv(rows))
        if o.drivers:
            out.append(self.L.heading("What led to this outcome", self.s.h2))
            table = [[self.L.cell("Findings"), self.L.cell("Rule applied")]]
            for driver in o.drivers:
                table.append([self.p(", ".join(driver.finding_codes)), self.p(driver.text)])
            out.append(grid_table(table, [0.2 * CONTENT_WIDTH, 0.8 * CONTENT_WIDTH]))
        return out

    def checklist(self) -> list[Flowable]:
        out: list[Flowable] = [PageBreak(), self.L.heading("Checklist")]
        w = CONTENT_WIDTH
        widths = [0.40 * w, 0.17 * w, 0.30 * w, 0.13 * w]
        for section in self.d.sections:
            title = self.L.pick(section.title_en, section.title_zh)
            # The heading, the column header and a first (two-language, several-line) row.
            out.append(CondPageBreak(50 * mm))
            out.append(para(f"{markup(section.section_id)} {title}", self.s.h2))
            rows: list[list[object]] = [
                [
                    self.L.cell("Item"),
                    self.L.cell("Answer"),
                    self.L.cell("Notes"),
                    self.L.cell("References"),
                ]
            ]
            for item in section.items:
                question = self.L.pick(item.question_en, item.question_zh)
                ref = (
                    f' <font color="{_hex(MUTED)}" size="7">'
                    f"IETP\u00a0{markup(item.ietp_ref)}</font>"
                    if item.ietp_ref
                    else ""
                )
                refs = [*item.finding_codes, *item.photo_refs]
                zt = any(self._is_zero_tolerance(c) for c in item.finding_codes)
                ref_text = ", ".join(refs) or "—"
                if zt:
                    ref_text = f'<font color="{_ZT_RED}"><b>{markup(ref_text)}</b></font>'
                else:
                    ref_text = markup(ref_text)
                rows.append(
                    [
                        para(f"<b>{markup(item.item_id)}</b> {question}{ref}", self.s.cell),
                        self.p(item.answer) if item.answer else self.lbl("Not answered", "muted"),
                        self.p(item.note) if item.note else para("", self.s.cell),
                        para(ref_text, self.s.cell),
                    ]
                )
            out.append(grid_table(rows, widths))
        return out

    def _is_zero_tolerance(self, code: str) -> bool:
        return any(
            f.code == code and f.classification == Classification.ZERO_TOLERANCE
            for f in self.d.findings
        )

    def workers(self) -> list[Flowable]:
        analysis = self.d.workers
        if analysis is None:
            return []
        limits = analysis.limits
        out: list[Flowable] = [PageBreak(), self.L.heading("Working hours and wages")]
        out.append(
            self.kv(
                [
                    ("Records period", analysis.period),
                    ("Workforce", str(analysis.workforce)),
                    ("Workers sampled", str(len(analysis.workers))),
                ]
            )
        )
        if analysis.summary:
            out += [Spacer(1, 3 * mm), self.p(analysis.summary, "body")]
        out += [
            Spacer(1, 4 * mm),
            charts.summary_chart(self.L, analysis.workers, limits, CONTENT_WIDTH, 62 * mm),
            charts.legend(self.L, limits, CONTENT_WIDTH),
            self.lbl("Workers are identified by code only.", "muted"),
        ]
        out.append(self.L.heading("Per worker", self.s.h2))
        rows: list[list[object]] = [
            [self.L.cell("Worker"), self.L.cell("Figures"), self.L.cell("Breaches")]
        ]
        for worker in analysis.workers:
            figures = "<br/>".join(
                f"{self.L.inline(k)}: {markup(v)}" for k, v in worker.figures.items()
            )
            breaches = "<br/>".join(f"• {markup(b)}" for b in worker.breaches)
            rows.append(
                [
                    para(f"<b>{markup(worker.code)}</b>", self.s.cell),
                    para(figures or "—", self.s.cell),
                    para(breaches, self.s.cell) if breaches else self.lbl("None", "muted"),
                ]
            )
        w = CONTENT_WIDTH
        out.append(grid_table(rows, [0.1 * w, 0.4 * w, 0.5 * w]))
        out.append(CondPageBreak(70 * mm))  # keep the heading and legend with the charts
        out.append(self.L.heading("Weekly hours per worker", self.s.h2))
        out.append(charts.legend(self.L, limits, CONTENT_WIDTH))
        out.append(Spacer(1, 3 * mm))
        per_row = 3
        cell_w = CONTENT_WIDTH / per_row
        grid: list[list[object]] = []
        for start in range(0, len(analysis.workers), per_row):
            chunk = analysis.workers[start : start + per_row]
            row: list[object] = [
                charts.worker_chart(self.L, wk, limits, cell_w - 4, 42 * mm) for wk in chunk
            ]
            grid.append(row + [""] * (per_row - len(row)))
        if grid:
            table = Table(grid, colWidths=[cell_w] * per_row)
            table.setStyle(
                table_style(
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
                )
            )
            out.append(table)
        return out

    def findings(self) -> list[Flowable]:
        out: list[Flowable] = [PageBreak(), self.L.heading("Findings")]
        if not self.d.findings:
            return [*out, self.lbl("No findings.", "body")]
        rows: list[list[object]] = [
            [
                self.L.cell("Code"),
                self.L.cell("Classification"),
                self.L.cell("Category"),
                self.L.cell("Description"),
                self.L.cell("References"),
            ]
        ]
        for f in self.d.findings:
            rows.append(self._finding_row(f))
        w = CONTENT_WIDTH
        out.append(grid_table(rows, [0.08 * w, 0.19 * w, 0.16 * w, 0.43 * w, 0.14 * w]))
        return out

    def _finding_row(self, f: ReportFinding) -> list[object]:
        zt = f.classification == Classification.ZERO_TOLERANCE
        cls = self.classification(f.classification, self.s.cell_alert if zt else self.s.cell)
        code = f"<b>{markup(f.code)}</b>"
        if zt:
            code = f'<font color="{_ZT_RED}">{code}</font>'
        description = markup(f.description)
        if f.root_cause:
            description += f"<br/><i>{self.L.inline('Root cause')}:</i> {markup(f.root_cause)}"
        refs = []
        if f.item_ids:
            refs.append(f"{self.L.inline('Items')}: {markup(', '.join(f.item_ids))}")
        if f.photo_refs:
            refs.append(f"{self.L.inline('Photos')}: {markup(', '.join(f.photo_refs))}")
        return [
            para(code, self.s.cell),
            cls,
            self.category(f.category),
            para(description, self.s.cell),
            para("<br/>".join(refs) or "—", self.s.cell),
        ]

    def cap(self) -> list[Flowable]:
        if not self.d.cap_lines:
            return []
        out = self.section("Corrective Action Plan")
        rows: list[list[object]] = [
            [
                self.L.cell("Finding"),
                self.L.cell("Corrective action"),
                self.L.cell("Preventive action"),
                self.L.cell("Responsible"),
                self.L.cell("Due date"),
                self.L.cell("Status"),
                self.L.cell("Remediation records"),
            ]
        ]
        for line in self.d.cap_lines:
            records = "<br/>".join(
                f"{r.received_on.isoformat()}: {markup(r.description)}" for r in line.remediation
            )
            rows.append(
                [
                    para(f"<b>{markup(line.finding_code)}</b>", self.s.cell),
                    self.p(line.corrective_action),
                    self.p(line.preventive_action),
                    self.p(line.responsible),
                    self.p(fmt_date(line.due_date)),
                    self.p(line.status),
                    para(records or "—", self.s.cell),
                ]
            )
        w = CONTENT_WIDTH
        out.append(
            grid_table(rows, [0.09 * w, 0.19 * w, 0.18 * w, 0.13 * w, 0.12 * w, 0.14 * w, 0.15 * w])
        )
        return out

    def photos(self) -> list[Flowable]:
        if not self.d.photos:
            return []
        out: list[Flowable] = [PageBreak(), self.L.heading("Photos")]
        col, max_h = PHOTO_WIDTH, PHOTO_MAX_HEIGHT
        cells = [self._photo_cell(p, col, max_h) for p in self.d.photos]
        for start in range(0, len(cells), 2):
            pair = cells[start : start + 2]
            row = Table([pair + [""] * (2 - len(pair))], colWidths=[col + 6 * mm, col])
            row.setStyle(
                table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            out.append(row)
        return out

    def _photo_cell(self, photo: ReportPhoto, width: float, max_h: float) -> list[Flowable]:
        prepared = self.images.get(photo.ref) or downscale(
            photo.image, what=f"photo {photo.ref}", max_side=side_for_print(PHOTO_WIDTH)
        )
        scale = min(width / prepared.width, max_h / prepared.height)
        path = self.folder / f"photo-{len(list(self.folder.iterdir())):04d}.jpg"
        path.write_bytes(prepared.jpeg)
        image = Image(str(path), prepared.width * scale, prepared.height * scale)
        image.hAlign = "LEFT"
        links = []
        if photo.item_ids:
            links.append(f"{self.L.inline('Items')}: {markup(', '.join(photo.item_ids))}")
        if photo.finding_codes:
            links.append(f"{self.L.inline('Findings')}: {markup(', '.join(photo.finding_codes))}")
        caption = f"<b>{markup(photo.ref)}</b> — {markup(photo.caption)}"
        if links:
            caption += f'<br/><font color="{_hex(MUTED)}">{" · ".join(links)}</font>'
        return [image, Spacer(1, 1.5 * mm), para(caption, self.s.small)]

    def questions(self) -> list[Flowable]:
        out = [PageBreak(), self.L.heading("Open discussion and Q&A")]
        if not self.d.questions:
            return [*out, self.lbl("No questions were raised.", "body")]
        rows: list[list[object]] = [
            [
                self.L.cell("Question"),
                self.L.cell("Answer"),
                self.L.cell("Raised by"),
                self.L.cell("Follow-up"),
            ]
        ]
        for q in self.d.questions:
            rows.append(
                [self.p(q.question), self.p(q.answer), self.p(q.raised_by), self.p(q.follow_up)]
            )
        w = CONTENT_WIDTH
        out.append(grid_table(rows, [0.3 * w, 0.35 * w, 0.13 * w, 0.22 * w]))
        return out

    def best_practices(self) -> list[Flowable]:
        out = self.section("Best practices observed")
        if not self.d.best_practices:
            return [*out, self.lbl("None recorded.", "body")]
        rows: list[list[object]] = [[self.L.cell("Item"), self.L.cell("Note")]]
        for bp in self.d.best_practices:
            rows.append([self.p(bp.item_id), self.p(bp.note)])
        out.append(grid_table(rows, [0.15 * CONTENT_WIDTH, 0.85 * CONTENT_WIDTH]))
        return out

    def fee(self) -> list[Flowable]:
        fee = self.d.fee
        if fee is None:
            return []
        out = self.section("Fee note")
        cap_text = (
            self.L.text("Yes — capped at {cap}", cap=fmt_money(fee.cap, fee.currency))
            if fee.cap_applied
            else self.L.text("No")
        )
        out.append(
            self.kv(
                [
                    ("Man-days", f"{fee.man_days:g}"),
                    ("Day rate", fmt_money(fee.day_rate, fee.currency)),
                    ("Man-days × day rate", fmt_money(fee.uncapped_total, fee.currency)),
                    ("Cap applied", cap_text),
                    ("Amount due", fmt_money(fee.capped_total, fee.currency)),
                    ("Invoice received on", fmt_date(fee.invoice_received_on)),
                    ("Payment due on", fmt_date(fee.due_on)),
                ],
                label_width=58 * mm,
            )
        )
        out.append(Spacer(1, 2 * mm))
        out.append(self.lbl("Payable within 15 working days of receiving the invoice.", "muted"))
        return out

    def signatures(self) -> list[Flowable]:
        out: list[Flowable] = [
            NextPageTemplate(SIGNATURE),
            PageBreak(),
            self.L.heading("Signatures"),
        ]
        out.append(
            self.lbl(
                "The specialist and the factory's senior manager confirm that this report reflects "
                "the visit and the closing meeting.",
                "body",
            )
        )
        out.append(Spacer(1, 6 * mm))
        col = CONTENT_WIDTH / 2
        cells: list[list[Flowable]] = []
        for sig in self.d.signatures:
            image = Image(io.BytesIO(sig.png))
            scale = min((col - 12 * mm) / image.imageWidth, 28 * mm / image.imageHeight)
            image.drawWidth = image.imageWidth * scale
            image.drawHeight = image.imageHeight * scale
            image.hAlign = "LEFT"
            cells.append(
                [
                    self.lbl(sig.role, "cell_head"),
                    Spacer(1, 2 * mm),
                    image,
                    Spacer(1, 1 * mm),
                    para(
                        f"{markup(sig.signer_name)}<br/>"
                        f'<font color="{_hex(MUTED)}">{fmt_date(sig.signed_at)}</font>',
                        self.s.small,
                    ),
                ]
            )
        for start in range(0, len(cells), 2):
            pair: list[object] = list(cells[start : start + 2])
            table = Table([pair + [""] * (2 - len(pair))], colWidths=[col, col])
            table.setStyle(
                table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEABOVE", (0, 0), (0, 0), 0.6, MUTED),
                        ("LINEABOVE", (1, 0), (1, 0), 0.6 if len(pair) > 1 else 0, MUTED),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 12 * mm),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8 * mm),
                    ]
                )
            )
            out.append(KeepTogether([table]))
        if not cells:
            out.append(self.lbl("No drawn signatures recorded.", "muted"))
        return out
