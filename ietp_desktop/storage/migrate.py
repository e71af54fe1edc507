"""Alembic at start-up: create at head, back up then upgrade, refuse a newer database.

Alembic is imported only when the stored schema is not SCHEMA_HEAD: opening an up-to-date
database (every start but the first after an upgrade) costs one SELECT, not 0.2 s of imports.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from ietp_desktop.domain.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions; a test keeps the two in step.
SCHEMA_HEAD = "0018"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None for a database without one."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            return None


def _backup_sqlite(engine: Engine, backup_dir: Path, revision: str) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"before-migration-{revision}-{stamp}.sqlite3"
    # The backup API copies a consistent snapshot, WAL content included.
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(target)) as dest:
        source.backup(dest)
    return target


def upgrade_to_head(engine: Engine, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the backup file taken before an upgrade, if any."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return None
    location = engine.url.database or engine.url.render_as_string(hide_password=True)
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise UserError(
                "the database {location} was written by a newer version of "
                "IETP PV Desktop (schema {current}); install the newer "
                "program to open it",
                location=location,
                current=current,
            )
    elif inspect(engine).get_table_names():
        raise UserError(
            "{location} is not an IETP PV Desktop database (it has no schema version)",
            location=location,
        )
    backup = None
    if current is not None and backup_dir is not None and engine.url.get_backend_name() == "sqlite":
        backup = _backup_sqlite(engine, backup_dir, current)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup
