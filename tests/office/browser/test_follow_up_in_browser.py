"""The office's follow-up and analytics pages in a real chromium: the CAP tracker, an invoice
from sent to paid, and an analytics page with its chart, table and export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.escalations import queue
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.services.sync.office_link import fetch_from_office
from ietp_desktop.storage.models import CorrectiveAction, Factory, Finding, Visit
from ietp_desktop.storage.office_money_models import (
    OfficeFactoryStatusChange,
    OfficeFundEntry,
    OfficeInvoice,
)
from tests.bundle_world import SPECIALIST_PASSPHRASE

from .conftest import BrowserOffice, sign_in

pytestmark = pytest.mark.browser


def _cap_codes(office: BrowserOffice) -> list[str]:
    database = open_office_db(office.world.office_dir)
    try:
        with database.session() as session:
            return list(
                session.scalars(
                    select(Finding.code)
                    .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
                    .join(Visit, Visit.id == Finding.visit_id)
                    .where(Visit.uuid == office.world.visit_uuid)
                    .order_by(Finding.code)
                )
            )
    finally:
        database.dispose()


def test_the_cap_tracker_lists_the_lines_and_exports_them(
    page: Page, browser_office: BrowserOffice
) -> None:
    codes = _cap_codes(browser_office)
    assert codes, "the uploaded visit has CAP lines"
    sign_in(page, browser_office.url, "reviewer")
    page.get_by_role("link", name="CAP tracker").click()
    page.wait_for_url(re.compile(r".*/cap$"))
    rows = page.locator("table.list tbody tr")
    for code in codes:
        expect(rows.filter(has_text=code).first).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="CSV").first.click()
    text = downloading.value.path().read_bytes().decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text)))
    assert len(exported) - 1 == rows.count()
    assert all(any(code in cell for row in exported for cell in row) for code in codes)


def test_an_invoice_goes_from_sent_to_paid_and_books_the_fund(
    page: Page, browser_office: BrowserOffice
) -> None:
    uuid = browser_office.world.visit_uuid
    sign_in(page, browser_office.url, "coordinator")
    page.goto(f"{browser_office.url}/invoices/{uuid}")
    number = page.locator("main h1").inner_text()
    assert re.search(r"PV-\d{4}-\d{4}", number), number
    page.get_by_role("button", name="Record sending").click()
    page.get_by_role("button", name="Record receipt").wait_for()
    received = page.get_by_label("Received by the factory on")
    received.fill(page.get_by_label("Payment date").input_value())  # today, as the form offers
    page.get_by_role("button", name="Record receipt").click()
    page.get_by_role("button", name="Record payment").wait_for()
    page.get_by_role("button", name="Record payment").click()  # the amount outstanding
    expect(page.locator("main")).to_contain_text("Paid")
    database = open_office_db(browser_office.world.office_dir)
    try:
        with database.session() as session:
            invoice = session.scalars(
                select(OfficeInvoice)
                .join(Visit, Visit.id == OfficeInvoice.visit_id)
                .where(Visit.uuid == uuid)
            ).one()
            assert invoice.settled and invoice.received_on is not None
            assert invoice.due_on is not None and invoice.due_on > invoice.received_on
            booked = session.scalars(
                select(OfficeFundEntry.amount_usd).where(OfficeFundEntry.invoice_id == invoice.id)
            ).one()
            assert booked > 0
    finally:
        database.dispose()


def test_an_analytics_page_has_its_chart_its_table_and_an_export(
    page: Page, browser_office: BrowserOffice
) -> None:
    sign_in(page, browser_office.url, "read-only")
    page.get_by_role("link", name="Analytics").click()
    page.wait_for_url(re.compile(r".*/analytics/findings.*"))
    section = page.locator("section.card").filter(has=page.locator("svg")).first
    expect(section.locator("svg")).to_be_visible()
    table = section.locator("table").first
    expect(table).to_be_visible()
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    with page.expect_download() as downloading:
        section.get_by_role("link", name="CSV").click()
    text = downloading.value.path().read_bytes().decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text)))
    assert [h.casefold() for h in exported[0]] == [h.casefold() for h in headers]
    assert len(exported) - 1 == table.locator("tbody tr").count()


def test_a_visit_assigned_on_the_board_reaches_the_laptop(
    page: Page, browser_office: BrowserOffice
) -> None:
    world = browser_office.world
    database = open_office_db(world.office_dir)
    try:
        with database.session() as session:
            session.add(
                Factory(
                    ietp_id="IETP-GD-77123",
                    name_en="Lotus Board Toys",
                    region="Guangdong",
                    seal_issued_on=add_months(date.today(), -2),  # its window is open
                )
            )
    finally:
        database.dispose()
    day = date.today() + timedelta(days=10)
    sign_in(page, browser_office.url, "coordinator")
    page.get_by_role("link", name="Planning").click()
    row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77123")
    row.get_by_role("link", name="Assign").click()
    assign = page.locator("#assign")
    assign.locator("select[name=specialist]").select_option(value="lin.mei@example.org")
    assign.get_by_label("Proposed date").fill(day.isoformat())
    assign.get_by_role("button", name="Send to the laptop").click()
    row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77123")
    expect(row).to_contain_text("Lin Mei")
    laptop = world.laptop()
    try:
        fetch_from_office(laptop, browser_office.url, passphrase=SPECIALIST_PASSPHRASE)
        with laptop.session() as session:
            planned = session.scalars(
                select(Visit.planned_date)
                .join(Factory, Factory.id == Visit.factory_id)
                .where(Factory.ietp_id == "IETP-GD-77123")
            ).one()
    finally:
        laptop.dispose()
    assert planned == day


def test_a_zero_tolerance_visit_is_decided_in_the_queue_and_the_factory_follows(
    page: Page, browser_office: BrowserOffice
) -> None:
    uuid = browser_office.world.second_uuid
    database = open_office_db(browser_office.world.office_dir)
    try:
        with database.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
            session.add(
                Finding(
                    visit_id=visit.id,
                    code="F99",
                    title="Child labour found 发现童工",
                    classification="zero_tolerance",
                )
            )
            session.flush()
            queue.open_for_visit(session, visit, "test", date.today())
            factory_id = visit.factory_id
    finally:
        database.dispose()
    sign_in(page, browser_office.url, "coordinator")
    page.get_by_role("link", name="Escalations").click()
    row = page.locator("table.list tbody tr").filter(has_text=uuid[:8])
    expect(row).to_contain_text("F99")
    row.get_by_label("Decision").select_option("terminate")
    row.get_by_label("reason").fill("IETP decided: termination 终止")
    row.get_by_role("button", name="Decide").click()
    expect(page.locator("table.list tbody tr").filter(has_text=uuid[:8])).to_contain_text(
        "termination 终止"
    )
    database = open_office_db(browser_office.world.office_dir)
    try:
        with database.session() as session:
            change = session.scalars(
                select(OfficeFactoryStatusChange).where(
                    OfficeFactoryStatusChange.factory_id == factory_id
                )
            ).one()
            assert (change.new_status, change.changed_by) == ("terminated", "cora")
    finally:
        database.dispose()
