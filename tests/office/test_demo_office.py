"""The demo office: `ietp-desktop demo` prints a console user and password that sign in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ietp_desktop.cli import main
from ietp_desktop.office.accounts import users
from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.folder import open_office_db

from .conftest import csrf_of


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "data"
    capture = pytest.MonkeyPatch()
    lines: list[str] = []
    capture.setattr("builtins.print", lambda *a, **_k: lines.append(" ".join(map(str, a))))
    try:
        assert main(["demo", "--data-dir", str(folder)]) == 0
    finally:
        capture.undo()
    return folder, "\n".join(lines)


def _printed_login(output: str) -> tuple[str, str]:
    found = re.search(r"console user (\S+), password (\S+)", output)
    assert found, output
    return found.group(1), found.group(2)


def test_the_demo_office_has_an_administrator(demo: tuple[Path, str]) -> None:
    folder, output = demo
    user, _password = _printed_login(output)
    database = open_office_db(folder / "office")
    try:
        found = {u.username: u.role for u in users.list_users(database)}
    finally:
        database.dispose()
    assert found == {"admin": "administrator"}
    assert user == "admin"


def test_the_printed_password_signs_in_and_the_readme_names_it(demo: tuple[Path, str]) -> None:
    folder, output = demo
    user, password = _printed_login(output)
    app = create_app(ConsoleConfig(folder / "office", secure_cookies=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/signin")
        wrong = client.post(
            "/signin",
            data={"csrf": csrf_of(page.text), "username": user, "password": password + "x"},
            follow_redirects=False,
        )
        assert wrong.status_code != 303
        page = client.get("/signin")
        signed_in = client.post(
            "/signin",
            data={"csrf": csrf_of(page.text), "username": user, "password": password},
            follow_redirects=True,
        )
        assert signed_in.status_code == 200
        assert "/signin" not in str(signed_in.url)
        inbox = client.get("/inbox")
        assert inbox.status_code == 200
        assert "Guangdong" in inbox.text or "Dongguan" in inbox.text or "Toy" in inbox.text
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{user}`" in readme and f"`{password}`" in readme
