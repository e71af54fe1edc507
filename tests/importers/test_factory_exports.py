"""The factory's exports as they come: each layout recognised, read and checked, with
figures computed by hand in factory_files' docstrings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.records import PayRecord, Punch, Worker
from ietp_desktop.domain.rules import RuleSet, parse_rule_set
from ietp_desktop.domain.wages import analyse
from ietp_desktop.importers.mapping import PAY_FIELDS, TIME_FIELDS, mapping_from_dict
from ietp_desktop.importers.recognition import (
    Layout,
    RecordsRead,
    read_pay_records,
    read_time_records,
)
from ietp_desktop.paths import forms_dir
from tests.importers import factory_files as ff


@cache
def rules() -> RuleSet:
    path = forms_dir() / "rules" / "cn-guangdong-v1.json"
    return parse_rule_set(path.read_text(encoding="utf-8"), path.name)


def intervals(read: RecordsRead[Punch]) -> list[tuple[str, date, str, str]]:
    def clock(moment: datetime | None) -> str:
        return "—" if moment is None else f"{moment:%d %H:%M}"

    return sorted((p.worker_code, p.work_date, clock(p.start), clock(p.end)) for p in read.records)


def breaches(read: RecordsRead[Punch]) -> list[tuple[str, str]]:
    analysis = analyse([Worker(code) for code in read.people], read.records, [], rules())
    return sorted((b.worker_code, b.rule_id) for b in analysis.breaches)


def test_zkteco_export_in_gbk_with_title_rows_pairs_punches(tmp_path: Path) -> None:
    read = read_time_records(ff.zkteco_export_csv(tmp_path))
    assert read.recognition.layout is Layout.PUNCH_LOG
    assert read.recognition.header_rows == (3,)
    assert intervals(read) == [
        ("1001", date(2026, 10, 1), "01 07:58", "01 12:01"),
        ("1001", date(2026, 10, 1), "01 13:00", "01 17:30"),
        ("1002", date(2026, 10, 2), "02 08:00", "—"),  # three punches: flagged, not guessed
        ("1003", date(2026, 10, 1), "01 20:00", "02 05:00"),  # night shift, day it started
    ]
    reasons = [(p.row_number, p.reason) for p in read.problems if p.severity == "warning"]
    assert (5, "the same punch as row 4 (within a minute); ignored") in reasons
    assert any(r == 11 and "3 punches on this day" in t for r, t in reasons)
    assert read.people["1002"] == ("李四", "装配部")
    assert read.rows_left_out == 0


def test_device_attlog_without_header_tab_or_space_separated(tmp_path: Path) -> None:
    read = read_time_records(ff.attlog_dat(tmp_path))
    assert read.recognition.header_rows == ()
    assert intervals(read) == [
        ("1001", date(2026, 10, 1), "01 07:58", "01 17:30"),
        ("1003", date(2026, 10, 1), "01 20:00", "02 05:00"),
    ]
    spaced = read_time_records(ff.attlog_spaces_txt(tmp_path))
    assert [p.minutes for p in spaced.records] == [571]


def test_hikvision_directions_pair_breaks(tmp_path: Path) -> None:
    read = read_time_records(ff.hikvision_csv(tmp_path))
    assert {c.field: c.header for c in read.recognition.columns}["direction"] == (
        "Attendance Status"
    )
    assert [p.minutes for p in read.records] == [242, 360, 570]  # 07:58:03 → 12:00:10


def test_wecom_account_names_and_a_forgotten_clock_out(tmp_path: Path) -> None:
    read = read_time_records(ff.wecom_xlsx(tmp_path))
    assert set(read.people) == {"zhangsan", "lisi"}
    assert intervals(read) == [
        ("lisi", date(2026, 10, 1), "01 08:00", "—"),
        ("lisi", date(2026, 10, 2), "02 08:01", "02 17:00"),
        ("zhangsan", date(2026, 10, 1), "01 07:58", "01 17:31"),
    ]


def test_dingtalk_daily_statistics_on_the_second_sheet(tmp_path: Path) -> None:
    read = read_time_records(ff.dingtalk_workbook(tmp_path))
    assert read.recognition.sheet == "每日统计"
    assert read.recognition.layout is Layout.DAILY_STATISTICS
    assert any("原始记录" in n.text("en") for n in read.recognition.notes)
    assert intervals(read) == [
        ("1001", date(2026, 10, 12), "12 08:00", "12 17:30"),
        ("1001", date(2026, 10, 13), "13 08:00", "13 17:00"),
        ("1003", date(2026, 10, 12), "12 20:00", "13 05:00"),  # 次日 05:00
    ]
    raw = read_time_records(ff.dingtalk_workbook(tmp_path), sheet="原始记录")
    assert raw.recognition.layout is Layout.PUNCH_LOG
    assert [p.minutes for p in raw.records] == [570]


def test_monthly_grid_with_concatenated_times_and_night_shifts(tmp_path: Path) -> None:
    read = read_time_records(ff.monthly_grid_xlsx(tmp_path))
    assert read.recognition.layout is Layout.MONTHLY_GRID
    assert read.recognition.period == (date(2026, 10, 1), date(2026, 10, 31))
    assert read.recognition.period_source == "title"
    assert intervals(read) == [
        ("1001", date(2026, 10, 1), "01 07:58", "01 11:58"),
        ("1001", date(2026, 10, 1), "01 13:02", "01 17:31"),
        ("1001", date(2026, 10, 2), "02 08:00", "02 12:00"),
        ("1001", date(2026, 10, 2), "02 13:00", "02 17:00"),
        ("1003", date(2026, 10, 1), "01 20:00", "02 05:00"),
        ("1003", date(2026, 10, 2), "02 20:00", "03 05:00"),
    ]


@pytest.mark.parametrize("build", [ff.merged_code_xlsx, ff.merged_code_xls])
def test_merged_worker_codes_give_every_day_and_both_breaches(
    tmp_path: Path, build: Callable[[Path], Path]
) -> None:
    read = read_time_records(build(tmp_path))
    assert read.rows_left_out == 0
    assert len(read.records) == 28  # 13 days × 2 + 2
    assert {p.worker_code for p in read.records} == {"1001", "1002"}
    assert breaches(read) == [
        ("1001", "rest_days_per_week"),
        ("1002", "overtime_hours_per_day_special"),
    ]


def test_ods_punch_log_with_a_direction_column(tmp_path: Path) -> None:
    read = read_time_records(ff.punch_log_ods(tmp_path))
    assert read.recognition.layout is Layout.PUNCH_LOG
    assert [p.minutes for p in read.records] == [242, 240]


def test_payroll_two_row_merged_header_title_period_totals_row(tmp_path: Path) -> None:
    read = read_pay_records(ff.payroll_xlsx(tmp_path))
    recognition = read.recognition
    assert recognition.layout is Layout.PAYROLL
    assert recognition.header_rows == (2, 3)
    assert recognition.period == (date(2026, 10, 1), date(2026, 10, 31))
    assert {c.field: c.header for c in recognition.columns}["base_pay"] == "应发工资/基本工资"
    assert read.parsed.skipped == {"totals row": 1}
    by_code: dict[str, PayRecord] = {r.worker_code: r for r in read.records}
    assert by_code["1001"].base_pay == Decimal("2600.00")
    assert by_code["1001"].overtime_pay == Decimal("1045.50")
    assert by_code["1001"].allowances == Decimal(100)
    assert by_code["1001"].net_pay == Decimal("3545.50")
    assert by_code["1002"].base_pay == Decimal("2600.00")  # full-width digits
    assert by_code["1003"].period_start == date(2026, 10, 1)
    assert read.errors == []


def test_ambiguous_decimal_marks_are_errors_and_the_import_needs_acceptance(
    tmp_path: Path,
) -> None:
    read = read_pay_records(ff.payroll_ambiguous_csv(tmp_path))
    assert [(p.row_number, p.reason.split(":")[0]) for p in read.errors] == [
        (3, "ambiguous decimal mark"),
        (4, "ambiguous decimal mark"),
    ]
    assert [r.worker_code for r in read.records] == ["1003"]
    assert read.left_out_by_person() == {
        "1001": {"ambiguous decimal mark": 1},
        "1002": {"ambiguous decimal mark": 1},
    }
    assert read.needs_acceptance
    assert any("needs your explicit acceptance" in line.text("en") for line in read.summary_lines())


def test_a_row_left_out_is_counted_for_its_person_and_never_silent(tmp_path: Path) -> None:
    read = read_time_records(ff.worker_day_gbk_csv(tmp_path))
    assert read.rows_read == 3 and read.rows_left_out == 1
    assert read.left_out_by_person() == {"1002": {"unreadable time": 1}}
    lines = read.summary_lines()
    assert "  1002: 1 row(s) left out — 1 unreadable time; figures may be low" in [
        line.text("en") for line in lines
    ]
    assert "  1002：1 行未导入 — 1 行无法读取的时间；数据可能偏低" in [
        line.text("zh") for line in lines
    ]
    assert read.needs_acceptance  # 1 of 3 rows > 2 %


def test_mapping_overrides_sheet_layout_header_rows_and_period(tmp_path: Path) -> None:
    mapping = mapping_from_dict(
        {
            "layout": "payroll",
            "header_rows": [2, 3],
            "fields": {
                "worker_code": "工号",
                "base_pay": "应发工资/基本工资",
                "net_pay": "实发工资",
            },
            "constants": {"period": "2026-09"},
        },
        PAY_FIELDS,
    )
    read = read_pay_records(ff.payroll_xlsx(tmp_path), mapping)
    assert {r.period_start for r in read.records} == {date(2026, 9, 1)}
    assert read.recognition.period_source == "mapping"
    assert read.mapping.to_dict()["constants"] == {"period": "2026-09"}
    with pytest.raises(UserError, match="unknown layout 'grid'"):
        mapping_from_dict({"layout": "grid", "fields": {}}, TIME_FIELDS)
    with pytest.raises(UserError, match="no sheet named 'x'"):
        read_time_records(ff.dingtalk_workbook(tmp_path), sheet="x")


def test_unknown_layout_says_what_was_found_on_each_sheet(tmp_path: Path) -> None:
    path = ff.write_text(tmp_path / "notes.csv", ["姓名,电话", "张三,123"])
    with pytest.raises(UserError, match=r"^notes\.csv: no attendance records recognised ") as e:
        read_time_records(path)
    # what was found on each sheet reads in the reader's language too
    assert "（工作表 notes：" in e.value.text("zh") and "sheet notes" not in e.value.text("zh")


def test_one_sheet_per_month_read_together_shifts_across_the_sheets(tmp_path: Path) -> None:
    read = read_time_records(ff.monthly_sheets_xlsx(tmp_path))
    assert intervals(read) == [
        ("1001", date(2026, 10, 1), "01 08:00", "01 17:00"),
        ("1003", date(2026, 9, 30), "30 20:00", "01 05:00"),  # 9月 → 10月
    ]
    assert [(p.file, p.row_number) for p in read.errors] == [("打卡记录2026.xlsx, sheet 10月", 3)]
    assert read.left_out_by_person() == {"1001": {"unreadable time": 1}}
    assert read.recognition.period == (date(2026, 9, 30), date(2026, 10, 1))
    notes = [n.text("en") for n in read.recognition.notes]
    assert "sheets read, all punch-log: 9月, 10月" in notes
    assert "已读取的工作表（均为 punch-log）：9月, 10月" in [
        n.text("zh") for n in read.recognition.notes
    ]
    one = read_time_records(ff.monthly_sheets_xlsx(tmp_path), sheet="9月")
    assert intervals(one) == [("1003", date(2026, 9, 30), "30 20:00", "—")]


def test_terminal_grid_with_label_rows_and_the_month_in_the_sheet_name(tmp_path: Path) -> None:
    read = read_time_records(ff.terminal_grid_xlsx(tmp_path))
    assert read.recognition.layout is Layout.MONTHLY_GRID
    assert read.recognition.period_source == "sheet name"
    assert read.people == {"1001": ("张三", "装配部"), "1002": ("李四", "装配部")}
    assert intervals(read) == [
        ("1001", date(2026, 10, 1), "01 07:58", "01 17:02"),
        ("1001", date(2026, 10, 2), "02 08:00", "02 12:00"),
        ("1001", date(2026, 10, 2), "02 13:00", "02 17:00"),
    ]
    assert [(p.row_number, p.column, p.reason) for p in read.errors] == [
        (6, "2", "unreadable time '7.58'")
    ]
    assert read.left_out_by_person() == {"1002": {"unreadable time": 1}}


def test_a_mapping_that_forces_the_wrong_layout_says_so(tmp_path: Path) -> None:
    mapping = mapping_from_dict({"layout": "monthly-grid", "fields": {}}, TIME_FIELDS)
    with pytest.raises(UserError, match=r"sheet 考勤: no row numbers the days .* not a monthly"):
        read_time_records(ff.worker_day_gbk_csv(tmp_path), mapping)
    with pytest.raises(UserError, match="layout payroll holds pay records"):
        read_time_records(
            ff.worker_day_gbk_csv(tmp_path),
            mapping_from_dict({"layout": "payroll", "fields": {}}, TIME_FIELDS),
        )


def test_empty_files_and_sheets_say_so_in_one_line(tmp_path: Path) -> None:
    import openpyxl

    empty = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(
        UserError, match=r"^空\.xlsx: no attendance records recognised \(sheet Sheet: empty\)"
    ):
        read_time_records(empty)
    nothing = tmp_path / "nothing.csv"
    nothing.write_bytes(b"")
    with pytest.raises(UserError, match=r"^nothing\.csv: the file is empty$"):
        read_pay_records(nothing)
