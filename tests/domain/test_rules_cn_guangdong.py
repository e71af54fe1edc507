import json
from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.domain.rules import RuleSet, parse_rule_set, rule_set_sha256
from ietp_desktop.paths import forms_dir

RULES_FILE = forms_dir() / "rules" / "cn-guangdong-v1.json"


@cache
def shipped() -> RuleSet:
    return parse_rule_set(RULES_FILE.read_text(encoding="utf-8"), RULES_FILE.name)


def test_shipped_rule_set_carries_the_figures_and_citations() -> None:
    r = shipped()
    assert r.rule_set_id == "cn-guangdong-v1"
    law = r.rules
    assert (law.standard_hours_per_day.value, law.standard_hours_per_week.value) == (8, 40)
    assert law.overtime_hours_per_month.value == 36
    assert law.overtime_hours_per_month.citation == "PRC Labour Law art. 41"
    assert law.rest_days_per_week.citation == "PRC Labour Law art. 38"
    assert [law.premium_workday.value, law.premium_rest_day.value, law.premium_holiday.value] == [
        Decimal("1.5"),
        Decimal("2.0"),
        Decimal("3.0"),
    ]
    assert law.monthly_hours_base.value == 174
    assert law.damage_deduction_share.value == Decimal("0.20")
    assert r.programme_limits.total_hours_per_7_days.value == 60
    assert "art. 12" in law.minimum_wage.citation


@pytest.mark.parametrize(
    ("region", "on", "amount", "effective"),
    [
        ("CN-GD-Dongguan", date(2021, 11, 30), "1720", date(2018, 7, 1)),
        ("CN-GD-Dongguan", date(2021, 12, 1), "1900", date(2021, 12, 1)),
        ("CN-GD-Shenzhen", date(2022, 6, 30), "2200", date(2018, 7, 1)),
        ("CN-GD-Shenzhen", date(2022, 7, 1), "2360", date(2022, 7, 1)),
        ("CN-GD-Guangzhou", date(2026, 10, 1), "2500", date(2025, 3, 1)),
    ],
)
def test_minimum_wage_in_force_on_a_date(
    region: str, on: date, amount: str, effective: date
) -> None:
    mw = shipped().minimum_wage(region, on)
    assert (mw.amount, mw.effective_from) == (Decimal(amount), effective)
    assert mw.source


def test_minimum_wage_unknown_region_or_date_names_them() -> None:
    with pytest.raises(UserError, match=r"CN-GD-Atlantis on 2026-01-01"):
        shipped().minimum_wage("CN-GD-Atlantis", date(2026, 1, 1))
    with pytest.raises(UserError, match=r"CN-GD-Dongguan on 2010-01-01"):
        shipped().minimum_wage("CN-GD-Dongguan", date(2010, 1, 1))


def test_a_rate_change_without_a_figure_refuses_instead_of_using_the_old_rate() -> None:
    with pytest.raises(UserError, match=r"CN-GD-Dongguan changed on 2025-03-01"):
        shipped().minimum_wage("CN-GD-Dongguan", date(2026, 5, 1))


@pytest.mark.parametrize(
    ("day", "statutory", "public", "adjusted"),
    [
        (date(2026, 10, 1), True, True, False),
        (date(2026, 10, 5), False, True, False),  # bridged day of the National Day week
        (date(2026, 10, 10), False, False, True),  # Saturday made a working day
        (date(2026, 2, 17), True, True, False),  # Spring Festival day 1
        (date(2026, 2, 23), False, True, False),
        (date(2025, 10, 6), True, True, False),  # Mid-Autumn inside the 2025 National Day week
        (date(2025, 9, 28), False, False, True),
        (date(2026, 11, 24), False, False, False),
    ],
)
def test_holiday_calendar(day: date, statutory: bool, public: bool, adjusted: bool) -> None:
    r = shipped()
    assert r.is_statutory_holiday(day) is statutory
    assert r.is_public_holiday(day) is public
    assert r.is_adjusted_workday(day) is adjusted


def test_thirteen_statutory_days_a_year_and_2027_provisional() -> None:
    r = shipped()
    for year in (2025, 2026, 2027):
        assert sum(1 for d in r.holidays if d.year == year) == 13
    assert r.provisional_years == {2027}
    assert r.covered_years == {2025, 2026, 2027}


def _broken(mutate: object) -> str:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    mutate(data)  # type: ignore[operator]
    return json.dumps(data)


def test_parse_errors_name_the_file_and_field() -> None:
    text = _broken(lambda d: d["rules"]["premium_holiday"].update(value="three"))
    with pytest.raises(ValidationFailed, match=r"^bad\.json: field rules\.premium_holiday\.value"):
        parse_rule_set(text, "bad.json")
    text = _broken(lambda d: d["rules"].pop("overtime_hours_per_month"))
    with pytest.raises(ValidationFailed, match=r"rules\.overtime_hours_per_month: Field required"):
        parse_rule_set(text, "bad.json")
    with pytest.raises(ValidationFailed, match=r"^bad\.json: not valid JSON \(line 1"):
        parse_rule_set("{", "bad.json")


def test_sha256_is_of_the_utf8_text() -> None:
    assert rule_set_sha256("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
