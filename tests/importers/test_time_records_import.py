import json
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ietp_desktop.domain.errors import UserError
from ietp_desktop.importers.mapping import TIME_FIELDS, load_mapping
from ietp_desktop.importers.time_records import preview_time_records

SAMPLE = {"1001", "1002", "1003"}
CN_HEADER = "工号,姓名,部门,日期,上班1,下班1,上班2,下班2\n"


def write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def problems(preview) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row_number, p.column, p.reason, p.severity) for p in preview.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_headers_in_any_common_encoding(tmp_path: Path, encoding: str) -> None:
    row = "1001,张三,装配,2026-10-01,08:00,12:00,13:00,17:30\n"
    path = write(tmp_path, "考勤.csv", CN_HEADER + row, encoding)
    preview = preview_time_records(path, None, SAMPLE)
    assert preview.problems == []
    assert preview.mapping.fields == {
        "worker_code": "工号",
        "name": "姓名",
        "department": "部门",
        "date": "日期",
        "in_1": "上班1",
        "out_1": "下班1",
        "in_2": "上班2",
        "out_2": "下班2",
    }
    assert [(p.start, p.end) for p in preview.rows] == [
        (datetime(2026, 10, 1, 8), datetime(2026, 10, 1, 12)),
        (datetime(2026, 10, 1, 13), datetime(2026, 10, 1, 17, 30)),
    ]


def test_title_rows_blank_lines_semicolons_and_text_formats(tmp_path: Path) -> None:
    content = (
        "Attendance report;;;\n;;;\nOctober 2026;;;\n"
        "Employee ID;Date;Clock In;Clock Out\n"
        "1001;2026/10/1;8:00:00;17:00:00\n"
        ";;;\n"
        "1001;02/10/2026;0800;1700\n"  # day first: 2 October
        "1001;2026年10月3日;08:00;17:00\n"
        "1001;46299;8:00 AM;5:00 PM\n"  # Excel serial 46296 is 2026-10-01
    )
    preview = preview_time_records(write(tmp_path, "a.csv", content), None, SAMPLE)
    assert preview.header_row == 4
    assert problems(preview) == []
    assert [p.work_date for p in preview.rows] == [
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 3),
        date(2026, 10, 4),
    ]
    assert {p.minutes for p in preview.rows} == {540}
    assert preview.row_numbers == [5, 7, 8, 9]


def test_night_shift_crosses_midnight_only_when_plausible(tmp_path: Path) -> None:
    content = CN_HEADER + (
        "1001,,,2026-10-05,20:00,23:30,00:30,05:00\n"  # night shift with a break after midnight
        "1002,,,2026-10-05,22:00,06:00,,\n"
        "1003,,,2026-10-05,08:00,07:00,,\n"  # 23 h if it crossed midnight: refused
    )
    preview = preview_time_records(write(tmp_path, "n.csv", content), None, SAMPLE)
    assert problems(preview) == [(4, "下班1", "clock-out before clock-in", "error")]
    assert [(p.worker_code, p.work_date, p.start, p.end) for p in preview.rows] == [
        ("1001", date(2026, 10, 5), datetime(2026, 10, 5, 20), datetime(2026, 10, 5, 23, 30)),
        ("1001", date(2026, 10, 5), datetime(2026, 10, 6, 0, 30), datetime(2026, 10, 6, 5)),
        ("1002", date(2026, 10, 5), datetime(2026, 10, 5, 22), datetime(2026, 10, 6, 6)),
    ]


def test_duplicates_missing_punch_and_bad_rows_each_reported(tmp_path: Path) -> None:
    content = CN_HEADER + (
        "1001,,,2026-10-01,08:00,17:00,,\n"
        "1001,,,2026-10-01,08:00,17:00,,\n"  # exported twice
        "1002,,,2026-10-01,08:00,,,\n"  # forgot to clock out
        "1999,,,2026-10-01,08:00,17:00,,\n"  # not in the sample
        "1003,,,10/13/2026,08:00,17:00,,\n"  # month 13: day-first rule refuses
        "1003,,,2026-10-02,8h,17:00,,\n"
        "1003,,,2026-10-03,08:00,17:00,12:00,18:00\n"  # second pair overlaps the first
        ",,,2026-10-04,08:00,17:00,,\n"
    )
    preview = preview_time_records(write(tmp_path, "d.csv", content), None, SAMPLE)
    assert problems(preview) == [
        (3, "", "duplicate of row 2; ignored", "warning"),
        (
            4,
            "下班1",
            "missing clock-out: the day is flagged and its hours are not counted",
            "warning",
        ),
        (5, "工号", "worker code 1999 is not in the worker sample", "error"),
        (6, "日期", "unreadable date '10/13/2026'", "error"),
        (7, "上班1", "unreadable time '8h'", "error"),
        (8, "上班2", "clock-in before the previous clock-out", "error"),
        (9, "工号", "no worker code", "error"),
    ]
    assert all(p.file == "d.csv" for p in preview.problems)
    assert [(p.worker_code, p.end is None) for p in preview.rows] == [
        ("1001", False),
        ("1002", True),
    ]


def test_overlapping_rows_for_one_worker(tmp_path: Path) -> None:
    content = CN_HEADER + ("1001,,,2026-10-01,20:00,04:00,,\n1001,,,2026-10-02,02:00,10:00,,\n")
    preview = preview_time_records(write(tmp_path, "o.csv", content), None, SAMPLE)
    assert problems(preview) == [
        (3, "", "overlaps the punch on row 2 (until 2026-10-02 04:00)", "error")
    ]
    assert len(preview.rows) == 1


def test_unknown_columns_and_missing_required_columns(tmp_path: Path) -> None:
    content = "工号,日期,上班,下班,Shoe size\n1001,2026-10-01,08:00,17:00,42\n"
    preview = preview_time_records(write(tmp_path, "u.csv", content), None, SAMPLE)
    assert preview.unmapped_columns == ["Shoe size"]
    assert problems(preview) == [(1, "Shoe size", "column not recognised; ignored", "warning")]

    no_out = write(tmp_path, "m.csv", "工号,日期,上班\n1001,2026-10-01,08:00\n")
    preview = preview_time_records(no_out, None, SAMPLE)
    assert problems(preview) == [
        (1, "", "no column for out_1; map one in a column mapping file", "error")
    ]
    assert preview.rows == []


def test_mapping_file_overrides_the_suggestion(tmp_path: Path) -> None:
    mapping_path = tmp_path / "map.json"
    mapping_path.write_text(
        json.dumps({"worker_code": "Badge", "in_1": "Arrive", "out_1": "Leave"}), encoding="utf-8"
    )
    mapping = load_mapping(mapping_path, TIME_FIELDS)
    content = "Badge,Date,Arrive,Leave\n1001,2026-10-01,07:30,16:30\n"
    preview = preview_time_records(write(tmp_path, "x.csv", content), mapping, SAMPLE)
    assert preview.problems == []
    assert preview.rows[0].start == datetime(2026, 10, 1, 7, 30)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"shoe": "Badge"}', encoding="utf-8")
    with pytest.raises(UserError, match=r"wrong\.json: unknown field 'shoe'"):
        load_mapping(wrong, TIME_FIELDS)


def test_xlsx_with_merged_title_date_cells_serials_and_time_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["东莞某玩具厂 2026年10月考勤表"])
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["员工编号", "姓名", "日期", "上班", "下班"])
    ws.append([1001, "张三", date(2026, 10, 1), time(8, 0), time(17, 0)])
    ws.append([1002, "李四", 46296, "08:00", 0.75])  # serial number and day fraction
    ws.append(
        [1003, "王五", datetime(2026, 10, 1), datetime(2026, 10, 1, 20), datetime(2026, 10, 2, 5)]
    )
    path = tmp_path / "att.xlsx"
    wb.save(path)
    preview = preview_time_records(path, None, SAMPLE)
    assert preview.problems == []
    assert preview.header_row == 3
    assert [(p.worker_code, p.work_date, p.minutes) for p in preview.rows] == [
        ("1001", date(2026, 10, 1), 540),
        ("1002", date(2026, 10, 1), 600),
        ("1003", date(2026, 10, 1), 540),
    ]


def test_unreadable_files_raise_user_error_naming_the_file(tmp_path: Path) -> None:
    fake = tmp_path / "broken.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(UserError, match=r"^broken\.xlsx: cannot open the workbook"):
        preview_time_records(fake, None, SAMPLE)
    with pytest.raises(UserError, match=r"^missing\.csv: cannot open the file"):
        preview_time_records(tmp_path / "missing.csv", None, SAMPLE)
    with pytest.raises(UserError, match=r"^notes\.csv: no header row found"):
        preview_time_records(write(tmp_path, "notes.csv", "hello\nworld\n"), None, SAMPLE)
    with pytest.raises(UserError, match=r"^x\.pdf: not a file type for records"):
        preview_time_records(write(tmp_path, "x.pdf", "%PDF"), None, SAMPLE)


_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "08:00",
            "25:00",
            "0800",
            "2026-10-01",
            "2026/2/30",
            "46296",
            "",
            "-1",
            "1001",
            "下班",
            "12:00 PM",
            "00:00",
            "24:00",
            "1e9",
            "nan",
            '"',
            ";",
        ]
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_cell, min_size=0, max_size=7), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_random_rows_never_raise_anything_but_user_error(
    tmp_path: Path, rows: list[list[str]], encoding: str
) -> None:
    lines = ["工号,日期,上班1,下班1,上班2,下班2,部门"] + [",".join(r) for r in rows]
    path = tmp_path / "random.csv"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    try:
        preview = preview_time_records(path, None, {"1001"})
    except UserError:
        return
    for p in preview.problems:
        assert p.file == "random.csv" and p.row_number >= 1 and p.reason
