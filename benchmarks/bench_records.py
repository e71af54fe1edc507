"""Import and check a year of punches for 300 workers (about 220,000 rows), without the
database: the importer's preview, then every hours check (domain `analyse`).

Prints the time of preview + analyse, its ratio to merely reading the same file with the csv
module in the same run (target: within 5x that floor and under 10 s), and the split. Each
figure is the best of --repeat runs (default 3): other programs on the machine only ever add
time. Run: .venv/bin/python benchmarks/bench_records.py [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, row_line
from ietp_desktop.domain.records import Worker
from ietp_desktop.domain.rules import parse_rule_set
from ietp_desktop.domain.wages import analyse
from ietp_desktop.importers.time_records import preview_time_records
from ietp_desktop.paths import forms_dir

WORKERS = 300
DAYS = 366
FIRST = date(2025, 11, 1)
TARGET_RATIO = 5.0
TARGET_SECONDS = 10.0


def make_file(path: Path) -> int:
    """工号/姓名/日期/上班/下班, two punch pairs a day (morning, afternoon): 219,600 rows."""
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
    """The least work an import needs: read every row with the csv module."""
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        count = sum(1 for _ in csv.reader(f))
    return time.perf_counter() - start, count


def report(
    name: str, rows: int, floor: float, steps: dict[str, float], detail: dict[str, str]
) -> None:
    """The lines run_all.py reads (rows:, csv.reader floor:, total:, ROW) and the split."""
    total = sum(steps.values())
    ratio = total / floor
    print(f"rows: {rows:,}")
    print(f"csv.reader floor: {floor:.3f} s")
    for step, seconds in steps.items():
        print(
            f"{step + ':':<17} {seconds:.3f} s  {seconds / floor:5.1f}x floor  "
            f"{100 * seconds / total:3.0f} %  {detail.get(step, '')}".rstrip()
        )
    print(
        f"total:            {total:.3f} s  ratio {ratio:.1f}x the floor "
        f"(target <= {TARGET_RATIO:g}x and < {TARGET_SECONDS:g} s)"
    )
    print(
        row_line(
            Row(
                f"{name} ({rows:,} rows)",
                f"{total:.2f} s",
                f"csv.reader {floor:.3f} s",
                ratio,
                f"<= {TARGET_RATIO:g}x, < {TARGET_SECONDS:g} s",
                ratio <= TARGET_RATIO and total < TARGET_SECONDS,
            )
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules_path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    rules = parse_rule_set(rules_path.read_text(encoding="utf-8"), rules_path.name)
    workers = [
        Worker(f"{10000 + w}", region="CN-GD-Guangzhou", base_rate=Decimal(2600))
        for w in range(WORKERS)
    ]
    codes = {w.code for w in workers}
    floors: list[float] = []
    best: dict[str, float] = {}
    detail: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "punches.csv"
        rows = make_file(path)
        for _ in range(max(1, args.repeat)):
            floor, _ = csv_floor(path)
            floors.append(floor)
            t0 = time.perf_counter()
            preview = preview_time_records(path, None, codes)
            t1 = time.perf_counter()
            analysis = analyse(workers, preview.rows, [], rules)
            t2 = time.perf_counter()
            for step, seconds in (("preview", t1 - t0), ("analyse", t2 - t1)):
                best[step] = min(best.get(step, seconds), seconds)
            detail = {
                "preview": f"({len(preview.rows):,} punches, {len(preview.problems)} problems)",
                "analyse": f"({len(analysis.breaches):,} breaches)",
            }
            del preview, analysis
    report("records preview + analyse", rows, min(floors), best, detail)


if __name__ == "__main__":
    main()
