"""Installed checklist forms and rule sets.

Shipped files in forms/ (and definitions that arrive from the office) are stored in the
database by content hash; a visit keeps the hash it started with, so installing a newer
form never changes a visit already started.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.checklist import Form, form_sha256, parse_form
from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.rules import RuleSet, parse_rule_set, rule_set_sha256
from ietp_desktop.paths import forms_dir
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import FormDefinition, RuleSetDefinition

DEFAULT_FORM_ID = "pv-checklist"


@dataclass(frozen=True)
class DefinitionRef:
    kind: str  # form | rules
    ident: str
    version: str
    sha256: str
    source: str


# Parsed definitions by content hash. A hash names one content forever, so an entry never
# goes stale, and a cached form costs no query (record_answer asks for it on every keystroke).
_FORMS: dict[str, Form] = {}
_RULES: dict[str, RuleSet] = {}


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def install_form_text(session: Session, text: str, source: str) -> DefinitionRef:
    form = parse_form(text, source)
    sha = form_sha256(text)
    if session.get(FormDefinition, sha) is None:
        clash = session.scalars(
            select(FormDefinition).where(
                FormDefinition.form_id == form.form_id, FormDefinition.version == form.version
            )
        ).first()
        if clash is not None:
            raise UserError(
                "{source}: form {form_id} version {version} is already "
                "installed with different content; give the changed form a "
                "new version",
                source=source,
                form_id=form.form_id,
                version=form.version,
            )
        session.add(
            FormDefinition(
                sha256=sha, form_id=form.form_id, version=form.version, content=text, source=source
            )
        )
    return DefinitionRef("form", form.form_id, form.version, sha, source)


def install_rule_set_text(session: Session, text: str, source: str) -> DefinitionRef:
    rules = parse_rule_set(text, source)
    sha = rule_set_sha256(text)
    if session.get(RuleSetDefinition, sha) is None:
        session.add(
            RuleSetDefinition(
                sha256=sha,
                rule_set_id=rules.rule_set_id,
                version=rules.version,
                content=text,
                source=source,
            )
        )
    return DefinitionRef("rules", rules.rule_set_id, rules.version, sha, source)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError("cannot read {path}: {reason}", path=path, reason=exc) from exc


def install_shipped_definitions(db: Database) -> list[DefinitionRef]:
    """Store every form and rule set shipped in forms/ that the database does not have yet."""
    installed: list[DefinitionRef] = []
    with db.session() as session:
        known_forms = set(session.scalars(select(FormDefinition.sha256)))
        known_rules = set(session.scalars(select(RuleSetDefinition.sha256)))
        for path in sorted((forms_dir() / "checklists").glob("*.json")):
            text = _read(path)
            if form_sha256(text) not in known_forms:
                installed.append(install_form_text(session, text, path.name))
        for path in sorted((forms_dir() / "rules").glob("*.json")):
            text = _read(path)
            if rule_set_sha256(text) not in known_rules:
                installed.append(install_rule_set_text(session, text, path.name))
    return installed


def latest_form_sha(session: Session, form_id: str = DEFAULT_FORM_ID) -> str:
    rows = session.execute(
        select(FormDefinition.sha256, FormDefinition.version).where(
            FormDefinition.form_id == form_id
        )
    ).all()
    if not rows:
        raise NotFound("no checklist form {form_id!r} is installed", form_id=form_id)
    return str(max(rows, key=lambda row: _version_key(row.version)).sha256)


def latest_rule_set_sha(session: Session) -> str | None:
    rows = session.execute(select(RuleSetDefinition.sha256, RuleSetDefinition.version)).all()
    if not rows:
        return None
    return str(max(rows, key=lambda row: _version_key(row.version)).sha256)


def form_by_sha(session: Session, sha256: str) -> Form:
    if sha256 not in _FORMS:
        definition = session.get(FormDefinition, sha256)
        if definition is None:
            raise NotFound("checklist form {sha256} is not installed", sha256=sha256[:12])
        _FORMS[sha256] = parse_form(definition.content, definition.source)
    return _FORMS[sha256]


def rules_by_sha(session: Session, sha256: str) -> RuleSet:
    if sha256 not in _RULES:
        definition = session.get(RuleSetDefinition, sha256)
        if definition is None:
            raise NotFound("rule set {sha256} is not installed", sha256=sha256[:12])
        _RULES[sha256] = parse_rule_set(definition.content, definition.source)
    return _RULES[sha256]


def list_definitions(db: Database) -> list[DefinitionRef]:
    with db.session() as session:
        forms = [
            DefinitionRef("form", f.form_id, f.version, f.sha256, f.source)
            for f in session.scalars(select(FormDefinition))
        ]
        rules = [
            DefinitionRef("rules", r.rule_set_id, r.version, r.sha256, r.source)
            for r in session.scalars(select(RuleSetDefinition))
        ]
    return forms + rules


def form_definition(db: Database, sha256: str) -> Form:
    """The checklist form a visit was started with (immutable; safe to keep in the UI)."""
    with db.session() as session:
        return form_by_sha(session, sha256)
