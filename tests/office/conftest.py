"""Fixtures for the office server: the bundle world (laptop + office), a console test client,
and a real server process on 127.0.0.1 with TLS from the office CA."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ietp_desktop.office.accounts import users
from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.console.tls import issue_server_certificate
from ietp_desktop.office.folder import open_office_db
from tests.bundle_world import World, world, world_template
from tests.postgres import PG_URL, throwaway_database

__all__ = ["world", "world_template"]

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {
    "administrator": "admin passphrase 2026",
    "coordinator": "coordinator passphrase 2026",
    "reviewer": "reviewer passphrase 2026",
    "read-only": "read only passphrase 2026",
}
USERNAMES = {
    "administrator": "ada",
    "coordinator": "cora",
    "reviewer": "rex",
    "read-only": "rory",
}


def add_office_users(office_dir: Path, db_url: str | None = None) -> None:
    database = open_office_db(office_dir, db_url)
    try:
        for role, name in USERNAMES.items():
            users.add_user(database, name, PASSWORDS[role], role, actor="test")
    finally:
        database.dispose()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, role: str) -> None:
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={
            "csrf": csrf_of(page.text),
            "username": USERNAMES[role],
            "password": PASSWORDS[role],
            "next": "/inbox",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@contextmanager
def signed_in_clients(
    office_dir: Path, roles: Iterable[str] = tuple(USERNAMES)
) -> Iterator[dict[str, TestClient]]:
    """A console client per role, each signed in, on the office in `office_dir`."""
    with ExitStack() as stack:
        made: dict[str, TestClient] = {}
        for role in roles:
            client = stack.enter_context(
                TestClient(
                    create_app(ConsoleConfig(office_dir, secure_cookies=False)),
                    base_url="http://127.0.0.1",
                )
            )
            sign_in(client, role)
            made[role] = client
        yield made


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        pytest.skip("IETP_TEST_PG_URL is not set")
    with throwaway_database("office") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The office database on SQLite, and on a fresh PostgreSQL database when one is given."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip("IETP_TEST_PG_URL is not set")
    with throwaway_database("office") as url:
        yield url


@pytest.fixture
def office(world: World) -> World:
    add_office_users(world.office_dir)
    return world


@pytest.fixture
def console(office: World) -> Iterator[TestClient]:
    app = create_app(ConsoleConfig(office.office_dir, secure_cookies=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(
    office_dir: Path,
    *,
    port: int | None = None,
    db_url: str | None = None,
    workers: int = 1,
    env: dict[str, str] | None = None,
) -> Server:
    cert = office_dir / "tls" / "server.pem"
    if not cert.is_file():
        issue_server_certificate(office_dir, ["127.0.0.1", "localhost"])
    port = port or free_port()
    log = office_dir / f"server-{port}.log"
    command = [
        sys.executable, "-m", "ietp_desktop", "office", "serve", "--office-dir", str(office_dir),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    if db_url:
        command += ["--db", db_url]
    environment = os.environ | {"PYTHONPATH": str(ROOT)} | (env or {})
    environment.pop("IETP_OFFICE_PASSPHRASE", None)
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if "Application startup complete" in log.read_text(errors="replace"):
                    return Server(f"https://127.0.0.1:{port}", process, log)
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the server did not start: {log.read_text(errors='replace')}")


@pytest.fixture
def server(office: World) -> Iterator[Server]:
    running = start_server(office.office_dir)
    yield running
    running.stop()
