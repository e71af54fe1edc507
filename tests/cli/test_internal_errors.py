"""An unexpected exception in a command: one line on screen, the details in the owner-only log
of the folder the command worked on, and no personal data in either."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from ietp_desktop.cli import EXIT_INTERNAL, main
from ietp_desktop.office import listings
from ietp_desktop.services.visits import factories

SECRET = "Wang Fang 王芳 net pay 2810.55"


def _boom(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError(SECRET)


def _check_log(log: Path) -> str:
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "Traceback" in text
    assert SECRET not in text and "2810.55" not in text
    if sys.platform != "win32":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    return text


def test_an_office_command_logs_in_the_office_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    office, home = tmp_path / "office", tmp_path / "home-data"
    monkeypatch.setattr(listings, "office_visits", _boom)
    code = main(["--data-dir", str(home), "office", "visits", "--office-dir", str(office)])
    assert code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("ietp-desktop: internal error: RuntimeError; details in ")
    assert SECRET not in err and "Traceback" not in err
    _check_log(office / "logs" / "errors.log")
    assert not (home / "logs" / "errors.log").exists()


def test_a_laptop_command_logs_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(factories, "list_factories", _boom)
    code = main(["--data-dir", str(tmp_path), "factories", "list"])
    assert code == EXIT_INTERNAL
    assert SECRET not in capsys.readouterr().err
    _check_log(tmp_path / "logs" / "errors.log")
