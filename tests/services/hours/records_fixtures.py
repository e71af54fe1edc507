"""Helpers for the records tests: a sample of three workers and messy export files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ietp_desktop.services.hours import workers
from ietp_desktop.storage.db import Database

TIME_HEADER = "工号,姓名,日期,上班1,下班1,上班2,下班2\n"


def add_sample(db: Database, visit: str) -> None:
    for no, dept, gender, origin in (
        ("1001", "装配", "female", "migrant"),
        ("1002", "装配", "male", "local"),
        ("1003", "注塑", "female", "local"),
    ):
        workers.add_worker(
            db,
            visit,
            workers.WorkerInput(
                employee_no=no,
                department=dept,
                gender=gender,
                origin=origin,
                base_rate=Decimal(2300),
            ),
        )


def thirteen_days_csv(tmp_path: Path, name: str = "考勤.csv") -> Path:
    """W01 (1001) works 1–13 Oct 2026 without a rest day, 8 h a day plus 3 h overtime."""
    lines = [TIME_HEADER]
    for day in range(1, 14):
        lines.append(f"1001,张三,2026-10-{day:02d},08:00,12:00,13:00,20:00\n")
    lines.append("1002,李四,2026-10-05,22:00,06:00,,\n")  # night shift crossing midnight
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "".join(lines)).encode("utf-8"))
    return path


def messy_csv(tmp_path: Path) -> Path:
    content = TIME_HEADER + (
        "1001,张三,2026-10-01,08:00,12:00,13:00,17:00\n"
        "1001,张三,2026-13-45,08:00,12:00,,\n"  # unreadable date
        "1002,李四,2026-10-01,08:00,07:00,,\n"  # clock-out before clock-in, no crossing
        "9999,王五,2026-10-01,08:00,17:00,,\n"  # not in the sample
    )
    path = tmp_path / "messy.csv"
    path.write_bytes(content.encode("gbk"))
    return path
