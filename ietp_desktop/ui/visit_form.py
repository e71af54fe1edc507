"""The checklist form a visit was started with (a frozen pydantic model, not an ORM object).

services/ has no `form_of_visit(db, ref)` yet; this is the one place the UI opens a short
session, only to hand the cached, immutable Form to the widgets. Move it to services when
such a function exists there.
"""

from __future__ import annotations

from ietp_desktop.domain.checklist import Form
from ietp_desktop.services import catalogue
from ietp_desktop.storage.db import Database


def load_form(db: Database, form_sha256: str) -> Form:
    with db.session() as session:
        return catalogue.form_by_sha(session, form_sha256)
