"""Factories: add, list, update."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError, ValidationFailed
from ietp_desktop.domain.pv_window import pv_window
from ietp_desktop.services.dto import FactoryView
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory


@dataclass(frozen=True)
class FactoryInput:
    ietp_id: str
    name_en: str
    name_zh: str = ""
    address: str = ""
    city: str = ""
    region: str = ""
    headcount: int | None = None
    seal_issued_on: date | None = None
    certificate_status: str = "certified"
    contact_name: str = ""
    contact_email: str = ""


def factory_view(factory: Factory, today: date | None = None) -> FactoryView:
    window = pv_window(factory.seal_issued_on) if factory.seal_issued_on else None
    return FactoryView(
        id=factory.id,
        ietp_id=factory.ietp_id,
        name_en=factory.name_en,
        name_zh=factory.name_zh,
        address=factory.address,
        city=factory.city,
        region=factory.region,
        headcount=factory.headcount,
        seal_issued_on=factory.seal_issued_on,
        certificate_status=factory.certificate_status,
        contact_name=factory.contact_name,
        contact_email=factory.contact_email,
        window_opens=window.opens if window else None,
        window_closes=window.closes if window else None,
        due_state=window.due_state(today or date.today()).value if window else None,
    )


def _validate(data: FactoryInput) -> None:
    problems = []
    if not data.ietp_id.strip():
        problems.append("the IETP id is empty")
    if not data.name_en.strip():
        problems.append("the English name is empty")
    if data.headcount is not None and data.headcount < 0:
        problems.append(f"the headcount cannot be negative ({data.headcount})")
    if problems:
        raise ValidationFailed(f"factory {data.ietp_id or '?'}: " + "; ".join(problems), problems)


def resolve_factory(session: Session, ref: str | int) -> Factory:
    factory = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        factory = session.get(Factory, int(ref))
    if factory is None:
        factory = session.scalars(select(Factory).where(Factory.ietp_id == str(ref))).first()
    if factory is None:
        raise NotFound("no factory with id or IETP id {ref!r}", ref=ref)
    return factory


def add_factory(db: Database, data: FactoryInput) -> FactoryView:
    _validate(data)
    with db.session() as session:
        if session.scalars(select(Factory).where(Factory.ietp_id == data.ietp_id)).first():
            raise UserError("a factory with IETP id {ietp_id} already exists", ietp_id=data.ietp_id)
        factory = Factory(**{f.name: getattr(data, f.name) for f in fields(data)})
        session.add(factory)
        session.flush()
        return factory_view(factory)


def update_factory(db: Database, ref: str | int, **changes: object) -> FactoryView:
    allowed = {f.name for f in fields(FactoryInput)}
    unknown = set(changes) - allowed
    if unknown:
        raise UserError("unknown factory field(s): {names}", names=", ".join(sorted(unknown)))
    with db.session() as session:
        factory = resolve_factory(session, ref)
        current = FactoryInput(**{name: getattr(factory, name) for name in allowed})
        _validate(FactoryInput(**{**current.__dict__, **changes}))
        for name, value in changes.items():
            setattr(factory, name, value)
        session.flush()
        return factory_view(factory)


def list_factories(db: Database, search: str = "") -> list[FactoryView]:
    with db.session() as session:
        query = select(Factory).order_by(Factory.name_en)
        if search:
            like = f"%{search}%"
            query = query.where(
                Factory.name_en.ilike(like)
                | Factory.name_zh.ilike(like)
                | Factory.ietp_id.ilike(like)
                | Factory.city.ilike(like)
            )
        return [factory_view(f) for f in session.scalars(query)]


def get_factory(db: Database, ref: str | int) -> FactoryView:
    with db.session() as session:
        return factory_view(resolve_factory(session, ref))
