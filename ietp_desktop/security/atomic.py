"""Atomic file writes: a reader sees the old file or the complete new one, never a part.

The data goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the final name with os.replace; the folder is fsynced so the rename survives a power cut. If
anything fails, the temporary file is removed and nothing new stands under the final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


@contextlib.contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces `path` only when the block ends cleanly."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
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
