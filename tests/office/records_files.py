"""New records a factory sends after the visit (20 Nov 2026, 东莞市宏达玩具有限公司) for its
wage and hours CAP lines, written the way the factory's systems write them (see
tests/importers/factory_files.py for the laptop's fixtures of the same programs).

Three workers: 1001 张三 and 1002 李四 (装配部), 1003 王五 (注塑部). A normal week is
Monday–Friday 08:00–12:00 and 13:00–17:00 (40 h). A long week is Monday–Saturday
07:00–12:00 and 13:00–19:00 (6 × 11 h = 66 h, above the programme's 60 h). Nobody works on
Sundays or on New Year's Day (Friday 1 Jan 2027).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl

DEC_1 = dt.date(2026, 12, 1)
JAN_31 = dt.date(2027, 1, 31)
NEW_YEAR = dt.date(2027, 1, 1)
WORKERS = (("1001", "张三", "装配部"), ("1002", "李四", "装配部"), ("1003", "王五", "注塑部"))
NORMAL = (("08:00", "12:00"), ("13:00", "17:00"))
LONG = (("07:00", "12:00"), ("13:00", "19:00"))


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def shifts(day: dt.date, long: bool) -> tuple[tuple[str, str], ...]:
    """The day's intervals: none on Sundays and on New Year's Day, Saturdays only in a long
    week."""
    if day.weekday() == 6 or day == NEW_YEAR or (day.weekday() == 5 and not long):
        return ()
    return LONG if long else NORMAL


def zkteco_csv(
    folder: Path, first: dt.date, last: dt.date, long_workers: frozenset[str] = frozenset()
) -> Path:
    """中控 考勤管理 export, GBK, CRLF: two title rows, 考勤号码 and 日期时间, one row per
    punch, the workers in `long_workers` on long weeks."""
    lines = [
        "考勤记录表,,,,",
        f"统计日期: {first} ~ {last},,,,",
        "部门,姓名,考勤号码,日期时间,机器号",
    ]
    for code, name, department in WORKERS:
        for day in days(first, last):
            for start, end in shifts(day, code in long_workers):
                for moment in (start, end):
                    lines.append(f"{department},{name},{code},{day} {moment}:00,1")
    path = folder / "考勤记录.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def dingtalk_grid_xlsx(folder: Path, year: int, month: int) -> Path:
    """钉钉 考勤月报: a title with the statistics period, a row per worker, a column per day;
    a day's punches in one cell separated by spaces, 休 on days off."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考勤月报"
    ws.append([f"月度汇总 统计日期：{first} 至 {last}"])
    ws.merge_cells("A1:H1")
    ws.append(["姓名", "工号", "部门", *range(1, last.day + 1)])
    for code, name, department in WORKERS:
        cells = []
        for day in days(first, last):
            found = shifts(day, False)
            cells.append(" ".join(t for pair in found for t in pair) if found else "休")
        ws.append([name, code, department, *cells])
    path = folder / f"钉钉考勤{year}-{month:02d}.xlsx"
    wb.save(path)
    return path


def payroll_xlsx(
    folder: Path, year: int, month: int, company: str = "东莞市宏达玩具有限公司"
) -> Path:
    """工资表 as the payroll clerk makes it: a title with the company and the month, a
    two-row merged header (应发工资 over 基本工资/加班费/全勤奖, 应扣款项 over 社保/个税),
    工号 and 姓名 merged over both header rows, amounts as text with ￥ and commas, a 合计
    row. Everyone earns 2,300.00 base (Dongguan's minimum wage is 1,720)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{month}月"
    ws.append([f"{company} {year}年{month}月份工资表"])
    ws.merge_cells("A1:J1")
    ws.append(["制表：人事部"])
    ws.append(
        ["工号", "姓名", "部门", "应发工资", None, None, "应扣款项", None, "实发工资", "签名"]
    )
    ws.append([None, None, None, "基本工资", "加班费", "全勤奖", "社保", "个税", None, None])
    for col in ("A", "B", "C", "I", "J"):
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:F3")
    ws.merge_cells("G3:H3")
    for code, name, department in WORKERS:
        ws.append([code, name, department, "￥2,300.00", "0", "100", "250.00", "0", "2,150.00", ""])
    ws.append(["合计", None, None, "6,900.00", "0", "300", "750", "0", "6,450.00", ""])
    path = folder / f"{year}年{month}月工资表.xlsx"
    wb.save(path)
    return path


def not_records_csv(folder: Path) -> Path:
    """A list of the factory's fire extinguishers: a CSV, but no time or pay records."""
    lines = ["编号,位置,检查日期,状态", "FE-01,仓库,2026-12-03,正常", "FE-02,宿舍,2026-12-03,正常"]
    path = folder / "灭火器检查.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def own_headers_csv(folder: Path, first: dt.date, last: dt.date) -> Path:
    """A hand-made export whose headers no importer knows (人员编码, 刷卡日, 进, 出): one row
    per worker and day, normal weeks."""
    lines = ["人员编码,刷卡日,进,出,进2,出2"]
    for code, _, _ in WORKERS:
        for day in days(first, last):
            found = shifts(day, False)
            if found:
                lines.append(
                    f"{code},{day},{found[0][0]},{found[0][1]},{found[1][0]},{found[1][1]}"
                )
    path = folder / "刷卡汇总.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


OWN_MAPPING = {
    "worker_code": "人员编码",
    "date": "刷卡日",
    "in_1": "进",
    "out_1": "出",
    "in_2": "进2",
    "out_2": "出2",
}
