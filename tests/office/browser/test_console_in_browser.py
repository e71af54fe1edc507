"""The office console in a real headless chromium against a real `office serve` over HTTPS:
what an office user clicks and reads, with visits the laptop uploaded over the network."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_models import OfficeRevocation

from .conftest import SECOND_SPECIALIST, BrowserOffice, sign_in

pytestmark = pytest.mark.browser


def _factory_name(office: BrowserOffice, uuid: str) -> str:
    database = open_office_db(office.world.office_dir)
    try:
        with database.session() as session:
            return session.scalars(
                select(Factory.name_en)
                .join(Visit, Visit.factory_id == Factory.id)
                .where(Visit.uuid == uuid)
            ).one()
    finally:
        database.dispose()


def test_the_inbox_shows_the_visit_the_laptop_uploaded(
    page: Page, browser_office: BrowserOffice
) -> None:
    sign_in(page, browser_office.url)
    expect(page.get_by_role("heading", name=re.compile("Received visits"))).to_be_visible()
    factory = _factory_name(browser_office, browser_office.world.visit_uuid)
    row = page.locator("table.list tbody tr").filter(has_text=browser_office.world.visit_uuid[:8])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(factory)
    expect(row).to_contain_text("Lin Mei")
    expect(row.locator(".badge.valid")).to_have_text("Valid")


def test_the_visit_page_and_its_signed_report(page: Page, browser_office: BrowserOffice) -> None:
    uuid = browser_office.world.visit_uuid
    sign_in(page, browser_office.url)
    page.locator("table.list tbody tr").filter(has_text=uuid[:8]).get_by_role("link").click()
    page.wait_for_url(f"{browser_office.url}/visits/{uuid}")
    expect(page.locator("main")).to_contain_text(uuid)
    report = page.locator("section.card").filter(has_text="Signed report")
    expect(report.locator("ul.checks")).to_contain_text("intact")
    expect(report.locator("ul.checks")).to_contain_text("signer trusted by this office")
    expect(report).to_contain_text("Lin Mei")
    expect(page.get_by_role("heading", name=re.compile("Findings"))).to_be_visible()
    link = page.get_by_role("link", name="Open the report").first
    href = link.get_attribute("href")
    assert href == f"/visits/{uuid}/report/1"
    # The link opens a new tab; the PDF itself is checked as the browser receives it, with the
    # signed-in session's cookies.
    response = page.context.request.get(f"{browser_office.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_revoking_a_specialist_asks_for_a_reason_and_then_shows_revoked(
    page: Page, browser_office: BrowserOffice
) -> None:
    sign_in(page, browser_office.url)
    page.get_by_role("link", name="Specialists").click()
    row = page.locator("table.list tbody tr").filter(has_text=SECOND_SPECIALIST)
    expect(row.locator(".badge")).to_have_text("Active")
    confirm = row.get_by_role("button", name=f"Revoke the certificate of {SECOND_SPECIALIST}")
    expect(confirm).to_be_hidden()  # the confirmation is folded until "Revoke" is opened
    row.get_by_text("Revoke", exact=True).click()
    expect(confirm).to_be_visible()
    confirm.click()  # without a reason the browser refuses to send the form
    assert page.url == f"{browser_office.url}/specialists"
    row.get_by_label("Why (lost laptop, left the office…)").fill("laptop stolen in Dongguan")
    confirm.click()
    expect(page.get_by_role("status")).to_contain_text("The certificate is revoked")
    row = page.locator("table.list tbody tr").filter(has_text=SECOND_SPECIALIST)
    expect(row.locator(".badge")).to_have_text("Revoked")
    expect(row).to_contain_text("laptop stolen in Dongguan")
    database = open_office_db(browser_office.world.office_dir)
    try:
        with database.session() as session:
            revocation = session.scalars(
                select(OfficeRevocation).where(
                    OfficeRevocation.fingerprint == browser_office.second_fingerprint
                )
            ).one()
            assert revocation.reason == "laptop stolen in Dongguan"
    finally:
        database.dispose()
    # Lin Mei, who uploaded the visits, is untouched.
    lin = page.locator("table.list tbody tr").filter(has_text="Lin Mei")
    expect(lin.locator(".badge")).to_have_text("Active")


def test_the_inbox_exports_a_csv_of_what_it_shows(
    page: Page, browser_office: BrowserOffice
) -> None:
    world = browser_office.world
    sign_in(page, browser_office.url)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="CSV").click()
    download = downloading.value
    assert download.suggested_filename == "inbox.csv"
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_visit = {row["visit"]: row for row in rows}
    assert set(by_visit) == {world.visit_uuid, world.second_uuid}
    assert by_visit[world.visit_uuid]["specialist"].startswith("Lin Mei")
    assert by_visit[world.visit_uuid]["factory"] == _factory_name(browser_office, world.visit_uuid)
    assert by_visit[world.visit_uuid]["report"] == "valid"


def test_switching_to_chinese_shows_chinese_chrome(
    page: Page, browser_office: BrowserOffice
) -> None:
    sign_in(page, browser_office.url)
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name=re.compile("收到的访问"))).to_be_visible()
    expect(page.locator("header nav")).to_contain_text("收件箱")
    expect(page.locator("header nav")).to_contain_text("专员")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name=re.compile("Received visits"))).to_be_visible()


def test_a_wrong_password_shows_the_message_and_no_session(
    page: Page, browser_office: BrowserOffice
) -> None:
    page.goto(f"{browser_office.url}/signin")
    page.get_by_label("User name").fill("rory")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong user name or password")
    assert page.url == f"{browser_office.url}/signin"
    page.goto(f"{browser_office.url}/inbox")
    page.wait_for_url(re.compile(r"/signin"))


def test_a_form_without_its_csrf_token_is_refused(
    page: Page, browser_office: BrowserOffice
) -> None:
    sign_in(page, browser_office.url, "coordinator")
    page.goto(f"{browser_office.url}/account/password")
    page.locator("main form input[name=csrf]").evaluate("field => field.remove()")
    page.get_by_label("Current password").fill("coordinator passphrase 2026")
    page.locator("input[name=new]").fill("a brand new passphrase 1")
    page.locator("input[name=repeat]").fill("a brand new passphrase 1")
    page.locator("main").get_by_role("button", name="Change password").click()
    expect(page.locator("main")).to_contain_text(
        "The form has expired; reload the page and try again."
    )
    expect(page.locator("main h1")).to_contain_text("403")
    # The password did not change: signing in with the old one still works.
    page.context.clear_cookies()
    sign_in(page, browser_office.url, "coordinator")


PHONE_PAGES = ("/inbox", "/specialists", "/users", "/audit", "/account/password")


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, browser_office: BrowserOffice
) -> None:
    phone = browser.new_context(
        ignore_https_errors=True,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = phone.new_page()
        sign_in(page, browser_office.url)
        wide = {}
        for lang in ("en", "zh"):
            page.goto(f"{browser_office.url}/lang/{lang}?next=/inbox")
            paths = [*PHONE_PAGES, f"/visits/{browser_office.world.visit_uuid}"]
            for path in paths:
                page.goto(f"{browser_office.url}{path}")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    wide[f"{lang} {path}"] = width
        assert wide == {}, "pages wider than a 390 px phone screen"
    finally:
        phone.close()


def test_refusals_are_in_the_language_of_the_page(
    page: Page, browser_office: BrowserOffice
) -> None:
    page.goto(f"{browser_office.url}/lang/zh?next=/signin")
    page.get_by_label("用户名").fill("rex")
    page.get_by_label("密码").fill("not the password at all")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    sign_in_zh = page.get_by_label("用户名")
    sign_in_zh.fill("ada")
    page.get_by_label("密码").fill("admin passphrase 2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{browser_office.url}/inbox")
    missing = "00000000-0000-4000-8000-000000000000"
    page.goto(f"{browser_office.url}/visits/{missing}")
    expect(page.locator("main")).to_contain_text(f"没有访问 {missing}")


def test_typing_in_the_inbox_search_filters_the_rows_in_place(
    page: Page, browser_office: BrowserOffice
) -> None:
    world = browser_office.world
    sign_in(page, browser_office.url)
    rows = page.locator("#rows table.list tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Search").press_sequentially(world.second_uuid[:8])
    expect(rows).to_have_count(1)  # htmx swapped the rows, no page load
    expect(rows).to_contain_text(world.second_uuid[:8])
    expect(page).to_have_url(re.compile(rf"/inbox\?.*q={world.second_uuid[:8]}"))
    page.get_by_label("Search").fill("no factory is called this")
    page.get_by_label("Search").press("End")
    expect(page.locator("#rows")).to_contain_text("No received visit matches.")
