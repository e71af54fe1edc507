"""The bilingual invoice and payment reminder (English | 中文 side by side), built with the
report fonts and page frame every document shares."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ietp_desktop.i18n import tr
from ietp_desktop.office.fees.invoices import InvoiceRow
from ietp_desktop.reports.document import PageFurniture, build_document
from ietp_desktop.reports.fonts import markup
from ietp_desktop.reports.layout import (
    CONTENT_WIDTH,
    HEADER_FILL,
    RULE,
    Labels,
    Styles,
    para,
    table_style,
)


@dataclass(frozen=True)
class Addressee:
    name_en: str
    name_zh: str
    address: str
    city: str
    contact_name: str
    contact_email: str


def _both(msgid: str, **values: object) -> tuple[str, str]:
    return (tr(msgid, language="en", **values), tr(msgid, language="zh", **values))


def _pairs(rows: list[tuple[str, str]], s: Styles) -> Table:
    half = CONTENT_WIDTH / 2
    table = Table(
        [[para(markup(en), s.body), para(markup(zh), s.body)] for en, zh in rows],
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


def _figures(rows: list[tuple[str, str]], labels: Labels, s: Styles) -> Table:
    data = [[labels.cell(msgid), para(markup(value), s.cell)] for msgid, value in rows]
    table = Table(data, colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45])
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
            ]
        )
    )
    return table


def _day(value: date | None) -> str:
    return value.isoformat() if value else "–"


def _address(to: Addressee) -> list[tuple[str, str]]:
    rows = [_both("To: {factory}", factory=f"{to.name_en} {to.name_zh}".strip())]
    if to.address or to.city:
        rows.append((", ".join(p for p in (to.address, to.city) if p), ""))
    if to.contact_name:
        rows.append(_both("Attention: {name}", name=to.contact_name))
    return rows


def _build(story: list[Flowable], labels: Labels, inv: InvoiceRow, footer: str) -> bytes:
    stream = io.BytesIO()
    build_document(
        stream,
        story,
        labels,
        PageFurniture(
            header_left=labels.text("ICTI Ethical Toy Program — Progress Visit"),
            header_right=f"{inv.factory_ietp_id} · {inv.number}",
            footer_left=labels.text(footer),
        ),
        title=f"{inv.number} — {inv.factory_en}",
        author="IETP",
    )
    return stream.getvalue()


def invoice_pdf(inv: InvoiceRow, to: Addressee, issued_on: date) -> bytes:
    s = Styles()
    labels = Labels("both", s)
    story: list[Flowable] = [labels.heading("Invoice {number}", number=inv.number)]
    story.append(
        _pairs(
            [
                _both("Date: {date}", date=_day(inv.sent_on or issued_on)),
                *_address(to),
                _both("IETP id: {id}", id=inv.factory_ietp_id),
            ],
            s,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _figures(
            [
                ("Progress Visit", f"{_day(inv.visit_start)} · {inv.visit_uuid[:8]}"),
                ("Man-days", str(inv.man_days)),
                ("Day rate", f"{inv.day_rate_usd} USD"),
                ("Amount due", f"{inv.amount_usd} USD"),
            ],
            labels,
            s,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _pairs(
            [
                _both(
                    "Progress Visit man-day costs are capped at US$1,500 per visit (man-days × "
                    "day rate)."
                ),
                _both(
                    "Payment is due within 15 working days of receiving this invoice. Failure "
                    "to pay as required could result in termination."
                ),
                _both(
                    "Please quote the invoice number {number} with your payment.",
                    number=inv.number,
                ),
            ],
            s,
        )
    )
    return _build(story, labels, inv, "Invoice")


def reminder_pdf(inv: InvoiceRow, to: Addressee, today: date) -> bytes:
    s = Styles()
    labels = Labels("both", s)
    story: list[Flowable] = [
        labels.heading("Payment reminder — invoice {number}", number=inv.number)
    ]
    story.append(
        _pairs(
            [
                _both("Date: {date}", date=today.isoformat()),
                *_address(to),
                _both("IETP id: {id}", id=inv.factory_ietp_id),
            ],
            s,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _figures(
            [
                ("Invoice", inv.number),
                ("Received on", _day(inv.received_on)),
                ("Due on", _day(inv.due_on)),
                ("Amount", f"{inv.amount_usd} USD"),
                ("Paid so far", f"{inv.amount_paid_usd} USD"),
                ("Still owed", f"{inv.outstanding_usd} USD"),
            ],
            labels,
            s,
        )
    )
    story.append(Spacer(1, 4 * mm))
    lines = [
        _both(
            "Our records show that invoice {number} has not been paid in full.",
            number=inv.number,
        )
    ]
    if inv.days_overdue:
        lines.append(
            _both(
                "The payment is {days} day(s) overdue (due on {due}).",
                days=inv.days_overdue,
                due=_day(inv.due_on),
            )
        )
    lines += [
        _both(
            "Please pay the amount still owed promptly. Failure to pay as required could "
            "result in termination of the certificate."
        ),
        _both("If you have paid already, please send us the payment record."),
    ]
    story.append(_pairs(lines, s))
    return _build(story, labels, inv, "Payment reminder")
