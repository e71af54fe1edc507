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
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write(b"x" * 1000)
        raise RuntimeError("killed half way")
    assert list(tmp_path.iterdir()) == []


def test_exception_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as stream:
        stream.write(b"new but incomplete")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
