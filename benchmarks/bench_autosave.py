"""Answer -> committed autosave through the services, with many visits in the database.

    .venv/bin/python benchmarks/bench_autosave.py [--visits 2000] [--rounds 200] [--quick]

`answers.record_answer` (validate, write, commit; what the UI calls on each edit) against a
bare sqlite3 UPDATE + COMMIT of one row in the same database file with the same pragmas
(WAL, synchronous=FULL). Target: p95 within 3x the bare commit's p95.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from bench_visit_list import populate_visits
from common import Row, median, ms, p95, print_table

from ietp_desktop.paths import DataFolder
from ietp_desktop.services.visits import answers
from ietp_desktop.services.workspace import open_workspace
from tests.reliability.crash_workload import text_items


class BareCommit:
    """One row updated and committed with plain sqlite3, same file, same pragmas."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v TEXT)")
        self.conn.execute("INSERT OR REPLACE INTO bench_floor VALUES (1, '')")
        self.count = 0

    def __call__(self) -> float:
        self.count += 1
        start = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("UPDATE bench_floor SET v = ? WHERE id = 1", (f"value {self.count}",))
        self.conn.execute("COMMIT")
        return time.perf_counter() - start


def rows(quick: bool = False, visit_count: int = 2000, rounds: int = 200) -> list[Row]:
    rounds = 40 if quick else rounds
    with tempfile.TemporaryDirectory(prefix="bench-autosave-") as folder:
        data_dir = Path(folder) / "data"
        uuid = populate_visits(data_dir, visit_count)
        db = open_workspace(data_dir)
        items = text_items(db, uuid)[:5]
        answers.record_answer(db, uuid, items[0], "warm-up answer text")
        bare = BareCommit(DataFolder(data_dir).database)
        saves, floor = [], []
        for n in range(rounds):  # interleaved: the disk's fsync latency drifts over a run
            start = time.perf_counter()
            answers.record_answer(db, uuid, items[n % len(items)], f"autosaved text {n}")
            saves.append(time.perf_counter() - start)
            floor.append(bare())
        bare.conn.close()
        db.dispose()
    label = f"answer -> committed autosave ({visit_count:,} visits)"
    return [
        Row(
            f"{label}, median",
            ms(median(saves)),
            f"bare commit {ms(median(floor))}",
            median(saves) / median(floor),
        ),
        Row(
            f"{label}, p95",
            ms(p95(saves)),
            f"bare commit {ms(p95(floor))}",
            p95(saves) / p95(floor),
            "<= 3x",
            p95(saves) <= 3 * p95(floor),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(rows(args.quick, args.visits, args.rounds))


if __name__ == "__main__":
    main()
