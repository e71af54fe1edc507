"""A wage or hours CAP line in a real chromium: the reviewer picks the factory's ZKTeco export
in the line's "Check new records" form and sees the result with its flags, in English and in
Chinese. With IETP_SCREENSHOT_DIR set, the pages are saved there as PNGs (1366×768)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.office import records_files

from .conftest import BrowserOffice, sign_in

pytestmark = pytest.mark.browser


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("IETP_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_new_records_are_checked_on_the_line_page(
    page: Page, browser_office: BrowserOffice, tmp_path: Path
) -> None:
    export = records_files.zkteco_csv(
        tmp_path, records_files.DEC_1, records_files.JAN_31, frozenset({"1001", "1002"})
    )
    url = f"{browser_office.url}/cap/visits/{browser_office.world.visit_uuid}/lines/F03"
    sign_in(page, browser_office.url, "reviewer")
    page.goto(url)
    records = page.locator("#records")
    expect(records).to_contain_text("No new records checked yet.")
    records.locator('input[type="file"]').set_input_files(str(export))
    records.get_by_role("button", name="Check new records").click()
    page.wait_for_url(re.compile(r".*done=checked.*"))
    expect(page.locator("p.notice.ok")).to_have_text(
        "The records are checked; the result is below."
    )
    expect(records).to_contain_text("Breaches persist")
    expect(records).not_to_contain_text("Records cover less than two months after the visit")
    expect(records.locator("tbody tr").first).to_contain_text(
        "At most 60 total hours in any 7 days (programme limit)"
    )
    expect(records).to_contain_text("14 worker-week(s) (Monday–Sunday) above 60 h")
    records.scroll_into_view_if_needed()
    _shot(page, "cap-records-en.png")
    page.goto(
        f"{browser_office.url}/lang/zh?next=/cap/visits/{browser_office.world.visit_uuid}/lines/F03"
    )
    expect(page.locator("#records")).to_contain_text("违规仍在持续")
    _shot(page, "cap-records-zh.png")


def test_a_file_with_rows_left_out_is_confirmed_on_its_preview(
    page: Page, browser_office: BrowserOffice, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    grid = records_files.dingtalk_grid_xlsx(tmp_path, 2026, 12)
    workbook = load_workbook(grid)
    sheet = workbook.active
    assert sheet is not None
    sheet["D3"] = "7.58 12:00"  # 1 of 3 rows cannot be read
    workbook.save(grid)
    url = f"{browser_office.url}/cap/visits/{browser_office.world.visit_uuid}/lines/F01"
    sign_in(page, browser_office.url, "reviewer")
    page.goto(url)
    records = page.locator("#records")
    records.locator('input[type="file"]').set_input_files(str(grid))
    records.get_by_role("button", name="Check new records").click()
    expect(page.get_by_role("heading", name="Confirm what was read")).to_be_visible()
    expect(page.locator("pre.preview")).to_contain_text("Layout: monthly-grid")
    _shot(page, "cap-records-confirm-en.png")
    page.get_by_role("button", name="Confirm and check these records").click()
    page.wait_for_url(re.compile(r".*done=checked.*"))
    expect(page.locator("#records")).to_contain_text(
        "Records cover less than two months after the visit"
    )
    expect(page.locator("#records")).to_contain_text("Could not be read")
    _shot(page, "cap-records-short-en.png")
