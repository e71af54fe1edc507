"""Notes, evidence and periods render in the reader's language, not pre-formatted English."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, time, timedelta

import pytest

from ietp_desktop.domain.errors import Localized, UserError
from ietp_desktop.domain.phrases import Lines, Phrase, Wording, phrase_from_data
from ietp_desktop.domain.proposals import propose_findings
from ietp_desktop.domain.records import Day, Month, Period, Punch, Worker, format_period
from ietp_desktop.domain.rules import parse_rule_set
from ietp_desktop.domain.wages import analyse
from ietp_desktop.i18n import current_language, set_language
from ietp_desktop.paths import forms_dir


@pytest.mark.parametrize(
    ("start", "end", "en", "zh"),
    [
        (date(2026, 9, 14), date(2026, 9, 14), "14 Sep 2026", "2026年9月14日"),
        (date(2026, 9, 14), date(2026, 9, 24), "14–24 Sep 2026", "2026年9月14日–24日"),
        (date(2026, 9, 28), date(2026, 10, 4), "28 Sep – 4 Oct 2026", "2026年9月28日–10月4日"),
        (
            date(2026, 12, 28),
            date(2027, 1, 3),
            "28 Dec 2026 – 3 Jan 2027",
            "2026年12月28日–2027年1月3日",
        ),
    ],
)
def test_a_period_reads_in_each_language(start: date, end: date, en: str, zh: str) -> None:
    assert format_period(start, end) == en == Period(start, end).text("en")
    assert format_period(start, end, "zh") == zh == Period(start, end).text("zh")


def test_days_months_and_phrases_follow_the_current_language() -> None:
    note = Phrase(
        "{workers}: {note}",
        workers="W01",
        note=Phrase("public holidays for {year} are provisional in {rules}", year=2027, rules="r"),
    )
    before = current_language()
    try:
        set_language("zh")
        assert str(Day(date(2026, 9, 14))) == "2026年9月14日"
        assert str(Month(date(2026, 9, 1))) == "2026年9月"
        assert str(note) == "W01：规则集 r 中 2027 年的法定节假日为暂定"
        assert f"{Lines.of([note, 'plain'], ' | ')}".endswith("暂定 | plain")
    finally:
        set_language(before)
    assert note.text("en") == "W01: public holidays for 2027 are provisional in r"
    assert Month(date(2026, 9, 1)).text("en") == "Sep 2026"


def test_an_error_inside_a_phrase_is_rendered_in_the_phrase_language() -> None:
    reason = UserError("rule set {rules} has no public holidays for {year}", rules="r", year=2024)
    note = Phrase("minimum-wage checks skipped: {reason}", reason=reason)
    assert note.text("zh") == "未检查最低工资：规则集 r 没有 2024 年的法定节假日"
    assert note.text("en") == "minimum-wage checks skipped: " + reason.text("en")


def test_equal_phrases_are_one_note() -> None:
    a = Phrase("no base rate or region; overtime premium not checked")
    b = Phrase("no base rate or region; overtime premium not checked")
    assert a == b and len({a, b}) == 1
    assert a != Phrase("{workers}: {note}", workers="W01", note=a)


def test_a_bare_localized_value_must_say_how_it_reads() -> None:
    with pytest.raises(NotImplementedError):
        Localized().text("en")


def test_a_phrase_stored_as_data_comes_back_and_old_english_texts_too() -> None:
    note = Phrase(
        "{workers}: {note}",
        workers="W01, W02",
        note=Phrase("minimum-wage checks skipped: {reason}", reason=Phrase("no figure")),
    )
    assert phrase_from_data(asdict(note)) == note
    sourced = Phrase("skipped: {reason}", reason=Wording("深圳市 2025 minimum wage adjustment"))
    assert phrase_from_data(asdict(sourced)) == sourced
    assert sourced.text("zh") == "skipped: 深圳市 2025 年最低工资调整"
    assert phrase_from_data({"template": "no figure"}) == Phrase("no figure")
    old = phrase_from_data("Wages not checked: no payroll records were read.")
    assert old == Phrase("Wages not checked: no payroll records were read.")
    assert old.text("zh") != old.text("en")


def test_a_rule_set_may_give_its_own_chinese_rule_texts_and_citations() -> None:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"]["rest_days_per_week"] |= {
        "text_zh": "每周休息一天",
        "citation_zh": "某条例第 1 条",
    }
    own = parse_rule_set(json.dumps(data), "own.json")
    shipped = parse_rule_set(path.read_text(encoding="utf-8"), path.name)  # no zh: catalogue
    punches = [
        Punch("W01", day, datetime.combine(day, time(8)), datetime.combine(day, time(16)))
        for day in (date(2026, 10, 12) + timedelta(days=i) for i in range(9))
    ]
    for rules, rule, citation in (
        (own, "每周休息一天", "某条例第 1 条"),
        (shipped, "每 7 天至少休息一天", "《劳动法》第三十八条"),
    ):
        analysis = analyse([Worker("W01")], punches, [], rules)
        (rest,) = [b for b in analysis.breaches if b.rule_id == "rest_days_per_week"]
        assert rest.text("zh").endswith(f"规定：{rule}，{citation}")
        assert rest.message.endswith(
            "rule: at least one rest day in every 7 days, PRC Labour Law art. 38"
        )
        (proposal,) = [p for p in propose_findings(analysis) if p.rule_id == rest.rule_id]
        assert f"规定：{rule}（{citation}）" in proposal.description_in("zh")
    assert Wording("not in the catalogue", "").text("zh") == "not in the catalogue"
