"""Every change to an audited row becomes an AuditEvent: who, what, old → new, when.

Hooked on the Session's after_flush, so no service can forget it: ids are known by then and
attribute history still holds the old values. Events are inserted on the flush's own
connection, in the same transaction as the change they describe.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from ietp_desktop.storage.models import AuditEvent, Base
from ietp_desktop.storage.types import utcnow

ACTOR_KEY = "actor"
_SKIP_FIELDS = {"id", "updated_at", "created_at", "visit_id"}


@cache
def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return "unknown"


MAX_AUDIT_VALUE = 4_000  # characters kept of an old or new value; beyond it, a digest


def _bounded(text: str) -> str:
    """A value as the audit trail keeps it: as it is up to MAX_AUDIT_VALUE characters, then
    its start, its length and its sha256 (enough to tell whether two values were equal), so a
    huge pasted text cannot multiply itself through old → new into the database."""
    if len(text) <= MAX_AUDIT_VALUE:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{text[:200]}… <{len(text)} characters, sha256 {digest}>"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, str):
        return _bounded(value)
    return _bounded(json.dumps(value, ensure_ascii=False, default=str))


def _entity_id(obj: Base) -> str:
    identity = inspect(obj).identity
    return ",".join(str(part) for part in identity) if identity else ""


def _summary(obj: Base) -> str:
    mapper = inspect(obj).mapper
    values = {
        col.key: _text(getattr(obj, col.key))
        for col in mapper.column_attrs
        if col.key not in _SKIP_FIELDS
    }
    return _bounded(json.dumps(values, ensure_ascii=False))


def _rows(session: Session) -> Iterable[dict[str, Any]]:
    actor = str(session.info.get(ACTOR_KEY) or default_actor())
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, Base) and obj.__audited__:
            yield {
                "visit_id": obj.audit_visit_id(),
                "actor": actor,
                "action": "create",
                "entity": type(obj).__name__,
                "entity_id": _entity_id(obj),
                "field": "",
                "old_value": None,
                "new_value": _summary(obj),
                "at": now,
            }
    for obj in session.dirty:
        if not (isinstance(obj, Base) and obj.__audited__) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIP_FIELDS:
                continue
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            yield {
                "visit_id": obj.audit_visit_id(),
                "actor": actor,
                "action": "update",
                "entity": type(obj).__name__,
                "entity_id": _entity_id(obj),
                "field": attr.key,
                "old_value": _text(old),
                "new_value": _text(new),
                "at": now,
            }
    for obj in session.deleted:
        if isinstance(obj, Base) and obj.__audited__:
            visit_id = obj.audit_visit_id()
            yield {
                "visit_id": visit_id,
                "actor": actor,
                "action": "delete",
                "entity": type(obj).__name__,
                "entity_id": _entity_id(obj),
                "field": "",
                "old_value": _summary(obj),
                "new_value": None,
                "at": now,
            }


@event.listens_for(Session, "after_flush")
def _record_audit_events(session: Session, flush_context: UOWTransaction) -> None:
    rows = list(_rows(session))
    deleted_visits = {obj.id for obj in session.deleted if type(obj).__name__ == "Visit"}
    for row in rows:
        if row["visit_id"] in deleted_visits:
            row["visit_id"] = None
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def record_event(
    session: Session, visit_id: int | None, entity: str, what: str, detail: str = ""
) -> None:
    """An event that is not a row change (an import, an export, a completion)."""
    session.add(
        AuditEvent(
            visit_id=visit_id,
            actor=str(session.info.get(ACTOR_KEY) or default_actor()),
            action="event",
            entity=entity,
            field=what,
            new_value=detail,
        )
    )
