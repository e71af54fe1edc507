"""`ietp-desktop cap …` and `visits outcome|override|fee` as a specialist types them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ietp_desktop.cli import main
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace


@pytest.fixture
def data_dir(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "data"
    db = open_workspace(data)
    factories.add_factory(db, factories.FactoryInput("IETP-T-1", "Test Toys"))
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), None)
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    findings.add_finding(
        db,
        planned.uuid,
        findings.FindingInput("zero_tolerance", "Worker aged 15", title="Underage"),
    )
    findings.add_finding(
        db, planned.uuid, findings.FindingInput("transparency", "Two ledgers", title="Ledgers")
    )
    db.dispose()
    return data, planned.uuid


def run(data: Path, *argv: str) -> int:
    return main(["--data-dir", str(data), *argv])


def test_outcome_json_names_recommendation_and_drivers(
    data_dir: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, uuid = data_dir
    assert run(data, "visits", "outcome", uuid[:8], "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["recommended"] == "termination_zero_tolerance"
    assert shown["drivers"] == [["F01", "zero_tolerance", "Underage"]]
    assert shown["overridden"] is False


def test_override_needs_a_reason_then_shows_both(
    data_dir: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, uuid = data_dir
    assert run(data, "visits", "override", uuid, "--outcome", "status_review_transparency") == 1
    assert "needs a written reason" in capsys.readouterr().err
    assert (
        run(
            data,
            "visits",
            "override",
            uuid,
            "--outcome",
            "status_review_transparency",
            "--reason",
            "ID card was forged; IETP asked to review only",
        )
        == 0
    )
    capsys.readouterr()
    assert run(data, "visits", "outcome", uuid) == 0
    out = capsys.readouterr().out
    assert "Recommended  Termination (zero tolerance) — referred to IETP" in out
    assert "Final        Status review — transparency; CAP required (overridden)" in out
    assert "Reason       ID card was forged; IETP asked to review only" in out


def test_cap_export_edit_import_and_list(
    data_dir: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, uuid = data_dir
    out = tmp_path / "cap.xlsx"
    assert run(data, "cap", "export", uuid, "--out", str(out)) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["CAP"]
    sheet.cell(9, 8).value = "Closed / 已完成"
    sheet.cell(10, 7).value = "2026/09/30"
    book.save(out)
    capsys.readouterr()
    assert run(data, "cap", "import", uuid, str(out)) == 0
    report = capsys.readouterr().out
    assert "2 change(s) imported from cap.xlsx" in report
    assert "F01 status: open → closed" in report
    assert "F02 due_date: 2026-09-15 → 2026-09-30" in report
    assert run(data, "cap", "list", uuid, "--json") == 0
    lines = json.loads(capsys.readouterr().out)
    assert [(x["finding_code"], x["status"], x["due_date"]) for x in lines] == [
        ("F01", "closed", "2026-09-08"),
        ("F02", "open", "2026-09-30"),
    ]


def test_cap_import_of_a_damaged_file_fails_cleanly(
    data_dir: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, uuid = data_dir
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert run(data, "cap", "import", uuid, str(bad)) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx is not an XLSX file or is damaged" in err
    assert "Traceback" not in err


def test_cap_set_and_fee_note(
    data_dir: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, uuid = data_dir
    assert (
        run(
            data,
            "cap",
            "set",
            uuid,
            "F02",
            "--status",
            "in_progress",
            "--due",
            "2026-10-09",
            "--action",
            "Single ledger",
            "--responsible",
            "Zhang Min",
        )
        == 0
    )
    assert "CAP line F02: in_progress, due 2026-10-09" in capsys.readouterr().out
    assert (
        run(
            data,
            "visits",
            "fee",
            uuid,
            "--man-days",
            "2",
            "--day-rate",
            "900",
            "--invoice-received",
            "2026-09-30",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Fee             US$ 1500 (capped at US$ 1500)" in out
    assert "Before the cap  US$ 1800.00" in out
    assert "Due             2026-10-27" in out
