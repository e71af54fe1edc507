import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest

from ietp_desktop.domain.hours import DayHours, daily_hours, hours_breaches, worker_hours
from ietp_desktop.domain.records import Punch
from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.paths import forms_dir


@cache
def shipped() -> RuleSet:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    return parse_rule_set(path.read_text(encoding="utf-8"), path.name)


def shift(code: str, day: date, start: str, end: str) -> Punch:
    s = datetime.combine(day, datetime.strptime(start, "%H:%M").time())
    e = datetime.combine(day, datetime.strptime(end, "%H:%M").time())
    if e <= s:
        e += timedelta(days=1)
    return Punch(code, day, s, e)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def analyse_one(punches: list[Punch]):  # type: ignore[no-untyped-def]
    ((code, dh),) = daily_hours(punches).items()
    return worker_hours(code, dh, shipped())


def test_night_shift_counts_on_the_day_it_started_and_intervals_add_up() -> None:
    mon = date(2026, 11, 2)
    wh = analyse_one(
        [
            shift("W01", mon, "20:00", "05:30"),  # 9.5 h across midnight
            shift("W01", date(2026, 11, 3), "08:00", "12:00"),
            shift("W01", date(2026, 11, 3), "13:00", "17:30"),
        ]
    )
    assert [(d.work_date, d.hours) for d in wh.days] == [(mon, 9.5), (date(2026, 11, 3), 8.5)]
    assert [(o.work_date, o.workday_minutes) for o in wh.overtime] == [
        (mon, 90),
        (date(2026, 11, 3), 30),
    ]


def test_missing_punch_flags_the_day_without_guessing_hours() -> None:
    day = date(2026, 11, 3)
    wh = analyse_one([Punch("W02", day, datetime(2026, 11, 3, 8), None)])
    (d,) = wh.days
    assert (d.minutes, d.incomplete) == (0, True)
    assert wh.runs[0].days == 1  # the worker was there: the day counts as worked


def test_rest_day_worked_then_day_off_in_lieu_is_not_rest_day_overtime() -> None:
    # Week of Mon 2 Nov 2026: works Mon-Sat, Sunday off; Mon 9 Nov off in lieu; then the
    # following Saturday 14 Nov worked with no day off: 8 h at the rest-day rate.
    worked = [d for d in days(date(2026, 11, 2), date(2026, 11, 14)) if d.weekday() != 6]
    worked.remove(date(2026, 11, 9))
    wh = analyse_one([shift("W03", d, "08:00", "16:00") for d in worked])
    assert wh.days_in_lieu == ((date(2026, 11, 7), date(2026, 11, 9)),)
    assert wh.rest_days_worked == (date(2026, 11, 14),)
    assert [(o.work_date, o.rest_day_minutes) for o in wh.overtime] == [(date(2026, 11, 14), 480)]
    assert wh.overtime_by_month() == {date(2026, 11, 1): 480}


def test_public_holiday_work_is_all_holiday_overtime_and_bridged_days_are_rest_days() -> None:
    wh = analyse_one(
        [
            shift("W04", date(2026, 10, 1), "08:00", "16:00"),  # statutory: 300 %
            shift("W04", date(2026, 10, 5), "08:00", "12:00"),  # bridged day: rest day
        ]
    )
    assert wh.holidays_worked == (date(2026, 10, 1),)
    assert [(o.holiday_minutes, o.rest_day_minutes) for o in wh.overtime] == [(480, 0), (0, 240)]


def test_thirteen_consecutive_days_breach_message_cites_the_rule() -> None:
    wh = analyse_one(
        [shift("W03", d, "08:00", "17:00") for d in days(date(2026, 10, 1), date(2026, 10, 13))]
    )
    run = wh.longest_run
    assert run is not None and (run.start, run.end, run.days) == (
        date(2026, 10, 1),
        date(2026, 10, 13),
        13,
    )
    rest = [b for b in hours_breaches(wh, shipped()) if b.rule_id == "rest_days_per_week"]
    assert [b.message for b in rest] == [
        "W03 worked 13 consecutive days, 1–13 Oct 2026; rule: at least one rest day in every "
        "7 days, PRC Labour Law art. 38"
    ]
    assert rest[0].figure == 13


def test_weekly_rolling_and_overtime_caps() -> None:
    # November 2026, Monday to Saturday 11 h a day (3 h overtime), Sundays off.
    worked = [d for d in days(date(2026, 11, 2), date(2026, 11, 28)) if d.weekday() != 6]
    wh = analyse_one([shift("W05", d, "07:00", "18:00") for d in worked])
    assert [w.hours for w in wh.weekly] == [66.0, 66.0, 66.0, 66.0]
    assert wh.max_rolling7_minutes == 66 * 60
    # 20 working days x 3 h + 4 Saturdays x 11 h at the rest-day rate
    assert wh.overtime_by_month() == {date(2026, 11, 1): (20 * 3 + 4 * 11) * 60}
    breaches = hours_breaches(wh, shipped())
    by_rule = {b.rule_id: b for b in breaches}
    assert by_rule["overtime_hours_per_month"].message == (
        "W05 worked 104 h overtime in Nov 2026; limit 36 h a month; rule: overtime at most "
        "36 hours a month, PRC Labour Law art. 41"
    )
    total = by_rule["total_hours_per_7_days"]
    assert (total.figure, total.limit, total.period_start, total.period_end) == (
        Decimal("66.00"),
        Decimal(60),
        date(2026, 11, 2),
        date(2026, 11, 28),
    )
    assert "overtime_hours_per_day_special" not in by_rule  # 3 h is within the special cap
    assert "rest_days_per_week" not in by_rule
    assert "regular_hours_per_week" not in by_rule  # 5 x 8 = 40 regular hours a week


def test_daily_cap_breach_lists_days_over_three_hours() -> None:
    wh = analyse_one(
        [
            shift("W06", date(2026, 11, 2), "07:00", "20:30"),  # 13.5 h: 5.5 h overtime
            shift("W06", date(2026, 11, 3), "07:00", "19:00"),  # 12 h: 4 h overtime
            shift("W06", date(2026, 11, 4), "07:00", "18:00"),  # 11 h: at the cap
        ]
    )
    breaches = hours_breaches(wh, shipped())
    (b,) = [x for x in breaches if x.rule_id == "overtime_hours_per_day_special"]
    assert b.message == (
        "W06 worked more than 3 h overtime a day on 2 days in Nov 2026 (most: 5.5 h on "
        "2 Nov 2026); rule: overtime at most 3 hours a day even for special reasons, "
        "PRC Labour Law art. 41"
    )


def test_seven_days_within_programme_limit_is_a_breach_of_the_law_only_once() -> None:
    wh = analyse_one(
        [shift("W07", d, "08:00", "16:00") for d in days(date(2026, 11, 2), date(2026, 11, 8))]
    )
    assert [b.rule_id for b in hours_breaches(wh, shipped())] == ["rest_days_per_week"]


def office_rules(**limits: tuple[str, str]) -> RuleSet:
    """The shipped rule set with some programme limits replaced: {rule_id: (value, text)}."""
    data = json.loads((forms_dir() / "rules" / "cn-guangdong-v1.json").read_text("utf-8"))
    for rule_id, (value, text) in limits.items():
        data["programme_limits"][rule_id].update(value=value, text=text)
    return parse_rule_set(json.dumps(data), "office-variant.json")


@cache
def five_day_office() -> RuleSet:
    return office_rules(
        max_consecutive_days=("5", "At most 5 consecutive working days (programme limit)")
    )


FIVE_DAYS = "rule: at most 5 consecutive working days (programme limit), ETI Base Code 6.6 "
FIVE_DAYS += "(limit applied by the office)"
LAW_REST = "rule: at least one rest day in every 7 days, PRC Labour Law art. 38"


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        # Mon-Fri: within both the law (6 days) and the office's limit (5 days)
        ([(date(2026, 11, 2), date(2026, 11, 6))], []),
        # Mon-Sat: legal, but one day over the office's stricter limit
        (
            [(date(2026, 11, 2), date(2026, 11, 7))],
            [("max_consecutive_days", f"W01 worked 6 consecutive days, 2–7 Nov 2026; {FIVE_DAYS}")],
        ),
        # Mon-Sun: breaks the law; reported once, under the law, not again under the limit
        (
            [(date(2026, 11, 2), date(2026, 11, 8))],
            [("rest_days_per_week", f"W01 worked 7 consecutive days, 2–8 Nov 2026; {LAW_REST}")],
        ),
        (
            [(date(2026, 11, 2), date(2026, 11, 7)), (date(2026, 11, 9), date(2026, 11, 15))],
            [
                (
                    "max_consecutive_days",
                    f"W01 worked 6 consecutive days, 2–7 Nov 2026; {FIVE_DAYS}",
                ),
                ("rest_days_per_week", f"W01 worked 7 consecutive days, 9–15 Nov 2026; {LAW_REST}"),
            ],
        ),
    ],
)
def test_programme_limit_stricter_than_the_law_on_consecutive_days(
    runs: list[tuple[date, date]], expected: list[tuple[str, str]]
) -> None:
    # 8 h a day: no overtime above the caps; rest-day work stays under 36 h a month
    punches = [shift("W01", d, "08:00", "16:00") for a, b in runs for d in days(a, b)]
    ((code, dh),) = daily_hours(punches).items()
    rules = five_day_office()
    breaches = hours_breaches(worker_hours(code, dh, rules), rules)
    assert [(b.rule_id, b.message) for b in breaches] == expected


@cache
def forty_hour_office() -> RuleSet:
    return office_rules(
        regular_hours_per_week=("40", "At most 40 regular hours a week (programme limit)")
    )


FORTY = "limit 40 h; rule: at most 40 regular hours a week (programme limit), ETI Base Code 6.2 "
FORTY += "(limit applied by the office)"


@pytest.mark.parametrize(
    ("first", "last", "shift_end", "expected"),
    [
        # Mon-Fri 8 h: 5 x 8 = 40 regular hours, not above 40
        (date(2026, 11, 2), date(2026, 11, 6), "16:00", []),
        # Mon-Fri 10 h: the 2 h a day beyond 8 are overtime, not regular hours: still 40
        (date(2026, 11, 2), date(2026, 11, 6), "18:00", []),
        # Mon-Sat 8 h: an ordinary Saturday is a rest day worked, not regular hours: 40
        (date(2026, 11, 2), date(2026, 11, 7), "16:00", []),
        # Sat 14 Feb 2026 is a declared working day (调休): 6 x 8 = 48 regular hours
        (
            date(2026, 2, 9),
            date(2026, 2, 14),
            "16:00",
            [f"W01 worked 48 regular hours in the week 9–15 Feb 2026; {FORTY}"],
        ),
        # the same week at 10 h a day: 12 h overtime, regular hours still 6 x 8 = 48
        (
            date(2026, 2, 9),
            date(2026, 2, 14),
            "18:00",
            [f"W01 worked 48 regular hours in the week 9–15 Feb 2026; {FORTY}"],
        ),
        # records start on a Wednesday (Sun 8 Feb off): week of 2 Feb has Wed-Fri = 24 h
        # (Sat 7 Feb is a rest day), the week of 9 Feb has 48 h
        (
            date(2026, 2, 4),
            date(2026, 2, 14),
            "16:00",
            [f"W01 worked 48 regular hours in the week 9–15 Feb 2026; {FORTY}"],
        ),
    ],
)
def test_regular_hours_per_week_count_at_most_8_h_on_scheduled_working_days(
    first: date, last: date, shift_end: str, expected: list[str]
) -> None:
    punches = [
        shift("W01", d, "08:00", shift_end) for d in days(first, last) if d != date(2026, 2, 8)
    ]
    ((code, dh),) = daily_hours(punches).items()
    rules = forty_hour_office()
    breaches = hours_breaches(worker_hours(code, dh, rules), rules)
    assert [b.message for b in breaches] == expected
    assert all(b.figure == Decimal("48.00") for b in breaches)


@pytest.mark.parametrize(
    ("span", "holidays"),
    [
        (3, ()),  # 28-30 Sep 2026
        (4, (date(2026, 10, 1),)),
        (6, (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3))),
        (20, (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3))),
    ],
)
def test_day_calendars_stay_right_when_many_spans_overflow_their_cache(
    span: int, holidays: tuple[date, ...]
) -> None:
    from ietp_desktop.domain import hours

    monday = date(2026, 9, 28)
    # 20 record spans of different lengths: more than the 16 calendars kept at a time
    for n in range(1, 21):
        dh = [DayHours(monday + timedelta(days=i), 480, False) for i in range(n)]
        worker_hours("W01", dh, shipped())
        assert len(hours._CALENDARS) <= 16
    dh = [DayHours(monday + timedelta(days=i), 480, False) for i in range(span)]
    assert worker_hours("W01", dh, shipped()).holidays_worked == holidays
