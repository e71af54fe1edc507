"""Importing a factory list: a real-world-ish file goes in whole, a bad row refuses it all."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.factories.import_list import import_factory_list
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.models import Factory

from ..bundle_world import World, office_state

TITLE = "2026年认证工厂名单（深圳办公室）"
HEADER = ["工厂编号", "工厂名称", "英文名称", "城市", "地区", "员工人数", "证书签发日期", "联系人"]
ROWS = [
    ["CN-0417", "东莞星光玩具厂", "Starlight Toys Dongguan", "东莞", "广东", "1,250", "2026/7/1",
     "陈经理"],
    ["CN-0588", "苏州小熊玩具有限公司", "Little Bear Toys", "苏州", "江苏", "380",
     "2026年9月20日", ""],
]  # fmt: skip


def _gbk_csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [TITLE, "", ",".join(HEADER), *(",".join(f'"{c}"' for c in r) for r in rows)]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return path


def _factories(world: World) -> dict[str, Factory]:
    db = open_office_db(world.office_dir)
    with db.session() as session:
        found = {f.ietp_id: f for f in session.scalars(select(Factory))}
        session.expunge_all()
    db.dispose()
    return found


def test_a_gbk_csv_with_a_title_row_and_chinese_headers(office: World, tmp_path: Path) -> None:
    db = open_office_db(office.office_dir)
    result = import_factory_list(db, _gbk_csv(tmp_path / "名单.csv", ROWS), actor="test")
    db.dispose()
    assert result.added == ["CN-0417", "CN-0588"]
    factories = _factories(office)
    star = factories["CN-0417"]
    assert (star.name_zh, star.name_en, star.city, star.region) == (
        "东莞星光玩具厂",
        "Starlight Toys Dongguan",
        "东莞",
        "广东",
    )
    assert star.headcount == 1250 and str(star.seal_issued_on) == "2026-07-01"
    assert str(factories["CN-0588"].seal_issued_on) == "2026-09-20"


def test_an_xlsx_list_updates_registered_factories(office: World, tmp_path: Path) -> None:
    db = open_office_db(office.office_dir)
    import_factory_list(db, _gbk_csv(tmp_path / "a.csv", ROWS), actor="test")
    book = Workbook()
    sheet = book.active
    sheet.append(["IETP id", "Name", "Region", "Headcount", "Seal issue date"])
    from datetime import datetime

    sheet.append(["CN-0417", "Starlight Toys", "Guangdong", 1300, datetime(2026, 7, 2)])
    sheet.append(["CN-0999", "New Toys", "Fujian", 90, datetime(2026, 8, 1)])
    book.save(tmp_path / "list.xlsx")
    result = import_factory_list(db, tmp_path / "list.xlsx", actor="test")
    db.dispose()
    assert (result.added, result.updated) == (["CN-0999"], ["CN-0417"])
    star = _factories(office)["CN-0417"]
    assert (star.headcount, str(star.seal_issued_on), star.region) == (
        1300,
        "2026-07-02",
        "Guangdong",
    )


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            ["CN-0600", "坏日期玩具厂", "", "深圳", "广东", "100", "2026-13-45", ""],
            "名单.csv row 6, column G (证书签发日期): 2026-13-45 is not a date (write YYYY-MM-DD)",
        ),
        (
            ["CN-0600", "人数玩具厂", "", "深圳", "广东", "约200", "2026-01-01", ""],
            "名单.csv row 6, column F (员工人数): 约200 is not a whole number of workers",
        ),
        (
            ["CN-0417", "重复", "", "深圳", "广东", "10", "", ""],
            "名单.csv row 6, column A (工厂编号): factory CN-0417 is already on row 4 of the file",
        ),
        (
            ["", "无编号", "", "深圳", "广东", "10", "", ""],
            "名单.csv row 6, column A (工厂编号): the IETP id is missing",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    office: World, tmp_path: Path, bad_row: list[str], message: str
) -> None:
    before = office_state(office.office_dir)
    db = open_office_db(office.office_dir)
    with pytest.raises(UserError) as refused:
        import_factory_list(db, _gbk_csv(tmp_path / "名单.csv", [*ROWS, bad_row]), actor="t")
    db.dispose()
    assert str(refused.value) == message
    assert office_state(office.office_dir) == before  # nothing stored, not even the good rows


def test_a_file_without_a_recognisable_header_is_refused(office: World, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    db = open_office_db(office.office_dir)
    with pytest.raises(UserError, match=r"notes.csv: no header row in the first 10 rows"):
        import_factory_list(db, path, actor="t")
    db.dispose()
