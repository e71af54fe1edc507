"""The factory pages as each role sees them: list, add, edit, import, export, CSRF."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig

from ..bundle_world import World
from .conftest import csrf_of, sign_in

FACTORY = {
    "ietp_id": "CN-0700",
    "name_en": "Harbour Toys",
    "name_zh": "海港玩具厂",
    "address": "1 Harbour Road",
    "city": "Shenzhen",
    "region": "Guangdong",
    "headcount": "640",
    "seal_issued_on": "2026-08-15",
    "contact_name": "Ms Chen",
    "contact_email": "chen@harbour.example",
}


@pytest.fixture
def client_as(office: World) -> Iterator[dict[str, TestClient]]:
    made: dict[str, TestClient] = {}
    for role in ("coordinator", "reviewer"):
        client = TestClient(
            create_app(ConsoleConfig(office.office_dir, secure_cookies=False)),
            base_url="http://127.0.0.1",
        )
        client.__enter__()
        sign_in(client, role)
        made[role] = client
    yield made
    for client in made.values():
        client.__exit__(None, None, None)


def _add(client: TestClient, **changes: str) -> object:
    page = client.get("/factories")
    return client.post(
        "/factories",
        data={"csrf": csrf_of(page.text), **FACTORY, **changes},
        follow_redirects=False,
    )


def test_a_coordinator_adds_and_edits_a_factory(client_as: dict[str, TestClient]) -> None:
    coordinator = client_as["coordinator"]
    response = _add(coordinator)
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = coordinator.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "The factory has been added." in page
    assert "海港玩具厂" in page and "2026-10-15 – 2026-12-15" in page  # seal + 2 … + 4 months
    assert 'href="/factories/CN-0700"' in page and 'href="/factories/CN-0700/edit"' in page
    again = _add(coordinator)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "factory CN-0700 is already registered" in again.text  # type: ignore[attr-defined]
    bad = _add(coordinator, ietp_id="CN-0701", headcount="lots")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Headcount: lots is not a whole number of workers" in bad.text  # type: ignore[attr-defined]
    form = coordinator.get("/factories/CN-0700/edit")
    assert form.status_code == 200 and 'value="Harbour Toys"' in form.text
    edited = coordinator.post(
        "/factories/CN-0700/edit",
        data={"csrf": csrf_of(form.text), **FACTORY, "region": "Fujian", "headcount": "700"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    listing = coordinator.get("/factories?region=Fujian").text
    assert "CN-0700" in listing and "700" in listing
    audit = coordinator.get("/audit?action=factory.edit").text
    assert "CN-0700" in audit and "region, headcount" in audit


def test_a_reviewer_sees_the_list_but_cannot_change_it(client_as: dict[str, TestClient]) -> None:
    _add(client_as["coordinator"])
    reviewer = client_as["reviewer"]
    page = reviewer.get("/factories")
    assert page.status_code == 200 and "Harbour Toys" in page.text
    assert "Add a factory" not in page.text and "/edit" not in page.text
    refused = reviewer.post(
        "/factories", data={"csrf": csrf_of(page.text), **FACTORY}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert reviewer.get("/factories/CN-0700/edit").status_code == 403


def test_posts_without_the_csrf_token_change_nothing(client_as: dict[str, TestClient]) -> None:
    coordinator = client_as["coordinator"]
    for path in ("/factories", "/factories/import"):
        response = coordinator.post(path, data={**FACTORY, "csrf": "forged"})
        assert response.status_code == 403
    assert "Harbour Toys" not in coordinator.get("/factories").text


def test_upload_a_list_and_see_a_refusal_naming_the_row(client_as: dict[str, TestClient]) -> None:
    coordinator = client_as["coordinator"]
    csrf = csrf_of(coordinator.get("/factories").text)
    text = "工厂名单\nIETP id,Name,城市,证书签发日期\nCN-0801,Pearl Toys,佛山,2026-06-01\n"
    ok = coordinator.post(
        "/factories/import",
        data={"csrf": csrf},
        files={"file": ("list.csv", text.encode("gbk"), "text/csv")},
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text
    page = coordinator.get(ok.headers["location"]).text
    assert "The list has been imported: 1 added, 0 updated." in page and "Pearl Toys" in page
    bad = text + "CN-0802,Jade Toys,佛山,next spring\n"
    refused = coordinator.post(
        "/factories/import",
        data={"csrf": csrf},
        files={"file": ("list2.csv", bad.encode("gbk"), "text/csv")},
    )
    assert refused.status_code == 400
    assert (
        "list2.csv row 4, column D (证书签发日期): next spring is not a date (write YYYY-MM-DD)"
        in refused.text
    )
    assert "Jade Toys" not in coordinator.get("/factories").text
    missing = coordinator.post("/factories/import", data={"csrf": csrf})
    assert missing.status_code == 400 and "Choose a CSV or XLSX file" in missing.text


def test_the_list_exports_with_window_and_state(client_as: dict[str, TestClient]) -> None:
    coordinator = client_as["coordinator"]
    _add(coordinator)
    rows = list(
        csv.reader(
            io.StringIO(coordinator.get("/factories.csv?q=CN-07").content.decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["IETP id", "name", "name (zh)"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["window opens"], row["window closes"]) == ("2026-10-15", "2026-12-15")
    assert row["state"] in ("not_yet_due", "due", "overdue")
    book = load_workbook(io.BytesIO(coordinator.get("/factories.xlsx").content))
    assert book.active is not None and book.active.max_row >= 2
