"""Start-up to the main window shown, against a bare QApplication + QMainWindow shown.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--quick]

Each figure is a fresh process (QT_QPA_PLATFORM=offscreen) timed from spawn, as a user
would wait. The program's run does what `ietp_desktop.ui.app.run_gui` does: the opening
window is shown first (that is "window shown", the target: 2x the floor), then the workspace
with 10 demo-like visits is opened and the MainWindow with the visit list takes its place
("visit list ready", reported for information). The floor does only QApplication +
QMainWindow shown.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO_ROOT, Row, median, ms, print_table

CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
mode, data_dir = sys.argv[1], sys.argv[2]
if mode == "bare":
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    app.processEvents()
    print("SHOWN", flush=True)
else:
    from pathlib import Path
    from ietp_desktop.ui.app import ensure_app, install_cjk_fallback, opening_window
    app = ensure_app()
    install_cjk_fallback(app)
    opening = opening_window()
    opening.show()
    app.processEvents()
    print("SHOWN", flush=True)
    from ietp_desktop.ui.app import restore_language
    from ietp_desktop.services.workspace import open_workspace
    from ietp_desktop.ui.main_window import MainWindow
    db = open_workspace(Path(data_dir))
    restore_language(db)
    window = MainWindow(db)
    window.show()
    opening.close()
def ready():
    print("READY", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def time_child(mode: str, data_dir: Path) -> tuple[float, float]:
    """Seconds from spawn to the first window shown, and to the event loop running."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert process.stdout is not None
    shown_line = process.stdout.readline()
    shown = time.perf_counter() - start
    ready_line = process.stdout.readline()
    ready = time.perf_counter() - start
    _, err = process.communicate(timeout=60)
    if (shown_line.strip(), ready_line.strip()) != ("SHOWN", "READY"):
        raise RuntimeError(f"the {mode} start-up child failed:\n{err[-2000:]}")
    return shown, ready


def prepare(data_dir: Path) -> None:
    from bench_visit_list import populate_visits

    populate_visits(data_dir, 10, answers_per_visit=20)


def rows(quick: bool = False, runs: int = 5) -> list[Row]:
    runs = 3 if quick else runs
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        data_dir = Path(folder) / "data"
        prepare(data_dir)
        time_child("app", data_dir)  # warm the file cache for both
        time_child("bare", data_dir)
        app, bare = [], []
        for _ in range(runs):
            bare.append(time_child("bare", data_dir)[0])
            app.append(time_child("app", data_dir))
    floor = median(bare)
    shown = median([a[0] for a in app])
    ready = median([a[1] for a in app])
    return [
        Row(
            "start-up to window shown",
            ms(shown),
            f"bare QApplication+QMainWindow {ms(floor)}",
            shown / floor,
            "<= 2x",
            shown <= 2 * floor,
        ),
        Row(
            "start-up to visit list ready",
            ms(ready),
            f"bare QApplication+QMainWindow {ms(floor)}",
            ready / floor,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(rows(args.quick, args.runs))


if __name__ == "__main__":
    main()
