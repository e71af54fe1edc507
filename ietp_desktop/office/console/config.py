"""What one console process needs to know: the office folder, its database, its limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_BUNDLE_BYTES = 0xFFFFFFFF  # the bundle reader's own limit (sync/model.py)
MAX_CHUNK_BYTES = 64 << 20


@dataclass(frozen=True)
class ConsoleConfig:
    office_dir: Path
    db_url: str | None = None
    office_passphrase: str | None = None
    # False only for plain HTTP on 127.0.0.1 (development): browsers drop Secure cookies there.
    secure_cookies: bool = True
    max_bundle_bytes: int = MAX_BUNDLE_BYTES
    max_chunk_bytes: int = MAX_CHUNK_BYTES
    clock_skew_seconds: int = 300
