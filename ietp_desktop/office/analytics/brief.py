"""The training needs brief: one bilingual A4 page a programme manager can hand to the fund's
committee (which training, for how many factories, why, and the fund's balance)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ietp_desktop.i18n import both, tr
from ietp_desktop.office.analytics.labels import root_cause_label
from ietp_desktop.office.analytics.model import Report
from ietp_desktop.office.analytics.topics import load_topics
from ietp_desktop.reports.fonts import LATIN, LATIN_BOLD, markup, register_fonts

MAX_NEEDS = 8  # what fits on one page with the factories beside each
MAX_FACTORIES = 6


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=LATIN_BOLD, fontSize=15, leading=19),
        "body": ParagraphStyle("body", fontName=LATIN, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=LATIN, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", fontName=LATIN_BOLD, fontSize=8, leading=10),
    }


def _period_text(report: Report) -> str:
    start, end = report.period.start, report.period.end
    if start is None and end is None:
        return both("All received visits")
    return both(
        "Visits from {start} to {end}",
        start=start.isoformat() if start else "…",
        end=end.isoformat() if end else "…",
    )


def brief_pdf(report: Report, balance: Decimal, visits: int, today: date) -> bytes:
    register_fonts()
    s = _styles()
    topics = load_topics()
    needs = report.table("needs").rows[:MAX_NEEDS]
    factories: dict[str, list[str]] = {}
    for row in report.table("factories").rows:
        factories.setdefault(str(row[0]), []).append(str(row[1]))
    fund = both("Fund balance: {amount} USD", amount=f"{balance:,.2f}")
    story: list[object] = [
        Paragraph(markup(both("Training needs brief")), s["title"]),
        Spacer(1, 2 * mm),
        Paragraph(markup(_period_text(report)), s["body"]),
        Paragraph(markup(both("Received visits in the period: {count}", count=visits)), s["body"]),
        Paragraph(markup(fund), s["body"]),
        Spacer(1, 4 * mm),
    ]
    header = [
        Paragraph(markup(f"{tr(c, language='en')}\n{tr(c, language='zh')}"), s["head"])
        for c in (
            "Rank",
            "Training topic",
            "Factories affected",
            "Recurrences",
            "Non-compliances",
            "Factories",
        )
    ]
    rows: list[list[object]] = [header]
    for rank, cause, _, affected, recurrences, ncs in needs:
        topic = topics.get(str(cause))
        name = (
            f"{topic.en}\n{topic.zh}"
            if topic
            else f"{root_cause_label(str(cause), 'en')}\n{root_cause_label(str(cause), 'zh')}"
        )
        listed = factories.get(str(cause), [])
        more = len(listed) - MAX_FACTORIES
        names = ", ".join(listed[:MAX_FACTORIES]) + (f" (+{more})" if more > 0 else "")
        rows.append(
            [
                Paragraph(str(rank), s["body"]),
                Paragraph(markup(name), s["body"]),
                Paragraph(str(affected), s["body"]),
                Paragraph(str(recurrences), s["body"]),
                Paragraph(str(ncs), s["body"]),
                Paragraph(markup(names), s["small"]),
            ]
        )
    if len(rows) == 1:
        rows.append(
            [
                Paragraph(
                    markup(both("No non-compliance with a root cause in this period.")), s["body"]
                )
            ]
            + [Paragraph("", s["body"])] * 5
        )
    table = Table(
        rows, colWidths=[14 * mm, 58 * mm, 22 * mm, 25 * mm, 28 * mm, 33 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            markup(
                both(
                    "Ranked by factories affected, then by recurrences (the same root cause at "
                    "the factory's next visit), then by non-compliances."
                )
            ),
            s["small"],
        ),
        Paragraph(
            markup(both("Only non-compliances with a root cause count; observations do not.")),
            s["small"],
        ),
        Paragraph(
            markup(
                tr("Prepared on {date}", language="en", date=today.isoformat())
                + " / "
                + tr("Prepared on {date}", language="zh", date=today.isoformat())
            ),
            s["small"],
        ),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="Training needs brief",
    )
    document.build(story)
    return out.getvalue()
