from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from ietp_desktop.domain.hours import daily_hours, hours_breaches, worker_hours
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
