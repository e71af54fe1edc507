"""Import and check a year of punches for 300 workers (about 220,000 rows).

Prints the time of preview + analyse and its ratio to merely reading the same file with the
csv module in the same run (target: within 5x that floor and under 10 s).
Run: .venv/bin/python benchmarks/bench_records.py
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

from ietp_desktop.domain.records import Worker
from ietp_desktop.domain.rules import parse_rule_set
from ietp_desktop.domain.wages import analyse
from ietp_desktop.importers.time_records import preview_time_records
from ietp_desktop.paths import forms_dir

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
                # one row per punch pair: morning and afternoon, 219,600 rows in all
                out.writerow([code, "", day, "08:00", "12:00"])
                out.writerow([code, "", day, "13:00", late])
                rows += 2
    return rows


def main() -> None:
    rules_path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    rules = parse_rule_set(rules_path.read_text(encoding="utf-8"), rules_path.name)
    workers = [
        Worker(f"{10000 + w}", region="CN-GD-Guangzhou", base_rate=Decimal(2600))
        for w in range(WORKERS)
    ]
    codes = {w.code for w in workers}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "punches.csv"
        rows = make_file(path)

        t0 = time.perf_counter()
        with path.open(encoding="utf-8-sig", newline="") as f:
            floor_rows = sum(1 for _ in csv.reader(f))
        floor = time.perf_counter() - t0

        t0 = time.perf_counter()
        preview = preview_time_records(path, None, codes)
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        analysis = analyse(workers, preview.rows, [], rules)
        t_analyse = time.perf_counter() - t0

    total = t_import + t_analyse
    print(f"rows: {rows:,} (csv floor read {floor_rows:,})")
    print(f"csv.reader floor: {floor:.3f} s")
    print(f"preview:          {t_import:.3f} s  ({len(preview.rows):,} punches, "
          f"{len(preview.problems)} problems)")
    print(f"analyse:          {t_analyse:.3f} s  ({len(analysis.breaches):,} breaches)")
    print(f"total:            {total:.3f} s  ratio {total / floor:.1f}x the floor "
          f"(target <= 5x and < 10 s)")


if __name__ == "__main__":
    main()
