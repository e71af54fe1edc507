"""Opening the database: engine, SQLite pragmas, migrations at start-up, short sessions."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

import ietp_desktop.storage.audit  # noqa: F401  (registers the audit hook)
from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import DataFolder
from ietp_desktop.storage.audit import ACTOR_KEY
from ietp_desktop.storage.migrate import upgrade_to_head


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed answer survives power loss, not only a crash of the program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    engine: Engine
    factory: sessionmaker[Session]
    location: str
    data_dir: Path | None = None
    actor: str | None = None

    @property
    def folder(self) -> DataFolder:
        """The data folder's paths; a database opened by URL alone has none."""
        if self.data_dir is None:
            raise UserError("this database has no data folder")
        return DataFolder(self.data_dir)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        session = self.factory()
        if self.actor:
            session.info[ACTOR_KEY] = self.actor
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise UserError(_write_failure(self.location, exc)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _write_failure(location: str, exc: OperationalError) -> str:
    detail = str(exc.orig) if exc.orig else str(exc)
    if "disk is full" in detail or "disk I/O" in detail:
        return (
            f"could not save to {location}: the disk is full or failing ({detail}); "
            "the last saved state is kept"
        )
    if "readonly" in detail or "read-only" in detail:
        return (
            f"could not save to {location}: the database is read-only ({detail}); "
            "the last saved state is kept"
        )
    return f"database error in {location}: {detail}"


def _check_writable_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError(
            "cannot create the data folder {data_dir}: {reason}",
            data_dir=data_dir,
            reason=exc.strerror,
        ) from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise UserError("the data folder {data_dir} is not writable", data_dir=data_dir)
    owner_only(data_dir)


def owner_only(folder: Path) -> None:
    """Names, wages and keys live in this folder: nobody but its owner may enter it (POSIX;
    on Windows the folder sits in the user's profile, which only the user can read)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):  # a folder we do not own keeps its mode
        if folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077:
            folder.chmod(0o700)


def remove_abandoned_builds(reports: Path, older_than_s: float = 3600) -> None:
    """A report build killed while signing leaves `.build-*` (an unsigned PDF and its stamp)
    beside the reports; the next start removes those clearly abandoned."""
    if not reports.is_dir():
        return
    now = time.time()
    for leftover in reports.glob(".build-*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > older_than_s:
                shutil.rmtree(leftover, ignore_errors=True)


def _check_readable_sqlite(path: Path) -> None:
    if not path.exists():
        return
    try:
        # closing(): sqlite3's own context manager ends the transaction but leaves the
        # connection open until garbage collection.
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(
            "{path} is not a readable database ({reason}); restore it from "
            "the backups folder beside it, or move it away to start afresh",
            path=path,
            reason=exc,
        ) from exc


def open_data_dir(data_dir: Path, *, actor: str | None = None, migrate: bool = True) -> Database:
    """Open (creating or upgrading as needed) the database of a data folder."""
    _check_writable_dir(data_dir)
    folder = DataFolder(data_dir)
    path = folder.database
    _check_readable_sqlite(path)
    database = open_url(
        f"sqlite:///{path}", actor=actor, migrate=migrate, backup_dir=folder.backups
    )
    database.data_dir = data_dir
    remove_abandoned_builds(folder.reports)
    return database


def open_url(
    url: str, *, actor: str | None = None, migrate: bool = True, backup_dir: Path | None = None
) -> Database:
    engine = make_engine(url)
    location = (
        engine.url.database or url
        if url.startswith("sqlite")
        else engine.url.render_as_string(hide_password=True)
    )
    try:
        if migrate:
            upgrade_to_head(engine, backup_dir=backup_dir)
        else:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except DatabaseError as exc:
        engine.dispose()
        raise UserError(
            "cannot open the database {location}: {reason}",
            location=location,
            reason=exc.orig or exc,
        ) from exc
    except UserError:
        engine.dispose()
        raise
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(engine=engine, factory=factory, location=str(location), actor=actor)
