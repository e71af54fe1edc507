"""`office factory …` and `office plan …`: the same functions as the console, from a shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.office.console.outbox import outbox_dir

from ..bundle_world import World


def test_plan_a_visit_from_the_command_line(
    office: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    where = ["--office-dir", str(office.office_dir)]
    assert main(["office", "factory", "add", "CN-C1", "--name", "Canal Toys", "--region",
                 "Zhejiang", "--seal-issued", "2026-12-05", *where]) == 0  # fmt: skip
    assert main(["office", "plan", "blackout", "add", "Chinese New Year", "--from", "2027-02-01",
                 "--to", "2027-02-20", *where]) == 0  # fmt: skip
    assert main(["office", "plan", "unavailable", "CN-C1", "--from", "2027-03-08", "--to",
                 "2027-03-09", "--reason", "brand audit", *where]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["office", "plan", "assign", "CN-C1", "--specialist", "lin.mei@example.org",
                 "--date", "2027-02-10", "--man-days", "2", "--json", *where]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["warnings"] == [
        "2027-02-10 falls in the blackout period Chinese New Year (2027-02-01 to 2027-02-20)"
    ]
    assert Path(result["published"]).parent == outbox_dir(office.office_dir, "lin.mei@example.org")
    assert main(["office", "plan", "board", "--today", "2027-01-15", "--json", *where]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["ietp_id"] == "CN-C1"]
    assert rows == [
        {
            "region": "Zhejiang",
            "ietp_id": "CN-C1",
            "name_en": "Canal Toys",
            "window_opens": "2027-02-05",
            "window_closes": "2027-04-05",
            "state": "not_yet_due",
            "plan": "planned",
            "visit_uuid": result["visit_uuid"],
            "specialist": "lin.mei@example.org",
            "date": "2027-02-10",
            "warnings": [
                "2027-02-10 falls in the blackout period Chinese New Year (2027-02-01 to "
                "2027-02-20)"
            ],
        }
    ]
    assert main(["office", "plan", "confirm", result["visit_uuid"], "--date", "2027-03-01",
                 *where]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith(f"visit {result['visit_uuid'][:8]} confirmed")
    assert main(["office", "plan", "board", "--today", "2027-01-15", "--json", *where]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["ietp_id"] == "CN-C1"]
    assert (row["plan"], row["date"], row["warnings"]) == ("confirmed", "2027-03-01", [])
    letter = tmp_path / "letter.pdf"
    assert main(["office", "plan", "letter", result["visit_uuid"], "--out", str(letter),
                 *where]) == 0  # fmt: skip
    assert letter.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["office", "plan", "blackout", "list", "--year", "2027", "--json", *where]) == 0
    assert [b["name"] for b in json.loads(capsys.readouterr().out)] == ["Chinese New Year"]


def test_a_refused_import_prints_the_row_and_stores_nothing(
    office: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    where = ["--office-dir", str(office.office_dir)]
    path = tmp_path / "list.csv"
    path.write_bytes("工厂编号,工厂名称,人数\nCN-D1,甲厂,10\nCN-D2,乙厂,-3\n".encode("gbk"))
    assert main(["office", "factory", "import", str(path), *where]) != 0
    err = capsys.readouterr().err
    assert "list.csv row 3, column C (人数): -3 is not a whole number of workers" in err
    assert main(["office", "factory", "list", "--json", "--search", "CN-D", *where]) == 0
    assert json.loads(capsys.readouterr().out) == []
