"""Two `office serve --db URL` processes behind one PostgreSQL (IETP_TEST_PG_URL): whatever
one server learns, the other knows, because nothing lives in a server process.

A bundle uploaded to one is in the inbox of the other; a session, its CSRF token, the
sign-in throttle, the replay guard and a half-finished upload all work across both.
"""

from __future__ import annotations

import signal
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from ietp_desktop.office.folder import open_office_db
from ietp_desktop.services.sync.bundles import export_visits, identity_dir_of, require_identity
from ietp_desktop.services.sync.office_link import send_to_office
from ietp_desktop.storage.models import ReceivedBundle, Visit
from ietp_desktop.sync import office_client
from ietp_desktop.sync.office_client import OfficeClient, OfficeRefused
from tests.bundle_world import SPECIALIST_PASSPHRASE, World
from tests.office.conftest import (
    PASSWORDS,
    USERNAMES,
    Server,
    add_office_users,
    csrf_of,
    start_server,
)
from tests.postgres import PG_URL

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set"),
]


@pytest.fixture
def two(world: World, pg_url: str) -> Iterator[tuple[Server, Server]]:
    add_office_users(world.office_dir, pg_url)
    first = start_server(world.office_dir, db_url=pg_url)
    try:
        second = start_server(world.office_dir, db_url=pg_url)
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


def _browser(world: World) -> httpx.Client:
    """One cookie jar for both servers, as a browser behind a load balancer has."""
    context = ssl.create_default_context(cafile=str(world.office_dir / "ca.pem"))
    return httpx.Client(verify=context, timeout=30, follow_redirects=False)


def _sign_in(browser: httpx.Client, server: Server, role: str, password: str = "") -> int:
    page = browser.get(f"{server.url}/signin")
    response = browser.post(
        f"{server.url}/signin",
        data={
            "csrf": csrf_of(page.text),
            "username": USERNAMES[role],
            "password": password or PASSWORDS[role],
            "next": "/inbox",
        },
    )
    return response.status_code


def _export(world: World, out: Path) -> Path:
    db = world.laptop()
    try:
        visits = [world.visit_uuid, world.second_uuid]
        return export_visits(db, visits, out, passphrase=SPECIALIST_PASSPHRASE).path
    finally:
        db.dispose()


def test_an_upload_to_one_server_is_in_the_inbox_of_the_other(
    world: World, two: tuple[Server, Server]
) -> None:
    first, second = two
    db = world.laptop()
    try:
        [sent] = send_to_office(db, first.url, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()
    assert sent.office_status == "imported"
    with _browser(world) as browser:
        assert _sign_in(browser, second, "reviewer") == 303
        inbox = browser.get(f"{second.url}/inbox")
        assert inbox.status_code == 200
        assert world.visit_uuid[:8] in inbox.text and world.second_uuid[:8] in inbox.text
        visit = browser.get(f"{second.url}/visits/{world.visit_uuid}")
        assert visit.status_code == 200


def test_session_and_csrf_from_one_server_work_on_the_other(
    world: World, two: tuple[Server, Server]
) -> None:
    first, second = two
    with _browser(world) as browser:
        assert _sign_in(browser, first, "administrator") == 303
        assert browser.get(f"{second.url}/inbox").status_code == 200  # the same session
        form = browser.get(f"{first.url}/account/password")
        token = csrf_of(form.text)
        new = "a brand new passphrase 2027"
        changed = browser.post(
            f"{second.url}/account/password",
            data={
                "csrf": token,
                "current": PASSWORDS["administrator"],
                "new": new,
                "repeat": new,
            },
        )
        assert changed.status_code == 303, changed.text
        forged = browser.post(
            f"{second.url}/account/password",
            data={"csrf": "not the token", "current": new, "new": new + "x", "repeat": new + "x"},
        )
        assert forged.status_code == 403
        assert browser.post(f"{second.url}/signout", data={"csrf": token}).status_code == 303
        assert browser.get(f"{first.url}/inbox").status_code == 303  # signed out on both
    with _browser(world) as fresh:
        assert _sign_in(fresh, first, "administrator", new) == 303


def test_the_sign_in_throttle_counts_failures_on_both_servers(
    world: World, two: tuple[Server, Server]
) -> None:
    first, second = two
    with _browser(world) as browser:
        for attempt in range(5):
            server = first if attempt % 2 else second
            assert _sign_in(browser, server, "coordinator", "wrong password 123") == 400
        for server in (first, second):
            page = browser.get(f"{server.url}/signin")
            refused = browser.post(
                f"{server.url}/signin",
                data={
                    "csrf": csrf_of(page.text),
                    "username": USERNAMES["coordinator"],
                    "password": PASSWORDS["coordinator"],
                },
            )
            assert refused.status_code == 400
            assert "too many wrong passwords" in refused.text


def test_a_request_replayed_to_the_other_server_is_refused(
    world: World, two: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    db = world.laptop()
    identity = require_identity(identity_dir_of(db))
    db.dispose()
    signer = identity.unlock(SPECIALIST_PASSPHRASE)
    recorded: dict[str, str] = {}
    original = office_client.sign_request

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        headers = original(*args, **kwargs)
        recorded.update(headers)
        return headers

    monkeypatch.setattr(office_client, "sign_request", recording)
    with OfficeClient(first.url, identity.office_ca, signer) as client:
        assert client.hello()["name"] == "Lin Mei"
    monkeypatch.setattr(office_client, "sign_request", lambda *a, **k: dict(recorded))
    with (
        OfficeClient(second.url, identity.office_ca, signer) as client,
        pytest.raises(OfficeRefused) as refused,
    ):
        client.hello()
    assert refused.value.code == "replayed"


def test_an_upload_cut_off_on_one_server_is_finished_on_the_other(
    world: World, two: tuple[Server, Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    bundle = _export(world, tmp_path / "visits.ietpbundle")
    size = bundle.stat().st_size
    monkeypatch.setattr(office_client, "CHUNK_BYTES", max(1024, size // 8))
    monkeypatch.setattr(office_client, "RETRIES", 0)

    def stop_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            first.stop(signal.SIGKILL)

    db = world.laptop()
    try:
        with pytest.raises(office_client.OfficeUnreachable):
            send_to_office(
                db, first.url, passphrase=SPECIALIST_PASSPHRASE, files=[bundle],
                progress=stop_half_way,
            )  # fmt: skip
        [result] = send_to_office(db, second.url, passphrase=SPECIALIST_PASSPHRASE, files=[bundle])
    finally:
        db.dispose()
    assert size // 2 <= result.resumed_from < size
    assert result.office_status == "imported"
    assert set(result.receipt.received) == {world.visit_uuid, world.second_uuid}


def test_bundles_sent_to_both_servers_at_once_are_each_imported_once(
    world: World, two: tuple[Server, Server], tmp_path: Path, pg_url: str
) -> None:
    first, second = two
    db = world.laptop()
    try:
        one = export_visits(
            db, [world.visit_uuid], tmp_path / "one.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
        ).path
        other = export_visits(
            db, [world.second_uuid], tmp_path / "two.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
        ).path
    finally:
        db.dispose()
    jobs = [(first, one), (second, one), (first, other), (second, other)]
    results: dict[int, object] = {}

    def send(index: int, server: Server, bundle: Path) -> None:
        laptop = world.laptop()
        try:
            results[index] = send_to_office(
                laptop, server.url, passphrase=SPECIALIST_PASSPHRASE, files=[bundle]
            )[0]
        except Exception as exc:  # reported below with the others
            results[index] = exc
        finally:
            laptop.dispose()

    threads = [
        threading.Thread(target=send, args=(i, server, bundle))
        for i, (server, bundle) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    failures = {i: r for i, r in results.items() if isinstance(r, Exception)}
    assert failures == {} and len(results) == 4
    statuses = sorted(r.office_status for r in results.values())  # type: ignore[attr-defined]
    assert statuses.count("imported") >= 2, statuses
    assert set(statuses) <= {"imported", "already-imported"}
    office = open_office_db(world.office_dir, pg_url)
    try:
        with office.session() as session:
            assert session.scalar(select(func.count()).select_from(ReceivedBundle)) == 2
            arrived = select(Visit.uuid).where(Visit.received_at.is_not(None))
            received = set(session.scalars(arrived))
    finally:
        office.dispose()
    assert {world.visit_uuid, world.second_uuid} <= received
