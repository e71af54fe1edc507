"""Import and check a year of punches for 300 workers (about 220,000 rows) through the
services: preview, commit (one transaction, bulk insert) and analyse from the database.

Prints each step's time, the total's ratio to merely reading the same file with the csv
module in the same run (target: within 5x that floor and under 10 s) and the split. Each
figure is the best of --repeat runs (default 3), each into a fresh workspace.
Run: .venv/bin/python benchmarks/bench_records_import.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_records import WORKERS, csv_floor, make_file, report
from ietp_desktop.services.hours import records, workers
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database


def workspace(folder: Path) -> tuple[Database, str]:
    db = open_workspace(folder, actor="bench")
    factory = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-BENCH",
            name_en="Bench Toys",
            region="CN-GD-Guangzhou",
            headcount=90000,
        ),
    )
    visit = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 12))
    lifecycle.confirm_visit(db, visit.uuid, date(2026, 10, 12), date(2026, 9, 28))
    lifecycle.start_visit(db, visit.uuid, date(2026, 10, 12))
    for w in range(WORKERS):
        workers.add_worker(
            db,
            visit.uuid,
            workers.WorkerInput(
                employee_no=f"{10000 + w}",
                base_rate=Decimal(2600),
            ),
        )
    return db, visit.uuid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floors: list[float] = []
    best: dict[str, float] = {}
    detail: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "punches.csv"
        rows = make_file(path)
        for run in range(max(1, args.repeat)):
            db, uuid = workspace(Path(tmp) / f"data{run}")
            floor, _ = csv_floor(path)
            floors.append(floor)
            t0 = time.perf_counter()
            preview = records.preview_import(db, uuid, path, "time")
            t1 = time.perf_counter()
            result = records.commit_import(db, uuid, preview)
            t2 = time.perf_counter()
            analysis = records.analyse_visit(db, uuid)
            t3 = time.perf_counter()
            db.dispose()
            for step, seconds in (
                ("preview", t1 - t0),
                ("commit", t2 - t1),
                ("analyse (db)", t3 - t2),
            ):
                best[step] = min(best.get(step, seconds), seconds)
            detail = {
                "preview": f"({preview.record_count:,} punches, {len(preview.problems)} problems)",
                "commit": f"({result.stored:,} rows stored)",
                "analyse (db)": f"({analysis.summary.breaches:,} breaches)",
            }
            del preview, analysis
    report("records import via services", rows, min(floors), best, detail)


if __name__ == "__main__":
    main()
