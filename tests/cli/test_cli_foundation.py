"""The command line as a user meets it: demo data, listings, and one-line errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ietp_desktop.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """A real process: what the user sees on the terminal, exit code included."""
    return subprocess.run(
        [sys.executable, "-m", "ietp_desktop", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["demo", "--data-dir", str(folder)]) == 0
    return folder


def test_demo_visits_list_json_has_outcomes(demo_dir: Path) -> None:
    result = run_cli("--data-dir", str(demo_dir), "visits", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    statuses = {row["status"] for row in rows}
    assert {"planned", "confirmed", "in_progress", "completed", "refused"} <= statuses
    outcomes = {row["outcome"] for row in rows if row["status"] == "completed"}
    assert {"maintained", "maintained_cap_required", "termination_zero_tolerance"} <= outcomes
    cities = {row["city"] for row in rows}
    assert len(cities) >= 3
    assert any("玩具" in row["factory_name_zh"] for row in rows)


def test_visits_show_by_prefix_and_json(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(demo_dir), "visits", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    target = next(
        r for r in rows if r["outcome"] == "maintained_cap_required" and r["status"] == "completed"
    )
    assert main(["--data-dir", str(demo_dir), "visits", "show", target["short_id"], "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["summary"]["uuid"] == target["uuid"]
    assert len(detail["findings"]) >= 2
    assert {f["classification"] for f in detail["findings"]} == {"standard_nc"}
    assert {f["source"] for f in detail["findings"]} == {"calculated", "manual"}
    assert all(f["corrective_action"]["corrective_action"] for f in detail["findings"])
    assert detail["cap_agreed_by"].startswith("Chen Wei")


def test_demo_refuses_a_folder_with_data(demo_dir: Path) -> None:
    result = run_cli("demo", "--data-dir", str(demo_dir))
    assert result.returncode == 1
    assert "already holds data" in result.stderr
    assert "Traceback" not in result.stderr


def _one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_visit_id(demo_dir: Path) -> None:
    _one_line_error(
        run_cli("--data-dir", str(demo_dir), "visits", "show", "zzzz9999"), "zzzz9999", "no visit"
    )


def test_invalid_date_on_the_command_line(demo_dir: Path) -> None:
    result = run_cli(
        "--data-dir", str(demo_dir), "visits", "plan", "IETP-GD-10231", "--date", "2026-13-45"
    )
    assert result.returncode == 2
    assert "'2026-13-45' is not a valid date (use YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_form_file(tmp_path: Path) -> None:
    form = tmp_path / "broken-form.json"
    form.write_text(
        json.dumps(
            {
                "form_id": "x",
                "version": "1",
                "title": {"en": "x", "zh": "x"},
                "sections": [
                    {
                        "id": "s",
                        "title": {"en": "s", "zh": "s"},
                        "kind": "checklist",
                        "items": [
                            {
                                "id": "A-1",
                                "ietp_ref": "1",
                                "type": "nummber",
                                "question": {"en": "q", "zh": "问"},
                            }
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    _one_line_error(run_cli("forms", "check", str(form)), "broken-form.json", "A-1", "type")


def test_database_newer_than_the_program(demo_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "newer"
    copy.mkdir()
    with (
        sqlite3.connect(demo_dir / "ietp.sqlite3") as source,
        sqlite3.connect(copy / "ietp.sqlite3") as dest,
    ):
        source.backup(dest)
        dest.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    _one_line_error(run_cli("--data-dir", str(copy), "visits", "list"), "newer version")


def test_corrupt_database_file(tmp_path: Path) -> None:
    folder = tmp_path / "corrupt"
    folder.mkdir()
    (folder / "ietp.sqlite3").write_bytes(b"\x00garbage" * 500)
    _one_line_error(
        run_cli("--data-dir", str(folder), "visits", "list"),
        "ietp.sqlite3",
        "not a readable database",
    )
    assert (folder / "ietp.sqlite3").read_bytes() == b"\x00garbage" * 500


def test_unwritable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _one_line_error(run_cli("--data-dir", str(blocker / "data"), "visits", "list"), "cannot create")


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "from-env"
    monkeypatch.setenv("IETP_DATA_DIR", str(folder))
    assert main(["factories", "list"]) == 0
    assert (folder / "ietp.sqlite3").exists()
