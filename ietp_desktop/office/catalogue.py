"""The office's own catalogue: the forms and rule sets the office ships to laptops.

Only an office action puts a definition here (office init installs the shipped ones; `office
assign --form/--rules` installs the files the office user names). A form or rule set that
arrives inside a results bundle is the visit's evidence: it is stored so the visit can point at
it, but it is never listed here, so it never becomes what the next assignment ships as latest.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.services.catalogue.definitions import (
    DEFAULT_FORM_ID,
    DefinitionRef,
    install_form_text,
    install_rule_set_text,
)
from ietp_desktop.storage.models import FormDefinition, OfficeCatalogueEntry, RuleSetDefinition
from ietp_desktop.sync.wire.base import is_version, version_key

FORM = "form"
RULES = "rules"


def install(session: Session, text: str, kind: str, source: str, by: str) -> DefinitionRef:
    """Install a definition file as the office's own (the catalogue's version-clash check
    applies); a version that does not parse as numbers separated by dots is refused."""
    ref = (install_form_text if kind == FORM else install_rule_set_text)(session, text, source)
    if not is_version(ref.version):
        raise UserError(
            "{source}: version '{version}' is not a version (numbers separated by dots, e.g. 1.2)",
            source=source,
            version=ref.version[:40],
        )
    register(session, ref.sha256, kind, by)
    return ref


def register(session: Session, sha256: str, kind: str, by: str) -> None:
    if session.get(OfficeCatalogueEntry, sha256) is None:
        session.add(OfficeCatalogueEntry(sha256=sha256, kind=kind, installed_by=by))
        session.flush()


def register_all_installed(session: Session, by: str) -> None:
    """At office init: everything in the fresh database came from forms/ shipped with it."""
    for sha in session.scalars(select(FormDefinition.sha256)):
        register(session, sha, FORM, by)
    for sha in session.scalars(select(RuleSetDefinition.sha256)):
        register(session, sha, RULES, by)


def latest_form_sha(session: Session, form_id: str = DEFAULT_FORM_ID) -> str:
    rows = session.execute(
        select(FormDefinition.sha256, FormDefinition.version)
        .join(OfficeCatalogueEntry, OfficeCatalogueEntry.sha256 == FormDefinition.sha256)
        .where(FormDefinition.form_id == form_id)
    ).all()
    usable = [row for row in rows if is_version(row.version)]
    if not usable:
        raise NotFound("the office catalogue has no checklist form {id}", id=form_id)
    return str(max(usable, key=lambda row: version_key(row.version)).sha256)


def latest_rule_set_sha(session: Session) -> str | None:
    rows = session.execute(
        select(RuleSetDefinition.sha256, RuleSetDefinition.version).join(
            OfficeCatalogueEntry, OfficeCatalogueEntry.sha256 == RuleSetDefinition.sha256
        )
    ).all()
    usable = [row for row in rows if is_version(row.version)]
    if not usable:
        return None
    return str(max(usable, key=lambda row: version_key(row.version)).sha256)
