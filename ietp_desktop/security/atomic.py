"""Atomic file writes: a reader sees the old file or the complete new one, never a part.

The data goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the final name with os.replace; the folder is fsynced so the rename survives a power cut. If
anything fails, the temporary file is removed and nothing new stands under the final name.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def _fsync_directory(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory for fsync; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(final: Path, older_than_s: float = 3600) -> None:
    """A killed writer leaves its hidden temporary file; the next write of the same name
    clears those that are clearly abandoned."""
    now = time.time()
    for leftover in final.parent.glob(f".{glob.escape(final.name)}.*.part"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > older_than_s:
                leftover.unlink()


@contextlib.contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces `path` only when the block ends cleanly."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(final)
    fd, temp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w+b") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _fsync_directory(final.parent)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_writer(path) as stream:
        stream.write(data)
