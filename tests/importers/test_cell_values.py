from datetime import date, datetime, time
from decimal import Decimal

import pytest

from ietp_desktop.importers.values import (
    CellError,
    parse_amount,
    parse_date,
    parse_month,
    parse_time,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        ("2026/10/1", date(2026, 10, 1)),
        ("2026.10.01", date(2026, 10, 1)),
        ("20261001", date(2026, 10, 1)),
        ("2026年10月1日", date(2026, 10, 1)),
        ("01/10/2026", date(2026, 10, 1)),  # day first
        ("1-10-2026", date(2026, 10, 1)),
        ("2026-10-01 星期四", date(2026, 10, 1)),
        ("2026-10-01 08:00:00", date(2026, 10, 1)),
        (46296, date(2026, 10, 1)),  # Excel serial number
        (46296.0, date(2026, 10, 1)),
        ("46296", date(2026, 10, 1)),
        (datetime(2026, 10, 1, 8), date(2026, 10, 1)),
    ],
)
def test_dates(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["10/13/2026", "2026-02-30", "yesterday", "", 12, 1.5, None])
def test_unreadable_dates(value: object) -> None:
    with pytest.raises(CellError, match="unreadable date"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("08:00", time(8)),
        ("8:00:00", time(8)),
        ("0800", time(8)),
        ("800", time(8)),
        ("17:30", time(17, 30)),
        ("5:30 PM", time(17, 30)),
        ("12:00 AM", time(0)),
        ("08：00", time(8)),
        (0.75, time(18)),
        (time(7, 15), time(7, 15)),
        (datetime(1899, 12, 30, 6), time(6)),
        ("24:00", time(0)),
        ("2026-10-01 20:00", datetime(2026, 10, 1, 20)),
        (datetime(2026, 10, 2, 5), datetime(2026, 10, 2, 5)),
    ],
)
def test_times(value: object, expected: object) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["25:00", "8h", "13:00 PM", "2400x", "12:60", 1.5])
def test_unreadable_times(value: object) -> None:
    with pytest.raises(CellError, match="unreadable time"):
        parse_time(value)


def test_months_and_amounts() -> None:
    assert parse_month("2026年2月") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_month("202610") == (date(2026, 10, 1), date(2026, 10, 31))
    assert parse_month(date(2026, 12, 15)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert parse_amount("¥2,500.50") == Decimal("2500.50")
    assert parse_amount("(30)") == Decimal(-30)
    assert parse_amount("1800元") == Decimal(1800)
    assert parse_amount(" - ") is None
    assert parse_amount(0.1) == Decimal("0.1")
    with pytest.raises(CellError, match="unreadable amount 'abc'"):
        parse_amount("abc")
    with pytest.raises(CellError, match="unreadable amount"):
        parse_amount("nan")
