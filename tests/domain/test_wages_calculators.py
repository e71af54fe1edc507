from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest

from ietp_desktop.domain.errors import Localized
from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import PayRecord, Punch, WageType, Worker
from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.domain.wages import (
    analyse,
    hourly_base,
    merge_worker_notes,
    prorated_minimum_wage,
)
from ietp_desktop.paths import forms_dir

D = Decimal
NOV = (date(2026, 11, 1), date(2026, 11, 30))


@cache
def shipped() -> RuleSet:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    return parse_rule_set(path.read_text(encoding="utf-8"), path.name)


def shift(code: str, day: date, hours: float) -> Punch:
    start = datetime.combine(day, datetime.min.time()).replace(hour=8)
    return Punch(code, day, start, start + timedelta(hours=hours))


def messages(workers: list[Worker], punches: list[Punch], pays: list[PayRecord]) -> list[str]:
    return [b.message for b in analyse(workers, punches, pays, shipped()).breaches]


def test_hourly_base_is_monthly_over_174() -> None:
    assert hourly_base(D("3480"), shipped()) == D("20")


@pytest.mark.parametrize(
    ("region", "start", "end", "hired", "expected"),
    [
        ("CN-GD-Guangzhou", *NOV, None, "2500.00"),  # full month: the monthly figure
        ("CN-GD-Guangzhou", *NOV, date(2026, 11, 16), "1250.00"),  # hired mid-month: 15/30
        # Dongguan rose from 1720 to 1900 on 1 Dec 2021: 15 x 1720/30 + 15 x 1900/31
        ("CN-GD-Dongguan", date(2021, 11, 16), date(2021, 12, 15), None, "1779.35"),
    ],
)
def test_prorated_minimum_wage(
    region: str, start: date, end: date, hired: date | None, expected: str
) -> None:
    assert prorated_minimum_wage(region, start, end, shipped(), hired) == D(expected)


def test_partial_month_minimum_wage() -> None:
    w = Worker("W01", region="CN-GD-Guangzhou", hire_date=date(2026, 11, 16), base_rate=D("2500"))
    ok = PayRecord("W01", *NOV, base_pay=D("1250"))
    short = PayRecord("W01", *NOV, base_pay=D("1200"))
    assert messages([w], [], [ok]) == []
    assert messages([w], [], [short]) == [
        "W01 was paid 1,200.00 CNY for standard hours for 1–30 Nov 2026, below the minimum "
        "wage of 1,250.00 CNY (CN-GD-Guangzhou); rule: pay for standard hours, excluding "
        "overtime pay and special allowances, at least the local monthly minimum wage, "
        "Minimum Wage Provisions art. 12; PRC Labour Law art. 48"
    ]


def test_overtime_pay_and_special_allowances_do_not_count_towards_the_minimum() -> None:
    w = Worker("W02", region="CN-GD-Guangzhou", base_rate=D("2400"))
    pay = PayRecord(
        "W02", *NOV, base_pay=D("2400"), overtime_pay=D("600"), special_allowances=D("150")
    )
    (figures,) = analyse([w], [], [pay], shipped()).workers
    assert figures.min_wage_shortfall == D("100.00")
    with_bonus = PayRecord("W02", *NOV, base_pay=D("2400"), allowances=D("100"))
    assert messages([w], [], [with_bonus]) == []


def test_mid_period_rate_change() -> None:
    w = Worker("W03", region="CN-GD-Dongguan")
    period = (date(2021, 11, 16), date(2021, 12, 15))
    assert messages([w], [], [PayRecord("W03", *period, base_pay=D("1779.35"))]) == []
    (b,) = analyse([w], [], [PayRecord("W03", *period, base_pay=D("1720"))], shipped()).breaches
    assert (b.rule_id, b.figure, b.limit) == ("minimum_wage", D("1720.00"), D("1779.35"))


def test_piece_rate_worker_earnings_within_standard_hours() -> None:
    w = Worker("W04", region="CN-GD-Guangzhou", wage_type=WageType.PIECE)
    pay = PayRecord("W04", *NOV, base_pay=D("3100"), piece_earnings_standard_hours=D("2400"))
    assert messages([w], [], [pay]) == [
        "W04 earned 2,400.00 CNY at piece rates within standard hours for 1–30 Nov 2026, below "
        "the minimum wage of 2,500.00 CNY (CN-GD-Guangzhou); rule: piece-rate earnings within "
        "standard hours at least the local minimum wage, Minimum Wage Provisions art. 12; "
        "Interim Provisions on Wage Payment art. 13"
    ]


def test_overtime_premium_workday_rest_day_and_holiday() -> None:
    w = Worker("W05", region="CN-GD-Guangzhou", base_rate=D("3480"))  # 20 CNY an hour
    punches = [
        shift("W05", date(2026, 11, 2), 10),  # Monday: 2 h at 150 % = 60
        shift("W05", date(2026, 11, 14), 8),  # Saturday, no day off in lieu: 8 h x 200 % = 320
        shift("W05", date(2026, 10, 1), 8),  # National Day: 8 h x 300 % = 480
    ]
    pays = [
        PayRecord("W05", *NOV, base_pay=D("3480"), overtime_pay=D("300")),
        PayRecord(
            "W05", date(2026, 10, 1), date(2026, 10, 31), base_pay=D("3480"), overtime_pay=D("480")
        ),
    ]
    analysis = analyse([w], punches, pays, shipped())
    (b,) = analysis.breaches
    assert b.message == (
        "W05 was paid 300.00 CNY overtime for 1–30 Nov 2026; 380.00 CNY was due for 10 h of "
        "overtime at 20.00 CNY an hour; rule: overtime on a working day paid at 150 %, "
        "PRC Labour Law art. 44(1); PRC Labour Law art. 44(2); PRC Labour Law art. 44(3)"
    )
    assert (b.figure, b.limit) == (D("300"), D("380.00"))
    assert analysis.workers[0].premium_shortfall == D("80.00")
    assert analysis.workers[0].holidays_worked == 1


def test_premium_base_never_below_the_minimum_wage() -> None:
    w = Worker("W06", region="CN-GD-Guangzhou", base_rate=D("1740"))  # contract below minimum
    punches = [shift("W06", date(2026, 11, 2), 10)]
    # 2 h x 1.5 x 2500/174 = 43.10
    ok = PayRecord("W06", *NOV, base_pay=D("2500"), overtime_pay=D("43.10"))
    assert messages([w], punches, [ok]) == []
    low = PayRecord("W06", *NOV, base_pay=D("2500"), overtime_pay=D("30"))
    (b,) = analyse([w], punches, [low], shipped()).breaches
    assert b.limit == D("43.10")


def test_deduction_limits() -> None:
    w = Worker("W07", region="CN-GD-Guangzhou", base_rate=D("3000"))
    pay = PayRecord("W07", *NOV, base_pay=D("3000"), damage_deductions=D("700"))
    assert messages([w], [], [pay]) == [
        "W07 had 700.00 CNY deducted for damage for 1–30 Nov 2026, more than 600.00 CNY (20 % "
        "of the month's wage); rule: deductions for damage at most 20 % of the monthly wage, and "
        "the remainder at least the minimum wage, Interim Provisions on Wage Payment art. 16",
        "W07 kept 2,300.00 CNY after damage deductions for 1–30 Nov 2026, below the minimum "
        "wage of 2,500.00 CNY; rule: deductions for damage at most 20 % of the monthly wage, "
        "and the remainder at least the minimum wage, Interim Provisions on Wage Payment art. 16",
    ]
    fine = PayRecord("W07", *NOV, base_pay=D("3000"), damage_deductions=D("500"))
    assert messages([w], [], [fine]) == []


def test_late_payment_and_period_longer_than_a_month() -> None:
    w = Worker("W08", region="CN-GD-Guangzhou")
    late = PayRecord(
        "W08",
        *NOV,
        base_pay=D("2600"),
        paid_on=date(2026, 12, 15),
        agreed_pay_day=date(2026, 12, 10),
    )
    on_time = PayRecord(
        "W08",
        *NOV,
        base_pay=D("2600"),
        paid_on=date(2026, 12, 10),
        agreed_pay_day=date(2026, 12, 10),
    )
    assert messages([w], [], [on_time]) == []
    analysis = analyse([w], [], [late], shipped())
    assert [b.message for b in analysis.breaches] == [
        "W08 was paid for 1–30 Nov 2026 on 15 Dec 2026, 5 days after the agreed pay day "
        "10 Dec 2026; rule: wages paid in money at least monthly, on the agreed date, "
        "PRC Labour Law art. 50; Interim Provisions on Wage Payment art. 7"
    ]
    assert analysis.workers[0].late_payments == 1
    long = PayRecord("W08", date(2026, 10, 1), date(2026, 11, 30), base_pay=D("5200"))
    assert [b.rule_id for b in analyse([w], [], [long], shipped()).breaches] == [
        "pay_at_least_monthly"
    ]


def test_missing_figures_become_notes_not_crashes() -> None:
    w = Worker("W09", region="CN-GD-Dongguan")  # 2025 figure not entered in the rule set
    nobody = Worker("W10")
    analysis = analyse(
        [w, nobody],
        [],
        [PayRecord("W09", *NOV, base_pay=D("1")), PayRecord("W10", *NOV, base_pay=D("1"))],
        shipped(),
    )
    assert analysis.breaches == ()
    assert any("W09" in n and "changed on 2025-03-01" in n for n in english(analysis.notes))
    assert any(n.startswith("W10: no minimum-wage region") for n in english(analysis.notes))


def test_analysis_figures_and_summary() -> None:
    w = Worker("W11", region="CN-GD-Guangzhou", base_rate=D("3480"))
    punches = [shift("W11", date(2026, 10, 1) + timedelta(days=i), 9) for i in range(13)]
    punches.append(Punch("W11", date(2026, 10, 20), datetime(2026, 10, 20, 8), None))
    a = analyse([w], punches, [], shipped())
    (f,) = a.workers
    assert (f.days_worked, f.total_hours, f.longest_run_days, f.incomplete_days) == (
        14,
        117.0,
        13,
        1,
    )
    assert (f.longest_run_start, f.longest_run_end) == (date(2026, 10, 1), date(2026, 10, 13))
    assert f.holidays_worked == 3  # 1, 2, 3 Oct
    # Overtime in October: 3 statutory days x 9 h + bridged 4-7 Oct x 9 h + 1 h on each of
    # 8, 9, 10 (adjusted Saturday), 12, 13 Oct + Sunday 11 Oct (day off in lieu on 14 Oct): 1 h
    assert f.max_overtime_month_hours == 27 + 36 + 5 + 1
    assert f.days_off_in_lieu == 1
    assert a.summary.breaches_by_rule == {
        "overtime_hours_per_month": 1,
        "rest_days_per_week": 1,
        "total_hours_per_7_days": 1,
    }
    assert (a.summary.workers, a.summary.workers_with_breaches, a.summary.incomplete_days) == (
        1,
        1,
        1,
    )
    assert [(w.monday, w.hours) for w in f.weekly_hours] == [
        (date(2026, 9, 28), 36.0),
        (date(2026, 10, 5), 63.0),
        (date(2026, 10, 12), 18.0),
        (date(2026, 10, 19), 0.0),
    ]


def test_the_same_note_for_several_workers_is_given_once_naming_them() -> None:
    sample = [Worker(f"W0{i}", region="CN-GD-Dongguan") for i in (1, 2)]
    pays = [PayRecord(w.code, *NOV, base_pay=D("1")) for w in sample]
    notes = english(analyse(sample, [], pays, shipped()).notes)
    skipped = [n for n in notes if "minimum-wage checks skipped" in n]
    assert len(skipped) == 1 and skipped[0].startswith("W01, W02: ")


DONGGUAN_UNKNOWN = (
    "minimum-wage checks skipped: rule set cn-guangdong-v1: the minimum wage for CN-GD-Dongguan "
    "changed on 2025-03-01 but the figure is not entered (广东省 2025 adjustment: figure not "
    "entered, check the notice)"
)
NO_REGION = "no minimum-wage region; minimum-wage checks skipped"
NOT_CHECKED = "no base rate or region; overtime premium not checked"


@pytest.mark.parametrize(
    ("worker", "due", "base", "notes"),
    [
        # an hourly rate above the minimum wage's 2500/174 = 14.37: 2 h x 150 % x 25 = 75
        (
            Worker(
                "W01", "", wage_type=WageType.HOURLY, base_rate=D("25"), region="CN-GD-Guangzhou"
            ),
            "75.00",
            "25.00",
            [],
        ),
        # an hourly rate below it is raised to it: 2 h x 150 % x 2500/174 = 43.10
        (
            Worker(
                "W01", "", wage_type=WageType.HOURLY, base_rate=D("10"), region="CN-GD-Guangzhou"
            ),
            "43.10",
            "14.37",
            [],
        ),
        # no rate on file: the minimum wage's hourly figure is the base
        (
            Worker("W01", "", wage_type=WageType.HOURLY, region="CN-GD-Guangzhou"),
            "43.10",
            "14.37",
            [],
        ),
        # no region: the contract's 3480/174 = 20 an hour with no floor: 2 h x 150 % x 20 = 60
        (Worker("W01", "", base_rate=D("3480")), "60.00", "20.00", [f"W01: {NO_REGION}"]),
        # the region's current figure is not entered: no floor either
        (
            Worker("W01", "", base_rate=D("3480"), region="CN-GD-Dongguan"),
            "60.00",
            "20.00",
            [f"W01: {DONGGUAN_UNKNOWN}"],
        ),
        # neither a rate nor a usable minimum wage: nothing to check the overtime pay against
        (
            Worker("W01", "", region="CN-GD-Dongguan"),
            None,
            None,
            [f"W01: {DONGGUAN_UNKNOWN}", f"W01: {NOT_CHECKED}"],
        ),
        (Worker("W01"), None, None, [f"W01: {NO_REGION}", f"W01: {NOT_CHECKED}"]),
    ],
)
def test_overtime_premium_base_from_contract_rate_and_minimum_wage(
    worker: Worker, due: str | None, base: str | None, notes: list[str]
) -> None:
    punches = [shift("W01", date(2026, 11, 2), 10)]  # Monday: 2 h over 8 h
    pay = PayRecord("W01", *NOV, base_pay=D("2600"))  # no overtime pay at all
    analysis = analyse([worker], punches, [pay], shipped())
    expected = []
    if due is not None:
        expected = [
            (
                D(due),
                f"W01 was paid 0.00 CNY overtime for 1–30 Nov 2026; {due} CNY was due for 2 h of "
                f"overtime at {base} CNY an hour; rule: overtime on a working day paid at 150 %, "
                "PRC Labour Law art. 44(1); PRC Labour Law art. 44(2); PRC Labour Law art. 44(3)",
            )
        ]
    assert [(b.limit, b.message) for b in analysis.breaches] == expected
    assert english(analysis.notes) == notes
    assert analysis.workers[0].premium_shortfall == (D(due) if due else D(0))


@pytest.mark.parametrize(
    ("worked", "notes"),
    [
        ([date(2026, 11, 2)], []),
        ([date(2024, 11, 4)], ["rule set cn-guangdong-v1 has no public holidays for 2024"]),
        ([date(2027, 11, 1)], ["public holidays for 2027 are provisional in cn-guangdong-v1"]),
        (
            [date(2024, 12, 30), date(2025, 6, 3), date(2027, 1, 4)],  # first and last day count
            [
                "rule set cn-guangdong-v1 has no public holidays for 2024",
                "public holidays for 2027 are provisional in cn-guangdong-v1",
            ],
        ),
    ],
)
def test_years_without_a_confirmed_holiday_calendar_are_noted(
    worked: list[date], notes: list[str]
) -> None:
    analysis = analyse([Worker("W01")], [shift("W01", d, 8) for d in worked], [], shipped())
    assert english(analysis.notes) == notes


@pytest.mark.parametrize(
    ("notes", "merged"),
    [
        (["W01: a", "W01: a"], ("W01: a",)),
        (["W02: a", "W01: a", "W02: a"], ("W02, W01: a",)),
        (["W01: a", "W01: b"], ("W01: a", "W01: b")),
        # not about a worker: kept whole, once
        (
            ["rule set r has no public holidays for 2024"] * 2,
            ("rule set r has no public holidays for 2024",),
        ),
        (["Wage file: empty", "W01: empty"], ("Wage file: empty", "W01: empty")),
    ],
)
def test_merge_worker_notes_names_each_worker_once_per_text(
    notes: list[str], merged: tuple[str, ...]
) -> None:
    as_notes = []
    for note in notes:
        code, _, text = note.partition(": ")
        is_worker = code.startswith("W") and " " not in code
        as_notes.append((code, Phrase(text)) if is_worker else ("", Phrase(note)))
    assert english(merge_worker_notes(as_notes)) == list(merged)


def test_a_note_repeated_for_each_pay_period_is_given_once() -> None:
    pays = [
        PayRecord("W01", date(2026, 10, 1), date(2026, 10, 31), base_pay=D("2600")),
        PayRecord("W01", *NOV, base_pay=D("2600")),
    ]
    assert english(analyse([Worker("W01")], [], pays, shipped()).notes) == [f"W01: {NO_REGION}"]


def english(notes: Iterable[Localized]) -> list[str]:
    return [note.text("en") for note in notes]
