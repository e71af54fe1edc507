"""The one reader: every format, every sheet, merged cells, and bad files refused in one
line before they cost memory."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.importers import workbook
from ietp_desktop.importers.workbook import open_source, read_rows
from tests.importers import factory_files as ff


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("gbk", "\r\n"), ("gb18030", "\n"), ("utf-16", "\n")],
)
def test_csv_in_every_common_encoding(tmp_path: Path, encoding: str, newline: str) -> None:
    path = ff.write_text(tmp_path / "a.csv", ["工号,姓名", "1001,张三"], encoding, newline)
    assert list(read_rows(path)) == [(1, ["工号", "姓名"]), (2, ["1001", "张三"])]


def test_workbook_sheets_and_merged_cells(tmp_path: Path) -> None:
    path = ff.merged_code_xlsx(tmp_path)
    with open_source(path) as source:
        assert source.sheet_names == ["考勤明细"]
        rows = dict(source.rows(0))
    assert rows[1][0] == "员工考勤明细 2026年10月"
    assert [rows[n][0] for n in (3, 9, 15, 16)] == ["1001", "1001", "1001", "1002"]
    assert rows[15][1] == "张三"


def test_xls_and_ods(tmp_path: Path) -> None:
    xls = dict(read_rows(ff.merged_code_xls(tmp_path)))
    assert xls[15][:2] == ["1001", "张三"]  # merged down from row 3
    ods = dict(read_rows(ff.punch_log_ods(tmp_path)))
    assert ods[2] == ["1001", "张三", "2026-10-01", "07:58", "上班"]


def test_a_named_sheet_or_a_clear_refusal(tmp_path: Path) -> None:
    path = ff.dingtalk_workbook(tmp_path)
    assert next(read_rows(path, "原始记录"))[1][0] == "姓名"
    with pytest.raises(
        UserError, match=r"no sheet named '汇总' \(sheets: 月度汇总, 每日统计, 原始记录\)"
    ):
        next(read_rows(path, "汇总"))


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    assert list(read_rows(path)) == []


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    with path.open("wb") as handle:  # sparse: 200 MB without writing them
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(UserError, match=r"^garbage\.csv: the file is 200 MB; files up to 160 MB"):
        open_source(path)


def test_binary_garbage_and_damaged_workbooks(tmp_path: Path) -> None:
    garbage = tmp_path / "data.csv"
    garbage.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(UserError, match=r"^data\.csv: not a text file or a workbook"):
        open_source(garbage)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(ff.merged_code_xlsx(tmp_path).read_bytes()[:2000])
    with pytest.raises(UserError, match=r"^cut\.xlsx: the workbook is damaged"):
        open_source(cut)


def test_password_protected_workbook(tmp_path: Path) -> None:
    # what Excel writes for a password-protected .xlsx: an OLE container, EncryptedPackage
    path = tmp_path / "工资表.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(UserError, match=r"^工资表\.xlsx: the workbook is protected by a password"):
        open_source(path)


def test_a_cell_of_ten_million_characters(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("工号,姓名\n1001," + "x" * 10_000_000 + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"^big\.csv, row 2: a cell longer than 32,767"):
        list(read_rows(path))
    xlsx = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["工号", "姓名"])
    ws.append(["1001", "x" * 10_000_000])
    wb.save(xlsx)
    with pytest.raises(
        UserError,
        match=r"^big\.xlsx, sheet Sheet, row 2, column B: a cell of 32,767 characters or more",
    ):
        list(read_rows(xlsx))


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    path = ff.write_text(tmp_path / "a.csv", ["a,b"] * 5)
    with pytest.raises(UserError, match=r"^a\.csv: more than 3 rows"):
        list(read_rows(path))


def test_text_named_xls_is_read_as_text(tmp_path: Path) -> None:
    path = ff.write_text(tmp_path / "old.xls", ["工号\t日期", "1001\t2026-10-01"])
    assert list(read_rows(path)) == [(1, ["工号", "日期"]), (2, ["1001", "2026-10-01"])]
