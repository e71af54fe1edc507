"""Alembic at start-up: create at head, back up then upgrade, refuse a newer database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from ietp_desktop.domain.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _backup_sqlite(engine: Engine, backup_dir: Path, revision: str) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"before-migration-{revision}-{stamp}.sqlite3"
    # The backup API copies a consistent snapshot, WAL content included.
    with sqlite3.connect(database) as source, sqlite3.connect(target) as dest:
        source.backup(dest)
    return target


def upgrade_to_head(engine: Engine, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the backup file taken before an upgrade, if any."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    current = current_revision(engine)
    if current == head:
        return None
    location = engine.url.database or engine.url.render_as_string(hide_password=True)
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise UserError(
                f"the database {location} was written by a newer version of IETP PV Desktop "
                f"(schema {current}); install the newer program to open it"
            )
    elif inspect(engine).get_table_names():
        raise UserError(f"{location} is not an IETP PV Desktop database (it has no schema version)")
    backup = None
    if current is not None and backup_dir is not None and engine.url.get_backend_name() == "sqlite":
        backup = _backup_sqlite(engine, backup_dir, current)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup
