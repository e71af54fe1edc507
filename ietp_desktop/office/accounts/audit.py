"""The office audit trail: one row per action, whoever took it (console user, CLI, laptop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.storage.db import Database
from ietp_desktop.storage.office_models import OfficeAuditEntry
from ietp_desktop.storage.types import utcnow

MAX_DETAIL = 2000


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    target: str
    detail: str
    remote: str


def record(
    session: Session, actor: str, action: str, target: str = "", detail: str = "", remote: str = ""
) -> None:
    """Add an entry in the caller's transaction, so it lands exactly when the action does."""
    session.add(
        OfficeAuditEntry(
            at=utcnow(),
            actor=actor[:200],
            action=action[:60],
            target=target[:200],
            detail=detail[:MAX_DETAIL],
            remote=remote[:64],
        )
    )


def log(
    database: Database,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    remote: str = "",
) -> None:
    with database.session() as session:
        record(session, actor, action, target, detail, remote)


def entries(
    database: Database,
    *,
    actor: str = "",
    action: str = "",
    text: str = "",
    limit: int = 1000,
) -> list[AuditRow]:
    query = select(OfficeAuditEntry).order_by(OfficeAuditEntry.id.desc()).limit(limit)
    if actor:
        query = query.where(OfficeAuditEntry.actor.contains(actor))
    if action:
        query = query.where(OfficeAuditEntry.action == action)
    if text:
        query = query.where(
            OfficeAuditEntry.target.contains(text) | OfficeAuditEntry.detail.contains(text)
        )
    with database.session() as session:
        return [
            AuditRow(e.at, e.actor, e.action, e.target, e.detail, e.remote)
            for e in session.scalars(query)
        ]
