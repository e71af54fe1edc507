"""Fonts embedded in every PDF: a Latin family for labels and the shipped CJK font for Chinese.

reportlab embeds TrueType fonts as subsets, so the documents render in any viewer. The Latin
family is Bitstream Vera (shipped inside reportlab); Chinese runs are switched to WenQuanYi
Micro Hei (resources/fonts, TrueType outlines — CFF fonts such as Noto CJK cannot be embedded).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ietp_desktop.paths import resources_dir

LATIN = "IETPSans"
LATIN_BOLD = "IETPSans-Bold"
LATIN_ITALIC = "IETPSans-Italic"
LATIN_BOLD_ITALIC = "IETPSans-BoldItalic"
CJK = "IETPCJK"

# CJK ideographs, punctuation, full-width forms, kana/hangul: everything Vera lacks and the
# CJK font has. Latin text stays in Vera so bold headings stay bold.
_CJK_RUN = re.compile(
    r"[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3200-\u9FFF\uAC00-\uD7AF"
    r"\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\U00020000-\U0002FFFF]+"
)


def cjk_font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


@cache
def register_fonts() -> None:
    """Register the fonts once per process (idempotent)."""
    vera = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(LATIN, str(vera / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(LATIN_BOLD, str(vera / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(LATIN_ITALIC, str(vera / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont(LATIN_BOLD_ITALIC, str(vera / "VeraBI.ttf")))
    pdfmetrics.registerFont(TTFont(CJK, str(cjk_font_path()), subfontIndex=0))
    addMapping(LATIN, 0, 0, LATIN)
    addMapping(LATIN, 1, 0, LATIN_BOLD)
    addMapping(LATIN, 0, 1, LATIN_ITALIC)
    addMapping(LATIN, 1, 1, LATIN_BOLD_ITALIC)
    # reportlab.graphics starts every Drawing with Helvetica selected, which would put a
    # non-embedded font reference in the page resources: make the default ours.
    STATE_DEFAULTS["fontName"] = LATIN
    # Binary streams instead of ASCII85: this reportlab has no C accelerator, and encoding
    # photos in pure Python costs seconds (and 25 % in size).
    rl_config.useA85 = 0
    # The CJK font has no bold or italic face: <b> inside a Chinese run stays regular.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)


def has_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


def markup(text: str) -> str:
    """Escape `text` for a reportlab Paragraph and switch its CJK runs to the CJK font.

    Line breaks in the text become <br/>.
    """
    escaped = escape(text)
    switched = _CJK_RUN.sub(lambda m: f'<font face="{CJK}">{m.group(0)}</font>', escaped)
    return switched.replace("\n", "<br/>")


def canvas_font(text: str) -> str:
    """Font for a plain canvas.drawString: the CJK font covers Latin too; Vera lacks CJK."""
    return CJK if has_cjk(text) else LATIN
