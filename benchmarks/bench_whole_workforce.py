"""The whole workforce: 3,000 workers × 366 days as one row per punch (about 2.2 million
punches), read and every hours check computed for everyone, from a CSV and from an XLSX.

Floors, measured in the same run on the same files: `csv.reader` over the CSV; python-calamine
reading the XLSX into rows (every sheet: an .xlsx holds at most 1,048,576 rows a sheet, so
the year is one sheet per quarter). Each step runs in a fresh process, so its peak memory
(max RSS) is its own. Targets: CSV ≤ 5× its floor, XLSX ≤ 2× its floor, peak < 1 GB.

Run: .venv/bin/python benchmarks/bench_whole_workforce.py [--quick] [--workers N]
(--quick: 300 workers, about 220,000 punches, under a minute; the files are written into a
temporary folder first, the XLSX with openpyxl in write-only mode, which takes a while.)
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, ms, print_table, row_line

FIRST_DAY = date(2027, 7, 1)  # 366 days to 30 Jun 2028 (29 Feb 2028 included)
DAYS = 366
DEPARTMENTS = ("装配部", "注塑部", "喷油部", "包装部")
SHEETS = 4  # the XLSX: one sheet per quarter


def punches(workers: int) -> list[tuple[str, str, str, datetime]]:
    """Worker by worker, day by day: in about 08:00, out 17:00 to 21:00; every third worker
    rests on Sundays, the others never do (the checks find breaches for them)."""
    rows: list[tuple[str, str, str, datetime]] = []
    for w in range(workers):
        code, name, department = f"E{w:05d}", f"员工{w}", DEPARTMENTS[w % len(DEPARTMENTS)]
        for d in range(DAYS):
            day = FIRST_DAY + timedelta(days=d)
            if w % 3 == 0 and day.weekday() == 6:
                continue
            start = datetime(day.year, day.month, day.day, 7, 50 + (w + d) % 10)
            end = datetime(day.year, day.month, day.day, 17 + (w + d) % 5, (w * 7) % 60)
            rows.append((code, name, department, start))
            rows.append((code, name, department, end))
    return rows


def write_files(folder: Path, workers: int) -> tuple[Path, Path, int]:
    rows = punches(workers)
    csv_path = folder / "考勤原始记录.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工号", "姓名", "部门", "打卡时间"])
        writer.writerows((c, n, d, f"{t:%Y-%m-%d %H:%M:%S}") for c, n, d, t in rows)
    import openpyxl

    xlsx_path = folder / "考勤原始记录.xlsx"
    book = openpyxl.Workbook(write_only=True)
    per_sheet = -(-len(rows) // SHEETS)
    for s in range(SHEETS):
        sheet = book.create_sheet(f"Q{s + 1}")
        sheet.append(["工号", "姓名", "部门", "打卡时间"])
        for c, n, d, t in rows[s * per_sheet : (s + 1) * per_sheet]:
            sheet.append([c, n, d, t])
    book.save(xlsx_path)
    return csv_path, xlsx_path, len(rows)


# -- steps, each in its own process ----------------------------------------------------------


def step_csv_floor(path: Path) -> dict[str, float]:
    start = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _ in csv.reader(handle):
            count += 1
    return {"seconds": time.perf_counter() - start, "rows": count}


def step_xlsx_floor(path: Path) -> dict[str, float]:
    import python_calamine

    start = time.perf_counter()
    count = 0
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        for name in book.sheet_names:
            for _ in book.get_sheet_by_name(name).iter_rows():
                count += 1
    return {"seconds": time.perf_counter() - start, "rows": count}


def step_import_and_check(path: Path) -> dict[str, float]:
    from ietp_desktop.domain.records import Worker
    from ietp_desktop.domain.rules import parse_rule_set
    from ietp_desktop.domain.wages import analyse
    from ietp_desktop.importers.recognition import read_time_records
    from ietp_desktop.paths import forms_dir

    rules_path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    rules = parse_rule_set(rules_path.read_text(encoding="utf-8"), rules_path.name)
    start = time.perf_counter()
    read = read_time_records(path)
    read_done = time.perf_counter()
    analysis = analyse([Worker(code) for code in read.people], read.records, [], rules)
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "read": read_done - start,
        "checks": end - read_done,
        "rows": read.rows_read,
        "intervals": len(read.records),
        "left_out": read.rows_left_out,
        "workers": analysis.summary.workers,
        "breaches": analysis.summary.breaches,
    }


STEPS = {
    "csv-floor": step_csv_floor,
    "xlsx-floor": step_xlsx_floor,
    "import": step_import_and_check,
}


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss keeps the
    parent's peak at fork (the parent held the generated rows), so it is only a fallback."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(step: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 workers instead of 3,000")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        result = STEPS[args.step](args.file)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    workers = args.workers or (300 if args.quick else 3000)
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        csv_path, xlsx_path, count = write_files(Path(folder), workers)
        print(
            f"{workers:,} workers × {DAYS} days: {count:,} punches; files written in "
            f"{time.perf_counter() - began:.0f} s (CSV {csv_path.stat().st_size / 1e6:.0f} MB, "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.0f} MB)"
        )
        csv_floor = run_step("csv-floor", csv_path)
        csv_import = run_step("import", csv_path)
        xlsx_floor = run_step("xlsx-floor", xlsx_path)
        xlsx_import = run_step("import", xlsx_path)
    rows: list[Row] = []
    for name, figure, floor, target, floor_name in (
        ("whole workforce CSV: import + checks", csv_import, csv_floor, 5.0, "csv.reader"),
        ("whole workforce XLSX: import + checks", xlsx_import, xlsx_floor, 2.0, "calamine rows"),
    ):
        ratio = figure["seconds"] / floor["seconds"]
        rows.append(
            Row(
                name,
                f"{ms(figure['seconds'])} (read {ms(figure['read'])}, checks "
                f"{ms(figure['checks'])}); {figure['rows'] / figure['seconds']:,.0f} rows/s; "
                f"peak {figure['peak_mb']:,.0f} MB",
                f"{floor_name} {ms(floor['seconds'])}",
                ratio,
                f"<= {target:g}x, < 1 GB",
                ratio <= target and figure["peak_mb"] < 1024,
            )
        )
        print(
            f"{name}: {figure['rows']:,.0f} rows → {figure['intervals']:,.0f} intervals, "
            f"{figure['left_out']:,.0f} left out; {figure['workers']:,.0f} workers, "
            f"{figure['breaches']:,.0f} breaches; floor peak {floor['peak_mb']:,.0f} MB"
        )
    print_table(rows)
    for row in rows:
        print(row_line(row))


if __name__ == "__main__":
    main()
