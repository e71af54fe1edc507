"""Files as factories hand them over, written the way their programs write them.

Three workers in October 2026 (1 Oct is a Thursday): 1001 张三 装配部 (day shift),
1002 李四 装配部 (day shift), 1003 王五 注塑部 (night shift 20:00 → 05:00).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

OCT = dt.date(2026, 10, 1)


def day(n: int) -> dt.date:
    return OCT + dt.timedelta(days=n - 1)


def at(n: int, hhmm: str) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime.combine(day(n), dt.time(int(h), int(m)))


def write_text(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


# -- one row per punch ---------------------------------------------------------------------


def zkteco_export_csv(folder: Path) -> Path:
    """中控 考勤管理 export: title rows, 考勤号码 and 日期时间; a duplicated punch within a
    minute (1001, 1 Oct 07:58:40), a night shift over midnight (1003), an odd day (1002, 2
    Oct: three punches)."""
    lines = [
        "考勤记录表,,,,",
        "统计日期: 2026-10-01 ~ 2026-10-02,,,,",
        "部门,姓名,考勤号码,日期时间,机器号",
        "装配部,张三,1001,2026-10-01 07:58:12,1",
        "装配部,张三,1001,2026-10-01 07:58:40,1",
        "装配部,张三,1001,2026-10-01 12:01:05,1",
        "装配部,张三,1001,2026-10-01 13:00:00,1",
        "装配部,张三,1001,2026-10-01 17:30:00,1",
        "装配部,李四,1002,2026-10-02 08:00:00,1",
        "装配部,李四,1002,2026-10-02 12:00:00,1",
        "装配部,李四,1002,2026-10-02 17:00:00,1",
        "注塑部,王五,1003,2026-10-01 20:00:00,2",
        "注塑部,王五,1003,2026-10-02 05:00:00,2",
    ]
    return write_text(folder / "考勤记录.csv", lines, "gbk", "\r\n")


def attlog_dat(folder: Path) -> Path:
    """The device's own log: no header, tab-separated, PIN right-aligned."""
    lines = [
        "        1001\t2026-10-01 07:58:12\t1\t0\t1\t0",
        "        1001\t2026-10-01 17:30:00\t1\t1\t1\t0",
        "        1003\t2026-10-01 20:00:00\t1\t0\t1\t0",
        "        1003\t2026-10-02 05:00:00\t1\t1\t1\t0",
    ]
    return write_text(folder / "1_attlog.dat", lines)


def attlog_spaces_txt(folder: Path) -> Path:
    lines = ["1001 2026-10-01 07:58:12 0 1", "1001 2026-10-01 17:30:00 0 1"]
    return write_text(folder / "attlog.txt", lines)


def hikvision_csv(folder: Path) -> Path:
    """iVMS-4200 event export: English headers, check in / check out / break out / in."""
    lines = [
        "Employee ID,Name,Department,Time,Attendance Status,Attendance Check Point",
        "1001,Zhang San,Assembly,2026/10/01 07:58:03,Check In,Door 1",
        "1001,Zhang San,Assembly,2026/10/01 12:00:10,Break Out,Door 1",
        "1001,Zhang San,Assembly,2026/10/01 13:00:00,Break In,Door 1",
        "1001,Zhang San,Assembly,2026/10/01 19:00:00,Check Out,Door 1",
        "1003,Wang Wu,Moulding,2026/10/01 20:00:00,Check In,Door 2",
        "1003,Wang Wu,Moulding,2026/10/02 05:30:00,Check Out,Door 2",
    ]
    return write_text(folder / "iVMS events.csv", lines, "utf-8-sig", "\r\n")


def wecom_xlsx(folder: Path) -> Path:
    """企业微信 上下班打卡明细: a title row, 账号 (no 工号), separate 日期 and 打卡时间,
    打卡类型 上班打卡/下班打卡; 1002 forgot the clock-out of 1 Oct."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "上下班打卡明细"
    ws.append(["上下班打卡明细  统计时间：2026-10-01 至 2026-10-31"])
    ws.merge_cells("A1:G1")
    ws.append(["日期", "姓名", "账号", "部门", "打卡类型", "打卡时间", "打卡状态"])
    rows = [
        ("2026/10/01 星期四", "张三", "zhangsan", "装配部", "上班打卡", "07:58", "正常"),
        ("2026/10/01 星期四", "张三", "zhangsan", "装配部", "下班打卡", "17:31", "正常"),
        ("2026/10/01 星期四", "李四", "lisi", "装配部", "上班打卡", "08:00", "正常"),
        ("2026/10/02 星期五", "李四", "lisi", "装配部", "上班打卡", "08:01", "正常"),
        ("2026/10/02 星期五", "李四", "lisi", "装配部", "下班打卡", "17:00", "正常"),
    ]
    for r in rows:
        ws.append(list(r))
    path = folder / "上下班打卡明细.xlsx"
    wb.save(path)
    return path


def dingtalk_workbook(folder: Path) -> Path:
    """钉钉 export: 月度汇总 first (no records), 每日统计 SECOND with 上班1打卡时间,
    26-10-12 星期一 dates and 次日 05:00; 原始记录 third (one row per punch)."""
    wb = openpyxl.Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "月度汇总"
    summary.append(["月度汇总 统计日期：2026-10-12 至 2026-10-13"])
    summary.append(["姓名", "出勤天数", "工作时长(小时)"])
    summary.append(["张三", 2, 17])
    daily = wb.create_sheet("每日统计")
    daily.append(["每日统计 统计日期：2026-10-12 至 2026-10-13"])
    daily.append(
        [
            "姓名",
            "工号",
            "部门",
            "日期",
            "上班1打卡时间",
            "上班1打卡结果",
            "下班1打卡时间",
            "下班1打卡结果",
        ]
    )
    daily.append(["张三", "1001", "装配部", "26-10-12 星期一", "08:00", "正常", "17:30", "正常"])
    daily.append(["张三", "1001", "装配部", "26-10-13 星期二", "08:00", "正常", "17:00", "正常"])
    daily.append(
        ["王五", "1003", "注塑部", "26-10-12 星期一", "20:00", "正常", "次日 05:00", "正常"]
    )
    raw = wb.create_sheet("原始记录")
    raw.append(["姓名", "工号", "部门", "考勤日期", "打卡时间", "打卡结果"])
    raw.append(["张三", "1001", "装配部", "2026-10-12", "08:00", "正常"])
    raw.append(["张三", "1001", "装配部", "2026-10-12", "17:30", "正常"])
    path = folder / "钉钉考勤.xlsx"
    wb.save(path)
    return path


# -- monthly grid --------------------------------------------------------------------------


def monthly_grid_xlsx(folder: Path) -> Path:
    """考勤月报: title with the month, a row per worker, a column per day; cells with times
    concatenated (07:5811:58), space- or newline-separated; 1003 works nights (20:00 on day
    d, 05:00 on day d+1)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考勤月报"
    ws.append(["考勤月报"])
    ws.append(["考勤时间 2026-10-01 ~ 2026-10-31"])
    ws.append(["工号", "姓名", "部门", *range(1, 32)])
    a = [""] * 31
    a[0] = "07:5811:58\n13:0217:31"  # 1 Oct: 4 h + 4 h 29 min
    a[1] = "08:00 12:00 13:00 17:00"  # 2 Oct: 8 h
    a[2] = "休"
    b = [""] * 31
    b[0] = "20:00"
    b[1] = "05:00 20:00"
    b[2] = "05:00"
    ws.append(["1001", "张三", "装配部", *a])
    ws.append(["1003", "王五", "注塑部", *b])
    path = folder / "考勤月报.xlsx"
    wb.save(path)
    return path


# -- daily rows with merged 工号 (the case that reported 0 breaches) -----------------------


def merged_code_xlsx(folder: Path) -> Path:
    """考勤明细 with 工号/姓名 merged down each worker's block of days. 1001 works 12–24 Oct
    (Monday to the Saturday after next, no public holiday), 08:00–12:00 and 13:00–17:00:
    13 consecutive days, one breach of the weekly rest day (3 rest days worked = 24 h
    overtime, under the 36 h a month; 56 h in the worst 7 days, under 60). 1002 works
    Wednesday 14 Oct 08:00–12:00 and 13:00–23:00: 14 h, 6 h overtime in a day, over the
    3 h cap: one breach. Two breaches in all."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考勤明细"
    ws.append(["员工考勤明细 2026年10月"])
    ws.append(["工号", "姓名", "部门", "日期", "上班1", "下班1", "上班2", "下班2"])
    first = 3
    for n in range(12, 25):
        first_row = n == 12
        ws.append(
            [
                "1001" if first_row else None,
                "张三" if first_row else None,
                "装配部",
                day(n),
                "08:00",
                "12:00",
                "13:00",
                "17:00",
            ]
        )
    ws.merge_cells(start_row=first, end_row=first + 12, start_column=1, end_column=1)
    ws.merge_cells(start_row=first, end_row=first + 12, start_column=2, end_column=2)
    ws.append(["1002", "李四", "装配部", day(14), "08:00", "12:00", "13:00", "23:00"])
    path = folder / "考勤明细.xlsx"
    wb.save(path)
    return path


def merged_code_xls(folder: Path) -> Path:
    """The same as an Excel 97-2003 workbook, written by xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("考勤明细")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(0, 0, "员工考勤明细 2026年10月")
    for c, h in enumerate(["工号", "姓名", "部门", "日期", "上班1", "下班1", "上班2", "下班2"]):
        sheet.write(1, c, h)
    sheet.write_merge(2, 14, 0, 0, "1001")
    sheet.write_merge(2, 14, 1, 1, "张三")
    for i, n in enumerate(range(12, 25)):
        r = 2 + i
        sheet.write(r, 2, "装配部")
        sheet.write(r, 3, dt.datetime.combine(day(n), dt.time()), date_style)
        for c, v in enumerate(["08:00", "12:00", "13:00", "17:00"], start=4):
            sheet.write(r, c, v)
    r = 15
    for c, v in enumerate(["1002", "李四", "装配部"]):
        sheet.write(r, c, v)
    sheet.write(r, 3, dt.datetime.combine(day(14), dt.time()), date_style)
    for c, v in enumerate(["08:00", "12:00", "13:00", "23:00"], start=4):
        sheet.write(r, c, v)
    path = folder / "考勤明细.xls"
    book.save(str(path))
    return path


def punch_log_ods(folder: Path) -> Path:
    """An OpenDocument sheet with one row per punch (LibreOffice users' exports)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="打卡记录")
    rows = [
        ["工号", "姓名", "日期", "时间", "方向"],
        ["1001", "张三", "2026-10-01", "07:58", "上班"],
        ["1001", "张三", "2026-10-01", "12:00", "下班"],
        ["1001", "张三", "2026-10-01", "13:00", "上班"],
        ["1001", "张三", "2026-10-01", "17:00", "下班"],
    ]
    for values in rows:
        tr = TableRow()
        for v in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=v))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = folder / "打卡记录.ods"
    doc.save(str(path))
    return path


# -- payroll -------------------------------------------------------------------------------


def payroll_xlsx(folder: Path) -> Path:
    """工资表: title with the month, a two-row merged header (应发工资 over 基本工资/加班费/
    全勤奖, 应扣款项 over 社保/个税), 工号 and 姓名 merged over both header rows, amounts as
    text with ￥ and commas, a full-width amount, a 合计 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "10月"
    ws.append(["东莞市某某玩具有限公司 2026年10月份工资表"])
    ws.merge_cells("A1:J1")
    ws.append(
        ["工号", "姓名", "部门", "应发工资", None, None, "应扣款项", None, "实发工资", "签名"]
    )
    ws.append([None, None, None, "基本工资", "加班费", "全勤奖", "社保", "个税", None, None])
    for col in ("A", "B", "C", "I", "J"):
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:F2")
    ws.merge_cells("G2:H2")
    ws.append(
        ["1001", "张三", "装配部", "￥2,600.00", "¥1,045.50", 100, "200.00", "0", "3,545.50", ""]
    )
    ws.append(["1002", "李四", "装配部", "２６００．００", "300", "100", "200", "0", "2800", ""])
    ws.append(["1003", "王五", "注塑部", "1900", "0", "0", "200", "0", "1700", ""])
    ws.append(["合计", None, None, "7,100.00", "1,345.50", "200", "600", "0", "8,045.50", ""])
    path = folder / "工资表.xlsx"
    wb.save(path)
    return path


def payroll_ambiguous_csv(folder: Path) -> Path:
    lines = [
        "2026年10月份工资表",
        "工号,姓名,基本工资,加班费,实发工资",
        '1001,张三,"2 600,00",0,2600',
        "1002,李四,2.600,0,2600",
        "1003,王五,2600.00,0,2600",
    ]
    return write_text(folder / "工资表.csv", lines)


def worker_day_gbk_csv(folder: Path) -> Path:
    lines = [
        "工号,姓名,部门,日期,上班1,下班1,上班2,下班2",
        "1001,张三,装配部,2026-10-01,08:00,12:00,13:00,17:30",
        "1003,王五,注塑部,2026-10-01,22:00,06:00,,",
        "1002,李四,装配部,2026-10-01,8点,12:00,,",
    ]
    return write_text(folder / "考勤.csv", lines, "gbk", "\r\n")


def monthly_sheets_xlsx(folder: Path) -> Path:
    """One sheet per month (9月, 10月) of one row per punch; 1003's night shift starts on 30
    Sep and ends on 1 Oct, across the two sheets; row 3 of 10月 holds an unreadable time."""
    wb = openpyxl.Workbook()
    september = wb.active
    assert september is not None
    september.title = "9月"
    october = wb.create_sheet("10月")
    for ws in (september, october):
        ws.append(["工号", "姓名", "打卡时间"])
    september.append(["1003", "王五", "2026-09-30 20:00"])
    october.append(["1003", "王五", "2026-10-01 05:00"])
    october.append(["1001", "张三", "2026-10-01 25:61"])
    october.append(["1001", "张三", "2026-10-01 08:00"])
    october.append(["1001", "张三", "2026-10-01 17:00"])
    path = folder / "打卡记录2026.xlsx"
    wb.save(path)
    return path


def terminal_grid_xlsx(folder: Path) -> Path:
    """The terminal's 考勤记录表: the month only in the sheet name, the days numbered in one
    row, then per worker a label row (工号:1001 姓名:张三 部门:装配部) and a row of times,
    one per line in a cell. 1002's row holds '7.58' on the 2nd: unreadable, the row is left
    out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "2026年10月"
    ws.append(["考勤记录表"])
    ws.append(list(range(1, 32)))
    ws.append(["工号:1001  姓名:张三  部门:装配部"])
    ws.append(["07:58\n17:02", "08:00\n12:00\n13:00\n17:00", *[""] * 29])
    ws.append(["工号:1002  姓名:李四  部门:装配部"])
    ws.append(["08:00\n17:00", "7.58", *[""] * 29])
    path = folder / "考勤记录表.xlsx"
    wb.save(path)
    return path
