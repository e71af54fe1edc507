"""Moving and cancelling planned visits on the board in a real chromium, and the laptop that
hears of it at its next fetch."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.planning import assigning
from ietp_desktop.services.sync.office_link import fetch_from_office
from ietp_desktop.storage.models import Factory, Visit
from tests.bundle_world import SPECIALIST_PASSPHRASE

from .conftest import BrowserOffice, sign_in

pytestmark = pytest.mark.browser
LIN = "lin.mei@example.org"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IETP_UI_SHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _plan(office: BrowserOffice, ietp_id: str, name: str, day: date) -> str:
    database = open_office_db(office.world.office_dir)
    try:
        with database.session() as session:
            session.add(
                Factory(
                    ietp_id=ietp_id,
                    name_en=name,
                    name_zh="莲花玩具厂",
                    city="Dongguan",
                    region="Guangdong",
                    seal_issued_on=add_months(date.today(), -2),
                )
            )
        return assigning.plan_visit(
            office.world.office_dir, database, ietp_id, LIN, day, actor="cora"
        ).uuid
    finally:
        database.dispose()


def _laptop_status(office: BrowserOffice, uuid: str) -> str:
    laptop = office.world.laptop()
    try:
        with laptop.session() as session:
            return session.scalars(select(Visit.status).where(Visit.uuid == uuid)).one()
    finally:
        laptop.dispose()


def test_a_coordinator_moves_one_plan_and_cancels_another_and_the_laptop_follows(
    page: Page, browser_office: BrowserOffice, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    day = date.today() + timedelta(days=12)
    moving = _plan(browser_office, "IETP-GD-77301", "Lotus Move Toys", day)
    cancelling = _plan(browser_office, "IETP-GD-77302", "Lotus Cancel Toys", day)
    laptop = browser_office.world.laptop()
    try:
        fetch_from_office(laptop, browser_office.url, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        laptop.dispose()
    assert _laptop_status(browser_office, moving) == "planned"

    sign_in(page, browser_office.url, "coordinator")
    page.get_by_role("link", name="Planning").click()
    row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77301")
    row.get_by_role("link", name="Move, re-date or cancel").click()
    expect(page.locator("ol.plan-history")).to_contain_text("Assigned to Lin Mei")
    page.locator("select[name=specialist]").select_option(value="zhao.lei@example.org")
    page.locator("form[action$='/move']").get_by_label("Reason (optional)").fill(
        "Lin is on leave 林梅休假"
    )
    page.get_by_role("button", name="Move the visit").click()
    expect(page.locator(".notice.ok")).to_contain_text("The visit is moved")
    expect(page.locator("ol.plan-history")).to_contain_text(
        f"Moved from Lin Mei to Zhao Lei 赵磊 for {day}"
    )

    page.goto(f"{browser_office.url}/planning")
    row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77302")
    row.get_by_role("link", name="Move, re-date or cancel").click()
    page.get_by_label("Reason", exact=True).fill("Factory closed for renovation 工厂装修停产")
    page.get_by_role("button", name="Cancel the visit").click()
    expect(page.locator(".notice.ok")).to_contain_text("The visit is cancelled")
    expect(page.locator(".notice.bad")).to_contain_text("工厂装修停产")
    page.screenshot(path=str(shots / "plan_page_cancelled.png"), full_page=True)

    page.goto(f"{browser_office.url}/planning")
    moved_row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77301")
    expect(moved_row).to_contain_text("Zhao Lei")
    expect(moved_row).to_contain_text("moved from Lin Mei on")
    cancelled_row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77302")
    expect(cancelled_row).to_contain_text("Not planned")
    expect(cancelled_row).to_contain_text("Factory closed for renovation")
    expect(cancelled_row.get_by_role("link", name="Assign")).to_be_visible()
    cancelled_row.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "board_changes_en.png"))
    page.get_by_role("link", name="中文").click()
    cancelled_row = page.locator("table.list tbody tr").filter(has_text="IETP-GD-77302")
    expect(cancelled_row).to_contain_text("已取消")
    cancelled_row.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "board_changes_zh.png"))
    page.locator("table.list tbody tr").filter(has_text="IETP-GD-77301").get_by_role(
        "link", name="历史"
    ).click()
    expect(page.locator("ol.plan-history")).to_contain_text("移交给 Zhao Lei 赵磊")
    page.screenshot(path=str(shots / "plan_page_zh.png"), full_page=True)

    laptop = browser_office.world.laptop()
    try:
        fetched = fetch_from_office(laptop, browser_office.url, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        laptop.dispose()
    withdrawn = sorted(u for f in fetched for u in f.result.visits_withdrawn)
    assert withdrawn == sorted([moving, cancelling])
    assert _laptop_status(browser_office, moving) == "withdrawn"
    assert _laptop_status(browser_office, cancelling) == "withdrawn"


def test_the_plan_page_fits_a_phone(browser: Browser, browser_office: BrowserOffice) -> None:
    uuid = _plan(browser_office, "IETP-GD-77303", "Lotus Phone Toys", date.today())
    phone = browser.new_context(
        ignore_https_errors=True, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        page = phone.new_page()
        sign_in(page, browser_office.url, "coordinator")
        for lang in ("en", "zh"):
            page.goto(f"{browser_office.url}/lang/{lang}?next=/inbox")
            page.goto(f"{browser_office.url}/planning/plans/{uuid}")
            expect(page.locator("ol.plan-history")).to_contain_text("Lin Mei")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, lang
    finally:
        phone.close()
