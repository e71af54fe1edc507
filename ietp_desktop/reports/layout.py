"""Page geometry, paragraph styles and the language-aware label helper shared by the builders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ietp_desktop.i18n import tr
from ietp_desktop.reports.fonts import CJK, LATIN, LATIN_BOLD, markup, register_fonts
from ietp_desktop.reports.wrapping import MixedParagraph

Language = Literal["en", "zh", "both"]
LANGUAGES: tuple[Language, ...] = ("en", "zh", "both")

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Area kept empty at the bottom of the last page for the visible PAdES stamp (x1, y1, x2, y2 in
# points from the bottom-left corner). The signature page template ends its frame above it.
STAMP_BOX: tuple[int, int, int, int] = (
    int(MARGIN_LEFT),
    int(MARGIN_BOTTOM + 2 * mm),
    int(MARGIN_LEFT + 100 * mm),
    int(MARGIN_BOTTOM + 2 * mm + 32 * mm),
)
STAMP_RESERVED_HEIGHT = STAMP_BOX[3] - MARGIN_BOTTOM + 6 * mm

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#c5ccd3")
ALERT = colors.HexColor("#b42318")
HEADER_FILL = colors.HexColor("#e4ebf3")
ZEBRA = colors.HexColor("#f6f8fa")
TONE_COLOURS = {
    "good": (colors.HexColor("#e3f4e8"), colors.HexColor("#1e7b3a")),
    "attention": (colors.HexColor("#fff4dc"), colors.HexColor("#a86400")),
    "severe": (colors.HexColor("#fde4e1"), colors.HexColor("#b42318")),
}


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": LATIN,
        "fontSize": 9,
        "leading": 12.5,
        "textColor": INK,
        "alignment": TA_LEFT,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


_CJK_VARIANTS: dict[int, ParagraphStyle] = {}


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from markup. Text with Chinese may also break before or after a Chinese
    character, but English words stay whole (see wrapping.py)."""
    if CJK in text:
        variant = _CJK_VARIANTS.get(id(style))
        if variant is None:
            variant = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
            _CJK_VARIANTS[id(style)] = variant
        return MixedParagraph(text, variant)
    return Paragraph(text, style)


def text_in(
    language: Language,
    msgid: str,
    values: Mapping[str, object] | None = None,
    *,
    zh_msgid: str | None = None,
) -> str:
    """`msgid` in a document language; "both" gives 'English / 中文' (the Chinese half from
    `zh_msgid` when given, so values are not printed twice)."""
    values = values or {}
    if language != "both":
        return tr(msgid, language=language, **values)
    en = tr(msgid, language="en", **values)
    zh = tr(zh_msgid or msgid, language="zh", **values)
    return en if en == zh else f"{en} / {zh}"


def fmt_time_with_offset(value: datetime) -> str:
    """'2024-03-19 10:02:07 UTC+08:00': the moment in this computer's time zone, with the
    offset spelled out so a reader elsewhere knows the moment."""
    local = value.astimezone()
    offset = local.utcoffset()
    if not offset:
        return f"{local:%Y-%m-%d %H:%M:%S} UTC"
    zone = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} UTC{zone[:3]}:{zone[3:5]}"


class Styles:
    def __init__(self) -> None:
        register_fonts()
        self.body = _style("body")
        self.small = _style("small", fontSize=8, leading=10.5)
        self.muted = _style("muted", fontSize=8, leading=10.5, textColor=MUTED)
        self.cell = _style("cell", fontSize=8, leading=10.5)
        self.cell_alert = _style(
            "cell_alert", fontName=LATIN_BOLD, fontSize=8, leading=10.5, textColor=ALERT
        )
        self.cell_head = _style("cell_head", fontName=LATIN_BOLD, fontSize=8, leading=10.5)
        self.h1 = _style(
            "h1",
            fontName=LATIN_BOLD,
            fontSize=15,
            leading=20,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=6,
        )
        self.h2 = _style(
            "h2",
            fontName=LATIN_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=4,
        )
        self.title = _style("title", fontName=LATIN_BOLD, fontSize=22, leading=28, textColor=ACCENT)
        self.cover_name = _style("cover_name", fontName=LATIN_BOLD, fontSize=17, leading=23)
        self.outcome = _style("outcome", fontName=LATIN_BOLD, fontSize=15, leading=20)


class Labels:
    """Translated labels for one document language ("both" = English and Chinese)."""

    def __init__(self, language: Language, styles: Styles) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown report language {language!r}; choose en, zh or both")
        self.language = language
        self.s = styles

    def text(self, msgid: str, *, zh_msgid: str | None = None, **values: object) -> str:
        """Plain text (canvas strings, chart labels): 'English / 中文' when bilingual.

        `zh_msgid` words the Chinese half of bilingual text, leaving out values the English
        half already shows ('Visit 5f1c2a9e · Revision 2 / 第 2 版')."""
        return text_in(self.language, msgid, values, zh_msgid=zh_msgid)

    def label_value(self, msgid: str, value: str) -> str:
        """A label and its value printed once: 'Generated / 生成于 2024-03-19 10:02'."""
        return f"{self.text(msgid)} {value}"

    def markup(self, msgid: str, **values: object) -> str:
        """Paragraph markup; bilingual labels stack the Chinese under the English."""
        if self.language == "both":
            en = tr(msgid, language="en", **values)
            zh = tr(msgid, language="zh", **values)
            if en == zh:
                return markup(en)
            return f"{markup(en)}<br/>{markup(zh)}"
        return markup(tr(msgid, language=self.language, **values))

    def inline(self, msgid: str, **values: object) -> str:
        """Paragraph markup on one line: 'English / 中文' when bilingual."""
        return markup(text_in(self.language, msgid, values))

    def cell(
        self, msgid: str, style: ParagraphStyle | None = None, **values: object
    ) -> list[Flowable]:
        """A label for a table cell; bilingual: English above Chinese as two paragraphs, so
        the English keeps whole-word wrapping."""
        style = style or self.s.cell_head
        if self.language != "both":
            return [para(markup(tr(msgid, language=self.language, **values)), style)]
        en = tr(msgid, language="en", **values)
        zh = tr(msgid, language="zh", **values)
        if en == zh:
            return [para(markup(en), style)]
        return [para(markup(en), style), para(markup(zh), style)]

    def stacked(self, msgid: str, style: ParagraphStyle) -> list[Flowable]:
        """A title: bilingual shows the Chinese on its own line under the English."""
        return self.cell(msgid, style)

    def heading(
        self, msgid: str, style: ParagraphStyle | None = None, **values: object
    ) -> Flowable:
        """A heading; bilingual documents show English | 中文 side by side."""
        style = style or self.s.h1
        if self.language != "both":
            return para(markup(tr(msgid, language=self.language, **values)), style)
        en = tr(msgid, language="en", **values)
        zh = tr(msgid, language="zh", **values)
        return side_by_side(para(markup(en), style), para(markup(zh), style), style)

    def pick(self, en: str, zh: str) -> str:
        """Choose between content given in both languages (checklist wording, section titles)."""
        if self.language == "en" or not zh:
            return markup(en)
        if self.language == "zh":
            return markup(zh)
        return markup(en) if en == zh else f"{markup(en)}<br/>{markup(zh)}"

    def pick_text(self, en: str, zh: str) -> str:
        if self.language == "en" or not zh:
            return en
        if self.language == "zh":
            return zh
        return f"{en} / {zh}"

    def yes_no(self, value: bool) -> str:
        return self.markup("Yes" if value else "No")


def table_style(commands: Sequence[tuple[object, ...]]) -> TableStyle:
    """A TableStyle whose default cell font is ours: reportlab's default (Helvetica) would be
    referenced on the page without being embedded, even when every cell is a Paragraph."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), *commands])


def side_by_side(left: Flowable, right: Flowable, style: ParagraphStyle) -> Table:
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH / 2] * 2)
    table.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), style.spaceBefore),
                ("BOTTOMPADDING", (0, 0), (-1, -1), style.spaceAfter),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def grid_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    zebra: bool = True,
) -> Table:
    """A data table with a shaded header row repeated on every page and word-wrapped cells.

    A row taller than a page (a calculated finding citing many workers) is split across
    pages instead of failing the whole document."""
    table = Table(
        [list(r) for r in rows], colWidths=list(widths), repeatRows=header_rows, splitInRow=1
    )
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    if zebra:
        for r in range(header_rows, len(rows)):
            if (r - header_rows) % 2 == 1:
                commands.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    table.setStyle(table_style(commands))
    return table


def key_value_table(rows: Sequence[tuple[object, object]], label_width: float) -> Table:
    table = Table([list(r) for r in rows], colWidths=[label_width, CONTENT_WIDTH - label_width])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def fmt_dates(values: Sequence[date]) -> str:
    if not values:
        return "—"
    if len(values) == 1:
        return values[0].isoformat()
    return f"{values[0].isoformat()} – {values[-1].isoformat()}"


def fmt_money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}"


def short_id(uuid: str) -> str:
    return uuid.replace("-", "")[:8]
