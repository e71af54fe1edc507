"""Where the program finds its shipped data and where it keeps the user's data."""

from __future__ import annotations

import os
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
