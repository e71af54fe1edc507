"""Demo time and payroll exports, as a factory's attendance system would produce them.

Written as CSV files with Chinese headers and imported through the same services a
specialist uses, so the demo shows the hours & wages checks, their proposed findings and
the report's charts.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ietp_desktop.domain.rules import RuleSet
from ietp_desktop.domain.workdays import is_working_day
from ietp_desktop.services.hours import proposals, records, workers
from ietp_desktop.services.visits.refs import resolve_visit
from ietp_desktop.storage.db import Database

# (employee no, name, department, gender, origin, base monthly wage)
DEMO_WORKERS = (
    ("E1001", "王芳", "Assembly 装配", "female", "migrant", "2400"),
    ("E1002", "李强", "Assembly 装配", "male", "migrant", "2400"),
    ("E1003", "张丽", "Moulding 注塑", "female", "local", "2500"),
    ("E1004", "刘洋", "Moulding 注塑", "male", "migrant", "2500"),
    ("E1005", "陈静", "Painting 喷油", "female", "local", "2450"),
    ("E1006", "杨磊", "Packing 包装", "male", "migrant", "2350"),
)
RUSH_WORKERS = {"E1001", "E1002"}  # assembly line in peak season: long days, no rest day


def _months_before(day: date, count: int) -> list[date]:
    first = day.replace(day=1)
    months: list[date] = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.insert(0, first)
    return months


def _shift(worker: str, d: date, peak: bool, rules: RuleSet) -> tuple[str, str, str, str] | None:
    rush = worker in RUSH_WORKERS and peak
    day_off = rules.is_public_holiday(d) or not is_working_day(d, rules)
    saturday_shift = worker == "E1003" and d.weekday() == 5 and not rules.is_public_holiday(d)
    if day_off and not rush and not saturday_shift:
        return None
    evening_out = "20:00" if rush else "18:00"
    return ("08:00", "12:00", "13:00", evening_out)


def write_time_csv(path: Path, start: date, end: date, rules: RuleSet) -> None:
    peak_from = end - timedelta(days=20)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["宏达玩具 考勤记录 (导出)"])
        writer.writerow(["工号", "姓名", "部门", "日期", "上班1", "下班1", "上班2", "下班2"])
        day = start
        while day <= end:
            for number, name, department, *_ in DEMO_WORKERS:
                times = _shift(number, day, day >= peak_from, rules)
                if times:
                    writer.writerow([number, name, department, day.isoformat(), *times])
            day += timedelta(days=1)


def write_pay_csv(path: Path, months: list[date]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "工号",
                "姓名",
                "工资月份",
                "基本工资",
                "加班费",
                "津贴",
                "扣款",
                "社保",
                "实发工资",
                "发薪日期",
            ]
        )
        for month in months:
            for number, name, _dept, _g, _o, base in DEMO_WORKERS:
                overtime = Decimal("420") if number in RUSH_WORKERS else Decimal("0")
                allowance, social = Decimal("150"), Decimal("236.50")
                net = Decimal(base) + overtime + allowance - social
                paid = (month + timedelta(days=40)).replace(day=10)
                writer.writerow(
                    [
                        number,
                        name,
                        month.strftime("%Y-%m"),
                        base,
                        overtime,
                        allowance,
                        "0",
                        social,
                        net,
                        paid.isoformat(),
                    ]
                )


def seed_demo_records(db: Database, visit_uuid: str, visit_day: date) -> int:
    """Sample six workers and import three months of their records; returns the proposals."""
    for number, name, department, gender, origin, base in DEMO_WORKERS:
        workers.add_worker(
            db,
            visit_uuid,
            workers.WorkerInput(
                name=name,
                employee_no=number,
                department=department,
                gender=gender,
                origin=origin,
                hire_date=date(2024, 3, 1),
                base_rate=Decimal(base),
            ),
        )
    with db.session() as session:
        rules = records.visit_rules(session, resolve_visit(session, visit_uuid))
    months = _months_before(visit_day, 3)
    end = visit_day.replace(day=1) - timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="ietp-demo-records-") as folder:
        time_file, pay_file = Path(folder) / "考勤记录.csv", Path(folder) / "工资表.csv"
        write_time_csv(time_file, months[0], end, rules)
        write_pay_csv(pay_file, months)
        files: tuple[tuple[Path, records.Kind], ...] = ((time_file, "time"), (pay_file, "pay"))
        for path, kind in files:
            preview = records.preview_import(db, visit_uuid, path, kind)
            records.commit_import(db, visit_uuid, preview)
    return len(proposals.proposed_findings(db, visit_uuid))


def answers_from_records(db: Database, visit_uuid: str) -> dict[str, float]:
    """The working-hours checklist figures, as the specialist reads them off the analysis."""
    figures = records.analyse_visit(db, visit_uuid).workers
    return {
        "WH-03": round(max(f.max_weekly_hours for f in figures), 1),
        "WH-04": round(max(f.max_overtime_month_hours for f in figures), 1),
        "WH-05": round(max(f.max_daily_hours for f in figures), 1),
        "WH-07": float(max(f.longest_run_days for f in figures)),
    }
