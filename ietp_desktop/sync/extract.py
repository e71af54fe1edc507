"""Store entries of a verified bundle as files, each checked against the sha256 it must have.

Every file is written atomically (temporary file in the target's folder, fsync, rename, folder
fsync) like `security.atomic`, but pipelined: while one chunk is hashed and written, the next is
decrypted, and a finished file is fsynced and renamed in the background while the next entry is
being decrypted, so the disk works while the CPU does. Leaving the `EntryFiles` block waits for
every file and fsyncs the folders. On an error no temporary file is left behind; files already
renamed stay, which is harmless because each one was checked against its sha256 first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from ietp_desktop.i18n import tr
from ietp_desktop.sync.envelope import TAG_SIZE
from ietp_desktop.sync.errors import BundleRefused
from ietp_desktop.sync.lanes import Lane, Ring
from ietp_desktop.sync.reader import VerifiedBundle

RING_SLOTS = 4
POSITIONAL_WRITES = hasattr(os, "pwrite")  # not on Windows


class EntryFiles:
    def __init__(self, bundle: VerifiedBundle) -> None:
        self._bundle = bundle
        self._hash_lane = Lane()
        # two writers: filling new page-cache pages costs CPU, and that spreads over cores
        self._write_lanes = (Lane(), Lane()) if POSITIONAL_WRITES else (Lane(),)
        self._commit_lane = Lane(depth=2)
        self._rings: dict[int, tuple[Ring, bytearray]] = {}
        self._temps: dict[Path, BinaryIO] = {}
        self._folders: set[Path] = set()

    def __enter__(self) -> EntryFiles:
        return self

    def _ring(self, chunk_size: int) -> tuple[Ring, bytearray]:
        if chunk_size not in self._rings:  # one size per bundle when the writer made it
            self._rings[chunk_size] = (
                Ring(RING_SLOTS, chunk_size),
                bytearray(chunk_size + TAG_SIZE),
            )
        return self._rings[chunk_size]

    def store(self, name: str, target: Path, sha256: str) -> None:
        """Decrypt entry `name` to `target`, refusing the bundle if its sha256 differs.

        The main thread reads and decrypts; hashing and writing run in two lanes beside it.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        temp = Path(temp_name)
        stream = self._temps[temp] = os.fdopen(fd, "wb", buffering=0)
        digest = hashlib.sha256()
        position = 0
        with self._bundle.open_chunks(name) as chunks:
            ring, sealed = self._ring(chunks.chunk_size)
            while True:
                (plain,), jobs = ring.take()
                chunk = chunks.next_into(sealed, plain)
                if chunk is None:
                    break
                writer = self._write_lanes[(position // chunks.chunk_size) % len(self._write_lanes)]
                jobs.append(self._hash_lane.submit(digest.update, chunk))
                jobs.append(writer.submit(_write_at, stream, chunk, position))
                position += len(chunk)
        for lane in self._lanes()[:-1]:  # all but the commit lane
            lane.drain()
        if digest.hexdigest() != sha256:
            raise BundleRefused(
                self._bundle.path, tr("entry '{name}' does not match its sha256", name=name)
            )
        self._commit_lane.submit(self._commit, temp, target)

    def _lanes(self) -> tuple[Lane, ...]:
        return (self._hash_lane, *self._write_lanes, self._commit_lane)

    def _commit(self, temp: Path, target: Path) -> None:
        stream = self._temps[temp]
        os.fsync(stream.fileno())
        stream.close()
        os.replace(temp, target)
        del self._temps[temp]
        self._folders.add(target.parent)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        lanes = self._lanes()
        try:
            if kind is None:
                for lane in lanes:
                    lane.close()
                for folder in sorted(self._folders):
                    _fsync_directory(folder)
        finally:
            for lane in lanes:
                lane.close(cancel=True)
            for temp, stream in list(self._temps.items()):
                stream.close()
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
            self._temps.clear()


def _write_at(stream: BinaryIO, data: memoryview, position: int) -> None:
    if not POSITIONAL_WRITES:  # one write lane then, so chunks arrive in order
        stream.seek(position)
    while data:
        if POSITIONAL_WRITES:
            written = os.pwrite(stream.fileno(), data, position)
        else:
            written = stream.write(data) or 0
        data, position = data[written:], position + written


def _fsync_directory(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to fsync it; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
