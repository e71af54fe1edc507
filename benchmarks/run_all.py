"""Every benchmark, one table: `python benchmarks/run_all.py [--quick] [--crash N] [--only S]`.

Our own scripts (bench_startup, bench_autosave, bench_visit_list) are imported and return
rows. The other bench_*.py scripts run as subprocesses, each with its own arguments (smaller
ones under --quick); their `ROW ...` lines (common.row_line) are taken as they are, else an
adapter below reads the figures out of the text they print. `--crash N` adds the crash test
with N SIGKILLs (tests/reliability/crash_bench.py).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common import REPO_ROOT, Row, ms, parse_row_line, print_table

HERE = Path(__file__).resolve().parent
OWN = ("bench_startup", "bench_visit_list", "bench_autosave")
Parser = Callable[[str], list[Row]]


def _num(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else None


def parse_ui(text: str) -> list[Row]:
    table = {
        m.group(1).strip(): (float(m.group(2)), float(m.group(3)), float(m.group(4)))
        for m in re.finditer(r"^(.+?)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", text, re.MULTILINE)
    }
    floor = next((v for k, v in table.items() if k.startswith("bare SQLite commit")), None)
    floor_text = f"bare commit {floor[0]:.1f} ms" if floor else ""
    rows = []
    for name, (median, p95, ratio) in table.items():
        if name.startswith("bare SQLite commit"):
            continue
        target, met = "", None
        if name.startswith("keystroke") and floor:
            target, met = "p95 <= 3x", p95 <= 3 * floor[1]
        rows.append(
            Row(f"UI: {name}", f"{median:.1f} ms (p95 {p95:.1f})", floor_text, ratio, target, met)
        )
    return rows


def parse_report(text: str) -> list[Row]:
    total = _num(r"^report \(bilingual, signed\):\s+([\d.]+) s", text)
    size = _num(r"^report \(bilingual, signed\):\s+[\d.]+ s\s+([\d.]+) MB", text)
    floor = _num(r"^floor\s+\(reportlab, images only\):\s+([\d.]+) s", text)
    photos = _num(r"photos ready \((\d+)", text)
    if total is None or floor is None:
        return []
    return [
        Row(
            f"report build + sign ({photos or '?':.0f} photos)",
            f"{total:.2f} s, {size} MB",
            f"reportlab images only {floor:.2f} s",
            total / floor,
            "< 5 s, < 15 MB",
            total < 5 and (size or 0) < 15,
        )
    ]


def parse_bundles(text: str) -> list[Row]:
    floor = _num(r"^floor \(sha256 \+ AES-256-GCM\): ([\d.]+) MB/s", text)
    size = _num(r"^photos: ([\d.]+) MB", text)
    rows = []
    for m in re.finditer(
        r"^(export|import): ([\d.]+) s, ([\d.]+) MB/s = ([\d.]+) x floor.*?peak memory ([\d.]+) MB",
        text,
        re.MULTILINE,
    ):
        ratio = float(m.group(4))
        rows.append(
            Row(
                f"bundle {m.group(1)} ({size or 0:.0f} MB of photos)",
                f"{m.group(3)} MB/s, peak {m.group(5)} MB",
                f"sha256+AES-GCM {floor or 0:.0f} MB/s",
                ratio,
                ">= 0.5x, < 300 MB",
                ratio >= 0.5 and float(m.group(5)) < 300,
            )
        )
    return rows


def parse_bundle_crypto(text: str) -> list[Row]:
    write = _num(r"write / floor = ([\d.]+)", text)
    read = _num(r"open / floor = ([\d.]+)", text)
    if write is None or read is None:
        return []
    return [
        Row(
            "bundle write (sync layer)",
            f"{write:.2f}x floor throughput",
            "sha256+AES-GCM",
            write,
            ">= 0.5x",
            write >= 0.5,
        ),
        Row(
            "bundle open + decrypt (sync layer)",
            f"{read:.2f}x floor throughput",
            "sha256+AES-GCM",
            read,
            ">= 0.5x",
            read >= 0.5,
        ),
    ]


def parse_records(label: str) -> Parser:
    def parse(text: str) -> list[Row]:
        total = _num(r"^total:\s+([\d.]+) s", text)
        floor = _num(r"^csv.reader floor:\s+([\d.]+) s", text)
        if total is None or floor is None:
            return []
        count = re.search(r"^rows: ([\d,]+)", text, re.MULTILINE)
        return [
            Row(
                f"{label} ({count.group(1) if count else '?'} rows)",
                f"{total:.2f} s",
                f"csv.reader {floor:.2f} s",
                total / floor,
                "<= 5x, < 10 s",
                total / floor <= 5 and total < 10,
            )
        ]

    return parse


@dataclass
class Script:
    name: str
    parse: Parser
    full: list[str] = field(default_factory=list)
    quick: list[str] = field(default_factory=list)


SCRIPTS = {
    s.name: s
    for s in (
        Script("bench_ui", parse_ui, [], ["--visits", "500", "--rounds", "20"]),
        Script("bench_report", parse_report, [], ["--photos", "10"]),
        Script("bench_bundles", parse_bundles, [], ["--size-mb", "100"]),
        Script("bench_bundle_crypto", parse_bundle_crypto, [], ["50", "5"]),
        Script("bench_records_import", parse_records("records import via services")),
        Script("bench_records", parse_records("records preview + analyse")),
    )
}


def accepts_quick(path: Path) -> bool:
    return "--quick" in path.read_text(encoding="utf-8")


def run_script(path: Path, quick: bool) -> list[Row]:
    known = SCRIPTS.get(path.stem)
    args = (known.quick if quick else known.full) if known else []
    if quick and (not known or not known.quick) and accepts_quick(path):
        args = ["--quick"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(path), *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600 if quick else 1800,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [Row(path.stem, "timed out", "", None, "", False)]
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1][:80]
        return [Row(path.stem, f"failed: {last}", "", None, "", False)]
    rows = [r for line in done.stdout.splitlines() if (r := parse_row_line(line))]
    if not rows and known:
        rows = known.parse(done.stdout)
    if not rows:
        last = (done.stdout.strip().splitlines() or [""])[-1][:80]
        rows = [Row(path.stem, f"ran in {ms(seconds)}: {last}", "", None, "(prints no ROW line)")]
    return rows


def run_own(name: str, quick: bool) -> list[Row]:
    module = __import__(name)
    try:
        return list(module.rows(quick))
    except Exception as exc:  # one broken benchmark must not hide the others
        return [Row(name, f"failed: {type(exc).__name__}: {exc}"[:100], "", None, "", False)]


def crash_rows(kills: int) -> list[Row]:
    from tests.reliability.crash_bench import run

    start = time.perf_counter()
    summary = run(kills, seed=int(time.time()), verbose=False)
    seconds = time.perf_counter() - start
    return [
        Row(
            f"crash test: {kills} SIGKILLs ({seconds:.0f} s)",
            f"{summary.lost} of {summary.acknowledged} acknowledged changes lost",
            "",
            None,
            "0 lost",
            summary.lost == 0,
        ),
        Row(
            "crash test: PRAGMA integrity_check",
            f"ok {summary.integrity_ok}/{summary.kills}",
            "",
            None,
            "all ok",
            summary.integrity_ok == summary.kills,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few minutes")
    parser.add_argument("--crash", type=int, default=0, metavar="N", help="add N crash kills")
    parser.add_argument("--only", action="append", help="run only scripts whose name has this")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(HERE))
    names = [*OWN, *sorted(p.stem for p in HERE.glob("bench_*.py") if p.stem not in OWN)]
    if args.only:
        names = [n for n in names if any(s in n for s in args.only)]
    rows: list[Row] = []
    for name in names:
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows += (
            run_own(name, args.quick)
            if name in OWN
            else run_script(HERE / f"{name}.py", args.quick)
        )
    if args.crash:
        print(f"running the crash test ({args.crash} kills)...", file=sys.stderr, flush=True)
        rows += crash_rows(args.crash)
    print_table(rows)
    return 1 if any(r.met is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
