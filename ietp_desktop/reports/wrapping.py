"""Line breaking for text that mixes Chinese and Latin script.

reportlab's CJK wrapping may break anywhere and looks back only half a line for a space, so
"Extinguisher" next to Chinese, or a long English word late in a line, is cut in the middle.
Here a line may break at a space, before or after a Chinese character (never before closing
punctuation such as "，" nor after opening punctuation such as "（"), and inside a word only
when the word alone is wider than the line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.platypus.paragraph import Paragraph, ParaLines, cjkU, makeCJKParaLine

_FUZZ = 1e-6
# reportlab's lists are Japanese-centric: add the Chinese full-width punctuation.
NO_LINE_START = ALL_CANNOT_START + "，。、；：！？）》」』】〉〗”’…%"
NO_LINE_END = ALL_CANNOT_END + "（《「『【〈〖“‘"


def _is_cjk(char: str) -> bool:
    return bool(char) and ord(char[0]) >= 0x2E80


def _is_space(char: str) -> bool:
    """A space a line may break at (not a no-break space such as in "IETP 5.2")."""
    return bool(char) and unicodedata.category(char[0]) == "Zs" and char[0] not in _NO_BREAK


_NO_BREAK = "\u00a0\u2007\u202f"


def may_break_before(before: str, after: str) -> bool:
    """Whether a line may end between the characters `before` and `after`."""
    if _is_space(after) or not before:
        return False
    if _is_space(before):
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return _is_cjk(before) or _is_cjk(after)


def _width(unit: Any, max_width: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        return float(width.normalizedValue(max_width))
    return float(width)


def _units(frags: Sequence[Any]) -> list[Any]:
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(cjkU(char, frag, "utf8") for char in text)
        else:  # a line break or an inline image
            units.append(cjkU(text, frag, "utf8"))
    return units


def split_mixed(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool) -> Any:
    """reportlab ParaLines (kind 1) for `frags`, broken at the places `may_break_before` allows."""
    units = _units(frags)
    lines: list[Any] = []
    start, count = 0, len(units)

    def max_width() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    def emit(end: int, line_break: bool) -> None:
        stop = end
        while stop > start and _is_space(units[stop - 1]):
            stop -= 1  # a space that ends a line takes no room
        limit = max_width()
        used = sum(_width(u, limit) for u in units[start:stop])
        lines.append(
            makeCJKParaLine(units[start:stop], limit, used, limit - used, line_break, calc_bounds)
        )

    while start < count:
        limit, used, index = max_width(), 0.0, start
        end, line_break = count, False
        while index < count:
            unit = units[index]
            if hasattr(unit.frag, "lineBreak"):
                end, line_break = index + 1, True
                break
            used += _width(unit, limit)
            if used > limit + _FUZZ and index > start and not _is_space(unit):
                end = _last_break(units, start, index) or index
                break
            index += 1
        emit(end, line_break)
        start = end
        while start < count and _is_space(units[start]) and not line_break:
            start += 1
    return ParaLines(kind=1, lines=lines)


def _last_break(units: Sequence[Any], start: int, overflow: int) -> int | None:
    """The last place after `start` and at most at `overflow` where the line may break."""
    for k in range(overflow, start, -1):
        if may_break_before(units[k - 1], units[k]):
            return k
    return None


class MixedParagraph(Paragraph):  # type: ignore[misc]  # reportlab ships no type hints
    """A Paragraph (style with wordWrap="CJK") that breaks mixed Chinese/Latin text well."""

    def breakLinesCJK(self, maxWidths: float | Sequence[float]) -> Any:
        widths = [float(w) for w in maxWidths] if isinstance(maxWidths, Sequence) else [maxWidths]
        if not self.frags:
            return super().breakLinesCJK(widths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        self.height = 0
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_mixed(self.frags, widths, auto_leading not in ("", "off"))
