"""`logs/errors.log` in the data or office folder: what an unexpected exception leaves for a
bug report, written the same way by the window and the command line.

A record names the program version, the exception type and the frames of the traceback, and
nothing the exception carries: the text of an exception may hold a worker's name or a value
typed by the specialist, so it stays out of the file (a UserError's message and parameters
too). The file is owner-only and rotates, so it can neither leak nor fill the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys
import traceback
from io import TextIOWrapper
from pathlib import Path

import ietp_desktop

LOG_FOLDER = "logs"
LOG_FILE = "errors.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_PACKAGE_ROOT = Path(ietp_desktop.__file__).resolve().parent.parent


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_FOLDER / LOG_FILE


def _where(filename: str) -> str:
    """A frame's file inside the program relative to it; elsewhere only its name, so the
    user's home folder (often their name) stays out of the log."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(_PACKAGE_ROOT))
    except (OSError, ValueError):
        return path.name


def _exception_lines(exc: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(exc))
    lines: list[str] = []
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None and id(cause) not in seen:
        lines += _exception_lines(cause, seen)
        lines.append(
            "The above exception was the direct cause of:"
            if exc.__cause__ is not None
            else "During handling of the above exception, another exception occurred:"
        )
    lines.append("Traceback (most recent call last):")
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f'  File "{_where(frame.filename)}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    kind = type(exc)
    lines.append(f"{kind.__module__}.{kind.__qualname__}")
    return lines


def error_details(exc: BaseException, toolkit: str = "") -> str:
    """The text logged and offered by "Copy details": version, type, frames; no message."""
    parts = [
        f"IETP PV Desktop {ietp_desktop.__version__}",
        f"Python {platform.python_version()}",
        *([toolkit] if toolkit else []),
        f"{platform.system()} {platform.release()}",
    ]
    return "\n".join([" · ".join(parts), *_exception_lines(exc, set())])


class _OwnerOnlyRotatingHandler(logging.handlers.RotatingFileHandler):
    """Every file it creates, the first and each after a rollover, is readable by the owner
    only."""

    def _open(self) -> TextIOWrapper:
        return open(
            self.baseFilename,
            "a",  # a rotating handler always appends
            encoding=self.encoding,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


def open_error_log(data_dir: Path) -> logging.Handler:
    """A handler writing `logs/errors.log` of `data_dir` (a data folder or an office folder)."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        path.parent.chmod(0o700)
        if path.exists():
            path.chmod(0o600)
    handler = _OwnerOnlyRotatingHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def write_error(folder: Path, exc: BaseException) -> Path | None:
    """Log `exc` in `folder`'s error log; None when the log cannot be written."""
    logger = logging.getLogger("ietp_desktop.internal_errors")
    logger.propagate = False  # the file only: the screen gets one line from the caller
    try:
        handler = open_error_log(folder)
    except OSError:
        return None
    logger.addHandler(handler)
    try:
        logger.error("%s", error_details(exc))
    finally:
        logger.removeHandler(handler)
        handler.close()
    return log_path(folder)
