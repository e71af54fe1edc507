"""Office users: roles, Argon2id password hashes, sign-in with throttling stored in the database.

The CLI (`office user …`) and the console call these same functions; each records itself in
the office audit trail in its own transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.i18n import tr
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.office_models import OfficeLoginFailure, OfficeSession, OfficeUser
from ietp_desktop.storage.types import utcnow

ADMINISTRATOR = "administrator"
COORDINATOR = "coordinator"
REVIEWER = "reviewer"
READ_ONLY = "read-only"
ROLES = (ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY)

MIN_PASSWORD = 12
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")
# argon2-cffi's defaults are RFC 9106's second recommendation (Argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
_COMMON = {
    "password",
    "password123",
    "123456789012",
    "qwertyuiop12",
    "administrator",
    "letmein12345",
    "iloveyou1234",
    "welcome12345",
    "changeme1234",
}


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    created_at: datetime
    password_changed_at: datetime


class SignInRefused(UserError):
    """Wrong user name or password, a disabled user, or too many recent failures."""


def _view(user: OfficeUser) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.disabled,
        user.created_at,
        user.password_changed_at,
    )


def check_password_policy(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("a password needs at least {n} characters", n=MIN_PASSWORD)
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4 or (username and username in lowered):
        raise UserError("this password is too easy to guess; choose another")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(
            tr("unknown role '{role}'; choose one of {roles}", role=role, roles=", ".join(ROLES))
        )


def add_user(
    database: Database,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    actor: str,
    remote: str = "",
) -> UserView:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError(
            tr("'{name}' is not a valid user name (letters, digits, . _ @ -)", name=username)
        )
    _check_role(role)
    check_password_policy(password, username)
    with database.session() as session:
        if session.scalars(select(OfficeUser).where(OfficeUser.username == username)).first():
            raise UserError("there is already a user '{name}'", name=username)
        now = utcnow()
        user = OfficeUser(
            username=username,
            display_name=display_name.strip()[:120],
            role=role,
            password_hash=_hasher.hash(password),
            disabled=False,
            created_at=now,
            password_changed_at=now,
        )
        session.add(user)
        session.flush()
        record(session, actor, "user.add", username, f"role {role}", remote)
        return _view(user)


def list_users(database: Database) -> list[UserView]:
    with database.session() as session:
        return [_view(u) for u in session.scalars(select(OfficeUser).order_by(OfficeUser.username))]


def get_user(database: Database, user_id: int) -> UserView:
    with database.session() as session:
        user = session.get(OfficeUser, user_id)
        if user is None:
            raise NotFound("there is no user {id}", id=user_id)
        return _view(user)


def _by_name(session: Session, username: str) -> OfficeUser:
    user = session.scalars(
        select(OfficeUser).where(OfficeUser.username == username.strip().lower())
    ).first()
    if user is None:
        raise NotFound("there is no user '{name}'", name=username)
    return user


def set_password(
    database: Database, username: str, password: str, *, actor: str, remote: str = ""
) -> None:
    """An administrator sets a password; every session of that user ends."""
    check_password_policy(password, username.strip().lower())
    with database.session() as session:
        user = _by_name(session, username)
        user.password_hash = _hasher.hash(password)
        user.password_changed_at = utcnow()
        session.execute(delete(OfficeSession).where(OfficeSession.user_id == user.id))
        record(session, actor, "user.password", user.username, "", remote)


def change_own_password(
    database: Database, user_id: int, current: str, new: str, *, remote: str = ""
) -> None:
    with database.session() as session:
        user = session.get(OfficeUser, user_id)
        if user is None:
            raise NotFound("there is no user {id}", id=user_id)
        try:
            _hasher.verify(user.password_hash, current)
        except (VerificationError, InvalidHashError) as exc:
            raise UserError("the current password is wrong") from exc
        check_password_policy(new, user.username)
        user.password_hash = _hasher.hash(new)
        user.password_changed_at = utcnow()
        record(session, user.username, "user.password.own", user.username, "", remote)


def set_disabled(
    database: Database, username: str, disabled: bool, *, actor: str, remote: str = ""
) -> UserView:
    with database.session() as session:
        user = _by_name(session, username)
        if disabled and user.role == ADMINISTRATOR:
            others = session.scalar(
                select(func.count()).where(
                    OfficeUser.role == ADMINISTRATOR,
                    OfficeUser.disabled.is_(False),
                    OfficeUser.id != user.id,
                )
            )
            if not others:
                raise UserError("the last active administrator cannot be disabled")
        user.disabled = disabled
        if disabled:
            session.execute(delete(OfficeSession).where(OfficeSession.user_id == user.id))
        record(
            session, actor, "user.disable" if disabled else "user.enable", user.username, "", remote
        )
        return _view(user)


def set_role(
    database: Database, username: str, role: str, *, actor: str, remote: str = ""
) -> UserView:
    _check_role(role)
    with database.session() as session:
        user = _by_name(session, username)
        if user.role == ADMINISTRATOR and role != ADMINISTRATOR:
            others = session.scalar(
                select(func.count()).where(
                    OfficeUser.role == ADMINISTRATOR,
                    OfficeUser.disabled.is_(False),
                    OfficeUser.id != user.id,
                )
            )
            if not others:
                raise UserError("the last active administrator must stay an administrator")
        old = user.role
        user.role = role
        record(session, actor, "user.role", user.username, f"{old} → {role}", remote)
        return _view(user)


def authenticate(database: Database, username: str, password: str, *, remote: str = "") -> UserView:
    """The user, if the password is right and the name is not locked by recent failures.

    Failures are rows in the database (not counters in the process), so every server worker
    sees them. The lock is per user name: guessing one account's password from many addresses
    is throttled as well as from one.
    """
    name = username.strip().lower()[:80]
    now = utcnow()
    refusal: SignInRefused | None = None
    # The failure row and the audit entry must be committed, so the refusal is raised only
    # after the session block (raising inside it would roll them back).
    with database.session() as session:
        since = now - THROTTLE_WINDOW
        failures = list(
            session.scalars(
                select(OfficeLoginFailure.at)
                .where(OfficeLoginFailure.username == name, OfficeLoginFailure.at >= since)
                .order_by(OfficeLoginFailure.at)
            )
        )
        if len(failures) >= THROTTLE_FAILURES:
            wait = failures[-THROTTLE_FAILURES] + THROTTLE_WINDOW - now
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            record(session, name, "signin.throttled", name, "", remote)
            refusal = SignInRefused(
                "too many wrong passwords; try again in {minutes} minutes", minutes=minutes
            )
        else:
            user = session.scalars(select(OfficeUser).where(OfficeUser.username == name)).first()
            try:
                _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
                ok = user is not None and not user.disabled
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
            if not ok or user is None:
                session.add(OfficeLoginFailure(username=name, remote=remote[:64], at=now))
                record(session, name, "signin.failed", name, "", remote)
                refusal = SignInRefused("wrong user name or password")
            else:
                session.execute(
                    delete(OfficeLoginFailure).where(OfficeLoginFailure.username == name)
                )
                if _hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = _hasher.hash(password)
                record(session, user.username, "signin", user.username, "", remote)
                signed_in = _view(user)
    if refusal is not None:
        raise refusal
    return signed_in
