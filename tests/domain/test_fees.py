"""Fee note, hand-computed: man-days × rate, capped at US$1,500, due 15 working days later."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.fees import FEE_CAP_USD, PAYMENT_WORKING_DAYS, fee_note


def weekdays(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@pytest.mark.parametrize(
    ("man_days", "rate", "uncapped", "total", "capped"),
    [
        ("1.5", "850", "1275.00", "1275.00", False),
        ("1.5", "1000", "1500.00", "1500.00", False),  # exactly at the cap: not "applied"
        ("2", "850", "1700.00", "1500", True),
        ("0.333", "1000.015", "333.00", "333.00", False),  # 333.004995 rounds half up to .00
        ("0.5", "999.99", "500.00", "500.00", False),  # 499.995 rounds half up
        ("1", "0", "0.00", "0.00", False),
    ],
)
def test_amounts(man_days: str, rate: str, uncapped: str, total: str, capped: bool) -> None:
    note = fee_note(Decimal(man_days), Decimal(rate), None, weekdays)
    assert (note.uncapped_usd, note.total_usd, note.cap_applied) == (
        Decimal(uncapped),
        Decimal(total),
        capped,
    )
    assert note.due_on is None and note.invoice_received_on is None


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 7, 6), date(2026, 7, 27)),  # Monday: three weekends inside
        (date(2026, 7, 10), date(2026, 7, 31)),  # Friday: counting starts Monday
        (date(2026, 7, 11), date(2026, 7, 31)),  # Saturday: same as Friday
    ],
)
def test_due_date_uses_the_calendar_it_is_given(received: date, due: date) -> None:
    note = fee_note(Decimal("1"), Decimal("800"), received, weekdays)
    assert note.due_on == due and note.invoice_received_on == received


def test_calendar_is_asked_for_15_working_days() -> None:
    asked: list[tuple[date, int]] = []

    def calendar(start: date, n: int) -> date:
        asked.append((start, n))
        return date(2030, 1, 1)

    note = fee_note(Decimal("1"), Decimal("1"), date(2026, 1, 2), calendar)
    assert asked == [(date(2026, 1, 2), 15)] == [(date(2026, 1, 2), PAYMENT_WORKING_DAYS)]
    assert note.due_on == date(2030, 1, 1)
    assert Decimal(1500) == FEE_CAP_USD


@pytest.mark.parametrize(
    ("man_days", "rate", "message"),
    [
        ("0", "800", "man-days must be more than 0 (got 0)"),
        ("-1", "800", "man-days must be more than 0 (got -1)"),
        ("1", "-0.01", "the day rate cannot be negative (got -0.01 USD)"),
    ],
)
def test_invalid_inputs(man_days: str, rate: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        fee_note(Decimal(man_days), Decimal(rate), None, weekdays)
    assert str(caught.value) == message + "."
