"""An installed wheel finds resources/ and forms/ inside the package, run from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return next(out.glob("ietp_desktop-*.whl"))


def test_wheel_carries_forms_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ietp_desktop/forms/checklists/pv-checklist-v1.json",
        "ietp_desktop/forms/checklists/pv-checklist-v2.json",
        "ietp_desktop/forms/rules/cn-guangdong-v1.json",
        "ietp_desktop/resources/fonts/wqy-microhei.ttc",
        "ietp_desktop/storage/migrations/env.py",
        "ietp_desktop/storage/migrations/script.py.mako",
        "ietp_desktop/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from ietp_desktop.paths import forms_dir, resources_dir;"
        "print(forms_dir()); print(resources_dir());"
        "from ietp_desktop.cli import main;"
        "sys.exit(main(['--data-dir', sys.argv[2], 'forms', 'list']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    forms_line, resources_line = result.stdout.splitlines()[:2]
    assert forms_line.startswith(str(site)) and resources_line.startswith(str(site))
    assert "pv-checklist" in result.stdout
