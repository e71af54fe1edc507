"""Helpers shared by the command modules: argument types, opening the workspace, output."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ietp_desktop.domain.phrases import Lines, Phrase, Wording
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a valid date (use YYYY-MM-DD, e.g. 2026-10-01)"
        ) from None


def decimal_arg(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def workspace(args: argparse.Namespace) -> Database:
    return open_workspace(args.data_dir_path, actor=getattr(args, "actor", None))


def _default(value: Any) -> Any:
    if isinstance(value, Phrase | Lines | Wording):  # a note or a line: its English text
        return value.text("en")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # one level at a time, so that phrases inside are written as text
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def print_json(value: Any) -> None:
    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) >= 0x1100 and _wide(ch) else 1 for ch in text)


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@contextmanager
def office_db(args: argparse.Namespace) -> Iterator[Database]:
    """The office database named by `--office-dir` / `--db`, disposed of at the end."""
    from ietp_desktop.office.folder import open_office_db  # the laptop's commands never load it

    database = open_office_db(args.office_dir, args.db)
    try:
        yield database
    finally:
        database.dispose()
