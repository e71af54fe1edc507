"""Read a sync bundle, checking in this order:

1. size, entry count and entry names (no `..`, absolute paths, backslashes, drive letters,
   duplicates, unexpected or compressed entries, declared sizes over a limit or not matching the
   data); the archive must be laid out exactly as the writer lays it out, every CRC must match;
2. manifest format and major version, then the CMS signature and the signer's chain to the
   trusted office CA, validity and role;
3. the sha256 of every payload ciphertext;
(4. the caller checks whether it has seen the bundle id before;)
5. the data key is unwrapped; entries are decrypted lazily by `open_entry` / `read_entry`.

Nothing is ever extracted by archive name: entries are read from offsets this module computed.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from ietp_desktop.i18n import tr
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.certificates import CertificateRejected, Role
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.cms_signature import SignatureProblem, VerifiedSignature, verify_detached
from ietp_desktop.sync.envelope import (
    DecryptingReader,
    DecryptionFailed,
    Unsealer,
    ciphertext_size,
    readinto_full,
)
from ietp_desktop.sync.errors import BundleRefused
from ietp_desktop.sync.lanes import Ring, lanes
from ietp_desktop.sync.manifest import Manifest, ManifestProblem, VisitRef
from ietp_desktop.sync.model import BundleLimits, BundleReport, PayloadEntry, SignerInfo
from ietp_desktop.sync.writer import OAEP, role_name
from ietp_desktop.sync.zipstore import (
    FLAG_ENCRYPTED,
    STORED,
    ArchiveLimits,
    ArchiveProblem,
    StoredEntry,
    check_layout,
    directory_offset,
    read_directory,
)

READ_BLOCK = 4 << 20
HASH_RING_SLOTS = 4
_ROLE_FOR_KIND = {"visit-results": Role.SPECIALIST, "assignments": Role.OFFICE_SIGNING}


@dataclass
class _Archive:
    path: Path
    entries: dict[str, StoredEntry]
    manifest_bytes: bytes
    signature_bytes: bytes
    manifest: Manifest


def _name_problem(name: str) -> str | None:
    if "\\" in name:
        return tr("contains a backslash")
    if name.startswith("/"):
        return tr("is an absolute path")
    if re.match(r"[A-Za-z]:", name):
        return tr("starts with a drive letter")
    if ".." in name.split("/"):
        return tr("refers to a parent folder (..)")
    if any(ord(c) < 32 for c in name):
        return tr("contains control characters")
    if name in (mf.MANIFEST_NAME, mf.SIGNATURE_NAME):
        return None
    if name.startswith(mf.PAYLOAD_PREFIX) and name.endswith(mf.PAYLOAD_SUFFIX):
        stem = name[len(mf.PAYLOAD_PREFIX) : -len(mf.PAYLOAD_SUFFIX)]
        if mf.is_payload_name(stem):
            return None
    return tr("is not an entry bundles contain")


def _size_limit(name: str, limits: BundleLimits) -> int:
    if name == mf.MANIFEST_NAME:
        return limits.max_manifest_bytes
    if name == mf.SIGNATURE_NAME:
        return limits.max_signature_bytes
    return limits.max_entry_bytes


def _read_checked(stream: BinaryIO, entry: StoredEntry) -> bytes:
    stream.seek(entry.data_offset)
    data = stream.read(entry.size)
    if len(data) != entry.size or zlib.crc32(data) != entry.crc:
        raise ArchiveProblem(tr("entry '{name}' is damaged (CRC mismatch)", name=entry.name))
    return data


def _read_archive(path: Path, stream: BinaryIO, limits: BundleLimits) -> _Archive:
    file_size = os.fstat(stream.fileno()).st_size
    if file_size > limits.max_bundle_bytes:
        raise ArchiveProblem(
            tr(
                "it is {size} bytes; at most {limit} are allowed",
                size=file_size,
                limit=limits.max_bundle_bytes,
            )
        )
    records = read_directory(
        stream, file_size, ArchiveLimits(limits.max_entries, limits.max_name_bytes)
    )
    seen: set[str] = set()
    for record in records:
        name = record.name
        problem = _name_problem(name)
        if problem:
            raise ArchiveProblem(tr("entry name '{name}' {problem}", name=name, problem=problem))
        if name in seen:
            raise ArchiveProblem(tr("entry '{name}' appears twice", name=name))
        seen.add(name)
        if record.method != STORED:
            raise ArchiveProblem(
                tr("entry '{name}' is compressed; bundles hold stored entries only", name=name)
            )
        if record.flags & FLAG_ENCRYPTED:
            raise ArchiveProblem(tr("entry '{name}' uses ZIP encryption", name=name))
        if record.compressed_size != record.size:
            raise ArchiveProblem(tr("entry '{name}' declares two different sizes", name=name))
        limit = _size_limit(name, limits)
        if record.size > limit:
            raise ArchiveProblem(
                tr(
                    "entry '{name}' declares {size} bytes; the limit is {limit}",
                    name=name,
                    size=record.size,
                    limit=limit,
                )
            )
    for record in records:  # after the specific checks, so their messages win
        if not record.canonical:
            raise ArchiveProblem(
                tr("entry '{name}' has a header bundles are not written with", name=record.name)
            )
    for required in (mf.MANIFEST_NAME, mf.SIGNATURE_NAME):
        if required not in seen:
            raise ArchiveProblem(tr("it has no {name}", name=required))
    layout = check_layout(
        stream,
        [(r.name, r.crc, r.size, r.offset) for r in records],
        directory_offset(stream, file_size),
    )
    entries = {entry.name: entry for entry in layout}
    manifest_bytes = _read_checked(stream, entries[mf.MANIFEST_NAME])
    signature_bytes = _read_checked(stream, entries[mf.SIGNATURE_NAME])
    manifest = mf.parse(mf.check_format(manifest_bytes))
    _match_manifest(manifest, entries)
    return _Archive(path, entries, manifest_bytes, signature_bytes, manifest)


def _match_manifest(manifest: Manifest, entries: dict[str, StoredEntry]) -> None:
    listed: set[str] = set()
    for item in manifest.entries:
        if item.path in listed:
            raise ManifestProblem(tr("the manifest lists '{path}' twice", path=item.path))
        listed.add(item.path)
        stored = entries.get(item.path)
        if stored is None:
            raise ManifestProblem(
                tr("entry '{path}' listed in the manifest is missing", path=item.path)
            )
        if stored.size != item.size:
            raise ManifestProblem(
                tr(
                    "entry '{path}' holds {actual} bytes but the manifest says {declared}",
                    path=item.path,
                    actual=stored.size,
                    declared=item.size,
                )
            )
        if (
            not 0 < manifest.chunk_size <= 16 << 20
            or ciphertext_size(item.plain_size, manifest.chunk_size) != item.size
        ):
            raise ManifestProblem(
                tr("entry '{path}' has a size that does not fit its plain size", path=item.path)
            )
    for name in entries:
        if name.startswith(mf.PAYLOAD_PREFIX) and name not in listed:
            raise ManifestProblem(tr("entry '{name}' is not listed in the manifest", name=name))


def _check_signature(archive: _Archive) -> VerifiedSignature:
    verified = verify_detached(archive.manifest_bytes, archive.signature_bytes)
    if certs.fingerprint(verified.signer) != archive.manifest.signer_cert_sha256:
        raise SignatureProblem(tr("the manifest names a different signer than the signature"))
    return verified


def _check_trust(
    archive: _Archive, verified: VerifiedSignature, trusted_ca: x509.Certificate
) -> None:
    what = tr("the signer ({name})", name=certs.common_name(verified.signer))
    certs.check_issued_by(
        verified.signer,
        trusted_ca,
        _ROLE_FOR_KIND[archive.manifest.kind],
        at=verified.signing_time,
        what=what,
    )


def _check_hashes(
    archive: _Archive, stream: BinaryIO, progress: Callable[[int], None] | None
) -> None:
    """sha256 and CRC of every payload ciphertext, side by side in two lanes while the main
    thread reads ahead into a ring of buffers; nothing is decrypted before all of them match."""
    done = 0
    largest = max((archive.entries[e.path].size for e in archive.manifest.entries), default=1)
    block = max(1, min(READ_BLOCK, largest))
    ring = Ring(HASH_RING_SLOTS, block)
    with lanes(2) as (hash_lane, crc_lane):
        for item in archive.manifest.entries:
            entry = archive.entries[item.path]
            digest = hashlib.sha256()
            crc = _Crc()
            stream.seek(entry.data_offset)
            remaining = entry.size
            while remaining:
                (buffer,), jobs = ring.take()
                view = memoryview(buffer)[: min(block, remaining)]
                if readinto_full(stream, view) != len(view):  # type: ignore[arg-type]
                    raise ArchiveProblem(tr("the file ended early"))
                jobs.append(hash_lane.submit(digest.update, view))
                jobs.append(crc_lane.submit(crc.update, view))
                remaining -= len(view)
                done += len(view)
                if progress:
                    progress(done)
            hash_lane.drain()
            crc_lane.drain()
            if crc.value != entry.crc:
                raise ArchiveProblem(
                    tr("entry '{name}' is damaged (CRC mismatch)", name=entry.name)
                )
            if digest.hexdigest() != item.sha256:
                raise ArchiveProblem(
                    tr("entry '{name}' does not match the sha256 in the manifest", name=entry.name)
                )


class _Crc:
    def __init__(self) -> None:
        self.value = 0

    def update(self, data: memoryview) -> None:
        self.value = zlib.crc32(data, self.value)


def _signer_info(verified: VerifiedSignature) -> SignerInfo:
    cert = verified.signer
    organisation = cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    return SignerInfo(
        name=certs.common_name(cert),
        email=certs.email_of(cert),
        organisation=str(organisation[0].value) if organisation else "",
        fingerprint=certs.fingerprint(cert),
        role=role_name(cert),
        signing_time=verified.signing_time,
        certificate=cert,
    )


def _entries(manifest: Manifest) -> list[PayloadEntry]:
    return [PayloadEntry(e.name, e.size, e.plain_size) for e in manifest.entries]


class _RefusingReader(DecryptingReader):
    def __init__(self, bundle: Path, name: str, *args: object) -> None:
        self._bundle = bundle
        self._entry_name = name
        try:
            super().__init__(*args)  # type: ignore[arg-type]
        except DecryptionFailed as exc:
            raise self._refusal(exc) from exc

    def _refusal(self, exc: DecryptionFailed) -> BundleRefused:
        return _cannot_decrypt(self._bundle, self._entry_name, exc)

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            return super().readinto(target)
        except DecryptionFailed as exc:
            raise self._refusal(exc) from exc


def _cannot_decrypt(bundle: Path, name: str, exc: DecryptionFailed) -> BundleRefused:
    return BundleRefused(
        bundle, tr("entry '{name}' cannot be decrypted ({error})", name=name, error=exc)
    )


class EntryChunks:
    """One entry being decrypted; `chunk_size` tells the buffer sizes `next_into` needs."""

    def __init__(self, bundle: Path, name: str, unsealer: Unsealer) -> None:
        self._bundle = bundle
        self._name = name
        self._unsealer = unsealer
        self.chunk_size = unsealer.chunk_size

    def next_into(self, sealed: bytearray, plain: bytearray) -> memoryview | None:
        """The next authenticated chunk as a view of `plain`; None after the last."""
        try:
            return self._unsealer.next_into(sealed, plain)
        except DecryptionFailed as exc:
            raise _cannot_decrypt(self._bundle, self._name, exc) from exc


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check; entries are decrypted only when read."""

    path: Path
    bundle_id: str
    kind: str
    created_at: str
    schema_version: str
    format_version: str
    signer: SignerInfo
    visits: list[VisitRef]
    entries: list[PayloadEntry]
    _data_key: bytes = field(repr=False)
    _locations: dict[str, tuple[str, int, int, int]] = field(repr=False)

    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]

    def open_entry(self, name: str) -> BinaryIO:
        """A stream of the entry's plaintext; a damaged chunk raises BundleRefused."""
        if name not in self._locations:
            raise BundleRefused(self.path, tr("it has no entry '{name}'", name=name))
        path, offset, size, plain_size = self._locations[name]
        stream = open(self.path, "rb")  # noqa: SIM115 - the returned reader owns it
        try:
            raw = _RefusingReader(
                self.path, name, self._data_key, path, stream, offset, size, plain_size
            )
        except BaseException:
            stream.close()
            raise
        return io.BufferedReader(raw, buffer_size=1 << 20)

    @contextmanager
    def open_chunks(self, name: str) -> Iterator[EntryChunks]:
        """The entry's plaintext, decrypted chunk by chunk into buffers the caller provides."""
        if name not in self._locations:
            raise BundleRefused(self.path, tr("it has no entry '{name}'", name=name))
        path, offset, size, plain_size = self._locations[name]
        with open(self.path, "rb", buffering=0) as stream:
            try:
                unsealer = Unsealer(self._data_key, path, stream, offset, size, plain_size)
            except DecryptionFailed as exc:
                raise _cannot_decrypt(self.path, name, exc) from exc
            yield EntryChunks(self.path, name, unsealer)

    def read_entry(self, name: str, max_bytes: int = 64 << 20) -> bytes:
        """The whole plaintext, for small entries such as JSON."""
        entry = next((e for e in self.entries if e.name == name), None)
        if entry is not None and entry.plain_size > max_bytes:
            raise BundleRefused(
                self.path, tr("entry '{name}' is too large to read at once", name=name)
            )
        with self.open_entry(name) as stream:
            return stream.read()


def _refuse(path: Path, exc: Exception) -> BundleRefused:
    return BundleRefused(path, str(exc))


def open_bundle(
    path: Path,
    trusted_ca: x509.Certificate,
    expected_kind: str,
    decrypt_key: rsa.RSAPrivateKey,
    recipient_cert: x509.Certificate,
    *,
    limits: BundleLimits | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifiedBundle:
    """Check everything (see the module docstring) and return the bundle ready to decrypt."""
    path = Path(path)
    limits = limits or BundleLimits()
    try:
        with open(path, "rb") as stream:
            archive = _read_archive(path, stream, limits)
            manifest = archive.manifest
            if manifest.kind != expected_kind:
                raise ManifestProblem(
                    tr(
                        "it is a {kind} bundle, not {expected}",
                        kind=manifest.kind,
                        expected=expected_kind,
                    )
                )
            verified = _check_signature(archive)
            _check_trust(archive, verified, trusted_ca)
            _check_hashes(archive, stream, progress)
    except FileNotFoundError as exc:
        raise BundleRefused(path, tr("the file does not exist")) from exc
    except (ArchiveProblem, ManifestProblem, SignatureProblem, CertificateRejected) as exc:
        raise _refuse(path, exc) from exc
    data_key = _unwrap(path, manifest, decrypt_key, recipient_cert)
    return VerifiedBundle(
        path=path,
        bundle_id=manifest.bundle_id,
        kind=manifest.kind,
        created_at=manifest.created_at,
        schema_version=manifest.schema_version,
        format_version=manifest.format_version,
        signer=_signer_info(verified),
        visits=manifest.visits,
        entries=_entries(manifest),
        _data_key=data_key,
        _locations={
            e.name: (e.path, archive.entries[e.path].data_offset, e.size, e.plain_size)
            for e in manifest.entries
        },
    )


def _unwrap(
    path: Path, manifest: Manifest, key: rsa.RSAPrivateKey, recipient_cert: x509.Certificate
) -> bytes:
    mine = certs.fingerprint(recipient_cert)
    recipient = next((r for r in manifest.recipients if r.cert_sha256 == mine), None)
    if recipient is None:
        listed = ", ".join(r.cert_sha256[:16] for r in manifest.recipients) or "none"
        raise BundleRefused(
            path,
            tr(
                "this bundle is not encrypted for this office (recipient {listed}; "
                "this office is {mine})",
                listed=listed,
                mine=mine[:16],
            ),
        )
    try:
        data_key = key.decrypt(recipient.wrapped_key, OAEP)
    except ValueError as exc:
        raise BundleRefused(path, tr("the data key cannot be unwrapped with this key")) from exc
    if len(data_key) != 32:
        raise BundleRefused(path, tr("the data key has the wrong length"))
    return data_key


def verify_bundle(
    path: Path, trusted_ca: x509.Certificate, *, limits: BundleLimits | None = None
) -> BundleReport:
    """Who signed it, what it holds, whether it is intact and trusted; decrypts nothing.

    A file too damaged to read a manifest from raises BundleRefused; otherwise problems are
    reported in `problems` with `intact` / `trusted` false.
    """
    path = Path(path)
    limits = limits or BundleLimits()
    problems: list[str] = []
    signer: SignerInfo | None = None
    intact = trusted = True
    try:
        with open(path, "rb") as stream:
            archive = _read_archive(path, stream, limits)
            try:
                verified = _check_signature(archive)
                signer = _signer_info(verified)
            except SignatureProblem as exc:
                problems.append(str(exc))
                intact = trusted = False
            else:
                try:
                    _check_trust(archive, verified, trusted_ca)
                except CertificateRejected as exc:
                    problems.append(str(exc))
                    trusted = False
            try:
                _check_hashes(archive, stream, None)
            except ArchiveProblem as exc:
                problems.append(str(exc))
                intact = False
    except FileNotFoundError as exc:
        raise BundleRefused(path, tr("the file does not exist")) from exc
    except (ArchiveProblem, ManifestProblem) as exc:
        raise _refuse(path, exc) from exc
    manifest = archive.manifest
    return BundleReport(
        path=path,
        bundle_id=manifest.bundle_id,
        kind=manifest.kind,
        created_at=manifest.created_at,
        schema_version=manifest.schema_version,
        format_version=manifest.format_version,
        signer=signer,
        visits=manifest.visits,
        entries=_entries(manifest),
        intact=intact,
        trusted=trusted and intact,
        problems=problems,
    )
