"""`ietp-desktop bundle …` as a user runs it: exit codes and what is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.cli import main
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, world, world_template

__all__ = ["world", "world_template"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_verify_import_receipt(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IETP_SPECIALIST_PASSPHRASE", SPECIALIST_PASSPHRASE)
    out = tmp_path / "visits.ietpbundle"
    data = ["--data-dir", str(world.data_dir)]
    code, text, err = run(
        capsys, *data, "bundle", "export", "--visit", world.visit_uuid[:8], "--out", str(out)
    )
    assert code == 0, err
    assert f"wrote {out}" in text and world.visit_uuid[:8] in text

    code, text, err = run(capsys, *data, "bundle", "verify", str(out))
    assert code == 0, err
    assert "signed by Lin Mei <lin.mei@example.org> (specialist)" in text
    assert f"visit {world.visit_uuid} revision 1" in text
    assert "intact: yes; trusted: yes" in text

    code, text, err = run(
        capsys, "office", "import", str(out), "--office-dir", str(world.office_dir)
    )
    assert code == 0, err
    assert f"visit {world.visit_uuid[:8]} revision 1: imported" in text
    receipt = Path(text.split("receipt: ")[1].strip())

    code, text, err = run(capsys, *data, "bundle", "receipt", str(receipt))
    assert code == 0, err
    assert f"{world.visit_uuid[:8]}  received" in text


def test_verify_damaged_bundle_says_so(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IETP_SPECIALIST_PASSPHRASE", SPECIALIST_PASSPHRASE)
    out = tmp_path / "v.ietpbundle"
    data = ["--data-dir", str(world.data_dir)]
    assert run(capsys, *data, "bundle", "export", "--out", str(out))[0] == 0
    raw = bytearray(out.read_bytes())
    raw[200] ^= 1
    out.write_bytes(bytes(raw))
    code, text, err = run(capsys, *data, "bundle", "verify", str(out))
    assert code == 1
    assert "ietp-desktop: error: bundle v.ietpbundle refused" in err or "intact: NO" in text


def test_export_of_unsigned_visit_is_an_error(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IETP_SPECIALIST_PASSPHRASE", SPECIALIST_PASSPHRASE)
    code, _, err = run(
        capsys,
        "--data-dir",
        str(world.data_dir),
        "bundle",
        "export",
        "--visit",
        world.in_progress_uuid,
        "--out",
        str(tmp_path / "x.ietpbundle"),
    )
    assert code == 1
    assert "only signed visits can be exported" in err
    assert "Traceback" not in err


def test_import_assignments(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IETP_SPECIALIST_PASSPHRASE", SPECIALIST_PASSPHRASE)
    office = ["--office-dir", str(world.office_dir)]
    # the office learns the factory through an imported visit, then assigns a new visit there
    export = tmp_path / "v.ietpbundle"
    data = ["--data-dir", str(world.data_dir)]
    assert (
        run(capsys, *data, "bundle", "export", "--visit", world.visit_uuid, "--out", str(export))[0]
        == 0
    )
    assert run(capsys, "office", "import", str(export), *office)[0] == 0
    code, text, err = run(capsys, "office", "visits", *office, "--json")
    ietp_id = __import__("json").loads(text)[0]["factory_ietp_id"]
    out = tmp_path / "assign.ietpbundle"
    code, text, err = run(
        capsys,
        "office",
        "assign",
        *office,
        "--specialist",
        "lin.mei@example.org",
        "--visit",
        f"{ietp_id}:2027-03-01:1.5",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert "1 factories, 1 visits" in text
    code, text, err = run(capsys, *data, "bundle", "import-assignments", str(out))
    assert code == 0, err
    assert "visits: 1 new" in text
    code, text, err = run(capsys, *data, "bundle", "import-assignments", str(out))
    assert "already imported; nothing changed" in text
