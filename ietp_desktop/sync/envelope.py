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
CHUNK_SIZE = 4 << 20  # 1 MiB chunks spent a third of the time per call, not per byte
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


class Sealer:
    """Encrypts one entry chunk by chunk into buffers the caller provides (no allocation)."""

    def __init__(self, key: bytes, name: str, chunk_size: int = CHUNK_SIZE) -> None:
        self._aead = AESGCM(key)
        self._name = name
        self._base = os.urandom(12)
        self._index = 0
        self.chunk_size = chunk_size
        self.header = HEADER.pack(MAGIC, chunk_size, self._base)

    def seal_into(self, plain: memoryview, final: bool, out: bytearray) -> memoryview:
        """Chunk `plain` sealed (ciphertext and tag), as a view of `out`."""
        sealed = memoryview(out)[: len(plain) + TAG_SIZE]
        aad = _aad(self._name, self._index, final)
        self._aead.encrypt_into(_nonce(self._base, self._index), plain, aad, sealed)
        self._index += 1
        return sealed


def readinto_full(source: BinaryIO, target: bytearray) -> int:
    """Fill `target` unless the stream ends first (raw streams may return less per call)."""
    view = memoryview(target)
    readinto = getattr(source, "readinto", None) or _readinto_by_read(source)
    done = 0
    while done < len(view):
        count = readinto(view[done:])
        if not count:
            break
        done += count
    return done


def _readinto_by_read(source: BinaryIO) -> Callable[[memoryview], int]:
    """For sources that only have read()."""

    def readinto(view: memoryview) -> int:
        data = source.read(len(view))
        view[: len(data)] = data
        return len(data)

    return readinto


class Unsealer:
    """Decrypts one entry, read from `size` ciphertext bytes at `offset` of `stream`, chunk by
    chunk into buffers the caller provides. The header and the chunk layout are checked first;
    a chunk that fails authentication raises DecryptionFailed and its buffer must be ignored.
    """

    def __init__(
        self, key: bytes, name: str, stream: BinaryIO, offset: int, size: int, plain_size: int
    ) -> None:
        if size < HEADER.size + TAG_SIZE:
            raise DecryptionFailed("too short")
        stream.seek(offset)
        magic, chunk_size, base = HEADER.unpack(stream.read(HEADER.size))
        if magic != MAGIC or not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise DecryptionFailed("unknown envelope header")
        if ciphertext_size(plain_size, chunk_size) != size:
            raise DecryptionFailed("size does not match the chunk layout")
        self._aead = AESGCM(key)
        self._name = name
        self._stream = stream
        self._base = base
        self._position = offset + HEADER.size
        self._end = offset + size
        self._index = 0
        self.chunk_size = chunk_size

    def next_into(self, sealed: bytearray, plain: bytearray) -> memoryview | None:
        """The next chunk's plaintext as a view of `plain`; None after the last chunk.

        `sealed` needs chunk_size + TAG_SIZE bytes, `plain` chunk_size bytes.
        """
        if self._position >= self._end:
            return None
        length = min(self.chunk_size + TAG_SIZE, self._end - self._position)
        self._stream.seek(self._position)  # the caller may read elsewhere between two chunks
        view = memoryview(sealed)[:length]
        if readinto_full(self._stream, view) != length:  # type: ignore[arg-type]
            raise DecryptionFailed("file ended early")
        self._position += length
        final = self._position == self._end
        out = memoryview(plain)[: length - TAG_SIZE]
        try:
            self._aead.decrypt_into(
                _nonce(self._base, self._index), view, _aad(self._name, self._index, final), out
            )
        except InvalidTag as exc:
            raise DecryptionFailed(f"chunk {self._index} failed authentication") from exc
        self._index += 1
        return out


class DecryptingReader(io.RawIOBase):
    """Plaintext of one entry as a stream (for small entries and simple callers)."""

    def __init__(
        self, key: bytes, name: str, stream: BinaryIO, offset: int, size: int, plain_size: int
    ) -> None:
        super().__init__()
        self._stream = stream
        self._unsealer = Unsealer(key, name, stream, offset, size, plain_size)
        chunk = min(self._unsealer.chunk_size, max(plain_size, 1))
        self._sealed = bytearray(chunk + TAG_SIZE)
        self._plain = bytearray(chunk)
        self._buffer = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer and not self._done:
            chunk = self._unsealer.next_into(self._sealed, self._plain)
            if chunk is None:
                self._done = True
            else:
                self._buffer = chunk
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()
