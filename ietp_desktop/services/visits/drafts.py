"""Drafts: what the specialist has typed but not yet added (a Q&A entry, a finding, a fee
input), kept with the data the moment it is typed so a quit, a crash or a flat battery loses
nothing. A draft belongs to one visit; saving the real thing or discarding removes it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from ietp_desktop.services.visits.refs import resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Preference

PREFIX = "draft"


def _key(uuid: str, kind: str, name: str) -> str:
    return f"{PREFIX}.{uuid}.{kind}.{name}"


def save_draft(
    db: Database, visit_ref: str | int, kind: str, name: str, data: dict[str, Any]
) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with db.session() as session:
        key = _key(resolve_visit(session, visit_ref).uuid, kind, name)
        row = session.get(Preference, key)
        if row is None:
            session.add(Preference(key=key, value=text))
        elif row.value != text:
            row.value = text


def load_draft(db: Database, visit_ref: str | int, kind: str, name: str) -> dict[str, Any] | None:
    with db.session() as session:
        row = session.get(Preference, _key(resolve_visit(session, visit_ref).uuid, kind, name))
        if row is None or not row.value:
            return None
        try:
            value = json.loads(row.value)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def clear_draft(db: Database, visit_ref: str | int, kind: str, name: str) -> None:
    with db.session() as session:
        row = session.get(Preference, _key(resolve_visit(session, visit_ref).uuid, kind, name))
        if row is not None:
            session.delete(row)


def drafts_of(db: Database, visit_ref: str | int, kind: str) -> dict[str, dict[str, Any]]:
    """Every draft of one kind in the visit, by name."""
    with db.session() as session:
        prefix = _key(resolve_visit(session, visit_ref).uuid, kind, "")
        rows = session.scalars(select(Preference).where(Preference.key.startswith(prefix)))
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            try:
                value = json.loads(row.value)
            except ValueError:
                continue
            if isinstance(value, dict):
                found[row.key[len(prefix) :]] = value
        return found
