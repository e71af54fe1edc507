"""Where the program finds its shipped data and where it keeps the user's data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "ietp-desktop"
APP_AUTHOR = "IETP"
DATA_DIR_ENV = "IETP_DATA_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """`resources/` or `forms/`: inside the package when installed from a wheel,
    at the top of the checkout otherwise."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the program's {name}/ folder is missing (looked in {_PACKAGE_DIR})")


def resources_dir() -> Path:
    return _shipped("resources")


def forms_dir() -> Path:
    return _shipped("forms")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir` wins over `IETP_DATA_DIR`, which wins over the platform default."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def _content_path(folder: Path, sha256: str) -> Path:
    """Content-addressed files are spread over 256 sub-folders by their first two hex digits."""
    return folder / sha256[:2] / sha256


@dataclass(frozen=True)
class DataFolder:
    """Every path inside a specialist's data folder; nothing else spells them."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "ietp.sqlite3"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    def attachment(self, sha256: str) -> Path:
        return _content_path(self.attachments, sha256)

    @property
    def identity(self) -> Path:
        return self.root / "identity"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def report(self, uuid: str, revision: int) -> Path:
        return self.reports / f"{uuid}-r{revision}.pdf"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def error_log(self) -> Path:
        return self.logs / "errors.log"


@dataclass(frozen=True)
class OfficeFolder:
    """Every path inside an office folder: keys, database, received files, receipts."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "office.sqlite3"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    def attachment(self, sha256: str) -> Path:
        return _content_path(self.attachments, sha256)

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def cap_evidence(self) -> Path:
        """Evidence files factories send for their CAP lines, by sha256 like attachments."""
        return self.root / "cap-evidence"

    def cap_evidence_file(self, sha256: str) -> Path:
        return _content_path(self.cap_evidence, sha256)

    @property
    def smtp_config(self) -> Path:
        """The office's mail server for reminders (absent: reminders are kept, not sent)."""
        return self.root / "smtp.json"

    def report(self, uuid: str, revision: int) -> Path:
        return self.reports / f"{uuid}-r{revision}.pdf"

    @property
    def receipts(self) -> Path:
        return self.root / "receipts"

    @property
    def issued(self) -> Path:
        """One PEM file per certificate the office CA issued, named by serial number."""
        return self.root / "issued"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def error_log(self) -> Path:
        return self.logs / "errors.log"
