"""Dates as a person types them: 2027-02-15, 2027/2/15, 2027.2.15, 20270215, 2027年2月15日.

Full-width digits and separators (typed with a Chinese input method) count as their
ASCII forms. An impossible day is refused with the reason, never moved to another date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from ietp_desktop.domain.errors import UserError

_SEPARATED = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


def parse_typed_date(text: str) -> date:
    """The date `text` names; UserError saying why when it names none."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        raise UserError("Enter a date, for example 2027-02-15")
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        match = pattern.fullmatch(typed)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return _checked(typed, year, month, day)
    raise UserError(
        "{text} is not a date; type it as 2027-02-15, 2027/2/15 or 2027年2月15日", text=text
    )


def _checked(text: str, year: int, month: int, day: int) -> date:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise UserError(
            "{text}: the year must be between {first} and {last}",
            text=text,
            first=EARLIEST_YEAR,
            last=LATEST_YEAR,
        )
    if not 1 <= month <= 12:
        raise UserError("{text}: there is no month {month}", text=text, month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise UserError(
            "{text} does not exist: {year}-{month:02d} has {days} days",
            text=text,
            year=year,
            month=month,
            days=days,
        )
    return date(year, month, day)
