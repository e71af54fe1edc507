"""Photos and signed reports of a results bundle: staged, checked, then placed by content.

Nothing from a bundle names a path at the office. Entries are decrypted into a staging folder
inside the office folder (`incoming/<bundle id>/`, named by the entry's position), each checked
against the sha256 its visit data gives. Then:
- a photo must decode as the JPEG or PNG its visit data says, within a pixel limit; it is
  re-encoded (which drops anything hidden after or inside the image data) and stored under the
  sha256 of the re-encoded bytes, the hash the office computed (a factory's document attached
  to a remediation record, a PDF or a spreadsheet, is kept as it is, by its checked sha256);
- a report must carry a PAdES signature that is intact, chains to the office CA, covers the
  whole file and was made by the bundle's own signer (the check `report verify` makes); the
  office then seals it (validation data and its document timestamp, PAdES B-LTA, see
  report_seal.py) and stores the sealed file, keeping the original's sha256 and size.
Files are moved into `attachments/` and `reports/` only when the visit rows are written, and the
staging folder is removed whatever happens, so a refused bundle leaves no file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography.hazmat.primitives import serialization
from PIL import Image, UnidentifiedImageError

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.office.report_seal import ReportSealer, Seal
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.reports.signing import verify_pdf
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.sync.bundle import BundleRefused, VerifiedBundle
from ietp_desktop.sync.extract import EntryFiles

MAX_PHOTO_PIXELS = 16_000_000  # the laptop stores photos at most 2048 px on the long side
MAX_PHOTO_BYTES = 40 << 20
MAX_REPORT_BYTES = 256 << 20
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass
class _Staged:
    entry: str
    path: Path
    kind: str  # photo | report
    target: Path | None = None  # where it goes once checked
    visit: tuple[str, int] | None = None  # a report's visit uuid and revision
    original: tuple[str, int] | None = None  # a sealed report's original sha256 and size


@dataclass
class StagedFiles:
    """The photos and reports of one bundle, in a staging folder until `place`."""

    bundle: VerifiedBundle
    office: OfficeFolder
    signer_fingerprint: str
    ca_pem: bytes
    sealer: ReportSealer | None = None  # None: reports are stored as they arrived
    _folder: Path = field(init=False)
    _files: dict[str, _Staged] = field(default_factory=dict)
    photo_hashes: dict[str, str] = field(default_factory=dict)  # laptop sha → office sha
    placed: list[Path] = field(default_factory=list)
    seals: dict[tuple[str, int], Seal] = field(default_factory=dict)  # (uuid, revision) → seal

    def __post_init__(self) -> None:
        self._folder = self.office.root / "incoming" / self.bundle.bundle_id

    def __enter__(self) -> StagedFiles:
        shutil.rmtree(self._folder, ignore_errors=True)  # a killed earlier attempt
        self._folder.mkdir(parents=True, mode=0o700)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            self._folder.parent.rmdir()  # only when empty

    def fetch(self, documents: dict[str, dict[str, Any]]) -> None:
        """Decrypt every photo and report entry into the staging folder, checking its sha256."""
        sizes = {entry.name: entry.plain_size for entry in self.bundle.entries}
        with EntryFiles(self.bundle) as files:
            for document in documents.values():
                for attachment in document["attachments"]:
                    entry = attachment["entry"]
                    if entry not in self._files:
                        self._limit(entry, sizes, MAX_PHOTO_BYTES)
                        staged = self._stage(entry, "photo")
                        files.store(entry, staged.path, attachment["sha256"])
                report = document.get("report")
                if report is not None:
                    self._limit(report["entry"], sizes, MAX_REPORT_BYTES)
                    staged = self._stage(report["entry"], "report")
                    visit = document["visit"]
                    staged.target = self.office.report(visit["uuid"], visit["revision"])
                    staged.visit = (str(visit["uuid"]), int(visit["revision"]))
                    files.store(report["entry"], staged.path, report["sha256"])

    def _limit(self, entry: str, sizes: dict[str, int], limit: int) -> None:
        if sizes.get(entry, 0) > limit:
            raise BundleRefused(
                self.bundle.path,
                tr("entry '{name}' is larger than {limit} MB", name=entry, limit=limit >> 20),
            )

    def _stage(self, entry: str, kind: str) -> _Staged:
        staged = _Staged(entry, self._folder / f"{len(self._files):05d}", kind)
        self._files[entry] = staged
        return staged

    def verify(self, documents: dict[str, dict[str, Any]]) -> None:
        media = {a["entry"]: a["media_type"] for d in documents.values() for a in d["attachments"]}
        for staged in self._files.values():
            if staged.kind == "report":
                self._check_report(staged)
            elif media[staged.entry].startswith("image/"):
                self._reencode(staged, media[staged.entry])
            else:  # a factory's document (PDF, spreadsheet): kept as it is, by its hash
                laptop_sha = staged.entry.removeprefix("photo-")
                staged.target = self.office.attachment(laptop_sha)
                self.photo_hashes[laptop_sha] = laptop_sha

    def _reencode(self, staged: _Staged, media_type: str) -> None:
        expected = _FORMATS.get(media_type)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(staged.path) as image:
                    if image.format != expected:
                        raise BundleRefused(
                            self.bundle.path,
                            tr(
                                "photo entry '{name}' is not the {media} image its visit data says",
                                name=staged.entry,
                                media=media_type,
                            ),
                        )
                    if image.width * image.height > MAX_PHOTO_PIXELS:
                        raise BundleRefused(
                            self.bundle.path,
                            tr(
                                "photo entry '{name}' has {pixels} pixels; at most {limit} are "
                                "allowed",
                                name=staged.entry,
                                pixels=image.width * image.height,
                                limit=MAX_PHOTO_PIXELS,
                            ),
                        )
                    image.load()
                    out = io.BytesIO()
                    if expected == "JPEG":
                        image.convert("RGB").save(out, "JPEG", quality=95)
                    else:
                        image.save(out, "PNG")
        except BundleRefused:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise BundleRefused(
                self.bundle.path,
                tr("photo entry '{name}' is not an image this office can read", name=staged.entry),
            ) from exc
        data = out.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        atomic_write_bytes(staged.path, data)
        staged.target = self.office.attachment(sha)
        laptop_sha = staged.entry.removeprefix("photo-")
        self.photo_hashes[laptop_sha] = sha

    def _check_report(self, staged: _Staged) -> None:
        try:
            verdict = verify_pdf(staged.path, self.ca_pem)
        except UserError as exc:
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "report entry '{name}' is not a signed report ({reason})",
                    name=staged.entry,
                    reason=str(exc),
                ),
            ) from exc
        if verdict.damage:
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "report entry '{name}' is not a signed report (not a readable PDF)",
                    name=staged.entry,
                ),
            )
        if not verdict.ok:
            reason = verdict.headline("en")
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "report entry '{name}' does not verify: {reason}",
                    name=staged.entry,
                    reason=reason,
                ),
            )
        if verdict.signer_sha256 != self.signer_fingerprint:
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "report entry '{name}' is signed by {report_signer}, not by the "
                    "bundle's signer",
                    name=staged.entry,
                    report_signer=f"{verdict.signer_name} <{verdict.signer_email}>",
                ),
            )
        if self.sealer is not None:
            self._seal(staged, self.sealer)

    def _seal(self, staged: _Staged, sealer: ReportSealer) -> None:
        """Add the office's validation data and document timestamp, and check the result."""
        original = staged.path.read_bytes()
        try:
            sealed = sealer.seal(original)
            atomic_write_bytes(staged.path, sealed)
            verdict = verify_pdf(staged.path, self.ca_pem)
        except (UserError, ValueError, KeyError, TypeError) as exc:
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "the office could not add its timestamp to report entry '{name}' ({reason})",
                    name=staged.entry,
                    reason=str(exc),
                ),
            ) from exc
        if not verdict.ok or verdict.level != "B-LTA" or verdict.timestamped_at is None:
            raise BundleRefused(
                self.bundle.path,
                tr(
                    "the office could not add its timestamp to report entry '{name}' ({reason})",
                    name=staged.entry,
                    reason=verdict.problem.text("en") if verdict.problem else verdict.level,
                ),
            )
        staged.original = (hashlib.sha256(original).hexdigest(), len(original))
        assert staged.visit is not None  # set by fetch for every report
        self.seals[staged.visit] = Seal(
            original_sha256=staged.original[0],
            original_size=len(original),
            sealed_sha256=hashlib.sha256(sealed).hexdigest(),
            level=verdict.level,
            timestamped_at=verdict.timestamped_at,
            tsa_fingerprint=sealer.tsa_fingerprint,
        )

    def place(self) -> None:
        """Move the checked files into attachments/ and reports/; remembers what it created
        (see `remove_placed`), keeps a file already there with the same content."""
        for staged in self._files.values():
            target = staged.target
            assert target is not None  # set by fetch (reports) or verify (photos)
            if target.exists():
                if staged.kind == "report" and not _same_report(target, staged):
                    raise BundleRefused(
                        self.bundle.path,
                        tr("a different report is already stored as {file}", file=target.name),
                    )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, target)
            self.placed.append(target)

    def remove_placed(self) -> None:
        for path in self.placed:
            path.unlink(missing_ok=True)
        self.placed.clear()


def _same_report(stored: Path, staged: _Staged) -> bool:
    """The stored report holds the same original as the staged one: the same file, or (sealed
    again at this import, with a new timestamp) the same signed bytes at its start."""
    if staged.original is None:
        return _sha256(stored) == _sha256(staged.path)
    sha, size = staged.original
    return _sha256(stored, size) == sha


def _sha256(path: Path, size: int | None = None) -> str:
    digest = hashlib.sha256()
    left = size if size is not None else -1
    with open(path, "rb") as stream:
        while left != 0:
            block = stream.read(1 << 20 if left < 0 else min(left, 1 << 20))
            if not block:
                break
            digest.update(block)
            left = left - len(block) if left > 0 else left
    return digest.hexdigest()


def ca_pem(certificate: Any) -> bytes:
    return bytes(certificate.public_bytes(serialization.Encoding.PEM))
