"""`ietp-desktop office review …` and `office cap …`: the follow-up of received visits.

The console pages call the same functions (office/review, office/cap_followup).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from ietp_desktop.cli.bundle_cmd import passphrase
from ietp_desktop.cli.common import office_db, print_json, print_table
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.review import decisions
from ietp_desktop.storage.db import Database

OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"
T = TypeVar("T")


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def _with_db(args: argparse.Namespace, work: Callable[[Database], T]) -> T:
    with office_db(args) as database:
        return work(database)


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
    _register_cap(commands)


def _register_cap(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cap = commands.add_parser("cap", help="follow the CAP lines of received visits to closure")
    actions = cap.add_subparsers(dest="cap_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every CAP line with its follow-up status")
    _office_dir(listing)
    listing.add_argument("--overdue", action="store_true", help="only lines past their due date")
    listing.add_argument("--week", action="store_true", help="only lines due this week")
    listing.add_argument("--factory", default="", metavar="IETP_ID")
    listing.add_argument("--specialist", default="")
    listing.add_argument("--root-cause", default="")
    listing.add_argument("--visit", default="", metavar="UUID")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_cap_list)
    imp = actions.add_parser(
        "import", help="take in the factory's returned CAP workbook and evidence files"
    )
    imp.add_argument("visit", help="the visit's uuid")
    imp.add_argument("workbook", type=Path, help="the CAP workbook the factory filled in")
    imp.add_argument(
        "evidence",
        nargs="*",
        metavar="EVIDENCE",
        help="CODE=FILE, or a file whose name starts with the finding code (F01-payroll.pdf)",
    )
    _office_dir(imp)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cap_import)
    decide = actions.add_parser("decide", help="accept (close) or reject a CAP line")
    decide.add_argument("visit", help="the visit's uuid")
    decide.add_argument("finding", help="the finding code of the line (F01)")
    decide.add_argument("decision", choices=["accept", "reject"])
    decide.add_argument("--comment", default="")
    decide.add_argument(
        "--without-records",
        action="store_true",
        help="accept a wage or hours line without a clean check of new records (say why)",
    )
    _office_dir(decide)
    decide.set_defaults(handler=_cap_decide)
    remind = actions.add_parser(
        "remind", help="write reminders to factories with open CAP lines and send them"
    )
    _office_dir(remind)
    remind.add_argument("--factory", default="", metavar="IETP_ID", help="only this factory")
    remind.add_argument(
        "--letters", type=Path, metavar="DIR", help="also save each reminder letter (PDF) here"
    )
    remind.set_defaults(handler=_cap_remind)
    sent = actions.add_parser("outbox", help="the reminders written, sent or not")
    _office_dir(sent)
    sent.add_argument("--json", action="store_true")
    sent.set_defaults(handler=_cap_outbox)
    from ietp_desktop.cli import office_cap_records_cmd

    office_cap_records_cmd.register(actions)


def _cap_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.cap_followup import tracker

    flt = tracker.CapFilter(
        overdue=args.overdue,
        due_this_week=args.week,
        factory=args.factory,
        specialist=args.specialist,
        root_cause=args.root_cause,
        visit=args.visit,
    )

    def query(db: Database) -> list[tracker.TrackerLine]:
        with db.session() as session:
            return tracker.query_lines(session, flt)

    rows = _with_db(args, query)
    if args.json:
        print_json([{k: v for k, v in asdict(r).items() if k != "factory_id"} for r in rows])
        return 0
    print_table(
        ["factory", "visit", "line", "class", "responsible", "due", "status", "files", "decision"],
        [
            [
                r.factory_ietp_id,
                r.visit_uuid[:8],
                r.finding_code,
                r.classification,
                r.responsible,
                r.due_date.isoformat() if r.due_date else "",
                r.status,
                str(r.evidence),
                r.decision,
            ]
            for r in rows
        ],
    )
    return 0


def _evidence_arg(text: str) -> tuple[str, Path]:
    code, sep, rest = text.partition("=")
    if sep and code.strip():
        return code.strip().upper(), Path(rest)
    path = Path(text)
    found = re.match(r"^([A-Za-z]+\d+)(?=[-_ .])", path.name)
    if not found:
        raise UserError(
            "{file}: say which CAP line it is evidence for, as CODE=FILE (F01=photo.jpg) or "
            "with the code at the start of its name (F01-photo.jpg)",
            file=text,
        )
    return found.group(1).upper(), path


def _cap_import(args: argparse.Namespace) -> int:
    from ietp_desktop.office.cap_followup.evidence_files import MAX_EVIDENCE_BYTES
    from ietp_desktop.office.cap_followup.factory_returns import import_cap

    evidence: list[tuple[str, str, bytes]] = []
    for text in args.evidence:
        code, path = _evidence_arg(text)
        try:
            with path.open("rb") as stream:
                content = stream.read(MAX_EVIDENCE_BYTES + 1)
        except OSError as exc:
            raise UserError("cannot read {file}: {error}", file=path, error=exc.strerror) from exc
        evidence.append((code, path.name, content))
    result = _with_db(
        args,
        lambda db: import_cap(
            db,
            args.office_dir,
            args.visit,
            args.workbook,
            evidence,
            actor=cli_actor(),
            role=decisions.CLI_ROLE,
        ),
    )
    if args.json:
        print_json(result)
        return 0
    print(f"{result.file}: visit {result.visit_uuid[:8]}, {len(result.changes)} change(s)")
    for note in result.notes:
        print(f"  note: {note}")
    for change in result.changes:
        print(f"  {change.finding_code} {change.field}: {change.old!r} -> {change.new!r}")
    for row, reason in result.problems:
        print(f"  row {row} not taken: {reason}")
    for item in result.evidence:
        held = " (already held)" if item.already_held else ""
        print(f"  evidence {item.finding_code}: {item.filename} {item.sha256[:12]}{held}")
    return 0


def _cap_decide(args: argparse.Namespace) -> int:
    from ietp_desktop.office.cap_followup.decisions import decide_line

    decision = "accepted" if args.decision == "accept" else "rejected"
    _with_db(
        args,
        lambda db: decide_line(
            db,
            args.visit,
            args.finding,
            decision,
            args.comment,
            actor=cli_actor(),
            role=decisions.CLI_ROLE,
            without_records=args.without_records,
        ),
    )
    print(f"visit {args.visit[:8]} line {args.finding.upper()}: {decision}")
    return 0


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


def _cap_remind(args: argparse.Namespace) -> int:
    from datetime import date

    from ietp_desktop.office.cap_followup import reminders

    today = date.today()

    def work(db: Database) -> list[reminders.OutboxRow]:
        if args.letters is not None:
            args.letters.mkdir(parents=True, exist_ok=True)
            for reminder in reminders.due_reminders(db, args.factory, today):
                path = args.letters / f"cap-reminder-{reminder.factory_ietp_id}.pdf"
                path.write_bytes(reminders.letter_pdf(reminder, today))
                print(f"letter for {reminder.factory_ietp_id}: {path}")
        return reminders.send_reminders(
            db,
            args.office_dir,
            actor=cli_actor(),
            role=decisions.CLI_ROLE,
            factory=args.factory,
            today=today,
        )

    rows = _with_db(args, work)
    for row in rows:
        why = f" ({row.problem})" if row.problem else ""
        print(
            f"{row.factory_ietp_id}: {row.status}{why} to {row.recipient or '-'}: "
            f"{row.open_lines} open, {row.overdue_lines} overdue"
        )
    if not rows:
        print("no factory has an open CAP line")
    return 0


def _cap_outbox(args: argparse.Namespace) -> int:
    from ietp_desktop.office.cap_followup import reminders

    rows = _with_db(args, reminders.outbox)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["when (UTC)", "factory", "to", "open", "overdue", "status", "problem"],
        [
            [
                f"{r.at:%Y-%m-%d %H:%M}",
                r.factory_ietp_id,
                r.recipient,
                str(r.open_lines),
                str(r.overdue_lines),
                r.status,
                r.problem[:60],
            ]
            for r in rows
        ],
    )
    return 0
