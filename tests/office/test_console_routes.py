"""Every console route as every role, signed out, and without a CSRF token; escaping; exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from starlette.testclient import TestClient

from ietp_desktop.office.accounts import specialists
from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.console.routes import ROUTES
from ietp_desktop.office.console.web import PUBLIC, SPECIALIST
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.storage.models import Attachment, CorrectiveAction, Factory, Finding, Visit

from ..bundle_world import SPECIALIST_PASSPHRASE, World
from .conftest import PASSWORDS, USERNAMES, csrf_of, signed_in_clients

ROLES = tuple(USERNAMES)
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def received(office: World, tmp_path: Path) -> World:
    """The office with the laptop's two signed visits imported (as `office import` does)."""
    db = office.laptop()
    bundle = tmp_path / "v.ietpbundle"
    export_visits(
        db, [office.visit_uuid, office.second_uuid], bundle, passphrase=SPECIALIST_PASSPHRASE
    )
    db.dispose()
    outcomes = import_bundles(office.office_dir, [bundle])
    assert outcomes[0].status == "imported", outcomes[0].message
    office_db = open_office_db(office.office_dir)
    specialists.enrol(
        office.office_dir,
        office_db,
        "Zhang Wei 张伟",
        "zhang.wei@example.org",
        specialist_passphrase="a passphrase for zhang wei",
        office_passphrase=None,
        actor="test",
    )
    office_db.dispose()
    return office


def _values(world: World) -> dict[str, str]:
    db = open_office_db(world.office_dir)
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        sha = session.scalars(
            select(Attachment.sha256).where(Attachment.visit_id == visit.id)
        ).first()
        ietp_id = session.scalars(
            select(Factory.ietp_id).where(Factory.id == visit.factory_id)
        ).one()
        finding = session.scalars(
            select(Finding.code)
            .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
            .where(Finding.visit_id == visit.id)
        ).first()
    zhang = next(
        s for s in specialists.list_specialists(world.office_dir, db) if s.has_enrolment_file
    )
    db.dispose()
    return {
        "uuid": world.visit_uuid,
        "revision": "1",
        "sha": sha or "0" * 64,
        "fingerprint": zhang.fingerprint,
        "username": "rex",
        "kind": "csv",
        "code": "zh",
        "upload_id": "0" * 32,
        "name": "x.ietpbundle",
        "ietp_id": ietp_id,
        "period_id": "999999",
        "finding": finding or "F01",
    }


def _concrete(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], path)


def _app(world: World) -> TestClient:
    return TestClient(
        create_app(ConsoleConfig(world.office_dir, secure_cookies=False)),
        base_url="http://127.0.0.1",
    )


@pytest.fixture
def clients(received: World) -> Iterator[dict[str, TestClient]]:
    with signed_in_clients(received.office_dir, ROLES) as made:
        yield made


# POSTs that would end the session or change the signed-in user before the walk is over.
_SKIP_AS = {"signout", "password_change", "user_change", "specialist_revoke"}


def test_every_route_checks_the_role(received: World, clients: dict[str, TestClient]) -> None:
    values = _values(received)
    checked = 0
    for route in ROUTES:
        if route.roles is SPECIALIST or route.roles is PUBLIC:
            continue
        path = _concrete(route.path, values)
        for role, client in clients.items():
            for method in route.methods:
                if method == "GET":
                    response = client.get(path, follow_redirects=False)
                else:
                    if route.name in _SKIP_AS and role in route.roles:
                        continue
                    page = client.get("/account/password")
                    response = client.post(
                        path, data={"csrf": csrf_of(page.text)}, follow_redirects=False
                    )
                allowed = role in route.roles
                if allowed:
                    assert response.status_code in (200, 303, 400), (
                        route.name,
                        role,
                        response.text,
                    )
                else:
                    assert response.status_code == 403, (route.name, role, response.status_code)
                    assert "Your role may not open this page." in response.text
                checked += 1
    staff = [r for r in ROUTES if r.roles is not SPECIALIST and r.roles is not PUBLIC]
    skipped = sum(len(set(ROLES) & r.roles) for r in staff if r.name in _SKIP_AS)
    assert staff and checked == sum(len(r.methods) * len(ROLES) for r in staff) - skipped


def test_signed_out_pages_lead_to_sign_in_and_posts_are_refused(received: World) -> None:
    values = _values(received)
    with _app(received) as client:
        for route in ROUTES:
            if route.roles is SPECIALIST or route.roles is PUBLIC:
                continue
            path = _concrete(route.path, values)
            if "GET" in route.methods:
                response = client.get(path, follow_redirects=False)
                assert response.status_code == 303, route.name
                assert response.headers["location"].startswith("/signin?next=")
            if "POST" in route.methods:
                response = client.post(path, data={}, follow_redirects=False)
                assert response.status_code == 401, route.name


def test_every_unsafe_request_without_the_csrf_token_is_refused(
    received: World, clients: dict[str, TestClient]
) -> None:
    values = _values(received)
    admin = clients["administrator"]
    for route in ROUTES:
        if route.roles is SPECIALIST or "POST" not in route.methods:
            continue
        path = _concrete(route.path, values)
        for data in ({}, {"csrf": "forged"}):
            response = admin.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, (route.name, data)
            assert "The form has expired" in response.text
    # nothing happened: the users are as they were
    page = admin.get("/users")
    assert page.text.count("disabled") == 0


def test_every_laptop_endpoint_refuses_an_unsigned_request(received: World) -> None:
    values = _values(received)
    with _app(received) as client:
        for route in ROUTES:
            if route.roles is not SPECIALIST:
                continue
            path = _concrete(route.path, values)
            for method in route.methods:
                response = client.request(method, path, content=b"{}")
                assert response.status_code == 401, route.name
                assert response.json()["code"] == "unauthenticated"


def test_wrong_passwords_lock_the_name_for_every_worker(received: World) -> None:
    with _app(received) as one, _app(received) as two:  # two "workers" sharing the database
        for attempt in range(5):
            client = one if attempt % 2 else two
            page = client.get("/signin")
            response = client.post(
                "/signin",
                data={"csrf": csrf_of(page.text), "username": "ada", "password": "wrong guess!!"},
            )
            assert response.status_code == 400
            assert "wrong user name or password" in response.text
        page = one.get("/signin")
        response = one.post(
            "/signin",
            data={
                "csrf": csrf_of(page.text),
                "username": "ada",
                "password": PASSWORDS["administrator"],
            },
            follow_redirects=False,
        )
        assert response.status_code == 400
        assert "too many wrong passwords; try again in 15 minutes" in response.text
    with _app(received) as other:
        audit_entries = other.get("/audit")  # signed out: redirected, proves no session leaked
        assert audit_entries.status_code == 200 and "Sign in" in audit_entries.text


def test_sign_in_refuses_a_foreign_next_and_sign_out_ends_the_session(received: World) -> None:
    with _app(received) as client:
        page = client.get("/signin?next=//evil.example/x")
        response = client.post(
            "/signin",
            data={
                "csrf": csrf_of(page.text),
                "username": "rex",
                "password": PASSWORDS["reviewer"],
                "next": "//evil.example/x",
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/inbox"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        inbox = client.get("/inbox")
        assert inbox.status_code == 200
        client.post("/signout", data={"csrf": csrf_of(inbox.text)})
        assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_secure_cookies_over_https(received: World) -> None:
    app = create_app(ConsoleConfig(received.office_dir, secure_cookies=True))
    with TestClient(app, base_url="https://office.test") as client:
        page = client.get("/signin")
        response = client.post(
            "/signin",
            data={"csrf": csrf_of(page.text), "username": "rex", "password": PASSWORDS["reviewer"]},
            follow_redirects=False,
        )
        assert "Secure" in response.headers["set-cookie"]


def test_what_a_factory_or_specialist_typed_is_escaped_everywhere(
    received: World, clients: dict[str, TestClient]
) -> None:
    db = open_office_db(received.office_dir)
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == received.visit_uuid)).one()
        session.execute(
            update(Factory).where(Factory.id == visit.factory_id).values(name_en=SCRIPT)
        )
        session.execute(update(Visit).where(Visit.id == visit.id).values(specialist_name=SCRIPT))
        session.execute(
            update(Finding)
            .where(Finding.visit_id == visit.id)
            .values(description=SCRIPT, root_cause=SCRIPT)
        )
        session.execute(
            update(Attachment).where(Attachment.visit_id == visit.id).values(caption=SCRIPT)
        )
    db.dispose()
    client = clients["reviewer"]
    for path in ("/inbox", f"/visits/{received.visit_uuid}", "/inbox?q=%3Cscript%3E"):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path
    headers = client.get("/inbox").headers
    assert "script-src 'self'" in headers["content-security-policy"]


def test_lists_export_csv_and_xlsx_with_text_cells_only(
    received: World, clients: dict[str, TestClient]
) -> None:
    db = open_office_db(received.office_dir)
    with db.session() as session:
        session.execute(update(Factory).values(name_en='=HYPERLINK("http://x","y")'))
    db.dispose()
    client = clients["coordinator"]
    csv_text = client.get("/inbox.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:4] == ["visit", "revision", "factory id", "factory"]
    assert {received.visit_uuid, received.second_uuid} <= {r[0] for r in rows[1:]}
    assert "'=HYPERLINK" in csv_text
    book = load_workbook(io.BytesIO(client.get("/inbox.xlsx").content))
    sheet = book.active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    filtered = client.get("/inbox.csv?q=nothing-matches").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(filtered)))) == 1
    for path in ("/specialists.xlsx", "/audit.csv"):
        assert client.get(path).status_code == 200
    assert client.get("/inbox.exe").status_code == 404


def test_unknown_visit_and_path_tricks_are_404(
    received: World, clients: dict[str, TestClient]
) -> None:
    client = clients["reviewer"]
    for path in (
        "/visits/00000000-0000-0000-0000-000000000000",
        "/visits/..%2F..%2Foffice.json",
        f"/visits/{received.visit_uuid}/photos/..%2F..%2Fca.p12",
        f"/visits/{received.visit_uuid}/report/99",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "ca.p12" not in response.text or "Not possible" in response.text


def test_visit_page_shows_the_visit_and_its_report_verification(
    received: World, clients: dict[str, TestClient]
) -> None:
    client = clients["read-only"]
    inbox = client.get("/inbox").text
    new_before = inbox.count('class="badge new"')
    page = client.get(f"/visits/{received.visit_uuid}").text
    assert "Lin Mei" in page
    assert "Findings" in page and "Answers" in page
    # the office only takes reports that verify, so the stored one shows as valid
    assert '<span class="badge valid">Valid</span>' in page
    assert "Not valid" not in page
    assert client.get("/inbox").text.count('class="badge new"') == new_before - 1  # now seen
    report = client.get(f"/visits/{received.visit_uuid}/report/1")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    chinese = client.get("/lang/zh?next=/inbox", follow_redirects=True).text
    assert "收到的访问" in chinese
