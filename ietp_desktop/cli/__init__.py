"""`ietp-desktop`: with no sub-command it opens the window; sub-commands do headless work.

Each command group lives in its own module with a `register(subparsers)` function that adds
its parser and sets `handler` (a function taking the parsed args and returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from ietp_desktop import __version__
from ietp_desktop.domain.errors import UserError
from ietp_desktop.error_log import write_error
from ietp_desktop.paths import resolve_data_dir

# Command name → (module in ietp_desktop.cli, help). Only the module of the command asked for
# is imported: `ietp-desktop visits list` does not load reportlab, and the window does not
# load any command module. tests/cli check the help here matches each module's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "factories": ("factories_cmd", "list and add factories"),
    "visits": ("visits_cmd", "plan, run and inspect Progress Visits"),
    "forms": ("forms_cmd", "installed checklist forms and rule sets"),
    "records": ("records_cmd", "worker sample, time and pay records, hours and wage checks"),
    "cap": ("cap_cmd", "Corrective Action Plan: list, edit, XLSX"),
    "report": ("report_cmd", "signed visit reports, letters and CAP forms"),
    "identity": ("identity_cmd", "the specialist's signing identity"),
    "bundle": ("bundle_cmd", "sync bundles to and from the office"),
    "office": ("office_cmd", "office tasks: keys, enrolment, import, assign"),
    "demo": ("demo_cmd", "seed a data folder with demo data"),
}
# Other names a command answers to (the records commands are the hours feature)
ALIASES: dict[str, tuple[str, ...]] = {"records": ("hours",)}
_ALIAS_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir", "--actor")

EXIT_USER_ERROR = 1
EXIT_INTERNAL = 3


def requested_command(argv: Sequence[str]) -> str | None:
    """The command word in `argv`, skipping the global options and their values."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not token.startswith("-"):
            token = _ALIAS_OF.get(token, token)
            return token if token in COMMANDS else None
    return None


def load_command(name: str) -> ModuleType:
    return importlib.import_module(f"ietp_desktop.cli.{COMMANDS[name][0]}")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """All commands are listed; only the one in `argv` (all of them when None) is loaded."""
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
    wanted = None if argv is None else requested_command(argv)
    for name, (_module, help_text) in COMMANDS.items():
        if argv is None or name == wanted:
            load_command(name).register(subparsers)
        else:
            subparsers.add_parser(name, aliases=list(ALIASES.get(name, ())), help=help_text)
    return parser


def _log_internal_error(args: argparse.Namespace, exc: Exception) -> Path | None:
    """The office's errors go to the office folder, the laptop's to its data folder."""
    folder = getattr(args, "office_dir", None) or args.data_dir_path
    return write_error(Path(folder), exc) if folder else None


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
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
        log = _log_internal_error(args, exc)
        where = f"; details in {log}" if log else ""
        # The exception's text may carry a worker's name or wage: only its kind is shown.
        print(f"ietp-desktop: internal error: {type(exc).__name__}{where}", file=sys.stderr)
        return EXIT_INTERNAL
