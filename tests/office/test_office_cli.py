"""`ietp-desktop office …`: init, enroll, import (with a refusal), visits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.security.enrolment import import_enrolment


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_enroll_and_empty_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office"
    monkeypatch.setenv("IETP_OFFICE_PASSPHRASE", "office secret 123")
    code, text, err = run(
        capsys, "office", "init", "--office-dir", str(office), "--name", "Shenzhen Office"
    )
    assert code == 0, err
    assert "office 'Shenzhen Office' created" in text and "CA fingerprint" in text
    assert (office / "office.sqlite3").is_file()

    code, _, err = run(capsys, "office", "init", "--office-dir", str(office))
    assert code == 1 and "already holds an office" in err

    monkeypatch.setenv("IETP_NEW_SPECIALIST_PASSPHRASE", "lin mei passphrase")
    enrol = tmp_path / "lin.ietp-enrol"
    code, text, err = run(
        capsys,
        "office",
        "enroll",
        "Lin Mei",
        "--email",
        "lin@example.org",
        "--office-dir",
        str(office),
        "--out",
        str(enrol),
    )
    assert code == 0, err
    identity = import_enrolment(enrol, tmp_path / "identity", "lin mei passphrase")
    assert identity.name == "Lin Mei" and identity.office_name == "Shenzhen Office"

    code, text, err = run(capsys, "office", "visits", "--office-dir", str(office), "--json")
    assert code == 0 and json.loads(text) == []


def test_import_of_garbage_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office"
    monkeypatch.delenv("IETP_OFFICE_PASSPHRASE", raising=False)
    assert run(capsys, "office", "init", "--office-dir", str(office))[0] == 0
    junk = tmp_path / "junk.ietpbundle"
    junk.write_bytes(b"PK\x03\x04 not really")
    code, text, err = run(capsys, "office", "import", str(junk), "--office-dir", str(office))
    assert code == 1
    assert "junk.ietpbundle: REFUSED: bundle junk.ietpbundle refused:" in text
    assert "1 of 1 bundles refused" in err


def test_office_dir_without_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "office", "visits", "--office-dir", str(tmp_path))
    assert code == 1 and "holds no office" in err
