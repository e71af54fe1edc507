from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.security.atomic import atomic_write_bytes, atomic_writer


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.bin"
    atomic_write_bytes(target, b"first")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin"]


def test_exception_leaves_nothing_under_final_name(tmp_path: Path) -> None:
    target = tmp_path / "bundle.ietpbundle"
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:  # noqa: PT012 (a crash mid-write)
        stream.write(b"x" * 1000)
        raise RuntimeError("killed half way")
    assert list(tmp_path.iterdir()) == []


def test_exception_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as stream:  # noqa: PT012
        stream.write(b"new but incomplete")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_killed_writers_leftover_is_cleared_by_the_next_write(tmp_path: Path) -> None:
    import os
    import time

    target = tmp_path / "visit.pdf"
    old = tmp_path / ".visit.pdf.abc123.part"  # what a SIGKILL mid-write leaves
    fresh = tmp_path / ".visit.pdf.def456.part"  # perhaps another write still under way
    other = tmp_path / ".report.pdf.ghi789.part"
    for leftover in (old, fresh, other):
        leftover.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    atomic_write_bytes(target, b"%PDF complete")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fresh.name, other.name, "visit.pdf"]
    )
