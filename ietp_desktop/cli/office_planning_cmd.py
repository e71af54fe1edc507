"""`ietp-desktop office factory list|add|import` and `office plan …`: the factory register and
the planning board from the command line (same functions as the console pages)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ietp_desktop.cli.common import date_arg, decimal_arg, office_db, print_json, print_table
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.factories import editing, import_list, register
from ietp_desktop.office.factories.fields import FieldProblem, parse_fields
from ietp_desktop.office.factories.states import STATE_LABELS


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


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
    with office_db(args) as db, db.session() as session:
        rows = register.list_factories(
            session,
            args.today or date.today(),
            register.FactoryFilter(args.search, args.region, args.state),
        )
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
    with office_db(args) as db:
        editing.add_factory(db, fields, actor=cli_actor())
    if args.json:
        print_json({"added": fields.ietp_id})
    else:
        print(f"factory {fields.ietp_id} added")
    return 0


def _factory_import(args: argparse.Namespace) -> int:
    with office_db(args) as db:
        result = import_list.import_factory_list(db, args.file, actor=cli_actor())
    if args.json:
        print_json(result)
    else:
        print(f"{result.file}: {len(result.added)} added, {len(result.updated)} updated")
    return 0


# --- office plan … -------------------------------------------------------------------------


def register_plan_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = commands.add_parser("plan", help="the planning board: PVs due, assignments, blackouts")
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    board_cmd = actions.add_parser("board", help="PVs due in the coming months, by region")
    _office_dir(board_cmd)
    board_cmd.add_argument("--months", type=int, default=3)
    board_cmd.add_argument("--region", default="")
    board_cmd.add_argument("--today", type=date_arg)
    board_cmd.add_argument("--json", action="store_true")
    board_cmd.set_defaults(handler=_plan_board)
    assign = actions.add_parser(
        "assign", help="assign a factory's PV and publish it for the laptop"
    )
    _office_dir(assign)
    assign.add_argument("ietp_id")
    assign.add_argument("--specialist", required=True, help="the specialist's e-mail")
    assign.add_argument("--date", type=date_arg, required=True)
    assign.add_argument("--man-days", type=decimal_arg)
    assign.add_argument("--json", action="store_true")
    assign.set_defaults(handler=_plan_assign)
    confirm = actions.add_parser("confirm", help="record the date the specialist agreed")
    _office_dir(confirm)
    confirm.add_argument("visit_uuid")
    confirm.add_argument("--date", type=date_arg, required=True)
    confirm.set_defaults(handler=_plan_confirm)
    blackout = actions.add_parser("blackout", help="office blackout periods (Chinese New Year…)")
    bactions = blackout.add_subparsers(dest="blackout_command", metavar="ACTION", required=True)
    badd = bactions.add_parser("add", help="add a blackout period")
    _office_dir(badd)
    badd.add_argument("name")
    badd.add_argument("--from", dest="starts", type=date_arg, required=True)
    badd.add_argument("--to", dest="ends", type=date_arg, required=True)
    badd.set_defaults(handler=_blackout_add)
    blist = bactions.add_parser("list", help="blackout periods, all or of one year")
    _office_dir(blist)
    blist.add_argument("--year", type=int)
    blist.add_argument("--json", action="store_true")
    blist.set_defaults(handler=_blackout_list)
    unavailable = actions.add_parser("unavailable", help="add dates a factory is unavailable")
    _office_dir(unavailable)
    unavailable.add_argument("ietp_id")
    unavailable.add_argument("--from", dest="starts", type=date_arg, required=True)
    unavailable.add_argument("--to", dest="ends", type=date_arg, required=True)
    unavailable.add_argument("--reason", default="")
    unavailable.set_defaults(handler=_unavailable_add)
    letter_cmd = actions.add_parser("letter", help="the preparation letter of a planned visit")
    _office_dir(letter_cmd)
    letter_cmd.add_argument("visit_uuid")
    letter_cmd.add_argument("--out", type=Path, required=True)
    letter_cmd.set_defaults(handler=_plan_letter)
    from ietp_desktop.cli import office_plan_change_cmd

    office_plan_change_cmd.register(actions)


def _plan_board(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import board

    with office_db(args) as db, db.session() as session:
        view = board.build_board(
            session, args.today or date.today(), board.BoardFilter(args.months, args.region)
        )
    rows = [
        {
            "region": region,
            "ietp_id": r.factory.ietp_id,
            "name_en": r.factory.name_en,
            "window_opens": r.factory.window_opens,
            "window_closes": r.factory.window_closes,
            "state": r.factory.state.value,
            "plan": r.plan_state,
            "visit_uuid": r.plan.uuid if r.plan else None,
            "specialist": r.plan.specialist_email if r.plan else None,
            "date": r.plan.day if r.plan else None,
            "warnings": [w.text("en") for w in r.warnings],
        }
        for region, region_rows in view.regions
        for r in region_rows
    ]
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["Region", "IETP id", "PV window", "State", "Plan", "Specialist", "Date", "Warnings"],
        [
            [
                str(r["region"] or "-"),
                str(r["ietp_id"]),
                f"{r['window_opens']} – {r['window_closes']}",
                str(r["state"]),
                str(r["plan"]),
                str(r["specialist"] or "-"),
                str(r["date"] or "-"),
                "; ".join(r["warnings"]) or "-",  # type: ignore[arg-type]
            ]
            for r in rows
        ],
    )
    return 0


def _plan_assign(args: argparse.Namespace) -> int:
    from ietp_desktop.cli.office_cmd import _office_secret
    from ietp_desktop.office.planning import assigning

    with office_db(args) as db:
        warnings = assigning.warnings_for(db, args.ietp_id, args.date)
        result = assigning.plan_visit(
            args.office_dir,
            db,
            args.ietp_id,
            args.specialist,
            args.date,
            args.man_days,
            actor=cli_actor(),
            office_passphrase=_office_secret(),
            db_url=args.db,
        )
    if args.json:
        print_json(
            {
                "visit_uuid": result.uuid,
                "ietp_id": result.ietp_id,
                "specialist": result.specialist_email,
                "date": result.day,
                "new": result.new,
                "published": str(result.bundle),
                "warnings": [w.text("en") for w in warnings],
            }
        )
        return 0
    print(
        f"{'assigned' if result.new else 'moved'} {result.ietp_id} to {result.specialist_email} "
        f"on {result.day} (visit {result.uuid}); published {result.bundle.name}"
    )
    for warning in warnings:
        print(f"  warning: {warning.text('en')}")
    return 0


def _plan_confirm(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import assigning

    with office_db(args) as db:
        assigning.record_confirmation(
            db, args.visit_uuid, args.date, actor=cli_actor(), via="coordinator"
        )
    print(f"visit {args.visit_uuid[:8]} confirmed for {args.date}")
    return 0


def _blackout_add(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import calendar

    with office_db(args) as db:
        calendar.add_blackout(db, args.name, args.starts, args.ends, actor=cli_actor())
    print(f"blackout period {args.name}: {args.starts} to {args.ends}")
    return 0


def _blackout_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import calendar

    with office_db(args) as db, db.session() as session:
        periods = calendar.blackouts(session, args.year)
    if args.json:
        print_json(
            [
                {
                    "id": p.id,
                    "year": p.year,
                    "name": p.name,
                    "starts": p.starts_on,
                    "ends": p.ends_on,
                }
                for p in periods
            ]
        )
        return 0
    print_table(
        ["Id", "Year", "Name", "From", "To"],
        [[str(p.id), str(p.year), p.name, str(p.starts_on), str(p.ends_on)] for p in periods],
    )
    return 0


def _unavailable_add(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import calendar

    with office_db(args) as db:
        calendar.add_unavailable(
            db, args.ietp_id, args.starts, args.ends, args.reason, actor=cli_actor()
        )
    print(f"factory {args.ietp_id} unavailable from {args.starts} to {args.ends}")
    return 0


def _plan_letter(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning.letter import preparation_letter_pdf
    from ietp_desktop.security.atomic import atomic_write_bytes

    with office_db(args) as db:
        pdf = preparation_letter_pdf(db, args.visit_uuid, date.today())
    atomic_write_bytes(args.out, pdf)
    print(f"wrote {args.out}")
    return 0
