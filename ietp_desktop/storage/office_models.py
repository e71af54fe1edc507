"""Office-only tables: console users, their sessions, sign-in throttling, the office audit trail.

They live in the one schema (same Base, same Alembic chain) so a laptop database simply has them
empty. Nothing here is kept in a server process: two workers behind one PostgreSQL share it all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime, utcnow


class OfficeUser(Base):
    __tablename__ = "office_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))  # administrator | coordinator | reviewer | …
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id, PHC string
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeSession(Base):
    """A signed-in browser. The cookie holds a random token; the table only its sha256."""

    __tablename__ = "office_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("office_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OfficeLoginFailure(Base):
    """One wrong password; enough of them in a window locks the user name for a while."""

    __tablename__ = "office_login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    remote: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class OfficeAuditEntry(Base):
    """Who did what at the office, and when (console, CLI and laptops' requests alike)."""

    __tablename__ = "office_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    remote: Mapped[str] = mapped_column(String(64), default="")


class OfficeRequestNonce(Base):
    """Nonces of laptops' signed requests already seen: a replayed request is refused."""

    __tablename__ = "office_request_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    signer: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class OfficeVisitView(Base):
    """A console user has opened a received visit (the inbox's new/seen)."""

    __tablename__ = "office_visit_views"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("office_users.id", ondelete="CASCADE"), primary_key=True
    )
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeRevocation(Base):
    """A specialist certificate the office no longer trusts (lost laptop, person left)."""

    __tablename__ = "office_revocations"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    serial_hex: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_by: Mapped[str] = mapped_column(String(120), default="")


class OfficeReportCheck(Base):
    """The verification of one received report, done once (at upload or first view)."""

    __tablename__ = "office_report_checks"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_sha256: Mapped[str] = mapped_column(String(64), default="")
    intact: Mapped[bool] = mapped_column(Boolean, default=False)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    whole_document: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[str] = mapped_column(String(300), default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    problem: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
