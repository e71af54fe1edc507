import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest

from ietp_desktop.domain.errors import Localized
from ietp_desktop.domain.findings import Category, Classification
from ietp_desktop.domain.proposals import propose_findings
from ietp_desktop.domain.records import PayRecord, Punch, Worker, format_period
from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.domain.wages import analyse
from ietp_desktop.paths import forms_dir

ENGLISH_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


@cache
def shipped() -> RuleSet:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    return parse_rule_set(path.read_text(encoding="utf-8"), path.name)


def eight_hours(code: str, first: date, n: int) -> list[Punch]:
    out = []
    for i in range(n):
        day = first + timedelta(days=i)
        start = datetime(day.year, day.month, day.day, 8)
        out.append(Punch(code, day, start, start + timedelta(hours=8)))
    return out


def test_breaches_grouped_by_rule_into_findings_citing_evidence() -> None:
    workers = [Worker(f"W0{i}", region="CN-GD-Guangzhou") for i in (1, 2, 3)]
    punches = eight_hours("W03", date(2026, 11, 2), 13) + eight_hours("W01", date(2026, 11, 9), 8)
    punches.append(Punch("W02", date(2026, 11, 3), datetime(2026, 11, 3, 8), None))
    pays = [PayRecord("W02", date(2026, 11, 1), date(2026, 11, 30), base_pay=Decimal("2000"))]
    proposals = {p.rule_id: p for p in propose_findings(analyse(workers, punches, pays, shipped()))}
    assert set(proposals) == {"rest_days_per_week", "minimum_wage", "incomplete_time_records"}

    rest = proposals["rest_days_per_week"]
    assert (rest.classification, rest.category) == (
        Classification.STANDARD_NC,
        Category.WORKING_HOURS,
    )
    assert rest.worker_codes == ("W01", "W03")
    assert rest.title == "Workers without one rest day in seven days"
    assert rest.description == (
        "2 of 3 sampled workers (W01, W03) in 2–16 Nov 2026. Rule: At least one rest day in "
        "every 7 days (PRC Labour Law art. 38). Evidence:\n"
        "- W01 worked 8 consecutive days, 9–16 Nov 2026; rule: at least one rest day in every "
        "7 days, PRC Labour Law art. 38\n"
        "- W03 worked 13 consecutive days, 2–14 Nov 2026; rule: at least one rest day in every "
        "7 days, PRC Labour Law art. 38"
    )
    assert proposals["minimum_wage"].category == Category.WAGES
    assert proposals["minimum_wage"].periods == ((date(2026, 11, 1), date(2026, 11, 30)),)
    incomplete = proposals["incomplete_time_records"]
    assert incomplete.classification == Classification.TRANSPARENCY
    assert "(W02) have 1 day(s) with a missing clock-in or clock-out" in incomplete.description


def test_no_breaches_no_proposals() -> None:
    workers = [Worker("W01", region="CN-GD-Guangzhou")]
    assert (
        propose_findings(analyse(workers, eight_hours("W01", date(2026, 11, 2), 5), [], shipped()))
        == []
    )


def test_breach_and_proposal_texts_have_chinese_translations() -> None:
    from ietp_desktop.i18n import tr

    workers = [Worker("W01", region="CN-GD-Guangzhou", base_rate=Decimal("3480"))]
    punches = []
    for i in range(20):
        day = date(2026, 11, 2) + timedelta(days=i)
        start = datetime(day.year, day.month, day.day, 7)
        punches.append(Punch("W01", day, start, start + timedelta(hours=13)))
    pays = [
        PayRecord(
            "W01",
            date(2026, 11, 1),
            date(2026, 11, 30),
            base_pay=Decimal("2000"),
            damage_deductions=Decimal("900"),
            paid_on=date(2026, 12, 20),
            agreed_pay_day=date(2026, 12, 10),
        )
    ]
    analysis = analyse(workers, punches, pays, shipped())
    rule_ids = {b.rule_id for b in analysis.breaches}
    assert rule_ids >= {
        "rest_days_per_week",
        "overtime_hours_per_month",
        "minimum_wage",
        "overtime_hours_per_day_special",
        "total_hours_per_7_days",
        "premium_workday",
        "damage_deduction_share",
        "pay_at_least_monthly",
    }
    for b in analysis.breaches:
        zh = tr(b.template, language="zh", **b.params)
        assert zh != b.message and "{" not in zh, b.template
        assert b.text("zh") == zh
        for name in ("rule", "citation"):
            value = b.params[name]
            assert isinstance(value, Localized)
            assert value.text("zh") != value.text("en"), value.text("en")
        assert not ENGLISH_DATE.search(zh), zh
    for p in propose_findings(analysis):
        assert tr(p.title_template, language="zh") != p.title_template
        zh = tr(p.description_template, language="zh", **p.params)
        assert zh == p.description_in("zh") != p.description
        assert p.title_in("zh") == tr(p.title_template, language="zh")
        assert not ENGLISH_DATE.search(zh), zh
        assert "Labour Law" not in zh and "Base Code" not in zh, zh


def late_pay(code: str) -> PayRecord:
    return PayRecord(
        code,
        date(2026, 11, 1),
        date(2026, 11, 30),
        base_pay=Decimal("2600"),
        paid_on=date(2026, 12, 15),
        agreed_pay_day=date(2026, 12, 10),
    )


@pytest.mark.parametrize(
    ("late_workers", "last_evidence_line"),
    [
        (1, "- W01 was paid for 1–30 Nov 2026 on 15 Dec 2026"),
        (20, "- W20 was paid for 1–30 Nov 2026 on 15 Dec 2026"),
        (21, "- … 1 more"),
        (25, "- … 5 more"),
    ],
)
def test_evidence_lists_at_most_20_breaches_and_counts_the_rest(
    late_workers: int, last_evidence_line: str
) -> None:
    workers = [Worker(f"W{i:02d}", region="CN-GD-Guangzhou") for i in range(1, late_workers + 1)]
    analysis = analyse(workers, [], [late_pay(w.code) for w in workers], shipped())
    (p,) = propose_findings(analysis)
    assert p.rule_id == "pay_at_least_monthly"
    assert p.description.startswith(f"{late_workers} of {late_workers} sampled workers (W01")
    evidence = p.description.split("Evidence:\n", 1)[1].splitlines()
    assert len(evidence) == min(late_workers, 20) + (late_workers > 20)
    assert evidence[-1].startswith(last_evidence_line)
    assert len(p.breaches) == late_workers  # every breach is kept, only the text is shortened


@pytest.mark.parametrize(
    ("start", "end", "complete", "minutes"),
    [
        (datetime(2026, 11, 2, 8), datetime(2026, 11, 2, 17, 30), True, 570),
        (datetime(2026, 11, 2, 22), datetime(2026, 11, 3, 6, 15), True, 495),  # night shift
        (datetime(2026, 11, 2, 8), datetime(2026, 11, 2, 8, 59, 59), True, 59),  # whole minutes
        (datetime(2026, 11, 2, 8), None, False, 0),  # no clock-out: not guessed
        (None, datetime(2026, 11, 2, 17), False, 0),  # no clock-in
        (None, None, False, 0),
    ],
)
def test_punch_minutes_count_only_complete_intervals(
    start: datetime | None, end: datetime | None, complete: bool, minutes: int
) -> None:
    p = Punch("W01", date(2026, 11, 2), start, end)
    assert (p.complete, p.minutes) == (complete, minutes)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 10, 5), date(2026, 10, 5), "5 Oct 2026"),
        (date(2026, 10, 1), date(2026, 10, 13), "1–13 Oct 2026"),
        (date(2026, 9, 28), date(2026, 10, 4), "28 Sep – 4 Oct 2026"),
        (date(2026, 12, 28), date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_format_period_names_each_month_and_year_once(start: date, end: date, text: str) -> None:
    assert format_period(start, end) == text
