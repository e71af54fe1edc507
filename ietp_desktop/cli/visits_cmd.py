"""`ietp-desktop visits …`: list, show, plan, confirm, start, answer, attend, complete."""

from __future__ import annotations

import argparse

from ietp_desktop.cli import outcome_cmd
from ietp_desktop.cli.common import (
    date_arg,
    decimal_arg,
    fmt,
    print_json,
    print_table,
    workspace,
)
from ietp_desktop.domain.checklist import format_answer
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import answers, attendees, lifecycle
from ietp_desktop.services.visits.derived import fact_text
from ietp_desktop.services.visits.read import VisitFilter, list_visits, load_detail


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("visits", help="plan, run and inspect Progress Visits")
    commands = parser.add_subparsers(dest="visits_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="list visits")
    listing.add_argument("--status", help="planned, confirmed, in_progress, completed, …")
    listing.add_argument("--city")
    listing.add_argument("--due", choices=["not_yet_due", "due", "overdue"])
    listing.add_argument("--outcome", help="outcome key, e.g. maintained_cap_required")
    listing.add_argument("--search", default="")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)

    show = commands.add_parser("show", help="everything recorded for one visit")
    show.add_argument("visit", help="visit number or id (a unique prefix is enough)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    plan = commands.add_parser("plan", help="plan a visit for a factory")
    plan.add_argument("factory", help="IETP id or number")
    plan.add_argument("--date", type=date_arg, help="planned date YYYY-MM-DD")
    plan.add_argument("--specialist", default="")
    plan.add_argument("--man-days", type=decimal_arg)
    plan.set_defaults(handler=_plan)

    confirm = commands.add_parser("confirm", help="the date is agreed with the factory")
    confirm.add_argument("visit")
    confirm.add_argument("--date", type=date_arg, required=True, help="agreed visit date")
    confirm.add_argument("--announced", type=date_arg, help="date the announcement was sent")
    confirm.set_defaults(handler=_confirm)

    start = commands.add_parser("start", help="start the visit on site")
    start.add_argument("visit")
    start.set_defaults(handler=_start)

    answer = commands.add_parser("answer", help="answer a checklist item")
    answer.add_argument("visit")
    answer.add_argument("item", help="item id, e.g. WH-03")
    answer.add_argument("value", help="yes/no/na, a number, YYYY-MM-DD, text; a,b for multi")
    answer.add_argument("--note")
    answer.set_defaults(handler=_answer)

    attend = commands.add_parser("attendee", help="record a meeting attendee")
    attend.add_argument("visit")
    attend.add_argument("--name", required=True)
    attend.add_argument("--role", default="")
    attend.add_argument("--senior", action="store_true", help="senior management")
    attend.add_argument("--opening", action="store_true", help="present at the opening meeting")
    attend.add_argument("--closing", action="store_true", help="present at the closing meeting")
    attend.set_defaults(handler=_attendee)

    finding = commands.add_parser("finding", help="raise a finding")
    finding.add_argument("visit")
    finding.add_argument(
        "--classification",
        required=True,
        help="standard_nc, transparency, zero_tolerance, observation, best_practice",
    )
    finding.add_argument("--description", required=True)
    finding.add_argument("--title", default="")
    finding.add_argument("--category", default="other")
    finding.add_argument("--root-cause", default="")
    finding.add_argument("--item", action="append", default=[], help="linked item id (repeat)")
    finding.set_defaults(handler=_finding)

    complete = commands.add_parser("complete", help="close the visit (checks the gates)")
    complete.add_argument("visit")
    complete.set_defaults(handler=_complete)

    refuse = commands.add_parser("refuse", help="the factory refused the visit")
    refuse.add_argument("visit")
    refuse.add_argument("--note", required=True, help="who refused, when, what was said")
    refuse.set_defaults(handler=_refuse)

    revise = commands.add_parser("revise", help="open a new revision of a signed visit")
    revise.add_argument("visit")
    revise.add_argument("--reason", required=True)
    revise.set_defaults(handler=_revise)
    outcome_cmd.register_visit_actions(commands)


def _list(args: argparse.Namespace) -> int:
    rows = list_visits(
        workspace(args),
        VisitFilter(
            search=args.search,
            status=args.status,
            city=args.city,
            due_state=args.due,
            outcome=args.outcome,
        ),
    )
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["#", "Id", "Factory", "City", "Status", "Date", "Outcome", "Sync"],
        [
            [
                str(v.id),
                v.short_id,
                f"{v.factory_name_en} {v.factory_name_zh}".strip(),
                v.city,
                v.status_label,
                fmt(v.visit_start or v.confirmed_date or v.planned_date),
                v.outcome_label or "-",
                v.sync_state or "-",
            ]
            for v in rows
        ],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    db = workspace(args)
    detail = load_detail(db, args.visit)
    if args.json:
        print_json(detail)
        return 0
    s, f = detail.summary, detail.factory
    print(f"Visit {s.short_id} ({s.uuid}) revision {s.revision}")
    print(f"Factory   {f.ietp_id}  {f.name_en}  {f.name_zh}  ({f.city})")
    print(f"Status    {s.status_label}")
    print(f"Window    {fmt(s.window_opens)} … {fmt(s.window_closes)}")
    print(
        f"Dates     planned {fmt(s.planned_date)}, confirmed {fmt(s.confirmed_date)}, "
        f"visit {fmt(s.visit_start)} … {fmt(detail.visit_end)}"
    )
    print(f"Form      {s.form_id} {s.form_version}")
    print(
        f"Outcome   {detail.outcome.final_label}"
        + (
            f" (recommended: {detail.outcome.recommended_label}; override: "
            f"{detail.outcome.override_reason})"
            if detail.outcome.overridden
            else ""
        )
    )
    if detail.attendees:
        print("\nAttendees")
        for a in detail.attendees:
            marks = ", ".join(
                m
                for m, on in (
                    ("senior management", a.senior_management),
                    ("opening", a.present_opening),
                    ("closing", a.present_closing),
                )
                if on
            )
            print(f"  {a.name} — {a.role} [{marks}]")
    form = definitions.form_definition(db, detail.form_sha256)
    print(f"\nAnswers ({len([a for a in detail.answers.values() if a.value is not None])})")
    for item in form.items():
        answer = detail.answers.get(item.id)
        fact = detail.derived.get(item.id)
        if fact is not None:  # checklist v2: read from the attendees, the CAP, the rule set
            print(f"  {item.id:8} {fact_text(fact, 'en')}  [read, not typed]")
        elif answer is not None and (answer.value is not None or answer.note):
            note = f"  — {answer.note}" if answer.note else ""
            print(f"  {item.id:8} {format_answer(item, answer.value, 'en')}{note}")
    if detail.findings:
        print("\nFindings")
        for fd in detail.findings:
            print(f"  {fd.code} [{fd.classification}] {fd.title}")
    if detail.completion_problems:
        print("\nBefore completion")
        for problem in detail.completion_problems:
            print(f"  - {problem}")
    return 0


def _plan(args: argparse.Namespace) -> int:
    planned = lifecycle.plan_visit(
        workspace(args),
        args.factory,
        args.date,
        specialist_name=args.specialist,
        man_days=args.man_days,
    )
    print(
        f"planned visit {planned.short_id} (#{planned.id}); PV window "
        f"{fmt(planned.window_opens)} … {fmt(planned.window_closes)}"
    )
    if planned.warning:
        print(f"warning: {planned.warning}")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    warning = lifecycle.confirm_visit(workspace(args), args.visit, args.date, args.announced)
    print(f"visit {args.visit} confirmed for {args.date}")
    if warning:
        print(f"warning: {warning}")
    return 0


def _start(args: argparse.Namespace) -> int:
    lifecycle.start_visit(workspace(args), args.visit)
    print(f"visit {args.visit} started")
    return 0


def _answer(args: argparse.Namespace) -> int:
    saved = answers.record_answer(workspace(args), args.visit, args.item, args.value, args.note)
    flag = " (non-compliant: consider raising a finding)" if saved.noncompliant else ""
    print(f"{saved.item_id} = {saved.value!r} saved{flag}")
    return 0


def _attendee(args: argparse.Namespace) -> int:
    view = attendees.add_attendee(
        workspace(args),
        args.visit,
        attendees.AttendeeInput(args.name, args.role, args.senior, args.opening, args.closing),
    )
    print(f"attendee {view.name} recorded")
    return 0


def _finding(args: argparse.Namespace) -> int:
    view = findings.add_finding(
        workspace(args),
        args.visit,
        findings.FindingInput(
            classification=args.classification,
            description=args.description,
            title=args.title,
            category=args.category,
            root_cause=args.root_cause,
            item_ids=tuple(args.item),
        ),
    )
    print(f"finding {view.code} raised ({view.classification})")
    return 0


def _complete(args: argparse.Namespace) -> int:
    db = workspace(args)
    try:
        outcome = lifecycle.complete_visit(db, args.visit)
    except ValidationFailed as exc:
        if not exc.problems:
            raise
        print(f"ietp-desktop: error: visit {args.visit} cannot be completed:")
        for problem in exc.problems:
            print(f"  - {problem}")
        return 1
    print(f"visit {args.visit} completed; outcome: {outcome}")
    for warning in lifecycle.completion_warnings(db, args.visit):
        print(f"  warning: {warning.message}")
    return 0


def _refuse(args: argparse.Namespace) -> int:
    lifecycle.refuse_visit(workspace(args), args.visit, args.note)
    print(f"visit {args.visit} recorded as refused: a Progress Audit is required")
    return 0


def _revise(args: argparse.Namespace) -> int:
    revision = lifecycle.open_new_revision(workspace(args), args.visit, args.reason)
    print(f"visit {args.visit} is open again as revision {revision}")
    return 0
