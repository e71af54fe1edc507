"""Evidence files a factory sends for its CAP lines: what is accepted, and where it is kept.

The type is decided by the file's first bytes, never by its name alone; a name that claims
another type is refused too (a PDF named .jpg is a mistake or a trick). Files are kept under
the office folder by their sha256, so the same file sent twice is stored once and can be
recognised when it comes back for another line or another factory.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.security.atomic import atomic_write_bytes

MAX_EVIDENCE_BYTES = 20 << 20
MAX_FILES = 50
MAX_NAME = 200

# media type → the file name endings that may carry it
TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.ms-excel": (".xls",),
    "text/csv": (".csv",),
}
ALLOWED_NAMES = "jpeg, png, pdf, xlsx, xls, csv"
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867


@dataclass(frozen=True)
class EvidenceFile:
    """One checked file, in memory until it is stored."""

    finding_code: str
    filename: str
    media_type: str
    content: bytes
    sha256: str
    taken_at: datetime | None  # a photo's EXIF DateTimeOriginal, read as UTC


def sniff(content: bytes) -> str | None:
    """The media type the content really has, or None when it is none of the allowed ones."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-excel"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    return "text/csv" if _is_text(content) else None


def _is_text(content: bytes) -> bool:
    if not content or b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(c.isprintable() or c in "\t\r\n" for c in text)
    return False


def exif_taken_at(content: bytes) -> datetime | None:
    """DateTimeOriginal of a photo, or None when it has none (or it cannot be read)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            value = image.getexif().get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y:%m:%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def check_file(finding_code: str, filename: str, content: bytes) -> EvidenceFile:
    """A file accepted as evidence, or a refusal saying which file and why."""
    name = Path(filename.replace("\\", "/")).name[:MAX_NAME] or "evidence"
    if len(content) > MAX_EVIDENCE_BYTES:
        raise UserError(
            "{file} (line {code}) is {size:,} bytes; an evidence file is at most {limit:,}; "
            "nothing was stored",
            file=name,
            code=finding_code,
            size=len(content),
            limit=MAX_EVIDENCE_BYTES,
        )
    media = sniff(content)
    if media is None:
        raise UserError(
            "{file} (line {code}) is not one of the evidence types the office takes ({types}); "
            "nothing was stored",
            file=name,
            code=finding_code,
            types=ALLOWED_NAMES,
        )
    if not name.lower().endswith(TYPES[media]):
        raise UserError(
            "{file} (line {code}) is named like another type than it holds ({media}); "
            "nothing was stored",
            file=name,
            code=finding_code,
            media=media,
        )
    return EvidenceFile(
        finding_code,
        name,
        media,
        content,
        hashlib.sha256(content).hexdigest(),
        exif_taken_at(content) if media == "image/jpeg" else None,
    )


def store(office_dir: Path, files: list[EvidenceFile]) -> list[Path]:
    """Write the files not yet held; returns the paths written (to remove them if the
    database transaction that records them fails)."""
    folder = OfficeFolder(Path(office_dir))
    written: list[Path] = []
    for item in files:
        target = folder.cap_evidence_file(item.sha256)
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, item.content)
        written.append(target)
    return written


def evidence_path(office_dir: Path, sha256: str) -> Path:
    return OfficeFolder(Path(office_dir)).cap_evidence_file(sha256)
