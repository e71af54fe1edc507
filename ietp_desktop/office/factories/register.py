"""The factory list: one query (factories and their latest received visit), states in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
        select(Factory, last.c.last_visit_on)
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
    for factory, last_visit_on in session.execute(query):
        state = factory_state(factory.seal_issued_on, last_visit_on, today)
        if flt.state and state != flt.state:
            continue
        rows.append(row_of(factory, last_visit_on, state))
        if len(rows) >= limit:
            break
    return rows


def row_of(factory: Factory, last_visit_on: date | None, state: FactoryState) -> FactoryRow:
    return FactoryRow(
        id=factory.id,
        ietp_id=factory.ietp_id,
        name_en=factory.name_en,
        name_zh=factory.name_zh,
        address=factory.address,
        city=factory.city,
        region=factory.region,
        headcount=factory.headcount,
        seal_issued_on=factory.seal_issued_on,
        contact_name=factory.contact_name,
        contact_email=factory.contact_email,
        window=window_of(factory.seal_issued_on),
        state=state,
        last_visit_on=last_visit_on,
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
