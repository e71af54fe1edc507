"""What encrypting the database with SQLCipher would cost (issue 17's evaluation).

    pip install sqlcipher3-wheels   # not a dependency of the program; only this measurement
    .venv/bin/python benchmarks/bench_sqlcipher.py [--rows 20000] [--rounds 300]

The same workload on plain SQLite and on SQLCipher 4 (default key derivation, 256,000 rounds
of PBKDF2-HMAC-SHA512), same pragmas as the program (WAL, synchronous=FULL):
- an autosave: one row updated and committed (what every edit costs);
- reading a visit's worth of answers (what opening a visit costs);
- opening a connection (SQLCipher derives the key on every open; the program opens a
  connection per thread and per start).
Ratios are SQLCipher against plain SQLite measured in the same run; the programme's bar for
adopting it is autosave p95 within 1.5x.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Row, ms, p95, print_table, row_line

KEY = "correct horse battery staple"


def _plain(path: Path) -> Any:
    return sqlite3.connect(path, isolation_level=None)


def _cipher(path: Path) -> Any:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = '{KEY}'")
    return conn


def _prepare(conn: Any, rows: int) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, visit INTEGER, item TEXT, v TEXT)")
    conn.execute("CREATE INDEX answers_visit ON answers (visit)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO answers (visit, item, v) VALUES (?, ?, ?)",
        ((n // 100, f"WH-{n % 100:02d}", "工作时间记录与工资单一致 " * 4) for n in range(rows)),
    )
    conn.execute("COMMIT")


def _timed(job: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return times


def measure(connect: Callable[[Path], Any], folder: Path, rows: int, rounds: int) -> list[float]:
    path = folder / "bench.sqlite3"
    conn = connect(path)
    _prepare(conn, rows)
    count = [0]

    def autosave() -> None:
        count[0] += 1
        conn.execute("BEGIN")
        conn.execute("UPDATE answers SET v = ? WHERE id = ?", (f"text {count[0]}", count[0] % rows))
        conn.execute("COMMIT")

    def read_visit() -> None:
        conn.execute("SELECT item, v FROM answers WHERE visit = ?", (count[0] % 100,)).fetchall()

    def open_connection() -> None:
        other = connect(path)
        other.execute("SELECT count(*) FROM answers").fetchone()
        other.close()

    saves = _timed(autosave, rounds)
    reads = _timed(read_visit, rounds)
    opens = _timed(open_connection, max(5, rounds // 20))
    conn.close()
    return [p95(saves), p95(reads), p95(opens)]


def rows_for(rows: int, rounds: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        plain = measure(_plain, Path(a), rows, rounds)
        cipher = measure(_cipher, Path(b), rows, rounds)
    names = ["autosave commit p95", "read a visit's answers p95", "open a connection p95"]
    targets = ["<= 1.5x", "", ""]
    return [
        Row(
            f"SQLCipher: {name}",
            ms(c),
            f"plain SQLite {ms(p)}",
            c / p,
            target,
            (c / p <= 1.5) if target else None,
        )
        for name, p, c, target in zip(names, plain, cipher, targets, strict=True)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        print("sqlcipher3 is not installed: pip install sqlcipher3-wheels", file=sys.stderr)
        return 0
    table = rows_for(args.rows, args.rounds)
    print_table(table)
    for row in table:
        print(row_line(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
