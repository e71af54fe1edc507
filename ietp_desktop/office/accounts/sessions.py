"""Console sessions in the database: a random cookie token, stored only as its sha256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from ietp_desktop.storage.db import Database
from ietp_desktop.storage.office_models import OfficeSession, OfficeUser
from ietp_desktop.storage.types import utcnow

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    display_name: str
    role: str
    csrf_token: str
    token_sha256: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(database: Database, user_id: int) -> str:
    """A new session for `user_id`; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with database.session() as session:
        session.execute(delete(OfficeSession).where(OfficeSession.expires_at < now))
        session.add(
            OfficeSession(
                token_sha256=_digest(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return token


def find(database: Database, token: str | None) -> SignedIn | None:
    if not token or len(token) > 200:
        return None
    with database.session() as session:
        row = session.execute(
            select(OfficeSession, OfficeUser)
            .join(OfficeUser, OfficeUser.id == OfficeSession.user_id)
            .where(OfficeSession.token_sha256 == _digest(token))
        ).first()
        if row is None:
            return None
        stored, user = row
        if stored.expires_at < utcnow() or user.disabled:
            session.delete(stored)
            return None
        return SignedIn(
            user.id,
            user.username,
            user.display_name,
            user.role,
            stored.csrf_token,
            stored.token_sha256,
        )


def end(database: Database, token: str | None) -> None:
    if token:
        with database.session() as session:
            session.execute(
                delete(OfficeSession).where(OfficeSession.token_sha256 == _digest(token))
            )
