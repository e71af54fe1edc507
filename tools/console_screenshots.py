"""Screenshots of the office console, taken in a real browser from a freshly seeded office.

    .venv/bin/python tools/console_screenshots.py                  # README images
    .venv/bin/python tools/console_screenshots.py --review /tmp/shots  # every page, EN and 中文,
                                                                   # laptop and phone width

The office is the demo's (`ietp-desktop demo`) with every demo visit signed, exported and
imported, office users of each role, one more specialist and a revoked one; it is served by
`office serve --http` on 127.0.0.1 and photographed with Debian's chromium driven by
Playwright ($IETP_CHROMIUM or `chromium` on PATH). Everything is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ietp_desktop.storage.db import Database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

README_DIR = ROOT / "docs" / "screenshots"
README_MAX_BYTES = 200_000
TODAY = date(2026, 11, 20)  # the seeded visits' dates do not move with the day of the run
ADMIN, ADMIN_PASSWORD = "ada", "admin passphrase 2026"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Seeded:
    office_dir: Path
    visit: str  # the visit with findings, CAP lines and workers


def seed_office(root: Path) -> Seeded:
    from ietp_desktop.demo.identity import DEMO_PASSPHRASE, OFFICE_DIR, seed_demo_identity
    from ietp_desktop.demo.office import seed_demo_office
    from ietp_desktop.demo.seed import seed_demo_visits
    from ietp_desktop.office.accounts import specialists, users
    from ietp_desktop.office.folder import open_office_db
    from ietp_desktop.office.intake import import_bundles
    from ietp_desktop.services.reporting import reports
    from ietp_desktop.services.sync import bundles
    from ietp_desktop.services.visits.read import load_detail
    from ietp_desktop.services.workspace import open_workspace

    data_dir = root / "laptop"
    result = seed_demo_visits(data_dir, TODAY)
    seed_demo_identity(result, TODAY)
    seed_demo_office(result, TODAY)
    office_dir = data_dir / OFFICE_DIR
    db = open_workspace(data_dir, actor="demo")
    try:
        signer = reports.unlock_signer(db, DEMO_PASSPHRASE)
        signing = bundles.require_identity(bundles.identity_dir_of(db)).unlock(DEMO_PASSPHRASE)
        more = [result.visits["completed-cap"], result.visits["completed-clean"]]
        for uuid in more:
            revision = load_detail(db, uuid).summary.revision
            reports.build_report(
                db, uuid, reports.stored_report_path(db, uuid, revision), "both", signer
            )
        out = root / "more.ietpbundle"
        exported = bundles.export_visits(db, [*more, result.visits["signed"]], out, signer=signing)
        [outcome] = import_bundles(office_dir, [exported.path])
        assert outcome.status == "imported", outcome.message
    finally:
        db.dispose()
    database = open_office_db(office_dir)
    try:
        verify_reports(office_dir, database)
        people = [
            (ADMIN, ADMIN_PASSWORD, "administrator"),
            ("cora", "coordinator passphrase 2026", "coordinator"),
            ("rex", "reviewer passphrase 2026", "reviewer"),
            ("rory", "read only passphrase 2026", "read-only"),
        ]
        for name, password, role in people:
            users.add_user(database, name, password, role, actor="demo")
        for name, email in (("Zhang Wei 张伟", "zhang.wei@example.org"),
                            ("Zhao Lei 赵磊", "zhao.lei@example.org")):  # fmt: skip
            enrolled = specialists.enrol(
                office_dir,
                database,
                name,
                email,
                specialist_passphrase=f"a passphrase for {email}",
                office_passphrase=None,
                actor=ADMIN,
            )
        specialists.revoke(
            office_dir, database, enrolled.fingerprint, "laptop stolen in Dongguan", actor=ADMIN
        )
    finally:
        database.dispose()
    return Seeded(office_dir, result.visits["completed-cap"])


def verify_reports(office_dir: Path, database: Database) -> None:
    """What an upload over the network does after the import (`office import` leaves it to the
    first look at the visit): check each signed report, so the inbox shows its verdict."""
    from sqlalchemy import select

    from ietp_desktop.office.console.report_check import check
    from ietp_desktop.storage.models import Visit

    with database.session() as session:
        for visit_id, uuid, revision in session.execute(
            select(Visit.id, Visit.uuid, Visit.revision).where(Visit.received_at.is_not(None))
        ).all():
            check(session, office_dir, visit_id, uuid, revision)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(office_dir: Path) -> Iterator[str]:
    port = _free_port()
    log = office_dir / "screenshots-server.log"
    command = [
        sys.executable, "-m", "ietp_desktop", "office", "serve", "--office-dir", str(office_dir),
        "--host", "127.0.0.1", "--port", str(port), "--http",
    ]  # fmt: skip
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while "Application startup complete" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the office server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)


def chromium() -> str:
    found = os.environ.get("IETP_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise SystemExit("no chromium: apt-get install chromium (or set IETP_CHROMIUM)")
    return found


def small_png(png: bytes, limit: int = README_MAX_BYTES) -> bytes:
    """The PNG as it is, or reduced to a 256-colour palette when it is over `limit` bytes."""
    if len(png) <= limit:
        return png
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def pages(visit: str) -> dict[str, str]:
    return {
        "inbox": "/inbox",
        "visit": f"/visits/{visit}",
        "specialists": "/specialists",
        "users": "/users",
        "audit": "/audit",
        "password": "/account/password",
        "error": "/visits/00000000-0000-4000-8000-000000000000",
    }


def photograph(url: str, visit: str, review: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium())
        sizes = {"laptop": LAPTOP, "phone": PHONE} if review else {"laptop": LAPTOP}
        for size_name, viewport in sizes.items():
            for lang in ("en", "zh") if review else ("en",):
                context = browser.new_context(
                    viewport=viewport,  # type: ignore[arg-type]
                    is_mobile=size_name == "phone",
                    has_touch=size_name == "phone",
                )
                page = context.new_page()
                page.goto(f"{url}/lang/{lang}?next=/signin")
                if review:
                    page.screenshot(path=review / f"signin-{size_name}-{lang}.png", full_page=True)
                page.fill("input[name=username]", ADMIN)
                page.fill("input[name=password]", ADMIN_PASSWORD)
                page.click("main button.primary")
                page.wait_for_url(f"{url}/inbox")
                for name, path in pages(visit).items():
                    page.goto(f"{url}{path}")
                    if review:
                        shot = review / f"{name}-{size_name}-{lang}.png"
                        page.screenshot(path=shot, full_page=True)
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        if wide > viewport["width"]:
                            print(f"{shot.name}: {wide} px wide, wider than the screen")
                    elif name in ("inbox", "visit", "specialists"):
                        if name == "specialists":  # show the revocation's confirmation step
                            row = page.locator("tr").filter(has_text="Zhang Wei")
                            row.locator("summary").click()
                            row.locator("input[name=reason]").fill("left the office")
                        png = small_png(page.screenshot())
                        (README_DIR / f"console-{name}.png").write_bytes(png)
                        print(f"docs/screenshots/console-{name}.png  {len(png) // 1024} KB")
                context.close()
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, help="write every page here instead")
    args = parser.parse_args()
    if args.review:
        args.review.mkdir(parents=True, exist_ok=True)
    else:
        README_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ietp-console-shots-") as tmp:
        seeded = seed_office(Path(tmp))
        with serving(seeded.office_dir) as url:
            photograph(url, seeded.visit, args.review)
    return 0


if __name__ == "__main__":
    sys.exit(main())
