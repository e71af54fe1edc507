"""Cell values from CSV text or Excel cells: dates, times, amounts.

Dates: ISO (2026-10-01), 2026/10/1, 2026.10.1, 20261001, 2026年10月1日, Excel date cells and
Excel serial numbers (days since 1899-12-30). Slash, dash or dot dates with the year last
(01/10/2026) are read DAY FIRST, as factories in China and Hong Kong write them; a month above
12 is refused rather than guessed.
Two-digit years only as DingTalk writes them, year first with dashes (26-10-12 星期一).
Times: 08:00, 8:00:00, 0800, 8:00 PM, Excel time cells and day fractions (0.5 = 12:00).
Full-width digits and punctuation (２６００．００, １０：３０) read as their ASCII forms.
Amounts: a decimal mark that could be read two ways (2 600,00, 2.600) is refused, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from ietp_desktop.domain.phrases import Phrase

EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954 .. 2119

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HMS = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?$")
_HHMM = re.compile(r"^(\d{3,4})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_YY_MM_DD = re.compile(r"^(\d{2})-(\d{1,2})-(\d{1,2})$")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_SPACE = re.compile(r"^\d{1,3}( \d{3})+(\.\d+)?$")
_AMBIGUOUS_DOT = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")
_CURRENCY = ("¥", "￥", "元", "CNY", "RMB")


class CellError(ValueError):
    """A cell that cannot be read; `phrase` is the reason shown to the user (in any
    language), `str()` the English one."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.phrase = Phrase(template, **params)
        super().__init__(self.phrase.text("en"))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def ascii_text(value: object) -> str:
    """text() with full-width digits and punctuation (２０２６，１０：００) made ASCII."""
    s = text(value)
    return s if s.isascii() else s.translate(_FULL_WIDTH)


def _serial(n: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(n))


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            return _serial(value)
        raise CellError("unreadable date {value}", value=repr(text(value)))
    s = ascii_text(value)
    head = s.split()[0] if s else s  # "2026-10-01 08:00" or "2026-10-01 星期四"
    try:
        if m := _YMD.match(head) or _YMD.match(s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(head):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _COMPACT.match(head):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _YY_MM_DD.match(head):
            return date(2000 + int(m[1]), int(m[2]), int(m[3]))
        if head.isdigit() and _SERIAL_RANGE[0] <= int(head) < _SERIAL_RANGE[1]:
            return _serial(int(head))
    except ValueError:
        pass
    raise CellError("unreadable date {value}", value=repr(s))


def parse_month(value: object) -> tuple[date, date]:
    """A pay period given as a month (2026-10, 2026年10月, 202610 or any date in it)."""
    s = text(value)
    m = _MONTH.match(s) or _COMPACT_MONTH.match(s)
    if m and 1 <= int(m[2]) <= 12:
        first = date(int(m[1]), int(m[2]), 1)
    else:
        try:
            first = parse_date(value).replace(day=1)
        except CellError:
            raise CellError("unreadable pay period {value}", value=repr(s)) from None
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def parse_time(value: object) -> time | datetime:
    """A clock time, or a full date and time when the cell carries both."""
    if isinstance(value, datetime):
        if value.date() in (EXCEL_EPOCH, date(1900, 1, 1)):
            return value.time()
        return value
    if isinstance(value, time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 <= value < 1:
            seconds = round(value * 86400)
            return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
        if isinstance(value, int) or value.is_integer():
            return parse_time(str(int(value)))
        raise CellError("unreadable time {value}", value=repr(text(value)))
    s = ascii_text(value)
    if len(s) in (16, 19) and s[4] == "-" and s[10] == " ":  # 2026-10-01 07:58[:12], in C
        try:
            return datetime.fromisoformat(s)
        except ValueError:
            pass
    parts = s.split()
    if len(parts) == 2 and parts[1].upper() not in ("AM", "PM"):
        try:
            d = parse_date(parts[0])
        except CellError:
            raise CellError("unreadable time {value}", value=repr(s)) from None
        t = parse_time(parts[1])
        if isinstance(t, datetime):
            raise CellError("unreadable time {value}", value=repr(s))
        return datetime.combine(d, t)
    try:
        if m := _HMS.match(s):
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            if m[4]:
                if not 1 <= hour <= 12:
                    raise ValueError
                hour = hour % 12 + (12 if m[4].upper() == "PM" else 0)
            if hour == 24 and minute == 0 and second == 0:
                hour = 0  # 24:00 written for midnight; the caller rolls it to the next day
            return time(hour, minute, second)
        if m := _HHMM.match(s):
            digits = m[1].zfill(4)
            return time(int(digits[:2]), int(digits[2:]))
    except ValueError:
        pass
    raise CellError("unreadable time {value}", value=repr(s))


def parse_amount(value: object) -> Decimal | None:
    """An amount of money or hours; blank or '-' gives None. Commas separate thousands
    (2,600.00), a dot marks decimals; a comma that could be a decimal mark (2 600,00,
    2600,5) or a dot that could separate thousands (2.600) is refused."""
    if isinstance(value, bool):
        raise CellError("unreadable amount {value}", value=repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    original = text(value)
    s = ascii_text(value)
    for junk in _CURRENCY:
        s = s.replace(junk, "")
    s = s.strip()
    if s in ("", "-", "—"):
        return None
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1].strip()
    if s.startswith("-"):
        negative, s = True, s[1:].strip()
    if "," in s:
        if not _THOUSANDS_COMMA.match(s):
            raise _ambiguous(original)
        s = s.replace(",", "")
    elif " " in s:
        if not _THOUSANDS_SPACE.match(s):
            raise CellError("unreadable amount {value}", value=repr(original))
        s = s.replace(" ", "")
    if s.count(".") > 1 or _AMBIGUOUS_DOT.match(s):
        raise _ambiguous(original)
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise CellError("unreadable amount {value}", value=repr(original)) from None
    if not amount.is_finite():
        raise CellError("unreadable amount {value}", value=repr(original))
    return -amount if negative else amount


def _ambiguous(original: str) -> CellError:
    return CellError(
        "ambiguous decimal mark: {value} could be read two ways; write it with a dot "
        "for decimals and no thousands separator (e.g. 2600.00)",
        value=repr(original),
    )
