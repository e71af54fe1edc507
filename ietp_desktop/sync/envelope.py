"""Streamed AES-256-GCM for one payload entry.

Ciphertext layout: MAGIC (8 bytes) | chunk size (4 bytes, big-endian) | base nonce (12 bytes) |
chunks. Every chunk but the last holds `chunk size` plaintext bytes; each is followed by its
16-byte tag. Chunk i uses the nonce base XOR i (in the low 8 bytes) and authenticates
MAGIC | entry name | 0 | i (8 bytes) | final flag (1 byte), so chunks cannot be reordered,
moved to another entry, dropped from the end or followed by more. An empty entry is one empty
final chunk. Memory use is about two chunks, whatever the entry size.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"IETPGCM1"
HEADER = struct.Struct(">8sI12s")
TAG_SIZE = 16
CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 16 << 20


class DecryptionFailed(Exception):
    """A chunk's tag did not verify, or the chunk layout is wrong."""


def _nonce(base: bytes, index: int) -> bytes:
    return base[:4] + (int.from_bytes(base[4:], "big") ^ index).to_bytes(8, "big")


def _aad(name: str, index: int, final: bool) -> bytes:
    return MAGIC + name.encode("utf-8") + b"\x00" + index.to_bytes(8, "big") + bytes([final])


def ciphertext_size(plain_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    chunks = max(1, -(-plain_size // chunk_size))
    return HEADER.size + plain_size + chunks * TAG_SIZE


def encrypt_stream(
    key: bytes,
    name: str,
    source: BinaryIO,
    write: Callable[[bytes], object],
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encrypt `source` to `write`; returns the plaintext size."""
    aead = AESGCM(key)
    base = os.urandom(12)
    write(HEADER.pack(MAGIC, chunk_size, base))
    index, total = 0, 0
    current = _read_full(source, chunk_size)
    while True:
        following = _read_full(source, chunk_size) if len(current) == chunk_size else b""
        final = not following
        write(aead.encrypt(_nonce(base, index), current, _aad(name, index, final)))
        total += len(current)
        if progress:
            progress(len(current))
        if final:
            return total
        current, index = following, index + 1


def _read_full(source: BinaryIO, size: int) -> bytes:
    """Read exactly `size` bytes unless the stream ends (raw streams may return less)."""
    parts: list[bytes] = []
    wanted = size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


class DecryptingReader(io.RawIOBase):
    """Plaintext of one entry, read from `size` ciphertext bytes at `offset` of `stream`."""

    def __init__(
        self, key: bytes, name: str, stream: BinaryIO, offset: int, size: int, plain_size: int
    ) -> None:
        super().__init__()
        self._aead = AESGCM(key)
        self._name = name
        self._stream = stream
        self._end = offset + size
        self._plain_size = plain_size
        if size < HEADER.size + TAG_SIZE:
            raise DecryptionFailed("too short")
        stream.seek(offset)
        magic, chunk_size, base = HEADER.unpack(stream.read(HEADER.size))
        if magic != MAGIC or not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise DecryptionFailed("unknown envelope header")
        if ciphertext_size(plain_size, chunk_size) != size:
            raise DecryptionFailed("size does not match the chunk layout")
        self._chunk_size = chunk_size
        self._base = base
        self._position = offset + HEADER.size
        self._index = 0
        self._buffer = b""
        self._taken = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        length = min(self._chunk_size + TAG_SIZE, self._end - self._position)
        self._stream.seek(self._position)
        sealed = self._stream.read(length)
        if len(sealed) != length:
            raise DecryptionFailed("file ended early")
        self._position += length
        final = self._position == self._end
        try:
            self._taken = 0
            self._buffer = self._aead.decrypt(
                _nonce(self._base, self._index), sealed, _aad(self._name, self._index, final)
            )
        except InvalidTag as exc:
            raise DecryptionFailed(f"chunk {self._index} failed authentication") from exc
        self._index += 1
        self._done = final

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._taken == len(self._buffer) and not self._done:
            self._next_chunk()
        count = min(len(target), len(self._buffer) - self._taken)
        target[:count] = memoryview(self._buffer)[self._taken : self._taken + count]
        self._taken += count
        return count

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()
