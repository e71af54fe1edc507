"""`ietp-desktop office review …` and `office cap …`: the follow-up of received visits.

The console pages call the same functions (office/review, office/cap_followup).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ietp_desktop.cli.bundle_cmd import passphrase
from ietp_desktop.cli.common import print_json, print_table
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.review import decisions
from ietp_desktop.storage.db import Database

OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"
T = TypeVar("T")


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def _with_db(args: argparse.Namespace, work: Callable[[Database], T]) -> T:
    database = open_office_db(args.office_dir, args.db)
    try:
        return work(database)
    finally:
        database.dispose()


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = commands.add_parser("review", help="review received visits: start, accept, return")
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="received visits and their review state")
    _office_dir(listing)
    listing.add_argument("--state", choices=decisions.STATES, default="")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_review_list)
    for name, help_text in (
        ("start", "start reviewing a visit"),
        ("accept", "accept the visit's revision"),
        ("return", "return the visit to its specialist with comments"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("visit", help="the visit's uuid")
        _office_dir(action)
        action.add_argument("--comment", default="", help="what the specialist must change")
        if name == "return":
            action.add_argument(
                "--no-send",
                action="store_true",
                help="do not publish the comments now (they go with the next assignments)",
            )
        action.set_defaults(handler=_review_action, review_action=name)


def _review_list(args: argparse.Namespace) -> int:
    rows = _with_db(args, lambda db: decisions.list_reviews(db, args.state))
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["visit", "rev", "state", "factory", "specialist", "by", "comment"],
        [
            [
                r.uuid[:8],
                str(r.revision),
                r.state,
                f"{r.factory_ietp_id} {r.factory}",
                r.specialist,
                r.decided_by,
                r.comment.splitlines()[0][:60] if r.comment else "",
            ]
            for r in rows
        ],
    )
    return 0


def _review_action(args: argparse.Namespace) -> int:
    actor = cli_actor()
    role = decisions.CLI_ROLE

    def act(db: Database) -> decisions.ReviewStatus:
        if args.review_action == "start":
            return decisions.start_review(db, args.visit, actor=actor, role=role)
        if args.review_action == "accept":
            return decisions.accept_visit(
                db, args.visit, actor=actor, role=role, comment=args.comment
            )
        return decisions.return_visit(db, args.visit, args.comment, actor=actor, role=role)

    status = _with_db(args, act)
    print(f"visit {status.uuid[:8]} revision {status.revision}: {status.state}")
    if args.review_action == "return" and not args.no_send:
        from ietp_desktop.office.review.returns import send_returns

        published = send_returns(
            args.office_dir,
            status.uuid,
            db_url=args.db,
            office_passphrase=passphrase(
                OFFICE_PASSPHRASE_ENV, "Office key passphrase: ", required=False
            ),
        )
        print(f"  the comments wait for the specialist's laptop in {published.name}")
    return 0
