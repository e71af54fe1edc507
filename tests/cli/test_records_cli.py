"""`ietp-desktop records …` as a user meets it: problems by row, nothing stored, the checks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ietp_desktop.cli import main
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import TimeRecord
from tests.importers import factory_files as ff
from tests.services.hours.records_fixtures import TIME_HEADER, messy_csv, thirteen_days_csv


def stored(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(TimeRecord)) or 0)


@pytest.fixture
def cli(data_dir: Path, started_visit: str) -> Callable[..., int]:
    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--actor", "cli-test", "records", *args])

    for no, gender in (("1001", "female"), ("1002", "male"), ("1003", "female")):
        assert (
            run(
                "add-worker",
                started_visit,
                "--employee-no",
                no,
                "--gender",
                gender,
                "--base-rate",
                "2300",
            )
            == 0
        )
    return run


def test_workers_listing_shows_codes_and_coverage(
    cli: Callable[..., int], started_visit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert cli("workers", started_visit) == 0
    out = capsys.readouterr().out
    assert "W01" in out and "W03" in out and "1002" in out
    assert "3 of about 20 workers sampled (√400)" in out
    assert "No local workers sampled" in out


def test_import_with_problems_lists_each_row_and_stores_nothing(
    cli: Callable[..., int],
    db: Database,
    started_visit: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    path = messy_csv(tmp_path)
    assert cli("import", started_visit, str(path), "--kind", "time") == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert "Layout: worker-day — one row per worker and day, clock-in/clock-out pairs" in lines
    assert any(
        "messy.csv" in line
        and " 4 " in line
        and "下班1" in line
        and "clock-out before clock-in" in line
        for line in lines
    )
    assert any(" 3 " in line and "日期" in line for line in lines)
    assert "  1002: 1 row(s) left out — 1 clock-out before clock-in" in lines
    assert "2 of 4 rows (50.0%) cannot be read; nothing was stored" in captured.err
    assert stored(db) == 0

    assert cli("import", started_visit, str(path), "--kind", "time", "--accept-problems") == 0
    assert (
        "stored 3 time records from messy.csv; 2 row(s) with problems left out (accepted); "
        "1 joined the roster"
    ) in capsys.readouterr().out
    assert stored(db) == 3
    assert cli("check", started_visit) == 0
    out = capsys.readouterr().out
    assert "warning: messy.csv: 2 of 4 rows left out (accepted on import)" in out
    assert "INCOMPLETE: 1 row(s) left out (1 unreadable date); figures may be low" in out


def test_same_file_twice_is_refused_unless_replaced(
    cli: Callable[..., int],
    db: Database,
    started_visit: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = thirteen_days_csv(tmp_path)
    assert cli("import", started_visit, str(path), "--kind", "time") == 0
    assert cli("import", started_visit, str(path), "--kind", "time") == 1
    assert "already imported" in capsys.readouterr().err
    assert cli("import", started_visit, str(path), "--kind", "time", "--replace") == 0
    assert "replacing 27" in capsys.readouterr().out
    assert stored(db) == 27


def test_mapping_file_for_unknown_headers(
    cli: Callable[..., int],
    started_visit: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Person,Shift day,Arrived,Left\n1001,2026-10-01,08:00,17:00\n", encoding="utf-8"
    )
    assert cli("import", started_visit, str(path), "--kind", "time") == 1
    assert "odd.csv: no attendance records recognised" in capsys.readouterr().err
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {"worker_code": "Person", "date": "Shift day", "in_1": "Arrived", "out_1": "Left"}
        ),
        encoding="utf-8",
    )
    assert cli("import", started_visit, str(path), "--kind", "time", "--mapping", str(mapping)) == 0
    assert "stored 1 time records from odd.csv" in capsys.readouterr().out


def test_check_prints_figures_and_breaches_with_their_rule(
    cli: Callable[..., int],
    started_visit: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("import", started_visit, str(thirteen_days_csv(tmp_path)), "--kind", "time") == 0
    capsys.readouterr()
    assert cli("check", started_visit) == 0
    out = capsys.readouterr().out
    w01 = next(line for line in out.splitlines() if line.startswith("W01"))
    assert w01.split()[:3] == ["W01", "13", "143"]
    assert "[rest_days_per_week]" in out and "Labour Law" in out

    assert cli("check", started_visit, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["workers"] == 3
    rest = [b for b in data["breaches"] if b["rule_id"] == "rest_days_per_week"]
    assert rest[0]["worker"] == "W01" and rest[0]["citation"]


def test_whole_workforce_without_a_sample_then_a_drawn_sample(
    data_dir: Path, started_visit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def hours(*args: str) -> int:  # the alias of `records`
        return main(["--data-dir", str(data_dir), "hours", *args])

    path = ff.merged_code_xlsx(tmp_path)
    assert hours("import", started_visit, str(path), "--kind", "time", "--preview") == 0
    out = capsys.readouterr().out
    assert "Layout: worker-day" in out and "Header row: 2" in out
    assert "people: 2 (2 not on the roster yet)" in out
    assert hours("import", started_visit, str(path), "--kind", "time") == 0
    assert "2 joined the roster" in capsys.readouterr().out
    assert hours("sample", started_visit, "--seed", "7") == 0
    assert "drew 2 of 2 (seed 7; draw again with --seed 7): W01, W02" in capsys.readouterr().out
    assert hours("check", started_visit, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sample_seed"] == 7
    assert sorted(
        (c["rule_id"], c["sampled_with_breach"], c["workforce_with_breach"])
        for c in data["whole_workforce"]["comparisons"]
    ) == [("overtime_hours_per_day_special", 1, 1), ("rest_days_per_week", 1, 1)]
    assert [c["days_with_records"] for c in data["coverage"]] == [13, 1]
    assert data["flagged"] == []
    assert hours("roster", started_visit) == 0
    assert "2 people; 2 sampled" in capsys.readouterr().out


def test_check_prints_notes_periods_and_evidence_in_english(
    cli: Callable[..., int],
    started_visit: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [f"1001,张三,2027-01-{day:02d},08:00,12:00,13:00,20:00\n" for day in range(4, 17)]
    path = tmp_path / "考勤.csv"
    path.write_text(TIME_HEADER + "".join(rows), encoding="utf-8")
    assert cli("import", started_visit, str(path), "--kind", "time") == 0
    capsys.readouterr()
    assert cli("check", started_visit) == 0
    out = capsys.readouterr().out
    assert "note: public holidays for 2027 are provisional in cn-guangdong-v1" in out
    assert "W01 worked 13 consecutive days, 4–16 Jan 2027" in out
    assert "PRC Labour Law art. 38" in out
    assert not re.search(r"[\u4e00-\u9fff]", out.replace("考勤.csv", ""))
    assert cli("check", started_visit, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == ["public holidays for 2027 are provisional in cn-guangdong-v1"]
