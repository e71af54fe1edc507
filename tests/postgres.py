"""A throwaway database on the PostgreSQL test server (`IETP_TEST_PG_URL`, set by `.ci/run`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

PG_URL = os.environ.get("IETP_TEST_PG_URL")


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards; yields its URL."""
    assert PG_URL, "IETP_TEST_PG_URL is not set"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
