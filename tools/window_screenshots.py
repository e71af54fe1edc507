"""Screenshots of the laptop window: every page and the main dialogs, on the demo's data.

    .venv/bin/python tools/window_screenshots.py                  # /tmp/window-shots
    .venv/bin/python tools/window_screenshots.py OUT_DIR [--screen 1366x768] [--lang zh]
    .venv/bin/python tools/window_screenshots.py --readme         # also docs/screenshots/

The demo (`ietp-desktop demo`) is seeded once in a temporary folder; each screen and language
then runs in its own process on a copy of it, with Qt's offscreen platform given that screen
(`QT_QPA_PLATFORM=offscreen:configfile=…`, `QT_SCALE_FACTOR`): the real `MainWindow`, opened
and placed as the program opens it. Written to OUT_DIR/<screen>/<lang>/:

- the visit list and the factories list;
- every workspace page of the visit in progress (checklist sections, meetings, evidence, Q&A,
  findings, outcome & CAP, hours & wages, report, closing & signatures, details), and the
  pages with data of a completed visit with a CAP and of the signed visit;
- the main dialogs (add and edit a factory, plan, confirm the date, refuse, raise and edit a
  finding, the photo viewer, export, send to and fetch from the office, the signing identity,
  the records import preview of a time and a pay file, keyboard shortcuts), drawn over the
  window where they open.

Screens: 1366x768 (the common field laptop), 150pct (1920×1080 at 150 %: 1280×720 logical
pixels), 1024x600 (the smallest supported) and 1366x768-150pct (911×512 logical pixels).
Each shot is taken once the window is idle: no background operation running, no pending
refresh; nothing waits a fixed time.
`index.txt` lists every shot; "LOOK:" marks one with a button or field cut off by the window's
or the screen's edge, a page that scrolls sideways, or (in Chinese) a text still in English.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication, QWidget

    from ietp_desktop.storage.db import Database
    from ietp_desktop.ui.main_window import MainWindow

DEFAULT_OUT = Path("/tmp/window-shots")
README_DIR = ROOT / "docs" / "screenshots"
README_MAX_BYTES = 250_000
FINDING_ITEM = "EH-02"  # the item a finding is raised on (a blocked fire exit)
SETTLE_SECONDS = 120  # a window still busy after this long is a bug worth stopping for


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    scale: str


SCREENS = {
    s.name: s
    for s in (
        Screen("1366x768", 1366, 768, "1"),
        Screen("150pct", 1920, 1080, "1.5"),
        Screen("1024x600", 1024, 600, "1"),
        Screen("1366x768-150pct", 1366, 768, "1.5"),  # 911×512 logical: a small laptop at 150 %
    )
}
LANGUAGES = ("en", "zh")

# README image ← the shot it is made from (1366×768); see `write_readme_images`.
README_SHOTS = {
    "main-window.png": "en/01-visit-list.png",
    "main-window-zh.png": "zh/01-visit-list.png",
    "checklist-section-zh.png": "zh/in-progress/working_hours.png",
    "zero-tolerance.png": "en/in-progress/zero_tolerance.png",
    "hours-and-wages.png": "en/completed-cap/RecordsPage-tab2.png",
    "hours-and-wages-zh.png": "zh/in-progress/RecordsPage-tab2.png",
    "outcome-and-cap.png": "en/completed-cap/OutcomePage.png",
    "outcome-provisional-zh.png": "zh/in-progress/OutcomePage.png",
    "closing-and-signatures.png": "en/signed/ClosingPage.png",
    "import-preview.png": "en/dialogs/import-preview-pay.png",
}


# --- the parent: seed once, one child process per screen and language ---------------------


def seed(folder: Path) -> dict[str, str]:
    """The demo, as `ietp-desktop demo` makes it; returns its visits by label."""
    from ietp_desktop.demo.build import seed_demo

    result = seed_demo(folder)
    return dict(result.visits)


def screen_config(folder: Path, screen: Screen) -> Path:
    config = folder / f"screen-{screen.name}.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": screen.width,
                        "height": screen.height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    return config


def run_child(
    template: Path, work: Path, out: Path, screen: Screen, language: str, visits: dict[str, str]
) -> list[str]:
    data_dir = work / f"data-{screen.name}-{language}"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    shutil.copytree(template, data_dir)
    target = out / screen.name / language
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen_config(work, screen)}",
        "QT_SCALE_FACTOR": screen.scale,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    job = {"data_dir": str(data_dir), "out": str(target), "language": language, "visits": visits}
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(job)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{screen.name} {language} failed:\n{done.stdout}\n{done.stderr}")
    return [line for line in done.stdout.splitlines() if line.strip()]


def write_readme_images(out: Path) -> None:
    from PIL import Image

    README_DIR.mkdir(parents=True, exist_ok=True)
    for name, shot in README_SHOTS.items():
        source = out / "1366x768" / shot
        target = README_DIR / name
        image = Image.open(source).convert("RGB")
        image.save(target, "PNG", optimize=True)
        if target.stat().st_size > README_MAX_BYTES:
            image.quantize(256, method=Image.Quantize.MEDIANCUT).save(target, "PNG", optimize=True)
        print(f"docs/screenshots/{name}  {target.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--screen", choices=sorted(SCREENS), action="append", help="only these")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="only these")
    parser.add_argument("--readme", action="store_true", help="also replace the README images")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))
    screens = [SCREENS[n] for n in args.screen] if args.screen else list(SCREENS.values())
    languages = args.lang or list(LANGUAGES)
    if args.readme and (SCREENS["1366x768"] not in screens or len(languages) < 2):
        parser.error("--readme needs the 1366x768 screen in both languages")
    args.out.mkdir(parents=True, exist_ok=True)
    index: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ietp-window-shots-") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        visits = seed(work / "template")
        print(f"demo seeded in {time.monotonic() - started:.0f} s")
        for screen in screens:
            for language in languages:
                started = time.monotonic()
                lines = run_child(work / "template", work, args.out, screen, language, visits)
                index += [f"{screen.name}/{language}/{line}" for line in lines]
                cut = sum(1 for line in lines if "LOOK:" in line)
                print(
                    f"{screen.name} {language}: {len(lines)} shots, {cut} to look at"
                    f" ({time.monotonic() - started:.0f} s)"
                )
    (args.out / "index.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"written to {args.out} (index.txt lists every shot)")
    if args.readme:
        write_readme_images(args.out)
    return 0


# --- the child: one screen, one language -------------------------------------------------


def settle(app: QApplication) -> None:
    """Process events until the window is idle: no background operation running, no
    single-shot timer pending (debounced refreshes, delayed progress dialogs)."""
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
    from PySide6.QtTest import QTest

    from ietp_desktop.ui.common import operations

    deadline = time.monotonic() + SETTLE_SECONDS
    quiet = 0
    while quiet < 3:
        if time.monotonic() > deadline:
            raise RuntimeError("the window did not become idle")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        app.sendPostedEvents()
        if operations.busy():
            QThreadPool.globalInstance().waitForDone(50)
            quiet = 0
            continue
        timers = [
            t
            for w in app.topLevelWidgets()
            for t in w.findChildren(QTimer)
            if t.isActive() and t.isSingleShot()
        ]
        if timers:
            QTest.qWait(max(1, min(t.remainingTime() for t in timers)) + 1)
            quiet = 0
            continue
        quiet += 1


def _outside(window: QWidget, widget: QWidget) -> bool:
    """A visible button or field that the window's edge cuts (inside no scroll area)."""
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return False
        parent = parent.parentWidget()
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return not (window.rect().contains(top_left) and window.rect().contains(bottom_right))


def cut_off(top: QWidget) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    found: list[str] = []
    for kind in (QAbstractButton, QLineEdit, QComboBox):
        for widget in top.findChildren(kind):
            if widget.isVisible() and widget.window() is top and _outside(top, widget):
                text = widget.text() if hasattr(widget, "text") else ""
                found.append(widget.objectName() or text or type(widget).__name__)
    return found


def scrolls_sideways(top: QWidget) -> list[str]:
    """A page (a scroll area, not a table) wider than its window: the user scrolls sideways."""
    from PySide6.QtWidgets import QScrollArea

    return [
        f"scrolls sideways: {area.objectName() or type(area.widget()).__name__}"
        for area in top.findChildren(QScrollArea)
        if area.isVisible() and area.window() is top and area.horizontalScrollBar().isVisible()
    ]


QT_ENGLISH = {"OK", "&OK", "Cancel", "&Cancel", "Save", "&Save", "Close", "&Close", "&Yes", "&No"}


def english_left(top: QWidget) -> list[str]:
    """Visible texts of a Chinese window still in English: a catalogue text shown untranslated,
    or one of Qt's own button labels."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget

    from ietp_desktop.i18n import catalogue, current_language

    if current_language() != "zh":
        return []
    zh = catalogue("zh")
    english = {msgid for msgid, text in zh.items() if text != msgid} | QT_ENGLISH
    texts: list[str] = []
    for label in top.findChildren(QLabel):
        if label.isVisible() and label.window() is top:
            texts.append(label.text())
    for button in top.findChildren(QAbstractButton):
        if button.isVisible() and button.window() is top:
            texts.append(button.text())
    for box in top.findChildren(QGroupBox):
        if box.isVisible() and box.window() is top:
            texts.append(box.title())
    for tabs in top.findChildren(QTabWidget):
        if tabs.isVisible() and tabs.window() is top:
            texts += [tabs.tabText(i) for i in range(tabs.count())]
    return sorted({t for t in texts if t.strip() in english})


class Camera:
    """Draws the screen as the user sees it: the window, and a dialog over it."""

    def __init__(self, app: QApplication, window: MainWindow, out: Path) -> None:
        self.app, self.window, self.out = app, window, out

    def screen_image(self, *tops: QWidget) -> QImage:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QColor, QImage, QPainter, QPen

        screen = self.window.screen()
        ratio = screen.devicePixelRatio()
        area = screen.geometry()
        image = QImage(
            int(area.width() * ratio), int(area.height() * ratio), QImage.Format.Format_RGB32
        )
        image.setDevicePixelRatio(ratio)
        image.fill(QColor("#404040"))
        painter = QPainter(image)
        for top in (self.window, *tops):
            where = top.geometry()
            painter.drawPixmap(where.topLeft(), top.grab())
            if top is not self.window:
                painter.setPen(QPen(QColor("#202020"), 1, Qt.PenStyle.SolidLine))
                painter.drawRect(where.adjusted(-1, -1, 0, 0))
        painter.end()
        return image

    def shoot(self, name: str, *tops: QWidget) -> None:
        settle(self.app)
        path = self.out / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.screen_image(*tops).save(str(path))
        problems = cut_off(self.window) + scrolls_sideways(self.window)
        problems += [f"English: {t!r}" for t in english_left(self.window)]
        for top in tops:
            problems += [f"dialog: {p}" for p in cut_off(top)]
            problems += [f"dialog English: {t!r}" for t in english_left(top)]
            if not self.window.screen().availableGeometry().contains(top.frameGeometry()):
                problems.append("dialog: outside the screen")
        line = f"{name}.png"
        if problems:
            line += "  LOOK: " + ", ".join(sorted(set(problems)))
        print(line, flush=True)

    def dialog(self, name: str, opener: Callable[[], Any]) -> None:
        """Open a dialog as the window does, photograph it over the window, close it."""
        from PySide6.QtWidgets import QApplication, QDialog

        before = set(QApplication.topLevelWidgets())
        opener()
        settle(self.app)
        opened = [
            w
            for w in QApplication.topLevelWidgets()
            if w not in before and w.isVisible() and isinstance(w, QDialog)
        ]
        if not opened:
            raise RuntimeError(f"{name}: no dialog opened")
        self.shoot(f"dialogs/{name}", *opened)
        for widget in opened:
            widget.hide()
            widget.deleteLater()
        settle(self.app)


def child(job: dict[str, Any]) -> int:
    from ietp_desktop.services import settings
    from ietp_desktop.services.workspace import open_workspace
    from ietp_desktop.ui.app import ensure_app, install_cjk_fallback, restore_language
    from ietp_desktop.ui.common.geometry import show_placed
    from ietp_desktop.ui.main_window import MainWindow

    app = ensure_app()
    install_cjk_fallback(app)
    db = open_workspace(Path(job["data_dir"]))
    settings.write(db, (settings.LANGUAGE, job["language"]))
    restore_language(db)  # as the program starts: ours and Qt's own texts
    window = MainWindow(db, restore=False)
    show_placed(window, db)
    camera = Camera(app, window, Path(job["out"]))
    visits: dict[str, str] = job["visits"]
    try:
        home(camera, window, visits)
        home_dialogs(camera, window, db, visits)
        in_progress(camera, window, db, visits["in-progress"])
        finished(camera, window, visits["completed-cap"], "completed-cap")
        finished(camera, window, visits["signed"], "signed")
    finally:
        window.close()
        db.dispose()
    return 0


def home(camera: Camera, window: MainWindow, visits: dict[str, str]) -> None:
    window.show_list()
    window.tabs.setCurrentIndex(0)
    window.select_visit(visits["in-progress"])
    camera.shoot("01-visit-list")
    window.tabs.setCurrentIndex(1)
    window.factory_table.selectRow(0)
    camera.shoot("02-factories")
    window.tabs.setCurrentIndex(0)


def home_dialogs(camera: Camera, window: MainWindow, db: Database, visits: dict[str, str]) -> None:
    from ietp_desktop.ui.reporting.identity_dialog import IdentityDialog

    camera.dialog("add-factory", window.add_factory)
    window.factory_table.selectRow(0)
    camera.dialog("edit-factory", window.edit_selected_factory)
    window.factory_table.selectRow(0)
    camera.dialog("plan-visit", window.plan_for_selected)
    window.tabs.setCurrentIndex(0)
    window.select_visit(visits["planned"])
    camera.dialog("confirm-date", window.confirm_selected)
    window.select_visit(visits["confirmed"])
    camera.dialog("refuse-visit", window.refuse_selected)
    camera.dialog("export-for-office", window.export_for_office)
    camera.dialog("send-to-office", window.send_to_office)
    camera.dialog("fetch-from-office", window.fetch_from_office)
    camera.dialog("keyboard-shortcuts", window.show_shortcuts)
    assert db.data_dir is not None
    camera.dialog("signing-identity", lambda: IdentityDialog(db.data_dir, window).open())  # type: ignore[arg-type]


def _page_name(workspace: Any, index: int) -> str:
    from ietp_desktop.ui.checklist.section_page import SectionPage

    page = workspace.stack.widget(index)
    return page.section.id if isinstance(page, SectionPage) else type(page).__name__


def shoot_page(camera: Camera, workspace: Any, index: int, name: str) -> None:
    """The page, and each tab of a page with tabs (hours & wages: sample, results, proposals)."""
    from PySide6.QtWidgets import QTabWidget

    workspace.go_to_page(index)
    camera.shoot(name)
    page = workspace.stack.widget(index)
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        current = tabs.currentIndex()
        for tab in range(tabs.count()):
            if tab != current:
                tabs.setCurrentIndex(tab)
                camera.shoot(f"{name}-tab{tab + 1}")
        tabs.setCurrentIndex(current)


def _open(window: MainWindow, uuid: str) -> Any:
    window.show_list()
    workspace = window.open_visit(uuid)
    if workspace is None:
        raise RuntimeError(f"visit {uuid} did not open: {window.error_label.text()}")
    return workspace


def in_progress(camera: Camera, window: MainWindow, db: Database, uuid: str) -> None:
    """Every page of the visit being worked on, then its dialogs."""
    workspace = _open(window, uuid)
    for index in range(workspace.stack.count()):
        shoot_page(camera, workspace, index, f"in-progress/{_page_name(workspace, index)}")
    item = FINDING_ITEM
    if not workspace.go_to_item(item):  # a later form without it: the first item on screen
        workspace.go_to_page(0)
        item = workspace.section_pages[0].visible_rows()[0].item.id
    camera.dialog("raise-finding", partial(workspace.raise_finding, item))
    assert db.data_dir is not None
    for kind, path in demo_exports(db.data_dir / "factory-exports", db, uuid).items():
        camera.dialog(f"import-preview-{kind}", partial(preview, workspace, kind, path))


def finished(camera: Camera, window: MainWindow, uuid: str, label: str) -> None:
    """The pages that hold data on a completed or signed visit (read-only)."""
    from ietp_desktop.ui.checklist.section_page import SectionPage
    from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer

    workspace = _open(window, uuid)
    for index in range(workspace.stack.count()):
        if isinstance(workspace.stack.widget(index), SectionPage) and index != 0:
            continue
        shoot_page(camera, workspace, index, f"{label}/{_page_name(workspace, index)}")
    findings = workspace.findings_page
    if findings.rows:
        workspace.go_to_page(workspace.stack.indexOf(findings))
        camera.dialog(
            f"edit-finding-{label}", lambda: findings.open_dialog(findings.rows[0]).open()
        )
    photos = workspace.evidence_page.photos
    if photos:
        workspace.go_to_page(workspace.stack.indexOf(workspace.evidence_page))
        camera.dialog(
            f"photo-viewer-{label}",
            lambda: PhotoViewer(photos, 0, workspace.evidence_page).open(),
        )


def demo_exports(folder: Path, db: Database, uuid: str) -> dict[str, Path]:
    """The factory's attendance and payroll exports the demo imports, as files."""
    from ietp_desktop.demo.records import _months_before, write_pay_csv, write_time_csv
    from ietp_desktop.services.hours import records
    from ietp_desktop.services.visits.read import load_detail
    from ietp_desktop.services.visits.refs import resolve_visit

    folder.mkdir(parents=True, exist_ok=True)
    detail = load_detail(db, uuid)
    day = detail.summary.visit_start or detail.summary.planned_date or date.today()
    with db.session() as session:
        rules = records.visit_rules(session, resolve_visit(session, uuid))
    months = _months_before(day, 3)
    time_file, pay_file = folder / "考勤记录.csv", folder / "工资表.csv"
    write_time_csv(time_file, months[0], months[-1], rules)
    write_pay_csv(pay_file, months)
    return {"time": time_file, "pay": pay_file}


def preview(workspace: Any, kind: str, path: Path) -> None:
    """What the records page does once a file is chosen (the file dialog is the OS's)."""
    workspace.go_to_page(workspace.stack.indexOf(workspace.records_page))
    workspace.records_page.start_import(path, kind)


if __name__ == "__main__":
    sys.exit(main())
