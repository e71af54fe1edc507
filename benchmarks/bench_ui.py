"""UI benchmark: section switching on a 300-item form, and keystroke -> committed autosave,
with many visits in the database; each figure against a bare one-row SQLite commit measured
in the same run (a ratio, not a timed assertion).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui.py [--visits 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import Row, ms, row_line
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.workspace.visit_workspace import VisitWorkspace

FORM_ID = "bench-300"


def synthetic_form(items: int = 300, per_section: int = 30) -> str:
    sections = []
    for s in range(items // per_section):
        section_items = []
        for i in range(per_section):
            n = s * per_section + i
            item: dict[str, object] = {
                "id": f"B-{n:03d}",
                "ietp_ref": "1.1",
                "type": "number" if n % 3 == 0 else "yes_no_na",
                "question": {"en": f"Benchmark question {n}", "zh": f"基准问题 {n}"},
                "required": True,
            }
            if n % 3 == 0:
                item.update(unit="h", min=0, max=1000)
            section_items.append(item)
        sections.append(
            {
                "id": f"s{s}",
                "kind": "checklist",
                "title": {"en": f"Section {s}", "zh": f"部分 {s}"},
                "items": section_items,
            }
        )
    return json.dumps(
        {
            "form_id": FORM_ID,
            "version": "1",
            "title": {"en": "Benchmark form", "zh": "基准表单"},
            "sections": sections,
        }
    )


def seed(db: Database, visit_count: int) -> str:
    with db.session() as session:
        definitions.install_form_text(session, synthetic_form(), "bench-300.json")
    seal = date.today() - timedelta(days=90)
    for f in range(20):
        factories.add_factory(
            db,
            factories.FactoryInput(
                ietp_id=f"IETP-B-{f:04d}",
                name_en=f"Bench factory {f}",
                city="Dongguan",
                seal_issued_on=seal,
            ),
        )
    uuid = ""
    for v in range(visit_count):
        planned = lifecycle.plan_visit(db, f"IETP-B-{v % 20:04d}", date.today(), form_id=FORM_ID)
        uuid = planned.uuid
    lifecycle.confirm_visit(db, uuid, date.today(), date.today())
    lifecycle.start_visit(db, uuid)
    return uuid


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bare_connection(folder: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(folder / "bare.sqlite3")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT)")
    return connection


def bare_commit(connection: sqlite3.Connection, n: int) -> float:
    """One floor sample. Taken right beside each measured action: this disk's fsync time
    drifts over minutes, so a floor measured at another moment is no floor."""
    start = time.perf_counter()
    connection.execute("INSERT OR REPLACE INTO t VALUES (1, ?)", (str(n),))
    connection.commit()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_workspace(folder / "data")
        uuid = seed(db, args.visits)
        workspace = VisitWorkspace(WorkspaceContext(db, uuid, VisitEvents()))
        workspace.resize(1200, 800)
        workspace.show()
        app.processEvents()

        bare = bare_connection(folder)
        floor: list[float] = []
        first_build, switches = [], []
        for index in range(len(workspace.section_pages)):
            floor.append(bare_commit(bare, index))
            start = time.perf_counter()
            workspace.go_to_page(index)
            app.processEvents()
            first_build.append(time.perf_counter() - start)
        for n in range(args.rounds):
            floor.append(bare_commit(bare, n))
            start = time.perf_counter()
            workspace.go_to_page(n % len(workspace.section_pages))
            app.processEvents()
            switches.append(time.perf_counter() - start)

        workspace.go_to_page(0)
        row = workspace.section_pages[0].rows["B-000"]
        edit = row.editor.edit  # type: ignore[attr-defined]
        autosave = []
        for n in range(args.rounds):
            floor.append(bare_commit(bare, n))
            edit.setFocus()
            edit.selectAll()
            start = time.perf_counter()
            QTest.keyClicks(edit, str(n % 900 + 1))
            QTest.keyClick(edit, Qt.Key.Key_Return)  # commits now, as focus-out would
            autosave.append(time.perf_counter() - start)
            assert workspace.values["B-000"] == float(n % 900 + 1)
        bare.close()
        db.dispose()

    floor_median = statistics.median(floor)
    rows = [
        ("section switch, first build (30 items)", first_build),
        ("section switch, built", switches),
        ("keystroke -> committed autosave", autosave),
        ("bare SQLite commit of one row (floor)", floor),
    ]
    print(f"{args.visits} visits in the database, 300-item form, {args.rounds} rounds")
    print(f"{'figure':42} {'median ms':>10} {'p95 ms':>9} {'ratio to floor':>15}")
    for name, values in rows:
        median = statistics.median(values)
        print(
            f"{name:42} {median * 1000:10.2f} {percentile(values, 0.95) * 1000:9.2f} "
            f"{median / floor_median:15.1f}"
        )
    floor_p95 = percentile(floor, 0.95)
    keystroke_p95 = percentile(autosave, 0.95)
    for line in (
        Row(
            "UI: section switch, built",
            f"{ms(statistics.median(switches))} (p95 {ms(percentile(switches, 0.95))})",
            f"bare commit {ms(floor_median)}",
            statistics.median(switches) / floor_median,
        ),
        Row(
            "UI: keystroke -> committed autosave, p95",
            ms(keystroke_p95),
            f"bare commit p95 {ms(floor_p95)}",
            keystroke_p95 / floor_p95,
            "<= 3x",
            keystroke_p95 <= 3 * floor_p95,
        ),
    ):
        print(row_line(line))


if __name__ == "__main__":
    main()
