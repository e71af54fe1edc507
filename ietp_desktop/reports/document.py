"""The page frame every document shares: header, footer with "Page X of Y", and a last-page
template that keeps the bottom free for the visible signature stamp."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ietp_desktop.reports.fonts import canvas_font, register_fonts
from ietp_desktop.reports.layout import (
    ACCENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED,
    PAGE_HEIGHT,
    PAGE_SIZE,
    PAGE_WIDTH,
    RULE,
    STAMP_BOX,
    STAMP_RESERVED_HEIGHT,
    Labels,
)
from ietp_desktop.reports.numbered_canvas import numbered_canvas

NORMAL = "normal"
SIGNATURE = "signature"


@dataclass(frozen=True)
class PageFurniture:
    header_left: str
    header_right: str
    footer_left: str


def _draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, right: bool = False
) -> None:
    canvas.setFont(canvas_font(text), size)
    if right:
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def _header(furniture: PageFurniture, canvas: Canvas) -> None:
    canvas.saveState()
    y = PAGE_HEIGHT - MARGIN_TOP + 8 * mm
    canvas.setFillColor(ACCENT)
    _draw_text(canvas, MARGIN_LEFT, y, furniture.header_left, 8)
    canvas.setFillColor(MUTED)
    _draw_text(canvas, PAGE_WIDTH - MARGIN_RIGHT, y, furniture.header_right, 8, right=True)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, y - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, y - 2.5 * mm)
    canvas.restoreState()


def _stamp_placeholder(labels: Labels, canvas: Canvas) -> None:
    x1, y1, x2, y2 = STAMP_BOX
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setDash(2, 2)
    canvas.rect(x1, y1, x2 - x1, y2 - y1)
    canvas.setFillColor(MUTED)
    _draw_text(canvas, x1, y2 + 2 * mm, labels.text("Digital signature (PAdES)"), 7)
    canvas.restoreState()


def _signature_page(furniture: PageFurniture, labels: Labels, canvas: Canvas) -> None:
    _header(furniture, canvas)
    _stamp_placeholder(labels, canvas)


def build_document(
    stream: BinaryIO,
    story: Sequence[Flowable],
    labels: Labels,
    furniture: PageFurniture,
    *,
    title: str,
    author: str,
    on_progress: object = None,
) -> None:
    """Lay out `story` on A4 pages. A `NextPageTemplate(SIGNATURE)` in the story switches to
    the last-page template whose frame ends above the stamp box."""
    register_fonts()
    doc = BaseDocTemplate(
        stream,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        creator="IETP PV Desktop",
        lang="zh-CN" if labels.language == "zh" else "en",
    )
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    normal = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        width,
        height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    last = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM + STAMP_RESERVED_HEIGHT,
        width,
        height - STAMP_RESERVED_HEIGHT,
        id="last",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(NORMAL, [normal], onPage=lambda c, d: _header(furniture, c)),
            PageTemplate(
                SIGNATURE,
                [last],
                onPage=lambda c, d: _signature_page(furniture, labels, c),
            ),
        ]
    )
    if on_progress is not None:
        doc.setProgressCallBack(on_progress)

    def footer(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        y = MARGIN_BOTTOM - 10 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, y + 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, y + 4 * mm)
        _draw_text(canvas, MARGIN_LEFT, y, furniture.footer_left, 7.5)
        if labels.language == "both":  # the numbers once: 'Page / 页码 3 / 12'
            page_text = labels.label_value("Page", f"{page} / {total}")
        else:
            page_text = labels.text("Page {page} of {total}", page=page, total=total)
        _draw_text(canvas, PAGE_WIDTH - MARGIN_RIGHT, y, page_text, 7.5, right=True)
        canvas.restoreState()

    doc.build(list(story), canvasmaker=numbered_canvas(footer))
