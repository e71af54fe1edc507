"""CAP XLSX round trip as a factory would do it, and files that must be refused whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.outcome import cap, cap_xlsx, findings
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(
        db,
        factories.FactoryInput(
            "IETP-T-1", "Test Toys", "测试玩具", seal_issued_on=date(2026, 6, 1)
        ),
    )
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), date(2026, 8, 20))
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    for classification, title in (
        ("standard_nc", "Overtime above 36 h/month"),
        ("observation", "Notice board out of date"),
        ("transparency", "Second set of time cards"),
    ):
        findings.add_finding(
            db, planned.uuid, findings.FindingInput(classification, f"{title}.", title=title)
        )
    yield db, planned.uuid
    db.dispose()


def snapshot(db: Database, uuid: str) -> list[dict[str, object]]:
    return [asdict(line) for line in cap.list_cap_lines(db, uuid)]


def data_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {
        sheet.cell(row, 1).value: row
        for row in range(cap_xlsx.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row, 1).value
    }


def test_export_is_bilingual_with_one_row_per_cap_line(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    book = openpyxl.load_workbook(out)
    sheet = book["CAP"]
    assert sheet["A1"].value == "Corrective Action Plan / 纠正措施计划"
    headers = [sheet.cell(cap_xlsx.HEADER_ROW, c).value for c in range(1, 10)]
    assert "Corrective action / 纠正措施" in headers
    assert "Status / 状态" in headers
    instructions = " ".join(str(sheet.cell(r, 1).value) for r in range(3, 7))
    assert "YYYY-MM-DD" in instructions and "填写" in instructions
    rows = data_rows(sheet)
    assert list(rows) == ["F01", "F03"]  # the observation has no CAP line
    assert "Overtime above 36 h/month" in sheet.cell(rows["F01"], 3).value
    assert sheet.cell(rows["F03"], 2).value.startswith("Transparency")
    assert sheet.cell(rows["F01"], 8).value == "Open / 未完成"
    assert sheet.cell(rows["F01"], 7).value.date() == date(2026, 10, 1)  # 30 days after the visit
    status_lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert status_lists and "In progress / 进行中" in status_lists[0].formula1
    assert sheet.protection.sheet and not sheet.cell(rows["F01"], 4).protection.locked
    assert sheet.cell(rows["F01"], 1).protection.locked
    assert book["ietp_meta"].sheet_state == "veryHidden"


def test_round_trip_applies_what_the_factory_filled_in(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    book = openpyxl.load_workbook(out)
    sheet = book["CAP"]
    rows = data_rows(sheet)
    sheet.cell(rows["F01"], 4).value = "Hired 20 workers for the assembly line"
    sheet.cell(rows["F01"], 6).value = "Zhang Min"
    sheet.cell(rows["F01"], 7).value = datetime(2026, 10, 20)
    sheet.cell(rows["F01"], 8).value = "In progress / 进行中"
    sheet.cell(rows["F03"], 8).value = "已完成"
    sheet.cell(rows["F03"], 9).value = "原始考勤已归档 / originals filed"
    book.save(out)

    report = cap_xlsx.import_cap_xlsx(db, uuid, out)
    assert report.problems == ()
    assert {(c.finding_code, c.field, c.old, c.new) for c in report.changes} == {
        ("F01", "corrective_action", "", "Hired 20 workers for the assembly line"),
        ("F01", "responsible", "", "Zhang Min"),
        ("F01", "due_date", "2026-10-01", "2026-10-20"),
        ("F01", "status", "open", "in_progress"),
        ("F03", "status", "open", "closed"),
        ("F03", "factory_remark", "", "原始考勤已归档 / originals filed"),
    }
    lines = {line.finding_code: line for line in cap.list_cap_lines(db, uuid)}
    assert lines["F01"].status == "in_progress" and lines["F01"].due_date == date(2026, 10, 20)
    assert lines["F01"].responsible == "Zhang Min"
    assert lines["F03"].status == "closed"
    assert lines["F03"].factory_remark == "原始考勤已归档 / originals filed"
    # importing the same file again changes nothing
    assert cap_xlsx.import_cap_xlsx(db, uuid, out).changes == ()


def test_unreadable_rows_are_reported_and_the_rest_imported(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    book = openpyxl.load_workbook(out)
    sheet = book["CAP"]
    rows = data_rows(sheet)
    sheet.cell(rows["F01"], 7).value = "next week"
    sheet.cell(rows["F01"], 4).value = "would be lost with the bad date"
    sheet.cell(rows["F03"], 4).value = "Time cards reconciled"
    sheet.cell(rows["F03"], 8).value = "done-ish"
    sheet.cell(20, 4).value = "a note without a finding"
    book.save(out)
    report = cap_xlsx.import_cap_xlsx(db, uuid, out)
    assert report.changes == ()
    assert [(p.row, p.reason.split(";")[0]) for p in report.problems] == [
        (rows["F01"], "due date 'next week' is not a date (use YYYY-MM-DD)"),
        (
            rows["F03"],
            "status 'done-ish' is not one of Open / 未完成, In progress / 进行中, Closed / 已完成",
        ),
        (20, "the finding code is empty"),
    ]


def _refused(db: Database, uuid: str, path: Path, message: str) -> None:
    before = snapshot(db, uuid)
    with pytest.raises(UserError, match=message) as caught:
        cap_xlsx.import_cap_xlsx(db, uuid, path)
    assert "nothing was imported" in str(caught.value).lower()
    assert snapshot(db, uuid) == before


def _filled(path: Path) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(path)
    sheet = book["CAP"]
    for row in data_rows(sheet).values():
        sheet.cell(row, 8).value = "Closed / 已完成"
        sheet.cell(row, 4).value = "Fixed"
    return book


def test_file_from_another_visit_is_refused_and_nothing_changes(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    other = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 20))
    lifecycle.confirm_visit(db, other.uuid, date(2026, 9, 20), None)
    lifecycle.start_visit(db, other.uuid, date(2026, 9, 20))
    findings.add_finding(db, other.uuid, findings.FindingInput("standard_nc", "Blocked exit"))
    out = cap_xlsx.export_cap_xlsx(db, other.uuid, tmp_path / "other.xlsx")
    _filled(out).save(out)
    _refused(db, uuid, out, f"CAP form of visit {other.uuid[:8]}, not of visit {uuid[:8]}")


def test_damaged_and_foreign_files_are_refused(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(out.read_bytes()[: len(out.read_bytes()) // 2])
    _refused(db, uuid, damaged, "damaged.xlsx is not an XLSX file or is damaged")
    text = tmp_path / "notes.xlsx"
    text.write_text("just some text", encoding="utf-8")
    _refused(db, uuid, text, "notes.xlsx is not an XLSX file")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    _refused(db, uuid, plain, "plain.xlsx is not a CAP form exported by this program")


def test_changed_finding_code_is_refused_and_nothing_changes(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    book = _filled(out)
    sheet = book["CAP"]
    sheet.cell(data_rows(sheet)["F03"], 1).value = "F07"
    book.save(out)
    _refused(db, uuid, out, r"row \d+: finding 'F07' is not one of the findings")


def test_changed_hidden_finding_id_is_refused_and_nothing_changes(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    book = _filled(out)
    meta = book["ietp_meta"]
    for row in meta.iter_rows():
        if row[0].value == "finding" and row[2].value == "F01":
            row[1].value = 9999
    book.save(out)
    _refused(db, uuid, out, r"finding F01 \(id 9999\) of this form is no longer a CAP line")


def test_finding_deleted_after_export_is_refused(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    out = cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    findings.delete_finding(db, uuid, "F03")
    _filled(out).save(out)
    _refused(db, uuid, out, "finding F03 .* export a new CAP form")


def test_visit_without_cap_lines_has_nothing_to_export(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    findings.delete_finding(db, uuid, "F01")
    findings.delete_finding(db, uuid, "F03")
    with pytest.raises(UserError, match="has no CAP line"):
        cap_xlsx.export_cap_xlsx(db, uuid, tmp_path / "cap.xlsx")
    assert not (tmp_path / "cap.xlsx").exists()
