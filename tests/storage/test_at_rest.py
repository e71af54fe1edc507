"""Issue 17 problem 8: the data folder is the owner's alone, and a report build killed while
signing leaves nothing behind after the next start."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from ietp_desktop.paths import DataFolder
from ietp_desktop.services.workspace import open_workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_workspace(data).dispose()
    assert _mode(data) == 0o700


def test_an_existing_readable_data_folder_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    open_workspace(data).dispose()
    assert _mode(data) == 0o700


def test_a_killed_report_build_is_removed_at_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_workspace(data).dispose()
    reports = DataFolder(data).reports
    reports.mkdir(parents=True, exist_ok=True)
    killed = reports / ".build-abc123"
    killed.mkdir()
    (killed / "unsigned.pdf").write_bytes(b"%PDF-1.7 names and wages")
    hour_ago = time.time() - 7200
    os.utime(killed, (hour_ago, hour_ago))
    running = reports / ".build-now"  # another process building right now
    running.mkdir()
    open_workspace(data).dispose()
    assert not killed.exists()
    assert running.exists()
