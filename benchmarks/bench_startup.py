"""Start-up to the main window shown, against a bare QApplication + QMainWindow shown.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--quick]

Each figure is a fresh process (QT_QPA_PLATFORM=offscreen) timed from spawn to the first
event-loop turn after the window is shown, as a user would wait for it. The program's run
does what `ietp_desktop.ui.app.run_gui` does (CJK font, open the workspace with 10 demo-like
visits, language, MainWindow); the floor does only QApplication + QMainWindow. Target: 2x.
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
else:
    from pathlib import Path
    from ietp_desktop.ui.app import ensure_app, install_cjk_fallback, restore_language
    from ietp_desktop.services.app import open_workspace
    from ietp_desktop.ui.main_window import MainWindow
    app = ensure_app()
    install_cjk_fallback(app)
    db = open_workspace(Path(data_dir))
    restore_language(db)
    window = MainWindow(db)
window.show()
def shown():
    print("SHOWN", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def time_child(mode: str, data_dir: Path) -> float:
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
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = process.communicate(timeout=60)
    if line.strip() != "SHOWN":
        raise RuntimeError(f"the {mode} start-up child failed:\n{err[-2000:]}")
    return elapsed


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
            bare.append(time_child("bare", data_dir))
            app.append(time_child("app", data_dir))
    return [
        Row(
            "start-up to main window shown",
            ms(median(app)),
            f"bare QApplication+QMainWindow {ms(median(bare))}",
            median(app) / median(bare),
            "<= 2x",
            median(app) <= 2 * median(bare),
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
