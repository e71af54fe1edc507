"""Drawn signatures of the specialist and a senior manager at the closing meeting."""

from __future__ import annotations

from sqlalchemy import select

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Signature
from ietp_desktop.storage.types import utcnow

ROLES = ("specialist", "factory")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def save_signature(
    db: Database,
    visit_ref: str | int,
    role: str,
    signer_name: str,
    png: bytes,
    signer_role: str = "",
) -> None:
    if role not in ROLES:
        raise ValidationFailed(
            "signature role must be one of {names} (got {role!r})",
            names=", ".join(ROLES),
            role=role,
        )
    if not signer_name.strip():
        raise ValidationFailed("the {role} signature needs the signer's name", role=role)
    if not png.startswith(PNG_MAGIC):
        raise ValidationFailed("the {role} signature is not a PNG image", role=role)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        row = session.scalars(
            select(Signature).where(Signature.visit_id == visit.id, Signature.role == role)
        ).first()
        if row is None:
            row = Signature(visit_id=visit.id, role=role, signer_name="", png=b"")
            session.add(row)
        row.signer_name, row.signer_role, row.png = signer_name.strip(), signer_role, png
        row.signed_at = utcnow()


def clear_signature(db: Database, visit_ref: str | int, role: str) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        row = session.scalars(
            select(Signature).where(Signature.visit_id == visit.id, Signature.role == role)
        ).first()
        if row is not None:
            session.delete(row)
