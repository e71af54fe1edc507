"""Bounded building blocks for every wire model, and the one way a violation is reported.

Everything that crosses from one machine to another is checked here before anything is stored:
every string has a length limit and holds no NUL (PostgreSQL refuses it) and no lone surrogate
(it cannot be written as UTF-8), every list a count limit, every number is finite and in a
range, every date in a sane range, every enumeration closed. A violation becomes one line that
names the entry and the field path: `visit-….json: visit.day_rate_usd: not a finite number`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NaiveDatetime,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr

DATE_MIN = date(1950, 1, 1)
DATE_MAX = date(2100, 12, 31)
MAX_REVISION = 10_000
MAX_REF = 2**31 - 1
MAX_ROW = 100_000_000

# Text sizes in characters. A finding's evidence lists every calculated breach, so it is long.
NAME = 120
LINE = 300
NOTE = 20_000
LONG_TEXT = 200_000
JSON_VALUE = 20_000
FEE_CAP_USD = 1500  # domain/fees.FEE_CAP_USD: a fee note is never above it
DEFINITION_TEXT = 4 << 20
SNAPSHOT_TEXT = 16 << 20
PEM_TEXT = 20_000

_HEX64 = re.compile(r"[0-9a-f]{64}")
_VERSION = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6}){0,3}")


class WireViolation(UserError):
    """A document that breaks its wire model: `where` names the entry and the field path."""

    def __init__(self, source: str, path: str, problem: str) -> None:
        super().__init__(
            "{source}: {path}: {problem}",
            source=source,
            path=path or "(document)",
            problem=problem,
        )
        self.source = source
        self.path = path
        self.problem = problem


def fail(message: str) -> PydanticCustomError:
    """A violation with `message` (already translated and filled in) as its wording."""
    return PydanticCustomError("ietp", message)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise fail(tr("contains a NUL character"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise fail(tr("is not valid text (a lone surrogate)")) from exc
    return value


def _uuid(value: str) -> str:
    try:
        canonical = str(uuid.UUID(value))
    except ValueError as exc:
        raise fail(tr("'{value}' is not a UUID", value=value[:40])) from exc
    if canonical != value:
        raise fail(tr("'{value}' is not a UUID in canonical form", value=value[:40]))
    return value


def _sha256(value: str) -> str:
    if not _HEX64.fullmatch(value):
        raise fail(tr("is not a sha256 (64 lowercase hex digits)"))
    return value


def _version(value: str) -> str:
    if not _VERSION.fullmatch(value):
        raise fail(
            tr("'{value}' is not a version (numbers separated by dots, e.g. 1.2)", value=value[:40])
        )
    return value


def _date_in_range(value: date) -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise fail(
            tr("{value} is outside {low} … {high}", value=value, low=DATE_MIN, high=DATE_MAX)
        )
    return value


def _datetime_in_range(value: datetime) -> datetime:
    _date_in_range(value.astimezone(UTC).date() if value.tzinfo else value.date())
    return value


def _json_text(value: str) -> str:
    try:
        json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise fail(tr("is not valid JSON")) from exc
    return value


# Text of at most so many characters, never a NUL; add `Required` for "not empty".
Str10 = Annotated[str, Field(max_length=10), AfterValidator(_clean_text)]
Str20 = Annotated[str, Field(max_length=20), AfterValidator(_clean_text)]
Str40 = Annotated[str, Field(max_length=40), AfterValidator(_clean_text)]
Str60 = Annotated[str, Field(max_length=60), AfterValidator(_clean_text)]
Str80 = Annotated[str, Field(max_length=80), AfterValidator(_clean_text)]
Str120 = Annotated[str, Field(max_length=NAME), AfterValidator(_clean_text)]
Str200 = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
Str260 = Annotated[str, Field(max_length=260), AfterValidator(_clean_text)]
Str300 = Annotated[str, Field(max_length=LINE), AfterValidator(_clean_text)]
Str2000 = Annotated[str, Field(max_length=2000), AfterValidator(_clean_text)]
Note = Annotated[str, Field(max_length=NOTE), AfterValidator(_clean_text)]
LongText = Annotated[str, Field(max_length=LONG_TEXT), AfterValidator(_clean_text)]
DefinitionText = Annotated[str, Field(max_length=DEFINITION_TEXT), AfterValidator(_clean_text)]
SnapshotText = Annotated[str, Field(max_length=SNAPSHOT_TEXT), AfterValidator(_clean_text)]
PemText = Annotated[str, Field(max_length=PEM_TEXT), AfterValidator(_clean_text)]
Base64Text = Annotated[str, Field(max_length=4 << 20), AfterValidator(_clean_text)]
Required = Field(min_length=1)

Uuid = Annotated[str, Field(max_length=36), AfterValidator(_uuid)]
Sha256 = Annotated[str, Field(max_length=64), AfterValidator(_sha256)]
Version = Annotated[str, Field(max_length=40), AfterValidator(_version)]
Day = Annotated[date, AfterValidator(_date_in_range)]
UtcTime = Annotated[AwareDatetime, AfterValidator(_datetime_in_range)]
LocalTime = Annotated[NaiveDatetime, AfterValidator(_datetime_in_range)]
Revision = Annotated[int, Field(ge=1, le=MAX_REVISION)]
Ref = Annotated[int, Field(ge=1, le=MAX_REF)]
RowNumber = Annotated[int, Field(ge=0, le=MAX_ROW)]
JsonText = Annotated[str, Field(max_length=JSON_VALUE), AfterValidator(_json_text)]
# Finite decimals in a range (a NaN, an Infinity or 1e20 is refused, never stored).
Money = Annotated[
    Decimal, Field(allow_inf_nan=False, ge=Decimal(-1_000_000_000), le=Decimal(1_000_000_000))
]
ManDays = Annotated[Decimal, Field(allow_inf_nan=False, gt=Decimal(0), le=Decimal(100))]
DayRateUsd = Annotated[Decimal, Field(allow_inf_nan=False, ge=Decimal(0), le=Decimal(100_000))]
FeeUsd = Annotated[Decimal, Field(allow_inf_nan=False, ge=Decimal(0), le=Decimal(FEE_CAP_USD))]


def version_key(version: str) -> tuple[int, ...]:
    """How versions sort: numerically, part by part (only for versions that passed `Version`)."""
    return tuple(int(part) for part in version.split("."))


def is_version(value: str) -> bool:
    return bool(_VERSION.fullmatch(value))


class WireModel(BaseModel):
    """Frozen; keys a newer minor schema adds are ignored, never stored."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True, hide_input_in_errors=True)


M = TypeVar("M", bound=BaseModel)


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_PHRASES: dict[str, Callable[[dict[str, str]], str]] = {
    "missing": lambda c: tr("is missing"),
    "string_too_short": lambda c: tr("is empty"),
    "string_too_long": lambda c: tr("is longer than {max_length} characters", **c),
    "too_long": lambda c: tr("has more than {max_length} entries", **c),
    "finite_number": lambda c: tr("not a finite number"),
    "greater_than_equal": lambda c: tr("is below {ge}", **c),
    "greater_than": lambda c: tr("must be more than {gt}", **c),
    "less_than_equal": lambda c: tr("is above {le}", **c),
    "decimal_max_digits": lambda c: tr("has more than {max_digits} digits", **c),
    "int_type": lambda c: tr("is not a whole number"),
    "int_parsing": lambda c: tr("is not a whole number"),
    "string_type": lambda c: tr("is not text"),
    "bool_type": lambda c: tr("is not true or false"),
    "list_type": lambda c: tr("is not a list"),
    "dict_type": lambda c: tr("is not an object"),
    "model_type": lambda c: tr("is not an object"),
    "model_attributes_type": lambda c: tr("is not an object"),
    "literal_error": lambda c: tr("is not one of {expected}", **c),
    "enum": lambda c: tr("is not one of {expected}", **c),
    "date_parsing": lambda c: tr("is not a date (YYYY-MM-DD)"),
    "date_type": lambda c: tr("is not a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": lambda c: tr("is not a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": lambda c: tr("is not a date (YYYY-MM-DD)"),
    "datetime_parsing": lambda c: tr("is not a date and time"),
    "datetime_type": lambda c: tr("is not a date and time"),
    "datetime_from_date_parsing": lambda c: tr("is not a date and time"),
    "timezone_aware": lambda c: tr("has no time zone"),
    "timezone_naive": lambda c: tr("must be a local time without a time zone"),
    "decimal_parsing": lambda c: tr("is not a number"),
    "decimal_type": lambda c: tr("is not a number"),
    "json_invalid": lambda c: tr("is not valid JSON"),
    "json_type": lambda c: tr("is not valid JSON"),
}


def _phrase(error: ErrorDetails) -> str:
    if error["type"] == "ietp":
        return error["msg"]
    render = _PHRASES.get(error["type"])
    if render is None:
        return error["msg"]
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return render(context)
    except (KeyError, IndexError):
        return error["msg"]


def refusal(exc: ValidationError, source: str) -> WireViolation:
    """The first violation as one line; the count of the others after it."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    problem = _phrase(first)
    if len(errors) > 1:
        problem = tr(
            "{problem} (and {count} more problems)", problem=problem, count=len(errors) - 1
        )
    return WireViolation(source, _path(first["loc"]), problem)


def parse_json(model: type[M], raw: bytes | str, source: str) -> M:
    """`raw` checked against `model`; any violation is a WireViolation naming the field."""
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise refusal(exc, source) from exc


def check(model: type[M], document: Any, source: str) -> M:
    """Like parse_json, for a document already in memory (encoded and parsed the JSON way)."""
    return parse_json(
        model, json.dumps(document, ensure_ascii=False, default=_json_default), source
    )


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
