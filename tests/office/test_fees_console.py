"""The fee, fund, escalation and factory pages over HTTP: per role, with and without the CSRF
token, bad input refused with nothing stored, exports and PDFs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from starlette.testclient import TestClient

from ietp_desktop.office import money_followup
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_money_models import OfficeInvoice
from tests.bundle_world import World, database_state

from .conftest import csrf_of, signed_in_clients
from .money_fixtures import money_world

__all__ = ["money_world"]

TODAY = date.today()


@pytest.fixture
def clients(money_world: World) -> Iterator[dict[str, TestClient]]:
    with signed_in_clients(money_world.office_dir) as made:
        yield made


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    page = client.get("/invoices")
    return client.post(path, data={"csrf": csrf_of(page.text), **data}, follow_redirects=False)


def _number(world: World) -> str:
    db = open_office_db(world.office_dir)
    with db.session() as session:
        number = session.scalars(
            select(OfficeInvoice.number)
            .join(Visit, Visit.id == OfficeInvoice.visit_id)
            .where(Visit.uuid == world.visit_uuid)
        ).one()
    db.dispose()
    return number


def test_an_invoice_from_sending_to_payment_in_the_console(
    money_world: World, clients: dict[str, TestClient]
) -> None:
    uuid = money_world.visit_uuid
    number = _number(money_world)
    cora = clients["coordinator"]
    page = cora.get(f"/invoices/{uuid}")
    assert page.status_code == 200
    assert number in page.text and "1275.00 USD" in page.text and "Not sent" in page.text
    sent, received = TODAY - timedelta(days=5), TODAY - timedelta(days=4)
    response = _post(cora, f"/invoices/{uuid}/send", {"sent_on": sent.isoformat()})
    assert response.status_code == 303  # type: ignore[attr-defined]
    response = _post(cora, f"/invoices/{uuid}/receive", {"received_on": received.isoformat()})
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = cora.get(f"/invoices/{uuid}?done=received")
    assert "The receipt date is recorded and the due date computed." in page.text
    assert "Unpaid" in page.text
    reminder = clients["read-only"].get(f"/invoices/{uuid}/reminder.pdf")
    assert reminder.status_code == 200 and reminder.content.startswith(b"%PDF")

    # bad input: clear refusal, nothing stored
    db = open_office_db(money_world.office_dir)
    before = database_state(db)
    for path, data, message in (
        (
            "pay",
            {"paid_on": TODAY.isoformat(), "amount": "1275.01"},
            "1275.01 USD is more than the 1275.00 USD still owed",
        ),
        (
            "receive",
            {"received_on": (sent - timedelta(days=1)).isoformat()},
            "is before it was sent",
        ),
        ("pay", {"paid_on": "yesterday", "amount": "10"}, "is not a date (YYYY-MM-DD)"),
        ("pay", {"paid_on": TODAY.isoformat(), "amount": "ten"}, "is not a number"),
    ):
        response = _post(cora, f"/invoices/{uuid}/{path}", data)
        assert response.status_code == 400, data  # type: ignore[attr-defined]
        assert message in response.text  # type: ignore[attr-defined]
    assert database_state(db) == before

    response = _post(
        cora, f"/invoices/{uuid}/pay", {"paid_on": TODAY.isoformat(), "amount": "1275"}
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    db.dispose()
    paid = cora.get("/invoices?show=paid").text
    assert number in paid
    assert number not in cora.get("/invoices?show=unpaid").text
    fund = cora.get("/fund").text
    assert "127.50 USD" in fund and "<svg" in fund and TODAY.strftime("%Y-%m") in fund

    invoice_pdf = cora.get(f"/invoices/{uuid}/invoice.pdf")
    assert invoice_pdf.status_code == 200 and invoice_pdf.content.startswith(b"%PDF")
    assert invoice_pdf.headers["content-type"] == "application/pdf"
    reminder = clients["read-only"].get(f"/invoices/{uuid}/reminder.pdf")
    assert reminder.status_code == 400 and "there is nothing to remind" in reminder.text
    audit = clients["administrator"].get("/audit?action=invoice.pay").text
    assert number in audit and "1275.00 USD on" in audit


def test_roles_and_csrf_on_the_money_routes(
    money_world: World, clients: dict[str, TestClient]
) -> None:
    uuid = money_world.visit_uuid
    data = {"sent_on": TODAY.isoformat()}
    for role in ("reviewer", "read-only"):
        client = clients[role]
        assert client.get("/invoices").status_code == 200
        assert client.get(f"/invoices/{uuid}").status_code == 200
        assert "Record sending" not in client.get(f"/invoices/{uuid}").text
        assert client.get("/escalations").status_code == 200
        response = _post(client, f"/invoices/{uuid}/send", data)
        assert response.status_code == 403  # type: ignore[attr-defined]
        response = _post(client, f"/escalations/{uuid}/decide", {"kind": "zero_tolerance"})
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert client.get("/follow-up/settings").status_code == 403
    for path in ("/invoices/%25%25%25%25%25%25%25%25", "/invoices/PV-1999-0001", "/factories/x"):
        assert clients["reviewer"].get(path).status_code == 404, path
    admin = clients["administrator"]
    for forged in ({}, {"csrf": "forged"}):
        response = admin.post(f"/invoices/{uuid}/send", data={**data, **forged})
        assert response.status_code == 403 and "The form has expired" in response.text
    assert "Not sent" in admin.get(f"/invoices/{uuid}").text
    # settings: the coordinator sees them, only the administrator changes them
    page = clients["coordinator"].get("/follow-up/settings").text
    assert "Only an administrator can change these settings." in page
    response = _post(
        clients["coordinator"],
        "/follow-up/settings",
        {"fees.termination_grace_days": "5"},
    )
    assert response.status_code == 403  # type: ignore[attr-defined]
    values = {
        "fees.termination_grace_days": "14",
        "fees.fund_share_percent": "150",
        "escalations.pa_arrange_days": "30",
    }
    response = _post(admin, "/follow-up/settings", values)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "is not a number from 0 to 100" in response.text  # type: ignore[attr-defined]
    response = _post(admin, "/follow-up/settings", {**values, "fees.fund_share_percent": "12.5"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "more than 14 days after the due date" in admin.get("/invoices").text


def test_exports_for_accounting(money_world: World, clients: dict[str, TestClient]) -> None:
    db = open_office_db(money_world.office_dir)
    with db.session() as session:
        session.execute(update(Factory).values(name_en='=HYPERLINK("http://x","y")'))
    db.dispose()
    client = clients["read-only"]
    text = client.get("/invoices.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["invoice", "factory id", "factory", "factory (zh)"]
    assert {r[4] for r in rows[1:]} == {money_world.visit_uuid, money_world.second_uuid}
    assert {r[8] for r in rows[1:]} == {"1275.00"}
    assert "'=HYPERLINK" in text
    only_paid = client.get("/invoices.csv?show=paid").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(only_paid)))) == 1
    book = load_workbook(io.BytesIO(client.get("/invoices.xlsx").content))
    assert book.active is not None and book.active.max_row == 3
    for path in ("/escalations.csv", "/escalations.xlsx", "/fund.csv", "/fund.xlsx"):
        assert client.get(path).status_code == 200, path
    assert client.get("/invoices.exe").status_code == 404


def test_the_zero_tolerance_queue_and_the_factory_page(
    money_world: World, clients: dict[str, TestClient]
) -> None:
    uuid = money_world.visit_uuid
    db = open_office_db(money_world.office_dir)
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
        first = session.scalars(
            select(Finding.id).where(Finding.visit_id == visit.id).order_by(Finding.code)
        ).first()
        session.execute(
            update(Finding).where(Finding.id == first).values(classification="zero_tolerance")
        )
        money_followup.visits_received(session, [uuid])
        ietp_id = session.scalars(
            select(Factory.ietp_id).where(Factory.id == visit.factory_id)
        ).one()
    db.dispose()
    reviewer = clients["reviewer"].get("/escalations?kind=zero_tolerance&state=open").text
    assert uuid[:8] in reviewer and "Waiting for IETP&#39;s decision" in reviewer
    assert 'action="/escalations/' not in reviewer  # a reviewer cannot decide
    cora = clients["coordinator"]
    queue_page = cora.get("/escalations?kind=zero_tolerance&state=open").text
    assert f'action="/escalations/{uuid}/decide"' in queue_page
    response = _post(
        cora, f"/escalations/{uuid}/decide", {"kind": "zero_tolerance", "decision": "terminate"}
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "give the reason for the decision" in response.text  # type: ignore[attr-defined]
    response = _post(
        cora,
        f"/escalations/{uuid}/decide",
        {"kind": "zero_tolerance", "decision": "terminate", "reason": "child labour <confirmed>"},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    factory_page = clients["read-only"].get(f"/factories/{ietp_id}")
    assert factory_page.status_code == 200
    html = factory_page.text
    assert "Certificate status history" in html
    assert 'class="badge cert-terminated">Terminated' in html
    assert "child labour &lt;confirmed&gt;" in html and "<confirmed>" not in html
    assert _number(money_world) in html  # its invoice
    assert "Open CAP lines" in html and "No open CAP line." not in html
    assert "1275.00 USD" in html
    assert clients["read-only"].get("/factories/NO-SUCH-ID").status_code == 404
    chinese = cora.get("/lang/zh?next=/escalations", follow_redirects=True).text
    assert "升级处理" in chinese
