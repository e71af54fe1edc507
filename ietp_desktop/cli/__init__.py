"""`ietp-desktop`: with no sub-command it opens the window; sub-commands do headless work.

Each command group lives in its own module with a `register(subparsers)` function that adds
its parser and sets `handler` (a function taking the parsed args and returning an exit code).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from ietp_desktop import __version__
from ietp_desktop.cli import (
    bundle_cmd,
    cap_cmd,
    demo_cmd,
    factories_cmd,
    forms_cmd,
    identity_cmd,
    office_cmd,
    records_cmd,
    report_cmd,
    visits_cmd,
)
from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import resolve_data_dir

COMMAND_MODULES = (
    factories_cmd,
    visits_cmd,
    forms_cmd,
    demo_cmd,
    cap_cmd,
    report_cmd,
    identity_cmd,
    records_cmd,
    bundle_cmd,
    office_cmd,
)

EXIT_USER_ERROR = 1
EXIT_INTERNAL = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ietp-desktop",
        description="IETP PV Desktop: Progress Visits for the ICTI Ethical Toy Program.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        help="folder holding the database and photos (default: IETP_DATA_DIR, "
        "else the platform's user data folder)",
    )
    parser.add_argument("--actor", help="name recorded in the audit trail for changes")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def _log_internal_error(data_dir: Path | None) -> Path | None:
    if data_dir is None:
        return None
    try:
        log_dir = data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "errors.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return path
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    args.data_dir_path = data_dir
    try:
        if args.command is None:
            from ietp_desktop.ui.app import run_gui  # Qt is loaded only for the window

            return run_gui(data_dir)
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"ietp-desktop: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        print("ietp-desktop: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback on screen; keep it for a bug report
        log = _log_internal_error(data_dir)
        where = f"; details in {log}" if log else ""
        print(f"ietp-desktop: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL
