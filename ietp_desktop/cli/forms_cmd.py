"""`ietp-desktop forms list|check`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ietp_desktop.cli.common import print_table, workspace
from ietp_desktop.domain.checklist import parse_form
from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.catalogue.definitions import list_definitions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("forms", help="installed checklist forms and rule sets")
    commands = parser.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    commands.add_parser("list", help="list installed forms and rule sets").set_defaults(
        handler=_list
    )
    check = commands.add_parser("check", help="check a checklist form file for errors")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=_check)


def _list(args: argparse.Namespace) -> int:
    rows = list_definitions(workspace(args))
    print_table(
        ["Kind", "Id", "Version", "sha256", "Source"],
        [[d.kind, d.ident, d.version, d.sha256[:12], d.source] for d in rows],
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError("cannot read {file}: {reason}", file=args.file, reason=exc) from exc
    form = parse_form(text, args.file.name)
    print(f"{args.file.name}: form {form.form_id} {form.version}, {len(form.items())} items, ok")
    return 0
