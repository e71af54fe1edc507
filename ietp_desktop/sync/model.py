"""Plain values the bundle writer and reader hand back."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography import x509

from ietp_desktop.sync.manifest import VisitRef


@dataclass(frozen=True)
class PayloadSource:
    """One payload entry to write: `name` (letters, digits, '.', '_', '-') and how to read it.

    With `sha256`, the plaintext is hashed as it is encrypted and the bundle is not written
    (SourceChanged) if the digest differs: a file that changed on disk is never sent.
    """

    name: str
    open: Callable[[], BinaryIO]
    sha256: str | None = None

    @classmethod
    def from_path(cls, name: str, path: Path, sha256: str | None = None) -> PayloadSource:
        return cls(name, lambda: open(path, "rb", buffering=0), sha256)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> PayloadSource:
        return cls(name, lambda: io.BytesIO(data))


@dataclass(frozen=True)
class BundleLimits:
    """What a reader accepts; bundles the writer makes always fit the defaults."""

    max_bundle_bytes: int = 0xFFFFFFFF
    max_entries: int = 20_000
    max_name_bytes: int = 200
    max_manifest_bytes: int = 16 << 20
    max_signature_bytes: int = 256 << 10
    max_entry_bytes: int = 0xFFFFFFFF


@dataclass(frozen=True)
class SignerInfo:
    name: str
    email: str
    organisation: str
    fingerprint: str
    role: str  # "specialist", "office" or "none"
    signing_time: dt.datetime | None
    certificate: x509.Certificate


@dataclass(frozen=True)
class PayloadEntry:
    name: str
    size: int
    plain_size: int


@dataclass(frozen=True)
class BundleInfo:
    """What write_bundle produced."""

    path: Path
    bundle_id: str
    kind: str
    size: int
    entries: list[PayloadEntry]
    visits: list[VisitRef]


@dataclass(frozen=True)
class BundleReport:
    """What `bundle verify` shows: read without decrypting anything."""

    path: Path
    bundle_id: str
    kind: str
    created_at: str
    schema_version: str
    format_version: str
    signer: SignerInfo | None
    visits: list[VisitRef]
    entries: list[PayloadEntry]
    intact: bool
    trusted: bool
    problems: list[str] = field(default_factory=list)
