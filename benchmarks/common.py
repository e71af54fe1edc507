"""The one benchmark table: name, figure, floor, ratio, target.

A bench script returns `Row`s; `print_table` prints them. A floor is the least work the same
job needs, measured in the same run on the same machine, so ratios compare across machines.
Scripts that print their own text can also print `ROW name | figure | floor | ratio | target`
lines (see `row_line`), which run_all.py picks up as they are.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@dataclass(frozen=True)
class Row:
    name: str
    figure: str  # e.g. "412 ms", "p95 9.1 ms"
    floor: str = ""  # the same-run floor, with what it is
    ratio: float | None = None  # figure / floor (lower is better unless target says otherwise)
    target: str = ""  # e.g. "<= 2x", "< 100 ms"
    met: bool | None = None


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def row_line(row: Row) -> str:
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
    met = "" if row.met is None else ("met" if row.met else "MISSED")
    return f"ROW {row.name} | {row.figure} | {row.floor} | {ratio} | {row.target} {met}".rstrip()


def parse_row_line(line: str) -> Row | None:
    if not line.startswith("ROW "):
        return None
    parts = [p.strip() for p in line[4:].split("|")]
    if len(parts) != 5:
        return None
    name, figure, floor, ratio, target = parts
    met = False if target.endswith("MISSED") else True if target.endswith("met") else None
    target = target.removesuffix("MISSED").removesuffix("met").strip()
    return Row(name, figure, floor, float(ratio) if ratio else None, target, met)


def print_table(rows: list[Row], out: object = None) -> None:
    stream = out or sys.stdout
    headers = ("benchmark", "figure", "floor (same run)", "ratio", "target")
    cells = [
        (
            r.name,
            r.figure,
            r.floor,
            "" if r.ratio is None else f"{r.ratio:.2f}x",
            (f"{r.target} " + ("" if r.met is None else "met" if r.met else "MISSED")).strip(),
        )
        for r in rows
    ]
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print(
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        file=stream,
    )  # type: ignore[call-overload]
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=stream)  # type: ignore[call-overload]
    for c in cells:
        print(
            "| " + " | ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)) + " |",
            file=stream,
        )  # type: ignore[call-overload]
