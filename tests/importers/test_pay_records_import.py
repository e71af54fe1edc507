from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from ietp_desktop.importers.pay_records import preview_pay_records

SAMPLE = {"1001", "1002", "1003"}


def problems(preview) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row_number, p.column, p.reason, p.severity) for p in preview.problems]


def test_chinese_payroll_in_gbk_with_title_row(tmp_path: Path) -> None:
    content = (
        "2026年10月工资表\n"
        "工号,姓名,月份,基本工资,加班费,津贴,夜班津贴,扣款,社保,实发工资,发薪日期\n"
        '1001,张三,2026年10月,"2,500.00",600,100,50,0,250,3000,2026-11-10\n'
        "1002,李四,2026-10,2400,300,0,0,20,250,2400,2026/11/12\n"  # net does not add up
    )
    path = tmp_path / "工资.csv"
    path.write_bytes(content.encode("gbk"))
    preview = preview_pay_records(path, None, SAMPLE, agreed_pay_day=10)
    assert problems(preview) == [
        (4, "实发工资", "net pay 2,400.00 does not match the pay items (2,430.00)", "warning")
    ]
    first = preview.rows[0]
    assert (first.period_start, first.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (first.base_pay, first.overtime_pay, first.allowances, first.special_allowances) == (
        Decimal("2500.00"),
        Decimal(600),
        Decimal(100),
        Decimal(50),
    )
    assert (first.social_insurance, first.net_pay) == (Decimal(250), Decimal(3000))
    assert (first.paid_on, first.agreed_pay_day) == (date(2026, 11, 10), date(2026, 11, 10))


def test_bad_pay_rows_reported_and_left_out(tmp_path: Path) -> None:
    content = (
        "Employee ID,Period,Base pay,Overtime pay,Paid on\n"
        "1001,2026-10,2500,-5,2026-11-10\n"
        "1002,sometime,2500,0,2026-11-10\n"
        "1004,2026-10,2500,0,2026-11-10\n"
        "1003,2026-10,,0,2026-11-10\n"
        "1003,2026-11,2500,0,31/11/2026\n"
        "1002,2026-10,2500,0,2026-11-10\n"
        "1002,2026-10,2600,0,2026-11-10\n"
    )
    path = tmp_path / "pay.csv"
    path.write_text(content, encoding="utf-8-sig")
    preview = preview_pay_records(path, None, SAMPLE)
    assert problems(preview) == [
        (2, "Overtime pay", "negative amount -5", "error"),
        (3, "Period", "unreadable pay period 'sometime'", "error"),
        (4, "Employee ID", "worker code 1004 is not in the worker sample", "error"),
        (5, "Base pay", "no base pay", "error"),
        (6, "Paid on", "unreadable date '31/11/2026'", "error"),
        (8, "", "a second pay record for 1002 for the same period (first on row 7)", "error"),
    ]
    assert [(r.worker_code, r.base_pay) for r in preview.rows] == [("1002", Decimal(2500))]


def test_xlsx_payroll_with_date_cells_and_piece_earnings(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["工资明细"])
    ws.merge_cells("A1:F1")
    ws.append(["员工编号", "开始日期", "结束日期", "计件工资", "加班费", "发放日期"])
    ws.append([1003, date(2026, 10, 16), date(2026, 11, 15), 2480.5, 0, 46345])
    path = tmp_path / "pay.xlsx"
    wb.save(path)
    preview = preview_pay_records(path, None, SAMPLE)
    assert preview.problems == []
    (r,) = preview.rows
    assert (r.period_start, r.period_end, r.paid_on) == (
        date(2026, 10, 16),
        date(2026, 11, 15),
        date(2026, 11, 19),
    )
    assert r.base_pay == r.piece_earnings_standard_hours == Decimal("2480.5")
