"""`ietp-desktop office factory list|add|import` and `office plan …`: the factory register and
the planning board from the command line (same functions as the console pages)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ietp_desktop.cli.common import date_arg, print_json, print_table
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.factories import editing, import_list, register
from ietp_desktop.office.factories.fields import FieldProblem, parse_fields
from ietp_desktop.office.factories.states import STATE_LABELS
from ietp_desktop.storage.db import Database


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def _database(args: argparse.Namespace) -> Database:
    from ietp_desktop.office.folder import open_office_db

    return open_office_db(args.office_dir, args.db)


def register_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    factory = commands.add_parser("factory", help="the office's factory register")
    actions = factory.add_subparsers(dest="factory_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="factories with their PV window and state")
    _office_dir(listing)
    listing.add_argument("--region", default="")
    listing.add_argument("--state", choices=sorted(STATE_LABELS), default="")
    listing.add_argument("--search", default="", help="IETP id, name or city contains")
    listing.add_argument("--today", type=date_arg, help="the day states are computed for")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_factory_list)
    add = actions.add_parser("add", help="register a factory")
    _office_dir(add)
    add.add_argument("ietp_id")
    add.add_argument("--name", default="", help="English name")
    add.add_argument("--name-zh", default="", help="Chinese name")
    add.add_argument("--address", default="")
    add.add_argument("--city", default="")
    add.add_argument("--region", default="")
    add.add_argument("--headcount", default="")
    add.add_argument("--seal-issued", default="", help="YYYY-MM-DD")
    add.add_argument("--contact", default="")
    add.add_argument("--contact-email", default="")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_factory_add)
    imp = actions.add_parser("import", help="import a factory list (CSV or XLSX)")
    _office_dir(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_factory_import)


def _factory_list(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.session() as session:
            rows = register.list_factories(
                session,
                args.today or date.today(),
                register.FactoryFilter(args.search, args.region, args.state),
            )
    finally:
        db.dispose()
    if args.json:
        print_json(
            [
                {
                    "ietp_id": r.ietp_id,
                    "name_en": r.name_en,
                    "name_zh": r.name_zh,
                    "city": r.city,
                    "region": r.region,
                    "headcount": r.headcount,
                    "seal_issued_on": r.seal_issued_on,
                    "window_opens": r.window_opens,
                    "window_closes": r.window_closes,
                    "state": r.state.value,
                    "last_visit_on": r.last_visit_on,
                }
                for r in rows
            ]
        )
        return 0
    print_table(
        ["IETP id", "Name", "City", "Region", "Headcount", "Seal", "PV window", "State"],
        [
            [
                r.ietp_id,
                r.name_en or r.name_zh,
                r.city or "-",
                r.region or "-",
                str(r.headcount) if r.headcount is not None else "-",
                str(r.seal_issued_on or "-"),
                f"{r.window_opens} – {r.window_closes}" if r.window else "-",
                r.state.value,
            ]
            for r in rows
        ],
    )
    return 0


def _factory_add(args: argparse.Namespace) -> int:
    try:
        fields = parse_fields(
            {
                "ietp_id": args.ietp_id,
                "name_en": args.name,
                "name_zh": args.name_zh,
                "address": args.address,
                "city": args.city,
                "region": args.region,
                "headcount": args.headcount,
                "seal_issued_on": args.seal_issued,
                "contact_name": args.contact,
                "contact_email": args.contact_email,
            }
        )
    except FieldProblem as problem:
        raise UserError("--{option}: {problem}", option=problem.field, problem=problem) from None
    db = _database(args)
    try:
        editing.add_factory(db, fields, actor=cli_actor())
    finally:
        db.dispose()
    if args.json:
        print_json({"added": fields.ietp_id})
    else:
        print(f"factory {fields.ietp_id} added")
    return 0


def _factory_import(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        result = import_list.import_factory_list(db, args.file, actor=cli_actor())
    finally:
        db.dispose()
    if args.json:
        print_json(result)
    else:
        print(f"{result.file}: {len(result.added)} added, {len(result.updated)} updated")
    return 0
