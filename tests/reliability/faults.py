"""Simulated storage failures, usable in-process (tests) or in a child (faulty_cli).

Running as root makes chmod useless for a read-only test, so the database faults are made
inside SQLite itself: `max_page_count` pinned to the current size gives the genuine
SQLITE_FULL "database or disk is full" on the next write that needs a page, and
`query_only` gives SQLITE_READONLY. File-write faults replace os.fsync / os.replace with
ones raising ENOSPC / EACCES, as a full disk or a locked folder would.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import Any

from ietp_desktop.storage import db as storage_db

Pragmas = Callable[[Any, Any], None]
_REAL_PRAGMAS: Pragmas = storage_db._sqlite_pragmas
_REAL_FSYNC = os.fsync
_REAL_REPLACE = os.replace


def _disk_full(dbapi_connection: Any, record: Any) -> None:
    _REAL_PRAGMAS(dbapi_connection, record)
    (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
    dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")


def _read_only(dbapi_connection: Any, record: Any) -> None:
    _REAL_PRAGMAS(dbapi_connection, record)
    dbapi_connection.execute("PRAGMA query_only = 1")


def _no_space_fsync(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _denied_replace(src: Any, dst: Any, **kwargs: Any) -> None:
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))


DATABASE_FAULTS: dict[str, Pragmas] = {"db-full": _disk_full, "db-readonly": _read_only}
FILE_FAULTS: dict[str, tuple[str, Callable[..., None]]] = {
    "file-enospc": ("fsync", _no_space_fsync),
    "file-eacces": ("replace", _denied_replace),
}
FAULTS = (*DATABASE_FAULTS, *FILE_FAULTS)


def install(fault: str, setattr_: Callable[[Any, str, Any], None] = setattr) -> None:
    """Install `fault` (one of FAULTS) for every engine made and file written from now on.

    Pass `monkeypatch.setattr` as `setattr_` so a test gets it undone afterwards."""
    if fault in DATABASE_FAULTS:
        setattr_(storage_db, "_sqlite_pragmas", DATABASE_FAULTS[fault])
    else:
        name, replacement = FILE_FAULTS[fault]
        setattr_(os, name, replacement)
