"""Mixed Chinese/English text breaks between Chinese characters or at spaces, never inside an
English word (reportlab's CJK wrapping cut "Exting|uisher")."""

from __future__ import annotations

import re

import pytest

from ietp_desktop.reports.fonts import markup
from ietp_desktop.reports.layout import Styles, para
from ietp_desktop.reports.wrapping import may_break_before

CAPTIONS = [
    "灭火器Extinguisher检查标签 documentation inspection certificate",
    "Extinguisher tag, paint workshop / 喷漆车间灭火器检查标签 and more English words here",
    "喷漆车间灭火器检查标签喷漆车间灭火器 inspection certificate documentation",
]


def _lines(text: str, width: float) -> list[str]:
    paragraph = para(f"<b>P01</b> — {markup(text)}", Styles().small)
    paragraph.wrap(width, 1000)
    return ["".join(frag.text for frag in line.words) for line in paragraph.blPara.lines]


@pytest.mark.parametrize("width", [75, 95, 130, 180])  # every word fits in 75 pt
@pytest.mark.parametrize("caption", CAPTIONS)
def test_english_words_stay_whole(caption: str, width: float) -> None:
    lines = _lines(caption, width)
    assert "".join(lines).replace(" ", "") == f"P01—{caption}".replace(" ", "")
    words = set(re.findall(r"[A-Za-z0-9]+", f"P01 {caption}"))
    for line in lines:
        for piece in re.findall(r"[A-Za-z0-9]+", line):
            assert piece in words, f"{piece!r} is part of a word cut at width {width}: {lines}"


def test_chinese_breaks_anywhere_but_before_closing_punctuation() -> None:
    lines = _lines("包装线旁的灭火器被纸箱挡住，应急出口标志缺失。" * 3, 70)
    assert len(lines) > 3
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert may_break_before("包", "装")
    assert may_break_before("器", "E") and may_break_before("r", "检")
    assert not may_break_before("E", "x")
    assert not may_break_before("住", "，")
    assert not may_break_before("（", "注")
