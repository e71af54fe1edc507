"""Factories: add, list, update."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
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


IETP_ID_FORMAT = re.compile(r"IETP(-[A-Z0-9]+)+")
IETP_ID_EXAMPLE = "IETP-GD-10231"


@dataclass(frozen=True)
class FactoryProblem:
    """One rule a factory's details break, with the field it belongs to."""

    field: str
    error: UserError


class FactoryRejected(ValidationFailed):
    """Every problem of a factory's details, each rendered in the language asked for."""

    def __init__(self, ietp_id: str, problems: list[FactoryProblem]) -> None:
        super().__init__(
            "factory {ietp_id}: {problems}",
            [str(p.error) for p in problems],
            ietp_id=ietp_id,
            problems="; ".join(str(p.error) for p in problems),
        )
        self.factory_problems = problems

    def text(self, language: str | None = None) -> str:
        joined = "; ".join(p.error.text(language) for p in self.factory_problems)
        return UserError(self.message, ietp_id=self.params["ietp_id"], problems=joined).text(
            language
        )


def factory_problems(data: FactoryInput, today: date | None = None) -> list[FactoryProblem]:
    """Every rule `data` breaks; the window shows each beside its field as it is typed."""
    problems: list[FactoryProblem] = []
    ietp_id = data.ietp_id.strip()
    if not ietp_id:
        problems.append(FactoryProblem("ietp_id", UserError("the IETP id is empty")))
    elif not IETP_ID_FORMAT.fullmatch(ietp_id):
        problems.append(
            FactoryProblem(
                "ietp_id",
                UserError(
                    "the IETP id {ietp_id} is not of the form {example} "
                    "(IETP, then parts of capital letters and digits joined by '-')",
                    ietp_id=ietp_id,
                    example=IETP_ID_EXAMPLE,
                ),
            )
        )
    if not data.name_en.strip():
        problems.append(FactoryProblem("name_en", UserError("the English name is empty")))
    if data.headcount is not None and data.headcount < 0:
        problems.append(
            FactoryProblem(
                "headcount",
                UserError("the headcount cannot be negative ({count})", count=data.headcount),
            )
        )
    today = today or date.today()
    if data.seal_issued_on is not None and data.seal_issued_on > today:
        problems.append(
            FactoryProblem(
                "seal_issued_on",
                UserError("the seal issue date {date} is in the future", date=data.seal_issued_on),
            )
        )
    return problems


def _validate(data: FactoryInput) -> None:
    problems = factory_problems(data)
    if problems:
        raise FactoryRejected(data.ietp_id.strip() or "?", problems)


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
    data = replace(data, ietp_id=data.ietp_id.strip())
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
