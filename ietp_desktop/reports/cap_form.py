"""The Corrective Action Plan form the factory fills in and returns with remediation records."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ietp_desktop.reports.document import PageFurniture, build_document
from ietp_desktop.reports.fonts import markup
from ietp_desktop.reports.layout import (
    CONTENT_WIDTH,
    RULE,
    Labels,
    Language,
    Styles,
    fmt_date,
    fmt_dates,
    grid_table,
    key_value_table,
    para,
    short_id,
    table_style,
)
from ietp_desktop.reports.model import CapFormData, ReportFinding
from ietp_desktop.reports.output import Output, open_output

WRITING_SPACE = 26 * mm  # height of each blank cell the factory writes in


def build_cap_form(data: CapFormData, out: Output, language: Language) -> None:
    """Write the CAP form: one row per CAP line with blank columns for the factory."""
    s = Styles()
    labels = Labels(language, s)
    f = data.factory
    findings: dict[str, ReportFinding] = {x.code: x for x in data.findings}
    story: list[Flowable] = [labels.heading("Corrective Action Plan — form for the factory")]
    info = [
        ("Factory", f"{f.name_en}\n{f.name_zh}".strip()),
        ("IETP id", f.ietp_id),
        ("Visit dates", fmt_dates(data.visit_dates)),
        ("Visit id", data.visit_uuid),
        ("Revision", str(data.revision)),
        ("Return by", fmt_date(data.return_by)),
        ("Specialist", f"{data.specialist_name} <{data.specialist_email}>"),
    ]
    story.append(
        key_value_table([(labels.cell(k), para(markup(v), s.body)) for k, v in info], 40 * mm)
    )
    story.append(Spacer(1, 3 * mm))
    story.append(
        para(
            labels.markup(
                "For each finding, describe the root cause, the action taken and the date it "
                "was completed, and list the evidence you attach (photos, records, training "
                "lists). Return the completed form with the evidence by the date above."
            ),
            s.body,
        )
    )
    story.append(Spacer(1, 4 * mm))
    w = CONTENT_WIDTH
    headers = (
        "Finding",
        "Required action",
        "Root cause (factory)",
        "Action taken and completion date",
        "Evidence attached",
    )
    rows: list[list[object]] = [[labels.cell(h) for h in headers]]
    for line in data.cap_lines:
        finding = findings.get(line.finding_code)
        described = f"<b>{markup(line.finding_code)}</b>"
        if finding is not None:
            described += f"<br/>{markup(finding.description)}"
        required = (
            f"{markup(line.corrective_action)}<br/>"
            f"<i>{labels.inline('Preventive action')}:</i> {markup(line.preventive_action)}<br/>"
            f"<i>{labels.inline('Responsible')}:</i> {markup(line.responsible)}<br/>"
            f"<i>{labels.inline('Due date')}:</i> {fmt_date(line.due_date)}"
        )
        rows.append(
            [
                para(described, s.cell),
                para(required, s.cell),
                Spacer(1, WRITING_SPACE),
                Spacer(1, WRITING_SPACE),
                Spacer(1, WRITING_SPACE),
            ]
        )
    story.append(grid_table(rows, [0.2 * w, 0.26 * w, 0.18 * w, 0.2 * w, 0.16 * w], zebra=False))
    story.append(Spacer(1, 10 * mm))
    sign_rows = [
        [labels.cell("Factory representative (name, position)"), ""],
        [labels.cell("Signature and company chop"), ""],
        [labels.cell("Date"), ""],
    ]
    block = Table(sign_rows, colWidths=[60 * mm, w - 60 * mm], rowHeights=[12 * mm] * 3)
    block.setStyle(
        table_style(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story.append(block)
    furniture = PageFurniture(
        header_left=f"{labels.text('Corrective Action Plan')} · {f.ietp_id}",
        header_right=labels.text(
            "Visit {visit} · Revision {revision}",
            zh_msgid="Revision {revision}",
            visit=short_id(data.visit_uuid),
            revision=data.revision,
        ),
        footer_left=f"{f.name_en} {f.name_zh}".strip(),
    )
    with open_output(out) as stream:
        build_document(
            stream,
            story,
            labels,
            furniture,
            title=f"{labels.text('Corrective Action Plan')} — {f.name_en}",
            author=data.specialist_name,
        )
