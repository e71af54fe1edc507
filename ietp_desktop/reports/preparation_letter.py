"""The preparation letter sent when a Progress Visit is announced (always English | 中文)."""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ietp_desktop.i18n import tr
from ietp_desktop.reports.document import PageFurniture, build_document
from ietp_desktop.reports.fonts import markup
from ietp_desktop.reports.layout import (
    CONTENT_WIDTH,
    HEADER_FILL,
    RULE,
    Labels,
    Styles,
    para,
    short_id,
    table_style,
)
from ietp_desktop.reports.model import PreparationLetterData
from ietp_desktop.reports.output import Output, open_output

AGENDA: tuple[tuple[str, str], ...] = (
    ("Opening meeting with senior management", "Scope, agenda and confidentiality of the visit."),
    ("Document review", "Time, payroll and personnel records of the sampled workers."),
    ("Site tour", "Production areas, warehouses, dormitories and canteen."),
    ("Worker interviews", "Private interviews with sampled workers, without managers present."),
    ("Open discussion and Q&A", "Questions from the factory; best practices and challenges."),
    ("Closing meeting", "Findings, next steps and the Corrective Action Plan."),
)

RECORDS: tuple[str, ...] = (
    "Time records (attendance / punch-card data) for the last 12 months, peak season included",
    "Payroll records and pay slips for the last 12 months",
    "Labour contracts of all workers",
    "Social insurance payment records",
    "Personnel files with ID copies; register of juvenile workers (16–18)",
    "Approval of comprehensive or flexible working hours, if any",
    "Fire acceptance certificate and fire inspection records",
    "Fire drill, safety training and PPE issue records",
    "Previous audit reports, CAPs and remediation records",
    "Factory policies: working hours, wages, discipline, grievance",
)


def _both(msgid: str, **values: object) -> tuple[str, str]:
    return (tr(msgid, language="en", **values), tr(msgid, language="zh", **values))


def _pair_rows(rows: list[tuple[str, str]], styles: Styles, style_name: str = "body") -> Table:
    style = getattr(styles, style_name)
    half = CONTENT_WIDTH / 2
    table = Table(
        [[para(markup(en), style), para(markup(zh), style)] for en, zh in rows],
        colWidths=[half, half],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def build_preparation_letter(data: PreparationLetterData, out: Output) -> None:
    """Write the bilingual preparation letter (English | 中文 side by side)."""
    s = Styles()
    labels = Labels("both", s)
    f = data.factory
    last_day = data.confirmed_date + timedelta(days=max(1, data.visit_days) - 1)
    dates = data.confirmed_date.isoformat()
    if last_day != data.confirmed_date:
        dates += f" – {last_day.isoformat()}"
    contact = data.specialist_email + (
        f", {data.specialist_phone}" if data.specialist_phone else ""
    )
    story: list[Flowable] = [labels.heading("Progress Visit — preparation letter")]
    story.append(
        _pair_rows(
            [
                _both("Date: {date}", date=data.letter_date.isoformat()),
                _both("To: {factory}", factory=f"{f.name_en} {f.name_zh}".strip()),
                (f"{f.address}, {f.city}", ""),
                _both("Attention: {name}", name=data.contact_name)
                if data.contact_name
                else ("", ""),
                _both("IETP id: {id}", id=f.ietp_id),
            ],
            s,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _pair_rows(
            [
                _both(
                    "We confirm the announced Progress Visit to your factory on {dates} "
                    "({days} day(s) on site).",
                    dates=dates,
                    days=data.visit_days,
                ),
                _both(
                    "The visit is conducted by {name} ({contact}), an IETP Progress Visit "
                    "specialist.",
                    name=data.specialist_name,
                    contact=contact,
                ),
                _both(
                    "Senior management must attend the opening and the closing meeting. Please "
                    "have the records listed below ready at the start of the visit."
                ),
            ],
            s,
        )
    )
    story.append(labels.heading("Agenda", s.h2))
    half = CONTENT_WIDTH / 2
    rows: list[list[object]] = []
    for number, (title, detail) in enumerate(AGENDA, start=1):
        en_t, zh_t = _both(title)
        en_d, zh_d = _both(detail)
        rows.append(
            [
                para(f"<b>{number}. {markup(en_t)}</b><br/>{markup(en_d)}", s.cell),
                para(f"<b>{number}. {markup(zh_t)}</b><br/>{markup(zh_d)}", s.cell),
            ]
        )
    agenda = Table(rows, colWidths=[half, half])
    agenda.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
            ]
        )
    )
    story.append(agenda)
    story.append(labels.heading("Records to have ready", s.h2))
    records = [_both(r) for r in RECORDS] + [(r, "") for r in data.extra_records]
    story.append(
        _pair_rows([(f"• {en}", f"• {zh}" if zh else "") for en, zh in records], s, "cell")
    )
    story.append(Spacer(1, 6 * mm))
    story.append(
        _pair_rows(
            [
                _both(
                    "Originals are reviewed on site and returned; copies of sampled records may "
                    "be kept as evidence. Personal data is handled confidentially."
                ),
                _both("Kind regards,"),
                (data.specialist_name, data.specialist_name),
            ],
            s,
        )
    )
    furniture = PageFurniture(
        header_left=labels.text("ICTI Ethical Toy Program — Progress Visit"),
        header_right=f"{f.ietp_id}"
        + (f" · {short_id(data.visit_uuid)}" if data.visit_uuid else ""),
        footer_left=labels.text("Preparation letter"),
    )
    with open_output(out) as stream:
        build_document(
            stream,
            story,
            labels,
            furniture,
            title=f"{labels.text('Preparation letter')} — {f.name_en}",
            author=data.specialist_name,
        )
