"""Blackout periods of the office (per year) and dates a factory cannot receive a visit, and
the warnings a proposed date raises against them and against the PV window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.pv_window import WindowPosition
from ietp_desktop.i18n import tr
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.office.factories.register import get_factory
from ietp_desktop.office.factories.states import window_of
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory
from ietp_desktop.storage.office_planning_models import OfficeBlackout, OfficeFactoryUnavailable

MAX_PERIOD_DAYS = 120


@dataclass(frozen=True)
class DateWarning:
    """One reason a proposed date is a poor choice, rendered in the reader's language."""

    msgid: str
    params: tuple[tuple[str, object], ...]

    def text(self, language: str | None = None) -> str:
        return tr(self.msgid, language=language, **dict(self.params))


@dataclass(frozen=True)
class Period:
    id: int
    starts_on: date
    ends_on: date
    name: str  # blackout name, or why the factory is unavailable
    year: int | None = None
    factory_ietp_id: str = ""
    factory_name: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise UserError(
            "the period ends ({end}) before it starts ({start})", start=starts_on, end=ends_on
        )
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise UserError("a period of more than {days} days is not a pause", days=MAX_PERIOD_DAYS)


def add_blackout(
    db: Database,
    name: str,
    starts_on: date,
    ends_on: date,
    *,
    actor: str,
    remote: str = "",
) -> None:
    name = name.strip()
    if not name:
        raise UserError("the blackout period needs a name (e.g. Chinese New Year)")
    _check_period(starts_on, ends_on)
    with db.session() as session:
        session.add(
            OfficeBlackout(
                year=starts_on.year,
                name=name[:120],
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=actor,
            )
        )
        record(
            session, actor, "planning.blackout-add", name[:120], f"{starts_on}..{ends_on}", remote
        )


def remove_blackout(db: Database, blackout_id: int, *, actor: str, remote: str = "") -> None:
    with db.session() as session:
        row = session.get(OfficeBlackout, blackout_id)
        if row is None:
            raise NotFound("there is no blackout period {id}", id=blackout_id)
        record(
            session,
            actor,
            "planning.blackout-remove",
            row.name,
            f"{row.starts_on}..{row.ends_on}",
            remote,
        )
        session.execute(delete(OfficeBlackout).where(OfficeBlackout.id == blackout_id))


def add_unavailable(
    db: Database,
    ietp_id: str,
    starts_on: date,
    ends_on: date,
    reason: str,
    *,
    actor: str,
    remote: str = "",
) -> None:
    _check_period(starts_on, ends_on)
    with db.session() as session:
        factory = get_factory(session, ietp_id)
        session.add(
            OfficeFactoryUnavailable(
                factory_id=factory.id,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=reason.strip()[:500],
                created_by=actor,
            )
        )
        record(
            session,
            actor,
            "planning.unavailable-add",
            ietp_id,
            f"{starts_on}..{ends_on} {reason}"[:500],
            remote,
        )


def remove_unavailable(db: Database, period_id: int, *, actor: str, remote: str = "") -> None:
    with db.session() as session:
        row = session.get(OfficeFactoryUnavailable, period_id)
        if row is None:
            raise NotFound("there is no unavailable period {id}", id=period_id)
        record(
            session,
            actor,
            "planning.unavailable-remove",
            str(row.factory_id),
            f"{row.starts_on}..{row.ends_on}",
            remote,
        )
        session.execute(
            delete(OfficeFactoryUnavailable).where(OfficeFactoryUnavailable.id == period_id)
        )


def blackouts(session: Session, year: int | None = None) -> list[Period]:
    query = select(OfficeBlackout).order_by(OfficeBlackout.starts_on)
    if year is not None:
        query = query.where(OfficeBlackout.year == year)
    return [
        Period(b.id, b.starts_on, b.ends_on, b.name, year=b.year) for b in session.scalars(query)
    ]


def unavailable(
    session: Session, factory_ids: list[int] | None = None, ending_from: date | None = None
) -> list[Period]:
    """Unavailable dates of these factories (None: of every factory), those still running on
    `ending_from` or later if given."""
    query = (
        select(OfficeFactoryUnavailable, Factory.ietp_id, Factory.name_en)
        .join(Factory, Factory.id == OfficeFactoryUnavailable.factory_id)
        .order_by(OfficeFactoryUnavailable.starts_on)
    )
    if factory_ids is not None:
        query = query.where(OfficeFactoryUnavailable.factory_id.in_(factory_ids))
    if ending_from is not None:
        query = query.where(OfficeFactoryUnavailable.ends_on >= ending_from)
    return [
        Period(u.id, u.starts_on, u.ends_on, u.reason, factory_ietp_id=i, factory_name=n)
        for u, i, n in session.execute(query)
    ]


def date_warnings(
    day: date,
    seal_issued_on: date | None,
    office_blackouts: list[Period],
    factory_unavailable: list[Period],
) -> list[DateWarning]:
    """Why `day` is a poor date for this factory's PV: outside its window, in a blackout
    period of the office, on a date the factory said it is unavailable."""
    found: list[DateWarning] = []
    window = window_of(seal_issued_on)
    if window is not None:
        position = window.position(day)
        if position is not WindowPosition.INSIDE:
            found.append(
                DateWarning(
                    "{date} is before the PV window ({opens} to {closes})"
                    if position is WindowPosition.BEFORE
                    else "{date} is after the PV window ({opens} to {closes})",
                    (("date", day), ("opens", window.opens), ("closes", window.closes)),
                )
            )
    for period in office_blackouts:
        if period.covers(day):
            found.append(
                DateWarning(
                    "{date} falls in the blackout period {name} ({start} to {end})",
                    (
                        ("date", day),
                        ("name", period.name),
                        ("start", period.starts_on),
                        ("end", period.ends_on),
                    ),
                )
            )
    for period in factory_unavailable:
        if period.covers(day):
            found.append(
                DateWarning(
                    "{date}: the factory is unavailable from {start} to {end} ({reason})",
                    (
                        ("date", day),
                        ("start", period.starts_on),
                        ("end", period.ends_on),
                        ("reason", period.name or "–"),
                    ),
                )
            )
    return found
