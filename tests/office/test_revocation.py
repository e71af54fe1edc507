"""Issue 17 problem 6, revocation: the office revokes a lost laptop's certificate; bundles its
signer makes from then on are refused, earlier ones still go in, and the signed list travels
with the assignments."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.revocation import read_revocations, signed_list
from tests.bundle_world import World, world, world_template
from tests.office.trust_attacks import assert_refused_unchanged, exported

__all__ = ["world", "world_template"]


def _revoke(world: World, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(
        [
            "office",
            "revoke",
            "--office-dir",
            str(world.office_dir),
            "--specialist",
            "lin.mei@example.org",
            "--reason",
            "laptop stolen in Dongguan",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    return out


def test_6_a_bundle_signed_after_the_revocation_is_refused(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_revocation = exported(world, tmp_path, "before.ietpbundle")
    time.sleep(1.1)  # revocation times are kept to the second
    out = _revoke(world, capsys)
    assert "revoked the certificate of Lin Mei <lin.mei@example.org>" in out
    after = exported(world, tmp_path, "after.ietpbundle")  # the thief exports with her key
    assert_refused_unchanged(
        world, after, r"its signer Lin Mei <lin\.mei@example\.org> had their certificate revoked"
    )
    [earlier] = import_bundles(world.office_dir, [before_revocation])
    assert earlier.status == "imported"  # sent before the laptop was lost


def test_6_the_revocation_list_is_signed_and_ships_with_assignments(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert signed_list(world.office_dir) is None
    _revoke(world, capsys)
    [entry] = read_revocations(world.office_dir, world.office().ca_cert)
    assert entry.email == "lin.mei@example.org" and entry.reason == "laptop stolen in Dongguan"
    assert signed_list(world.office_dir)
    code = main(
        [
            "office",
            "revoke",
            "--office-dir",
            str(world.office_dir),
            "--specialist",
            "lin.mei@example.org",
            "--reason",
            "again",
        ]
    )
    assert code == 1
    assert "is already revoked" in capsys.readouterr().err


def test_6_a_forged_revocation_list_is_refused(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _revoke(world, capsys)
    listed = world.office_dir / "revocations.ietp-crl"
    listed.write_bytes(listed.read_bytes().replace(b"laptop stolen", b"laptop found!"))
    [outcome] = import_bundles(world.office_dir, [exported(world, tmp_path)])
    assert outcome.status == "refused"
    assert "the revocation list's signature is not the office's" in outcome.message
