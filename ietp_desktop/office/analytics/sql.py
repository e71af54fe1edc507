"""SQL building blocks shared by the analytics: which visits count, month keys, durations.

Everything here compiles on SQLite and PostgreSQL; the two places where their date arithmetic
differs (hours between two timestamps, a date as a day number) are chosen by dialect.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, Float, Integer, cast, extract, func, literal
from sqlalchemy.orm import Session

from ietp_desktop.domain.findings import NON_COMPLIANCES
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.storage.models import Finding, Visit

NC_VALUES = tuple(sorted(c.value for c in NON_COMPLIANCES))


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def received(period: Period) -> list[ColumnElement[bool]]:
    """Received visits whose first day is inside the period."""
    conditions: list[ColumnElement[bool]] = [Visit.received_at.is_not(None)]
    if period.start is not None:
        conditions.append(Visit.visit_start >= period.start)
    if period.end is not None:
        conditions.append(Visit.visit_start <= period.end)
    return conditions


def non_compliance() -> ColumnElement[bool]:
    return Finding.classification.in_(NC_VALUES)


def year_of(column: Any) -> ColumnElement[int]:
    return cast(extract("year", column), Integer)


def month_of(column: Any) -> ColumnElement[int]:
    return cast(extract("month", column), Integer)


def day_number(session: Session, column: Any) -> ColumnElement[int]:
    """Days since 1970-01-01 (a Thursday) as an integer."""
    if dialect(session) == "sqlite":
        return cast(func.julianday(column) - 2440587.5, Integer)
    return cast(cast(column, Date) - cast(literal("1970-01-01"), Date), Integer)


def hours_between(session: Session, start: Any, end: Any) -> ColumnElement[float]:
    if dialect(session) == "sqlite":
        return cast((func.julianday(end) - func.julianday(start)) * 24.0, Float)
    return cast(extract("epoch", end - start) / 3600.0, Float)


def days_between(session: Session, first: Any, later: Any) -> ColumnElement[float]:
    """Whole days from a date (or timestamp) to a later one."""
    if dialect(session) == "sqlite":
        return cast(func.julianday(func.date(later)) - func.julianday(func.date(first)), Float)
    return cast(cast(later, Date) - cast(first, Date), Float)


def month_key(year: object, month: object) -> str:
    return f"{int(str(year)):04d}-{int(str(month)):02d}"


def quarter_key(year: object, month: object) -> str:
    return f"{int(str(year)):04d}Q{(int(str(month)) + 2) // 3}"
