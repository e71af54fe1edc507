"""The factory list: one query (factories and their latest received visit), states in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.domain.pv_window import PvWindow
from ietp_desktop.office.factories.states import FactoryState, factory_state, window_of
from ietp_desktop.storage.models import Factory, Visit

MAX_ROWS = 20_000


@dataclass(frozen=True)
class FactoryFilter:
    text: str = ""
    region: str = ""
    state: str = ""


@dataclass(frozen=True)
class FactoryRow:
    id: int
    ietp_id: str
    name_en: str
    name_zh: str
    address: str
    city: str
    region: str
    headcount: int | None
    seal_issued_on: date | None
    contact_name: str
    contact_email: str
    window: PvWindow | None
    state: FactoryState
    last_visit_on: date | None

    @property
    def window_opens(self) -> date | None:
        return self.window.opens if self.window else None

    @property
    def window_closes(self) -> date | None:
        return self.window.closes if self.window else None


def last_visits_subquery() -> Subquery:
    """factory_id → first day of the latest visit the office received for it."""
    return (
        select(Visit.factory_id, func.max(Visit.visit_start).label("last_visit_on"))
        .where(Visit.received_at.is_not(None))
        .group_by(Visit.factory_id)
        .subquery()
    )


def list_factories(
    session: Session, today: date, flt: FactoryFilter = FactoryFilter(), limit: int = MAX_ROWS
) -> list[FactoryRow]:
    last = last_visits_subquery()
    query = (
        select(*FACTORY_COLUMNS, last.c.last_visit_on)
        .outerjoin(last, last.c.factory_id == Factory.id)
        .order_by(Factory.region, Factory.city, Factory.ietp_id)
    )
    if flt.text:
        like = f"%{flt.text.lower()}%"
        query = query.where(
            or_(
                func.lower(Factory.ietp_id).like(like),
                func.lower(Factory.name_en).like(like),
                Factory.name_zh.like(f"%{flt.text}%"),
                func.lower(Factory.city).like(like),
            )
        )
    if flt.region:
        query = query.where(Factory.region == flt.region)
    rows = []
    for values in session.execute(query):
        window = window_of(values.seal_issued_on)
        state = factory_state(values.seal_issued_on, values.last_visit_on, today, window)
        if flt.state and state != flt.state:
            continue
        rows.append(row_of(values, state, window))
        if len(rows) >= limit:
            break
    return rows


# plain columns, not ORM objects: a national register is thousands of rows
FACTORY_COLUMNS = (
    Factory.id,
    Factory.ietp_id,
    Factory.name_en,
    Factory.name_zh,
    Factory.address,
    Factory.city,
    Factory.region,
    Factory.headcount,
    Factory.seal_issued_on,
    Factory.contact_name,
    Factory.contact_email,
)


def row_of(values: Any, state: FactoryState, window: PvWindow | None) -> FactoryRow:
    """A FactoryRow from a row of FACTORY_COLUMNS and `last_visit_on`."""
    return FactoryRow(
        id=values.id,
        ietp_id=values.ietp_id,
        name_en=values.name_en,
        name_zh=values.name_zh,
        address=values.address,
        city=values.city,
        region=values.region,
        headcount=values.headcount,
        seal_issued_on=values.seal_issued_on,
        contact_name=values.contact_name,
        contact_email=values.contact_email,
        window=window,
        state=state,
        last_visit_on=values.last_visit_on,
    )


def regions(session: Session) -> list[str]:
    return [
        r for r in session.scalars(select(Factory.region).distinct().order_by(Factory.region)) if r
    ]


def get_factory(session: Session, ietp_id: str) -> Factory:
    factory = session.scalars(select(Factory).where(Factory.ietp_id == ietp_id)).first()
    if factory is None:
        raise NotFound("the office database has no factory {id}", id=ietp_id[:40])
    return factory
