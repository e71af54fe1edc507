"""Office users, sessions and revocations: the functions the CLI and the console share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit, sessions, users
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.setup import init_office
from ietp_desktop.storage.db import Database


@pytest.fixture
def office_db(tmp_path: Path) -> Iterator[Database]:
    init_office(tmp_path / "office", "Unit Office")
    database = open_office_db(tmp_path / "office")
    yield database
    database.dispose()


def test_a_user_signs_in_with_the_right_password_only(office_db: Database) -> None:
    users.add_user(office_db, "Mei", "silver river 9 lantern", "reviewer", actor="t")
    user = users.authenticate(office_db, "mei", "silver river 9 lantern")
    assert (user.username, user.role) == ("mei", "reviewer")
    with pytest.raises(users.SignInRefused, match="wrong user name or password"):
        users.authenticate(office_db, "mei", "silver river 8 lantern")
    with pytest.raises(users.SignInRefused, match="wrong user name or password"):
        users.authenticate(office_db, "nobody", "silver river 9 lantern")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short one", "at least 12 characters"),
        ("password123", "at least 12 characters"),
        ("aaaaaaaaaaaaaaa", "too easy to guess"),
        ("administrator", "too easy to guess"),
        ("my name is mei and more", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused(office_db: Database, password: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        users.add_user(office_db, "mei", password, "reviewer", actor="t")
    assert users.list_users(office_db) == []


def test_hashes_are_argon2id(office_db: Database) -> None:
    from ietp_desktop.storage.office_models import OfficeUser

    users.add_user(office_db, "ada", "violet lantern harbour 7", "administrator", actor="t")
    with office_db.session() as session:
        stored = session.query(OfficeUser).one().password_hash
    assert stored.startswith("$argon2id$")
    assert "a sentence" not in stored


def test_the_last_administrator_stays(office_db: Database) -> None:
    users.add_user(office_db, "ada", "violet lantern harbour 7", "administrator", actor="t")
    with pytest.raises(UserError, match="last active administrator cannot be disabled"):
        users.set_disabled(office_db, "ada", True, actor="t")
    with pytest.raises(UserError, match="must stay an administrator"):
        users.set_role(office_db, "ada", "reviewer", actor="t")


def test_disabling_or_a_new_password_ends_the_sessions(office_db: Database) -> None:
    users.add_user(office_db, "ada", "violet lantern harbour 7", "administrator", actor="t")
    rex = users.add_user(office_db, "rex", "amber kettle orchard 4", "reviewer", actor="t")
    token = sessions.start(office_db, rex.id)
    assert sessions.find(office_db, token) is not None
    users.set_password(office_db, "rex", "second amber kettle 9", actor="ada")
    assert sessions.find(office_db, token) is None
    token = sessions.start(office_db, rex.id)
    users.set_disabled(office_db, "rex", True, actor="ada")
    assert sessions.find(office_db, token) is None
    with pytest.raises(users.SignInRefused):
        users.authenticate(office_db, "rex", "second amber kettle 9")


def test_every_action_is_in_the_office_audit_trail(office_db: Database) -> None:
    users.add_user(office_db, "ada", "violet lantern harbour 7", "administrator", actor="cli:root")
    with pytest.raises(users.SignInRefused):
        users.authenticate(office_db, "ada", "not her password", remote="10.1.2.3")
    users.authenticate(office_db, "ada", "violet lantern harbour 7", remote="10.1.2.3")
    actions = [(e.actor, e.action, e.remote) for e in reversed(audit.entries(office_db))]
    assert actions == [
        ("cli:root", "user.add", ""),
        ("ada", "signin.failed", "10.1.2.3"),
        ("ada", "signin", "10.1.2.3"),
    ]


def test_office_user_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    office = tmp_path / "office"
    init_office(office, "CLI Office")
    monkeypatch.setenv("IETP_OFFICE_USER_PASSWORD", "granite window meadow 2")
    assert (
        main(
            ["office", "user", "add", "cora", "--role", "coordinator", "--office-dir", str(office)]
        )
        == 0
    )
    assert main(["office", "user", "list", "--office-dir", str(office)]) == 0
    out = capsys.readouterr().out
    assert "cora" in out and "coordinator" in out and "active" in out
    monkeypatch.setenv("IETP_OFFICE_USER_PASSWORD", "1234")
    assert main(["office", "user", "passwd", "cora", "--office-dir", str(office)]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(["office", "user", "disable", "cora", "--office-dir", str(office)]) == 0
    assert "user cora disabled" in capsys.readouterr().out
