"""Time and pay record files, CSV and XLSX, with random headers, cells, encodings and bytes:
the importers return a preview (problems named by file, row and column) or raise UserError,
never another exception; well-formed files import exactly."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ietp_desktop.domain.errors import UserError
from ietp_desktop.importers.pay_records import preview_pay_records
from ietp_desktop.importers.preview import ImportPreview
from ietp_desktop.importers.time_records import preview_time_records

CODES = {"1001", "1002", "1003"}
TIME_HEADERS = [
    "工号",
    "姓名",
    "日期",
    "上班1",
    "下班1",
    "上班2",
    "下班2",
    "Employee ID",
    "Date",
    "Clock In",
    "Clock Out",
    "备注",
    "",
]
PAY_HEADERS = [
    "工号",
    "月份",
    "基本工资",
    "加班费",
    "加班时数",
    "津贴",
    "实发工资",
    "发薪日期",
    "Employee ID",
    "Period",
    "Base Pay",
    "",
]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
XLSX_FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text_cells = st.one_of(
    st.sampled_from(
        [
            "1001",
            "1002",
            "9999",
            "2026-10-01",
            "2026/10/32",
            "08:00",
            "25:61",
            "17:30",
            "2026-10",
            "2600",
            "-5",
            "abc",
            "",
            " ",
            "46299",
            "8:00 AM",
            "2026年10月3日",
            "次日02:00",
            "1e309",
            "NaN",
            "=1+1",
        ]
    ),
    st.text(max_size=12),
)
xlsx_cells = st.one_of(
    st.none(),
    text_cells.filter(lambda t: t.isprintable()),  # openpyxl itself refuses control characters
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, width=32),
    st.dates(date(1990, 1, 1), date(2040, 1, 1)),
    st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)),
    st.times(),
)


def tables(
    headers: list[str], cells: st.SearchStrategy[object]
) -> st.SearchStrategy[list[list[object]]]:
    header = st.lists(st.sampled_from(headers), min_size=1, max_size=8)
    return header.flatmap(
        lambda h: st.lists(st.lists(cells, min_size=0, max_size=len(h) + 1), max_size=12).map(
            lambda body: [list(h), *body]
        )
    )


def csv_bytes(rows: list[list[object]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def check(preview_of: object, path: Path) -> ImportPreview[object] | None:
    try:
        preview = preview_of(path)  # type: ignore[operator]
    except UserError as refused:
        message = str(refused)
        assert path.name in message and "\n" not in message, message
        return None
    for problem in preview.problems:
        assert problem.file == path.name and problem.reason
        assert str(problem).startswith(f"{path.name}, row {problem.row_number}")
    assert len(preview.rows) == len(preview.row_numbers) or not preview.row_numbers
    return preview


def importers() -> dict[str, object]:
    return {
        "time": lambda p: preview_time_records(p, None, CODES),
        "pay": lambda p: preview_pay_records(p, None, CODES, agreed_pay_day=10),
    }


@FUZZ
@given(
    st.sampled_from(("time", "pay")),
    st.data(),
    st.sampled_from((",", ";", "\t", "|")),
    st.sampled_from(("utf-8", "utf-8-sig", "gbk", "utf-16")),
)
def test_random_csv_is_previewed_or_refused_clearly(
    kind: str, data: st.DataObject, delimiter: str, encoding: str
) -> None:
    rows = data.draw(tables(TIME_HEADERS if kind == "time" else PAY_HEADERS, text_cells))
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz-{kind}.csv"
        path.write_bytes(csv_bytes(rows, delimiter, encoding))
        check(importers()[kind], path)


@FUZZ
@given(st.sampled_from(("time", "pay")), st.binary(max_size=400), st.sampled_from(("csv", "xlsx")))
def test_random_bytes_are_refused_clearly(kind: str, blob: bytes, suffix: str) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"garbage.{suffix}"
        path.write_bytes(blob)
        check(importers()[kind], path)


@XLSX_FUZZ
@given(st.sampled_from(("time", "pay")), st.data())
def test_random_xlsx_is_previewed_or_refused_clearly(kind: str, data: st.DataObject) -> None:
    rows = data.draw(tables(TIME_HEADERS if kind == "time" else PAY_HEADERS, xlsx_cells))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz-{kind}.xlsx"
        workbook.save(path)
        check(importers()[kind], path)


shifts = st.tuples(
    st.sampled_from(sorted(CODES)),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    st.integers(6 * 60, 10 * 60),  # start, minutes after midnight
    st.integers(60, 8 * 60),  # length in minutes
)


@FUZZ
@given(st.lists(shifts, max_size=15, unique_by=lambda s: (s[0], s[1])), st.booleans())
def test_well_formed_punches_import_exactly(
    rows: list[tuple[str, date, int, int]], as_xlsx: bool
) -> None:
    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    table: list[list[object]] = [["工号", "日期", "上班1", "下班1"]]
    for code, day, start, length in rows:
        if as_xlsx:
            table.append(
                [
                    code,
                    day,
                    time(start // 60, start % 60),
                    time((start + length) // 60, (start + length) % 60),
                ]
            )
        else:
            table.append([code, day.isoformat(), clock(start), clock(start + length)])
    with TemporaryDirectory() as folder:
        path = Path(folder) / ("punches.xlsx" if as_xlsx else "punches.csv")
        if as_xlsx:
            workbook = openpyxl.Workbook()
            for row in table:
                workbook.active.append(row)
            workbook.save(path)
        else:
            path.write_bytes(csv_bytes(table, ",", "utf-8"))
        preview = check(importers()["time"], path)
    assert preview is not None
    assert preview.errors == []
    got = sorted((p.worker_code, p.start, p.end) for p in preview.rows)
    want = sorted(
        (
            code,
            datetime.combine(day, time()) + timedelta(minutes=start),
            datetime.combine(day, time()) + timedelta(minutes=start + length),
        )
        for code, day, start, length in rows
    )
    assert got == want
