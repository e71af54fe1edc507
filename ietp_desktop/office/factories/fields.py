"""One factory's fields as typed in a form or read from a file, checked the same way for both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ietp_desktop.domain.errors import UserError

MAX_HEADCOUNT = 200_000
_IETP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
LIMITS = {
    "name_en": 200,
    "name_zh": 200,
    "address": 1000,
    "city": 80,
    "region": 80,
    "contact_name": 120,
    "contact_email": 200,
}


class FieldProblem(UserError):
    """A value that cannot be stored; `field` is the FactoryFields attribute it was for."""

    def __init__(self, field: str, message: str, /, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


@dataclass(frozen=True)
class FactoryFields:
    ietp_id: str
    name_en: str
    name_zh: str = ""
    address: str = ""
    city: str = ""
    region: str = ""
    headcount: int | None = None
    seal_issued_on: date | None = None
    contact_name: str = ""
    contact_email: str = ""

    def values(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(field: str, value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if found:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                break
    raise FieldProblem(field, "{value} is not a date (write YYYY-MM-DD)", value=text[:40])


def parse_headcount(value: object) -> int | None:
    text = _text(value).replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise FieldProblem("headcount", "{value} is not a whole number of workers", value=text[:40])
    number = int(text)
    if not 1 <= number <= MAX_HEADCOUNT:
        raise FieldProblem(
            "headcount", "{value} workers is not a plausible headcount", value=number
        )
    return number


def parse_fields(raw: dict[str, object]) -> FactoryFields:
    """`raw`: FactoryFields attribute → what was typed or read. Raises FieldProblem."""
    ietp_id = _text(raw.get("ietp_id"))
    if not ietp_id:
        raise FieldProblem("ietp_id", "the IETP id is missing")
    if not _IETP_ID.match(ietp_id):
        raise FieldProblem(
            "ietp_id",
            "{value} is not an IETP id (letters, digits, - . _ /, at most 40)",
            value=ietp_id[:60],
        )
    texts = {name: _text(raw.get(name)) for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(texts[name]) > limit:
            raise FieldProblem(name, "longer than {limit} characters", limit=limit)
    if not texts["name_en"] and not texts["name_zh"]:
        raise FieldProblem("name_en", "the factory has no name (English or Chinese)")
    email = texts["contact_email"]
    if email and ("@" not in email or " " in email):
        raise FieldProblem("contact_email", "{value} is not an e-mail address", value=email[:60])
    return FactoryFields(
        ietp_id=ietp_id,
        name_en=texts["name_en"],
        name_zh=texts["name_zh"],
        address=texts["address"],
        city=texts["city"],
        region=texts["region"],
        headcount=parse_headcount(raw.get("headcount")),
        seal_issued_on=parse_date("seal_issued_on", raw.get("seal_issued_on")),
        contact_name=texts["contact_name"],
        contact_email=email,
    )
