"""A real `office serve` process and Debian's chromium driven by Playwright.

One server and one browser per test module (starting them and uploading the laptop's visits
takes seconds); each test gets a fresh browser context, so cookies (session, language) never
leak from one test to the next. Playwright's sync API keeps an asyncio loop running while it
is open, and signing (pyHanko) calls asyncio.run: so the office is built before the browser
starts, and the browser is closed at the end of its module, before other tests run.

Without a chromium the tests are skipped with the reason, except in CI (env CI set), where a
missing browser is an error: `.ci/run` installs it, so its absence is a broken CI, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from ietp_desktop.office.accounts import specialists
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.services.sync.office_link import send_to_office
from tests.bundle_world import SPECIALIST_PASSPHRASE, World

from ..conftest import PASSWORDS, USERNAMES, Server, add_office_users, start_server

CHROMIUM_ENV = "IETP_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SECOND_SPECIALIST = "Zhao Lei 赵磊"


def find_chromium() -> str | None:
    """The chromium to drive: $IETP_CHROMIUM, else the first on PATH (Debian: /usr/bin/chromium)."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = find_chromium()
    if found is None:
        reason = (
            f"no chromium found (looked for ${CHROMIUM_ENV}, {', '.join(CHROMIUM_NAMES)}); "
            "install Debian's: apt-get install chromium"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def browser(chromium_path: str, browser_office: BrowserOffice) -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path)
        yield launched
        launched.close()


@dataclass(frozen=True)
class BrowserOffice:
    world: World
    server: Server
    second_fingerprint: str  # a specialist the revocation test may revoke

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def browser_office(
    chromium_path: str, world_template: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserOffice]:
    """The office server with office users, a second specialist, and the laptop's two signed
    visits uploaded over HTTPS by `bundle send`'s own function."""
    root = tmp_path_factory.mktemp("browser-office")
    shutil.copytree(world_template.data_dir, root / "laptop")
    shutil.copytree(world_template.office_dir, root / "office")
    world = World(
        root / "laptop",
        root / "office",
        world_template.visit_uuid,
        world_template.second_uuid,
        world_template.in_progress_uuid,
    )
    add_office_users(world.office_dir)
    database = open_office_db(world.office_dir)
    try:
        second = specialists.enrol(
            world.office_dir,
            database,
            SECOND_SPECIALIST,
            "zhao.lei@example.org",
            specialist_passphrase="a passphrase for zhao lei",
            office_passphrase=None,
            actor="test",
        )
    finally:
        database.dispose()
    server = start_server(world.office_dir)
    try:
        laptop = world.laptop()
        try:
            sent = send_to_office(
                laptop,
                server.url,
                passphrase=SPECIALIST_PASSPHRASE,
                visit_refs=[world.visit_uuid, world.second_uuid],
            )
        finally:
            laptop.dispose()
        assert [r.office_status for r in sent] == ["imported"], sent
        yield BrowserOffice(world, server, second.fingerprint)
    finally:
        server.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # The server's certificate is issued by the test office's own CA, which chromium does not
    # know; the laptop pins that CA, the browser of an office user would have it installed.
    made = browser.new_context(
        ignore_https_errors=True, accept_downloads=True, viewport={"width": 1366, "height": 768}
    )
    made.set_default_timeout(15_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, url: str, role: str = "administrator") -> None:
    """Sign in through the form, as a person does, and land on the inbox."""
    page.goto(f"{url}/signin")
    page.get_by_label("User name").fill(USERNAMES[role])
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/inbox")
