"""Add and edit factories at the office, each change in the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.office.factories.fields import FactoryFields
from ietp_desktop.office.factories.register import get_factory
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory


def add_factory(db: Database, fields: FactoryFields, *, actor: str, remote: str = "") -> None:
    with db.session() as session:
        if session.scalars(select(Factory.id).where(Factory.ietp_id == fields.ietp_id)).first():
            raise UserError("factory {id} is already registered", id=fields.ietp_id)
        session.add(Factory(**fields.values()))
        record(session, actor, "factory.add", fields.ietp_id, fields.name_en, remote)


def edit_factory(
    db: Database, ietp_id: str, fields: FactoryFields, *, actor: str, remote: str = ""
) -> None:
    """The IETP id stays what it is (visits and laptops know the factory by it)."""
    with db.session() as session:
        factory = get_factory(session, ietp_id)
        changed = []
        for name, value in fields.values().items():
            if name != "ietp_id" and getattr(factory, name) != value:
                changed.append(name)
                setattr(factory, name, value)
        record(session, actor, "factory.edit", ietp_id, ", ".join(changed), remote)
