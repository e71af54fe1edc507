"""`office plan move|redate|cancel|history`: change a planned visit after it was sent (the same
functions as the console's plan page)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ietp_desktop.cli.common import date_arg, office_db, print_json
from ietp_desktop.cli.office_console_cmd import cli_actor


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    move = actions.add_parser(
        "move", help="give a planned visit to another specialist (withdrawn from the first)"
    )
    _office_dir(move)
    move.add_argument("visit_uuid")
    move.add_argument("--to", dest="specialist", required=True, help="the new specialist's e-mail")
    move.add_argument("--date", type=date_arg, help="a new proposed date (default: the same)")
    move.add_argument("--reason", default="", help="shown to the previous specialist")
    move.add_argument("--json", action="store_true")
    move.set_defaults(handler=_move)
    redate = actions.add_parser("redate", help="propose another date for a planned visit")
    _office_dir(redate)
    redate.add_argument("visit_uuid")
    redate.add_argument("--date", type=date_arg, required=True)
    redate.add_argument("--reason", default="")
    redate.add_argument("--json", action="store_true")
    redate.set_defaults(handler=_redate)
    cancel = actions.add_parser("cancel", help="cancel a planned visit; the factory is due again")
    _office_dir(cancel)
    cancel.add_argument("visit_uuid")
    cancel.add_argument("--reason", required=True, help="shown to the specialist")
    cancel.add_argument("--json", action="store_true")
    cancel.set_defaults(handler=_cancel)
    history = actions.add_parser("history", help="a planned visit's assignments and changes")
    _office_dir(history)
    history.add_argument("visit_uuid")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=_history)


def _print(result: object, as_json: bool) -> None:
    from ietp_desktop.office.planning.changes import ChangeResult

    assert isinstance(result, ChangeResult)
    if as_json:
        print_json(
            {
                "action": result.kind,
                "ietp_id": result.ietp_id,
                "visit_uuid": result.uuid,
                "withdrawn_uuid": result.withdrawn_uuid or None,
                "specialist": result.specialist_email,
                "date": result.day,
                "published": [str(p) for p in result.published],
                "warnings": [w.text("en") for w in result.warnings],
            }
        )
        return
    done = {"move": "moved", "redate": "re-dated", "cancel": "cancelled"}[result.kind]
    print(
        f"{done} the PV of {result.ietp_id} ({result.specialist_email}, {result.day}, "
        f"visit {result.uuid}); published {', '.join(p.name for p in result.published) or '-'}"
    )
    for warning in result.warnings:
        print(f"  warning: {warning.text('en')}")


def _run_change(
    args: argparse.Namespace, change: Callable[..., object], *values: object, **options: object
) -> int:
    """Run one of the office/planning/changes functions on `args.visit_uuid` and print it."""
    from ietp_desktop.cli.office_cmd import _office_secret

    with office_db(args) as db:
        result = change(
            args.office_dir,
            db,
            args.visit_uuid,
            *values,
            **options,
            actor=cli_actor(),
            office_passphrase=_office_secret(),
            db_url=args.db,
        )
    _print(result, args.json)
    return 0


def _move(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import changes

    return _run_change(args, changes.move_plan, args.specialist, args.date, reason=args.reason)


def _redate(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import changes

    return _run_change(args, changes.redate_plan, args.date, reason=args.reason)


def _cancel(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning import changes

    return _run_change(args, changes.cancel_plan, args.reason)


def _history(args: argparse.Namespace) -> int:
    from ietp_desktop.office.planning.changes import find_plan
    from ietp_desktop.office.planning.history import plan_histories
    from ietp_desktop.office.planning.plans import get_plan

    with office_db(args) as db, db.session() as session:
        plan = get_plan(session, find_plan(session, args.visit_uuid).visit_uuid)
        entries = plan_histories(session, [plan.plan_id])[plan.plan_id]
    if args.json:
        print_json(
            {
                "ietp_id": plan.factory_ietp_id,
                "visit_uuid": plan.uuid,
                "state": plan.state.value,
                "specialist": plan.specialist_email,
                "date": plan.day,
                "cancel_reason": plan.cancel_reason or None,
                "history": [
                    {
                        "action": e.kind,
                        "at": e.at,
                        "by": e.actor,
                        "specialist": e.specialist_name,
                        "date": e.day,
                        "previous_specialist": e.previous_name or None,
                        "previous_date": e.previous_day,
                        "reason": e.reason,
                        "text": e.text("en"),
                    }
                    for e in entries
                ],
            }
        )
        return 0
    print(f"{plan.factory_ietp_id} {plan.state.value}: {plan.specialist_email} on {plan.day}")
    for entry in entries:
        print(f"  {entry.text('en')}" + (f": {entry.reason}" if entry.reason else ""))
    return 0
