"""A full disk or a read-only database/folder: the save is refused with a one-line message
saying so, and the last saved state is kept (services, CLI in-process, CLI as a process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ietp_desktop import cli
from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.services.outcome import cap_xlsx, findings
from ietp_desktop.services.visits import answers, attendees
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from tests.reliability.crash_workload import REPO_ROOT, integrity, prepare_workspace, text_items
from tests.reliability.faults import install

BIG_NOTE = "a long note that needs new pages in the database file " * 4000
MESSAGES = {"db-full": "the disk is full", "db-readonly": "the database is read-only"}


class Workspace:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.uuid = prepare_workspace(data_dir)
        db = open_workspace(data_dir)
        self.item = text_items(db, self.uuid)[0]
        answers.record_answer(db, self.uuid, self.item, "the last saved answer")
        attendees.add_attendee(db, self.uuid, attendees.AttendeeInput("Saved Attendee"))
        findings.add_finding(
            db,
            self.uuid,
            findings.FindingInput("standard_nc", "Fire exit blocked", category="ehs"),
        )
        db.dispose()

    def saved(self) -> tuple[object, list[str], list[str]]:
        db = open_workspace(self.data_dir)
        try:
            detail = load_detail(db, self.uuid)
        finally:
            db.dispose()
        answer = detail.answers[self.item]
        return (
            (answer.value, answer.note),
            [a.name for a in detail.attendees],
            [f.description for f in detail.findings],
        )


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "data")


@pytest.mark.parametrize("fault", ["db-full", "db-readonly"])
def test_services_refuse_the_save_and_keep_the_last_saved_state(
    workspace: Workspace, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = workspace.saved()
    install(fault, monkeypatch.setattr)
    db = open_workspace(workspace.data_dir)
    with pytest.raises(UserError, match=MESSAGES[fault]) as refused:
        answers.record_answer(db, workspace.uuid, workspace.item, "lost answer", BIG_NOTE)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"could not save to {DataFolder(workspace.data_dir).database}")
    assert message.endswith("the last saved state is kept")
    with pytest.raises(UserError, match=MESSAGES[fault]):
        attendees.add_attendee(db, workspace.uuid, attendees.AttendeeInput("x" * 200_000))
    db.dispose()
    monkeypatch.undo()
    assert workspace.saved() == before
    assert integrity(DataFolder(workspace.data_dir).database) == "ok"


def test_a_really_read_only_database_file_is_reported(workspace: Workspace) -> None:
    path = DataFolder(workspace.data_dir).database
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files; the db-readonly fault covers this case")
    before = workspace.saved()
    path.chmod(0o444)
    try:
        db = open_workspace(workspace.data_dir)
        with pytest.raises(UserError, match="read-only"):
            answers.record_answer(db, workspace.uuid, workspace.item, "lost answer")
        db.dispose()
    finally:
        path.chmod(0o644)
    assert workspace.saved() == before


@pytest.mark.parametrize("fault", ["db-full", "db-readonly"])
def test_cli_prints_one_line_and_exits_non_zero(
    workspace: Workspace,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = workspace.saved()
    install(fault, monkeypatch.setattr)
    code = cli.main(
        [
            "--data-dir",
            str(workspace.data_dir),
            "visits",
            "answer",
            workspace.uuid,
            workspace.item,
            "lost answer",
            "--note",
            BIG_NOTE,
        ]
    )
    out, err = capsys.readouterr()
    assert code == cli.EXIT_USER_ERROR
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("ietp-desktop: error: could not save to ")
    assert MESSAGES[fault] in err
    monkeypatch.undo()
    assert workspace.saved() == before


def run_faulty_cli(fault: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.reliability.faulty_cli", fault, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("fault", ["db-full", "db-readonly"])
def test_cli_process_reports_a_failed_save_without_a_traceback(
    workspace: Workspace, fault: str
) -> None:
    before = workspace.saved()
    result = run_faulty_cli(
        fault,
        "--data-dir",
        str(workspace.data_dir),
        "visits",
        "attendee",
        workspace.uuid,
        "--name",
        "A" * 100_000,  # one argument may hold at most 128 KiB
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert MESSAGES[fault] in result.stderr
    assert workspace.saved() == before


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("file-enospc", "No space left on device"), ("file-eacces", "Permission denied")],
)
def test_failed_file_write_keeps_the_previous_file_and_leaves_no_temporary(
    tmp_path: Path, fault: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "cap.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"the previous export")
    install(fault, monkeypatch.setattr)
    with pytest.raises(OSError, match=reason):
        atomic_write_bytes(target, b"new content" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in target.parent.iterdir()] == ["cap.xlsx"]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("file-enospc", "No space left on device"), ("file-eacces", "Permission denied")],
)
def test_cap_export_on_a_full_disk_or_locked_folder_says_so(
    workspace: Workspace, tmp_path: Path, fault: str, reason: str
) -> None:
    target = tmp_path / "out" / "cap.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"the previous export")
    result = run_faulty_cli(
        fault,
        "--data-dir",
        str(workspace.data_dir),
        "cap",
        "export",
        workspace.uuid,
        "--out",
        str(target),
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"ietp-desktop: error: could not write {target}: {reason}\n"
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in target.parent.iterdir()] == ["cap.xlsx"]


def test_cap_export_service_raises_user_error_on_a_full_disk(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install("file-enospc", monkeypatch.setattr)
    db = open_workspace(workspace.data_dir)
    with pytest.raises(UserError, match="No space left on device"):
        cap_xlsx.export_cap_xlsx(db, workspace.uuid, tmp_path / "cap.xlsx")
    db.dispose()
    assert not (tmp_path / "cap.xlsx").exists()
