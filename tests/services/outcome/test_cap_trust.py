"""Issue 17 problems 4 and 5 from the factory's side: no formula crosses into or out of the CAP
workbook, and a workbook too large to be a CAP form is refused before it is read. Each refusal
leaves the CAP lines unchanged."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.outcome import cap, cap_xlsx
from ietp_desktop.storage.db import Database
from tests.services.outcome.test_cap_xlsx import data_rows, snapshot, workspace

__all__ = ["workspace"]

DDE = "=cmd|' /C calc'!A0"


def _rewrite(source: Path, out: Path, change: dict[str, bytes | None]) -> Path:
    """`source` with parts replaced (bytes), removed (None) or added, deflated like Excel."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in change:
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)
    return out


def test_5_text_that_looks_like_a_formula_is_written_as_text(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    code = cap.list_cap_lines(db, uuid)[0].finding_code
    cap.update_cap_line(db, uuid, code, cap.CapChanges(corrective_action=DDE, responsible="+1 HR"))
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    sheet = openpyxl.load_workbook(out)[cap_xlsx.SHEET]
    row = data_rows(sheet)[code]
    cell = sheet.cell(row, cap_xlsx.COLUMN["corrective_action"])
    assert (cell.value, cell.data_type) == (DDE, "s")
    with zipfile.ZipFile(out) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")


def test_5_formulas_coming_back_are_never_read_through_their_cached_value(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    workbook = openpyxl.load_workbook(out)
    sheet = workbook[cap_xlsx.SHEET]
    _code, row = next(iter(data_rows(sheet).items()))
    sheet.cell(row, cap_xlsx.COLUMN["status"]).value = '=IF(1,"Closed","Open")'
    sheet.cell(row, cap_xlsx.COLUMN["factory_remark"]).value = '=WEBSERVICE("http://x.example")'
    workbook.save(out)
    before = snapshot(db, uuid)
    report = cap_xlsx.import_cap_xlsx(db, uuid, out)
    assert report.changes == ()
    [problem] = report.problems
    assert problem.row == row and "holds a formula; type the value itself" in problem.reason
    assert snapshot(db, uuid) == before  # the line stays open


def test_5_external_links_and_dde_refuse_the_workbook(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<ddeLink ddeService="cmd" ddeTopic="/C calc"/></externalLink>'
    )
    bad = _rewrite(out, tmp_path / "dde.xlsx", {"xl/externalLinks/externalLink1.xml": link})
    before = snapshot(db, uuid)
    with pytest.raises(UserError, match="links to other workbooks or programs"):
        cap_xlsx.import_cap_xlsx(db, uuid, bad)
    assert snapshot(db, uuid) == before


def test_4_a_small_file_that_unpacks_huge_is_refused_before_reading(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    huge = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        + b"A" * (100 << 20)
        + b"</t></si></sst>"
    )
    bad = _rewrite(out, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": huge})
    assert bad.stat().st_size < 1 << 20  # well under a megabyte on disk
    before = snapshot(db, uuid)
    with pytest.raises(UserError, match=r"unpacks to [\d,]+ bytes .* nothing was imported"):
        cap_xlsx.import_cap_xlsx(db, uuid, bad)
    assert snapshot(db, uuid) == before


def test_4_a_million_rows_are_refused(workspace: tuple[Database, str], tmp_path: Path) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    workbook = openpyxl.load_workbook(out)
    sheet = workbook[cap_xlsx.SHEET]
    sheet.cell(cap_xlsx.FIRST_ROW + 10_000, 1).value = "X"  # the sheet now spans 10,000 rows
    workbook.save(out)
    before = snapshot(db, uuid)
    with pytest.raises(UserError, match="rows; a CAP form has at most 5,000 lines"):
        cap_xlsx.import_cap_xlsx(db, uuid, out)
    assert snapshot(db, uuid) == before


def test_7_an_undefined_xml_entity_is_a_refusal(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    with zipfile.ZipFile(out) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    bad = _rewrite(
        out,
        tmp_path / "entity.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b"<sheetData>", b"<sheetData>&undefined;", 1)},
    )
    shutil.copyfile(bad, tmp_path / "copy.xlsx")
    before = snapshot(db, uuid)
    with pytest.raises(UserError, match="nothing was imported"):
        cap_xlsx.import_cap_xlsx(db, uuid, bad)
    assert snapshot(db, uuid) == before
