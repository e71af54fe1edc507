"""Import and check a year of punches for 300 workers (about 220,000 rows) through the
services: preview, commit (one transaction, bulk insert) and analyse from the database.

Prints each step's time and the total's ratio to merely reading the same file with the csv
module in the same run (target: within 5x that floor and under 10 s).
Run: .venv/bin/python benchmarks/bench_records_import.py
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ietp_desktop.services import factories, records, visits, workers
from ietp_desktop.services.app import open_workspace

WORKERS = 300
DAYS = 366
FIRST = date(2025, 11, 1)


def make_file(path: Path) -> int:
    rng = random.Random(4)
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["工号", "姓名", "日期", "上班", "下班"])
        for w in range(WORKERS):
            code = f"{10000 + w}"
            for d in range(DAYS):
                day = (FIRST + timedelta(days=d)).isoformat()
                late = rng.choice(["17:30", "18:00", "20:00", "21:30"])
                out.writerow([code, "", day, "08:00", "12:00"])
                out.writerow([code, "", day, "13:00", late])
                rows += 2
    return rows


def csv_floor(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        count = sum(1 for _ in csv.reader(f))
    return time.perf_counter() - start, count


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_workspace(Path(tmp) / "data", actor="bench")
        factory = factories.add_factory(db, factories.FactoryInput(
            ietp_id="IETP-BENCH", name_en="Bench Toys", region="CN-GD-Guangzhou", headcount=90000,
        ))
        visit = visits.plan_visit(db, factory.ietp_id, date(2026, 10, 12))
        visits.confirm_visit(db, visit.uuid, date(2026, 10, 12), date(2026, 9, 28))
        visits.start_visit(db, visit.uuid, date(2026, 10, 12))
        for w in range(WORKERS):
            workers.add_worker(db, visit.uuid, workers.WorkerInput(
                employee_no=f"{10000 + w}", base_rate=Decimal(2600),
            ))
        path = Path(tmp) / "punches.csv"
        rows = make_file(path)

        floor, read = csv_floor(path)
        t0 = time.perf_counter()
        preview = records.preview_import(db, visit.uuid, path, "time")
        t1 = time.perf_counter()
        result = records.commit_import(db, visit.uuid, preview)
        t2 = time.perf_counter()
        analysis = records.analyse_visit(db, visit.uuid)
        t3 = time.perf_counter()
        total = t3 - t0
        print(f"rows: {rows:,} (csv floor read {read:,})")
        print(f"csv.reader floor: {floor:.3f} s")
        print(f"preview:          {t1 - t0:.3f} s  ({preview.record_count:,} punches, "
              f"{len(preview.problems)} problems)")
        print(f"commit:           {t2 - t1:.3f} s  ({result.stored:,} rows stored)")
        print(f"analyse (from db):{t3 - t2:.3f} s  ({analysis.summary.breaches:,} breaches)")
        print(f"total:            {total:.3f} s  ratio {total / floor:.1f}x the floor "
              f"(target <= 5x and < 10 s)")
        db.dispose()


if __name__ == "__main__":
    main()
