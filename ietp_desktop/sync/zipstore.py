"""A canonical ZIP with stored entries: the one layout bundles are written in and read back.

Every header field except name, CRC-32, size and offset is a constant, and entries follow each
other without gaps, so the reader can demand that the archive is byte for byte what this writer
would produce. With the CRC of every entry checked, any single flipped byte anywhere in the file is
detected even before signature and hashes are looked at. No ZIP64: an archive stays under 4 GiB.
Standard tools (unzip, Python's zipfile) read these archives.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from ietp_desktop.i18n import tr

LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
LOCAL_SIG, CENTRAL_SIG, END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
VERSION = 20
FLAGS_UTF8 = 0x0800
FLAG_ENCRYPTED = 0x0001
STORED = 0
DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, so output is reproducible
EXTERNAL_ATTR = 0o100644 << 16
MAX_OFFSET = 0xFFFFFFFF


class ArchiveTooLarge(Exception):
    """The writer would need ZIP64."""


class ArchiveProblem(Exception):
    """What is wrong with an archive being read (turned into BundleRefused by the caller)."""


@dataclass(frozen=True)
class StoredEntry:
    name: str
    header_offset: int
    data_offset: int
    size: int
    crc: int


def local_header(name: bytes, crc: int, size: int) -> bytes:
    fields = (LOCAL_SIG, VERSION, FLAGS_UTF8, STORED, DOS_TIME, DOS_DATE, crc, size, size)
    return LOCAL.pack(*fields, len(name), 0) + name


def central_header(name: bytes, crc: int, size: int, offset: int) -> bytes:
    return (
        CENTRAL.pack(
            CENTRAL_SIG,
            VERSION,
            VERSION,
            FLAGS_UTF8,
            STORED,
            DOS_TIME,
            DOS_DATE,
            crc,
            size,
            size,
            len(name),
            0,
            0,
            0,
            0,
            EXTERNAL_ATTR,
            offset,
        )
        + name
    )


class EntryStream:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.crc = 0
        self.size = 0

    def write(self, data: bytes | memoryview) -> int:
        self._stream.write(data)
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return len(data)


class StoredZipWriter:
    """Writes entries one after another to a seekable stream, then the central directory."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._central: list[bytes] = []

    @contextmanager
    def entry(self, name: str) -> Iterator[EntryStream]:
        encoded = name.encode("utf-8")
        offset = self._stream.tell()
        self._stream.write(local_header(encoded, 0, 0))
        body = EntryStream(self._stream)
        yield body
        end = self._stream.tell()
        if end > MAX_OFFSET or body.size > MAX_OFFSET:
            raise ArchiveTooLarge(name)
        self._stream.seek(offset)
        self._stream.write(local_header(encoded, body.crc, body.size))
        self._stream.seek(end)
        self._central.append(central_header(encoded, body.crc, body.size, offset))

    def write_entry(self, name: str, data: bytes) -> None:
        with self.entry(name) as body:
            body.write(data)

    def close(self) -> None:
        start = self._stream.tell()
        directory = b"".join(self._central)
        count = len(self._central)
        if start + len(directory) > MAX_OFFSET or count > 0xFFFF:
            raise ArchiveTooLarge("central directory")
        self._stream.write(directory)
        self._stream.write(END.pack(END_SIG, 0, 0, count, count, len(directory), start, 0))


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int
    max_name_bytes: int


@dataclass(frozen=True)
class CentralRecord:
    name: str
    method: int
    flags: int
    crc: int
    compressed_size: int
    size: int
    offset: int
    canonical: bool  # every other field is what StoredZipWriter writes


def read_directory(stream: BinaryIO, file_size: int, limits: ArchiveLimits) -> list[CentralRecord]:
    """The central directory records, after checking the end record and the entry count."""
    if file_size < END.size:
        raise ArchiveProblem(tr("the file is truncated or not a bundle (too short)"))
    stream.seek(file_size - END.size)
    sig, disk, cd_disk, n_disk, count, cd_size, cd_offset, comment = END.unpack(
        stream.read(END.size)
    )
    if sig != END_SIG:
        raise ArchiveProblem(tr("the file is truncated or not a bundle (no ZIP end record)"))
    if max(count, n_disk) > limits.max_entries:
        raise ArchiveProblem(
            tr(
                "it holds {count} entries; at most {limit} are allowed",
                count=max(count, n_disk),
                limit=limits.max_entries,
            )
        )
    if (disk, cd_disk, comment) != (0, 0, 0) or n_disk != count:
        raise ArchiveProblem(tr("the ZIP end record is not the one bundles are written with"))
    if cd_offset + cd_size + END.size != file_size:
        raise ArchiveProblem(tr("the ZIP directory does not end where the file ends (truncated?)"))
    if cd_size > count * (CENTRAL.size + limits.max_name_bytes):
        raise ArchiveProblem(tr("the ZIP directory is larger than its entries need"))
    stream.seek(cd_offset)
    directory = stream.read(cd_size)
    records: list[CentralRecord] = []
    position = 0
    for _ in range(count):
        if position + CENTRAL.size > len(directory):
            raise ArchiveProblem(tr("the ZIP directory is cut short"))
        (
            sig,
            made,
            needed,
            flags,
            method,
            time,
            date,
            crc,
            csize,
            size,
            name_len,
            extra_len,
            comment_len,
            disk_start,
            internal,
            external,
            offset,
        ) = CENTRAL.unpack_from(directory, position)
        name_end = position + CENTRAL.size + name_len
        raw_name = directory[position + CENTRAL.size : name_end]
        if sig != CENTRAL_SIG or len(raw_name) != name_len:
            raise ArchiveProblem(tr("the ZIP directory is damaged"))
        if name_len > limits.max_name_bytes:
            raise ArchiveProblem(
                tr(
                    "an entry name is {n} bytes long; at most {limit} are allowed",
                    n=name_len,
                    limit=limits.max_name_bytes,
                )
            )
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArchiveProblem(tr("an entry name is not valid UTF-8")) from exc
        canonical = (
            made,
            needed,
            flags,
            method,
            time,
            date,
            extra_len,
            comment_len,
            disk_start,
            internal,
            external,
        ) == (VERSION, VERSION, FLAGS_UTF8, STORED, DOS_TIME, DOS_DATE, 0, 0, 0, 0, EXTERNAL_ATTR)
        records.append(CentralRecord(name, method, flags, crc, csize, size, offset, canonical))
        position = name_end
    if position != len(directory):
        raise ArchiveProblem(tr("the ZIP directory holds more than its entries"))
    return records


def check_layout(
    stream: BinaryIO, records: list[tuple[str, int, int, int]], directory_offset: int
) -> list[StoredEntry]:
    """`records` are (name, crc, size, header offset). Entries must tile the file from 0 to the
    directory without gaps or overlaps, and each local header must equal the canonical one."""
    entries: list[StoredEntry] = []
    expected_offset = 0
    for name, crc, size, offset in sorted(records, key=lambda r: r[3]):
        encoded = name.encode("utf-8")
        header = local_header(encoded, crc, size)
        data_offset = offset + len(header)
        if offset != expected_offset or data_offset + size > directory_offset:
            raise ArchiveProblem(
                tr(
                    "the declared size or position of entry '{name}' does not match the data "
                    "in the file",
                    name=name,
                )
            )
        stream.seek(offset)
        if stream.read(len(header)) != header:
            raise ArchiveProblem(
                tr("the local header of entry '{name}' does not match the ZIP directory", name=name)
            )
        entries.append(StoredEntry(name, offset, data_offset, size, crc))
        expected_offset = data_offset + size
    if expected_offset != directory_offset:
        raise ArchiveProblem(tr("the archive holds data outside its entries"))
    return entries


def directory_offset(stream: BinaryIO, file_size: int) -> int:
    stream.seek(file_size - END.size)
    return int(END.unpack(stream.read(END.size))[6])
