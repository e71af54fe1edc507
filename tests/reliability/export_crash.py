"""Killing a report or bundle export part-way, and what must hold afterwards."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.crash_workload import ROUND_TIMEOUT_S, ChildRun, integrity


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class ExportRun:
    ready_to_ack_s: float | None  # None: killed before it finished
    acked: bool


def run_export_child(
    mode: str, args: list[str], log: Path, kill_after_s: float | None
) -> ExportRun:
    """Start the child; once it is READY, kill it after `kill_after_s` (None: let it finish)."""
    child = ChildRun.start([mode, *args], log)
    deadline = time.monotonic() + ROUND_TIMEOUT_S
    acked = False
    ready_at: float | None = None
    try:
        while True:
            line = child.next_line(deadline)
            if line is None:
                if acked:
                    break
                raise RuntimeError(f"the {mode} child ended by itself:\n{log.read_text()[-3000:]}")
            if line == "READY":
                ready_at = time.monotonic()
                if kill_after_s is not None:
                    time.sleep(kill_after_s)
                    break
            acked = acked or line.startswith("ACK")
        elapsed = time.monotonic() - ready_at if acked and ready_at else None
    finally:
        rest = child.kill()
    acked = acked or any(line.startswith("ACK") for line in rest)
    return ExportRun(elapsed, acked)


def settle(data_dir: Path) -> None:
    """Fold the WAL into the database file, so copying the folder copies everything."""
    with sqlite3.connect(data_dir / "ietp.sqlite3") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_workspace(pristine: Path, target: Path) -> Path:
    """A copy of a settled data folder (readers of the original may come and go meanwhile)."""
    shutil.copytree(pristine, target, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return target


def visit_row(data_dir: Path, uuid: str) -> dict[str, object]:
    with sqlite3.connect(data_dir / "ietp.sqlite3") as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            "SELECT id, status, revision, report_sha256 FROM visits WHERE uuid = ?", (uuid,)
        ).fetchone()
        counts = {
            table: conn.execute(
                f"SELECT count(*) FROM {table} WHERE visit_id = ?", (row["id"],)
            ).fetchone()[0]
            for table in ("answers", "findings", "attendees")
        }
        exports = [
            tuple(r)
            for r in conn.execute(
                "SELECT sha256, path FROM exports WHERE visit_id = ?", (row["id"],)
            )
        ]
    return {**dict(row), **counts, "exports": exports}


def database_ok(data_dir: Path) -> str:
    return integrity(data_dir / "ietp.sqlite3")


def signed_visits(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "ietp.sqlite3") as conn:
        return [u for (u,) in conn.execute("SELECT uuid FROM visits WHERE status = 'signed'")]
