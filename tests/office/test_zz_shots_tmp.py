from pathlib import Path

from playwright.sync_api import sync_playwright

from ietp_desktop.office.cap_followup.factory_returns import import_cap
from ietp_desktop.office.review import decisions

from .conftest import PASSWORDS, start_server
from .review_world import office_db, receive
from .test_cap_followup import PDF, cap_codes, factory_workbook, jpeg


def test_shots(office, tmp_path: Path) -> None:
    world = receive(office, tmp_path)
    db = office_db(world)
    uuid = world.visit_uuid
    codes = cap_codes(db, uuid)
    import_cap(db, world.office_dir, uuid, factory_workbook(world, tmp_path),
               [(codes[0], "payroll.pdf", PDF), (codes[0], "old.jpg", jpeg("2020:01:01 10:00:00")),
                (codes[1], "same.jpg", jpeg("2020:01:01 10:00:00"))], actor="rex", role="reviewer")
    decisions.start_review(db, uuid, actor="rex", role="reviewer")
    db.dispose()
    server = start_server(world.office_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
            page.goto(server.url + "/signin")
            page.fill("input[name=username]", "rex")
            page.fill("input[name=password]", PASSWORDS["reviewer"])
            page.click("button[type=submit], form button")
            page.wait_for_url("**/inbox")
            page.screenshot(path="/tmp/shot_inbox.png", full_page=True)
            page.goto(server.url + f"/visits/{uuid}")
            page.screenshot(path="/tmp/shot_visit.png")
            page.goto(server.url + "/cap")
            page.screenshot(path="/tmp/shot_cap.png", full_page=True)
            import sqlite3
            page.goto(server.url + f"/cap/visits/{uuid}/import?report=1")
            page.screenshot(path="/tmp/shot_import.png", full_page=True)
            page.goto(server.url + f"/cap/visits/{uuid}/lines/{codes[0]}")
            page.screenshot(path="/tmp/shot_line.png", full_page=True)
            page.goto(server.url + "/lang/zh?next=/cap")
            page.screenshot(path="/tmp/shot_cap_zh.png", full_page=True)
            browser.close()
    finally:
        server.stop()
