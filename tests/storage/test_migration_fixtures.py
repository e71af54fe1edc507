"""Databases written by every released schema (tests/storage/fixtures/schema-*.sqlite3)
open in this program: upgraded to head with the data intact, backed up first, and a
database newer than the program is refused. See tests/storage/fixtures/README.md."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import DataFolder
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage import migrate
from ietp_desktop.storage.db import open_data_dir
from ietp_desktop.storage.migrate import _backup_sqlite, current_revision, head_revision
from tests.storage.fixtures.snapshot import FIXTURES_DIR, expected_path, fixture_path, snapshot

FIXTURES = sorted(FIXTURES_DIR.glob("schema-*.sqlite3"))
THROWAWAY = '''"""throwaway revision made by a test

Revision ID: 9990_test_only
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "9990_test_only"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_only_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("test_only_probe")
'''


def revision_of(database: Path) -> str:
    with sqlite3.connect(database) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(revision)


def row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in ("factories", "visits", "answers", "findings", "attendees")
        }


def install_copy(fixture: Path, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    target = DataFolder(data_dir).database
    shutil.copyfile(fixture, target)
    return target


def test_the_head_schema_has_a_fixture() -> None:
    assert fixture_path(head_revision()).exists(), (
        f"no fixture for schema {head_revision()}: run "
        "`.venv/bin/python tests/storage/fixtures/make_fixture.py` and commit its two files"
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_opens_at_head_with_its_data_intact(fixture: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    install_copy(fixture, data_dir)
    db = open_workspace(data_dir)
    try:
        assert current_revision(db.engine) == head_revision()
        got = snapshot(db)
    finally:
        db.dispose()
    expected = json.loads(expected_path(fixture).read_text(encoding="utf-8"))
    assert got == expected
    assert len(got["visits"]) >= 7
    assert got["factories"]["IETP-GD-10231"][1] == "东莞市宏达玩具有限公司"
    zero_tolerance = [
        finding
        for visit in got["visits"].values()
        for finding in visit["findings"]
        if finding[1] == "zero_tolerance"
    ]
    assert [f[2] for f in zero_tolerance] == ["Second set of attendance records found"]
    with sqlite3.connect(DataFolder(data_dir).database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_older_fixture_is_backed_up_before_upgrading(fixture: Path, tmp_path: Path) -> None:
    """Real upgrades of old fixtures; the head fixture gets one via a throwaway revision."""
    data_dir = tmp_path / "data"
    original = install_copy(fixture, data_dir)
    old_revision = revision_of(original)
    counts = row_counts(original)
    if old_revision == head_revision():
        pytest.skip("covered by test_upgrade_through_a_throwaway_revision_backs_up_first")
    open_workspace(data_dir).dispose()
    (backup,) = (data_dir / "backups").glob(f"before-migration-{old_revision}-*.sqlite3")
    assert revision_of(backup) == old_revision
    assert row_counts(backup) == counts


def test_upgrade_through_a_throwaway_revision_backs_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One schema step newer than the head fixture, in a temporary copy of the migrations."""
    head = head_revision()
    migrations = tmp_path / "migrations"
    shutil.copytree(
        migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    (migrations / "versions" / "9990_test_only.py").write_text(THROWAWAY.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9990_test_only")

    data_dir = tmp_path / "data"
    original = install_copy(fixture_path(head), data_dir)
    counts = row_counts(original)
    expected = json.loads(expected_path(fixture_path(head)).read_text(encoding="utf-8"))
    db = open_workspace(data_dir)
    try:
        assert current_revision(db.engine) == "9990_test_only"
        assert snapshot(db) == expected
    finally:
        db.dispose()
    (backup,) = (data_dir / "backups").glob(f"before-migration-{head}-*.sqlite3")
    assert revision_of(backup) == head
    assert row_counts(backup) == counts
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "test_only_probe" not in tables

    monkeypatch.undo()  # the real program does not know 9990_test_only: newer, refused
    before = (DataFolder(data_dir).database).read_bytes()
    with pytest.raises(UserError, match=r"newer version of IETP PV Desktop.*9990_test_only"):
        open_data_dir(data_dir)
    assert (DataFolder(data_dir).database).read_bytes() == before


def test_the_backup_opens_as_a_workspace_of_its_own(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    fixture = fixture_path(head_revision())
    source = install_copy(fixture, tmp_path / "data")
    engine = create_engine(f"sqlite:///{source}")
    backup = _backup_sqlite(engine, tmp_path / "backups", head_revision())
    engine.dispose()
    assert backup is not None
    restored = tmp_path / "restored"
    install_copy(backup, restored)
    db = open_workspace(restored)
    try:
        got = snapshot(db)
    finally:
        db.dispose()
    assert got == json.loads(expected_path(fixture).read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_stamped_newer_than_the_program_is_refused_and_left_alone(
    fixture: Path, tmp_path: Path
) -> None:
    path = install_copy(fixture, tmp_path / "data")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(UserError, match="newer version of IETP PV Desktop"):
        open_workspace(tmp_path / "data")
    assert path.read_bytes() == before
    assert not (tmp_path / "data" / "backups").exists()


def test_proposal_decisions_move_from_the_preferences_into_their_table(tmp_path: Path) -> None:
    """Schema 0001 kept accepted/dismissed proposals as JSON preferences; 0002 has a table."""
    data_dir = tmp_path / "data"
    original = install_copy(fixture_path("0001"), data_dir)
    with sqlite3.connect(original) as conn:
        (uuid, visit_id) = conn.execute("SELECT uuid, id FROM visits ORDER BY id").fetchone()
        conn.executemany(
            "INSERT INTO preferences (key, value) VALUES (?, ?)",
            [
                (f"records.accepted.{uuid}", json.dumps({"rest_day:aaa": "F03"})),
                (f"records.dismissed.{uuid}", json.dumps(["rest_day:aaa", "hours:bbb"])),
                ("records.dismissed.no-such-visit", json.dumps(["hours:ccc"])),
            ],
        )
    open_workspace(data_dir).dispose()
    with sqlite3.connect(original) as conn:
        rows = conn.execute(
            "SELECT visit_id, proposal_key, decision, finding_code FROM proposal_decisions "
            "ORDER BY proposal_key"
        ).fetchall()
        left = conn.execute("SELECT count(*) FROM preferences WHERE key LIKE 'records.%'")
        assert left.fetchone() == (0,)
    assert rows == [
        (visit_id, "hours:bbb", "dismissed", ""),
        (visit_id, "rest_day:aaa", "accepted", "F03"),
    ]
