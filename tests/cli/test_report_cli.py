"""`ietp-desktop report …` and `identity …` as a user runs them in a terminal or a script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.demo.identity import DEMO_PASSPHRASE


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ietp_desktop", *args],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["demo", "--data-dir", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def signed_pdf(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    secret = folder / "passphrase.txt"
    secret.write_text(DEMO_PASSPHRASE + "\n", encoding="utf-8")
    out = folder / "report.pdf"
    result = run_cli(
        "--data-dir", str(demo_dir), "report", "build", "2", "--out", str(out),
        "--lang", "zh", "--passphrase-file", str(secret),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "signed by Lin Mei (林梅) (revision 1)" in result.stdout
    assert str(out) in result.stdout
    return out


def test_identity_show(demo_dir: Path) -> None:
    result = run_cli("--data-dir", str(demo_dir), "identity", "show")
    assert result.returncode == 0, result.stderr
    assert "Lin Mei (林梅) <lin.mei@pv-specialists.example>" in result.stdout
    assert "IETP Demo Office" in result.stdout


def test_verify_prints_the_verdict_with_the_enrolled_office_ca(
    demo_dir: Path, signed_pdf: Path
) -> None:
    result = run_cli("--data-dir", str(demo_dir), "report", "verify", str(signed_pdf))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Signer: Lin Mei (林梅) <lin.mei@pv-specialists.example>" in lines
    assert "Intact: yes" in lines and "Trusted: yes" in lines
    assert any(line.startswith("Signing time: 20") for line in lines)


def test_flipped_byte_makes_verify_fail(demo_dir: Path, signed_pdf: Path, tmp_path: Path) -> None:
    data = bytearray(signed_pdf.read_bytes())
    data[data.index(b"/Producer") + 3] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    ca = demo_dir / "office" / "ca.pem"
    result = run_cli("report", "verify", str(tampered), "--ca", str(ca))
    assert result.returncode != 0
    assert "Intact: NO" in result.stdout or "Intact: no" in result.stdout
    assert "NOT a valid signed report" in result.stderr


def test_another_office_ca_does_not_trust_the_report(signed_pdf: Path, tmp_path: Path) -> None:
    from ietp_desktop.security.office_ca import create_office

    create_office(tmp_path / "other", "Other Office", None)
    result = run_cli("report", "verify", str(signed_pdf), "--ca", str(tmp_path / "other/ca.pem"))
    assert result.returncode != 0
    assert "Intact: yes" in result.stdout
    assert "Trusted: NO" in result.stdout


def test_build_without_a_terminal_or_passphrase_file_is_a_clear_error(
    demo_dir: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "--data-dir", str(demo_dir), "report", "build", "1", "--out", str(tmp_path / "x.pdf")
    )
    assert result.returncode == 1
    assert "--passphrase-file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_letter_and_cap_form(demo_dir: Path, tmp_path: Path) -> None:
    letter = run_cli(
        "--data-dir", str(demo_dir), "report", "letter", "5", "--out", str(tmp_path / "l.pdf")
    )
    assert letter.returncode == 0, letter.stderr
    assert (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF")
    cap = run_cli(
        "--data-dir", str(demo_dir), "report", "cap-form", "1", "--out", str(tmp_path / "c.pdf")
    )
    assert cap.returncode == 1
    assert "no finding that needs a corrective action" in cap.stderr
