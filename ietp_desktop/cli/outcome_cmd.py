"""`ietp-desktop visits outcome|override|fee`: the outcome engine's recommendation with its
drivers, the specialist's override, and the fee note."""

from __future__ import annotations

import argparse

from ietp_desktop.cli.common import date_arg, decimal_arg, fmt, print_json, workspace
from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.services.dto import FeeView, OutcomeView
from ietp_desktop.services.outcome import fee, recommendation


def register_visit_actions(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    show = commands.add_parser("outcome", help="recommended outcome, its drivers, the override")
    show.add_argument("visit")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_outcome)

    override = commands.add_parser("override", help="override the outcome with a reason")
    override.add_argument("visit")
    override.add_argument("--outcome", choices=[o.value for o in Outcome])
    override.add_argument("--reason", default="", help="why (required to override)")
    override.add_argument("--clear", action="store_true", help="go back to the recommendation")
    override.set_defaults(handler=_override)

    note = commands.add_parser("fee", help="show or set the fee note")
    note.add_argument("visit")
    note.add_argument("--man-days", type=decimal_arg)
    note.add_argument("--day-rate", type=decimal_arg, help="US$ per man-day")
    note.add_argument("--invoice-received", type=date_arg, help="date YYYY-MM-DD")
    note.add_argument("--json", action="store_true")
    note.set_defaults(handler=_fee)


def _print_outcome(view: OutcomeView) -> None:
    print(f"Recommended  {view.recommended_label}")
    print(f"Why          {view.reason}")
    print(f"Meaning      {view.explanation}")
    if view.drivers:
        print("Drivers")
        for code, classification, title in view.drivers:
            print(f"  {code} [{classification}] {title}")
    if view.overridden:
        print(f"Final        {view.final_label} (overridden)")
        print(f"Reason       {view.override_reason}")
    else:
        print(f"Final        {view.final_label}")


def _outcome(args: argparse.Namespace) -> int:
    db = workspace(args)
    view = recommendation.visit_outcome(db, args.visit)
    if args.json:
        print_json(view)
        return 0
    _print_outcome(view)
    status = recommendation.outcome_status(db, args.visit)
    if status.provisional:
        print(
            f"Provisional  until the visit is completed: {len(status.required_open)} required "
            f"item(s) unanswered, {status.proposals_open} proposed finding(s) not reviewed"
        )
    return 0


def _override(args: argparse.Namespace) -> int:
    db = workspace(args)
    if args.clear:
        view = recommendation.clear_override(db, args.visit)
    elif args.outcome:
        view = recommendation.override_outcome(db, args.visit, args.outcome, args.reason)
    else:
        print("ietp-desktop: error: give --outcome KEY --reason TEXT, or --clear")
        return 1
    _print_outcome(view)
    return 0


def _print_fee(note: FeeView) -> None:
    print(f"Man-days        {note.man_days}")
    print(f"Day rate        US$ {note.day_rate_usd}")
    capped = " (capped at US$ 1500)" if note.cap_applied else ""
    print(f"Fee             US$ {note.total_usd}{capped}")
    if note.cap_applied:
        print(f"Before the cap  US$ {note.uncapped_usd}")
    print(f"Invoice receipt {fmt(note.invoice_received_on)}")
    print(f"Due             {fmt(note.due_on)} (15 working days after receipt)")


def _fee(args: argparse.Namespace) -> int:
    db = workspace(args)
    changes = {
        name: value
        for name, value in (
            ("man_days", args.man_days),
            ("day_rate_usd", args.day_rate),
            ("invoice_received_on", args.invoice_received),
        )
        if value is not None
    }
    note = fee.set_fee(db, args.visit, **changes) if changes else fee.fee_for(db, args.visit)
    if args.json:
        print_json(note)
        return 0
    if note is None:
        print("no fee note yet: set --man-days and --day-rate")
        return 0
    _print_fee(note)
    return 0
