"""Photos in the window: opening a 300-item visit with 40 photos until the first section is
drawn, and the photo viewer's next-image time, each against a floor measured in the same run.

Floors: for opening, reading the visit from the database (`load_detail`), which any window
must do; for the viewer, decoding and scaling the same photo with QPixmap, which any viewer
must do.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_photos.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_ui import seed
from common import Row, ms, p95, row_line
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer
from ietp_desktop.ui.workspace.visit_workspace import VisitWorkspace

PHOTOS = 40


def camera_photo(path: Path, seed_value: int) -> None:
    """A 12 MP photo with detail, so JPEG decoding costs what a real one does."""
    rng = random.Random(seed_value)
    small = Image.new("RGB", (400, 300))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))] * 120000)
    for _ in range(400):
        x, y = rng.randrange(400), rng.randrange(300)
        small.paste((rng.randrange(256), 90, 40), (x, y, min(400, x + 40), min(300, y + 30)))
    small.resize((4000, 3000)).save(path, "JPEG", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds = 5 if args.quick else 15
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_workspace(folder / "data")
        uuid = seed(db, 1)
        for n in range(PHOTOS):
            path = folder / f"IMG_{n:04d}.jpg"
            camera_photo(path, n)
            attachments.add_photo(db, uuid, path, item_ids=(f"B-{(n * 7) % 300:03d}",))

        opening, reading = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            load_detail(db, uuid)
            reading.append(time.perf_counter() - start)
            start = time.perf_counter()
            workspace = VisitWorkspace(WorkspaceContext(db, uuid, VisitEvents()))
            workspace.resize(1366, 768)
            workspace.show()
            workspace.refresh()
            workspace.go_to_page(0)
            app.processEvents()
            workspace.section_pages[0].grab()  # drawn, not only built
            opening.append(time.perf_counter() - start)
            workspace.close()
            workspace.deleteLater()
            app.processEvents()

        photos = load_detail(db, uuid).attachments
        viewer = PhotoViewer(photos, 0)
        viewer.resize(1000, 680)
        viewer.show()
        app.processEvents()
        turning, decoding = [], []
        for n in range(1, len(photos)):
            start = time.perf_counter()
            QPixmap(photos[n].path).scaled(
                960,
                600,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            decoding.append(time.perf_counter() - start)
            start = time.perf_counter()
            viewer.step(1)
            app.processEvents()
            turning.append(time.perf_counter() - start)
        viewer.close()
        db.dispose()

    open_median, read_median = statistics.median(opening), statistics.median(reading)
    turn_p95, decode_p95 = p95(turning), p95(decoding)
    for line in (
        Row(
            f"UI: open a 300-item visit with {PHOTOS} photos, first section drawn",
            ms(open_median),
            f"load_detail {ms(read_median)}",
            open_median / read_median,
            "< 1 s",
            open_median < 1.0,
        ),
        Row(
            "UI: photo viewer, next image (p95)",
            ms(turn_p95),
            f"QPixmap decode + scale p95 {ms(decode_p95)}",
            turn_p95 / decode_p95,
            "<= 2x",
            turn_p95 <= 2 * decode_p95,
        ),
    ):
        print(row_line(line))


if __name__ == "__main__":
    main()
