"""`ietp-desktop records …`: the worker sample, time and pay record imports, the checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ietp_desktop.cli.common import (
    date_arg,
    decimal_arg,
    fmt,
    print_json,
    print_table,
    workspace,
)
from ietp_desktop.domain.records import Analysis, format_hours, format_money, format_period
from ietp_desktop.services.hours import checks, records, roster, workers


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "records",
        aliases=["hours"],
        help="worker sample, time and pay records, hours and wage checks",
    )
    commands = parser.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    imp = commands.add_parser(
        "import",
        help="import a time or pay export (.csv, .txt/.dat device log, .xlsx, .xls, .ods)",
    )
    imp.add_argument("visit", help="visit number or id (a unique prefix is enough)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--kind", choices=["time", "pay"], required=True)
    imp.add_argument(
        "--mapping",
        type=Path,
        help='JSON mapping: {"layout", "sheet", "header_rows", "fields", "constants"} '
        "(see the README)",
    )
    imp.add_argument("--sheet", help="the workbook's sheet to read (default: recognised)")
    imp.add_argument(
        "--preview",
        action="store_true",
        help="show what was recognised and the problems; store nothing",
    )
    imp.add_argument(
        "--accept-problems",
        action="store_true",
        help="when more than 2%% of the rows cannot be read: store the rest anyway "
        "(the count is kept with the visit)",
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help="the same file was imported before: replace its records",
    )
    imp.add_argument(
        "--pay-day",
        type=int,
        help="day of the following month wages are due (pay files without it)",
    )
    imp.set_defaults(handler=_import)

    check = commands.add_parser("check", help="every worker's figures and every breach")
    check.add_argument("visit")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(handler=_check)

    people = commands.add_parser("roster", help="everyone the imported files name")
    people.add_argument("visit")
    people.add_argument("--json", action="store_true")
    people.set_defaults(handler=_roster)

    draw = commands.add_parser(
        "sample", help="draw the sample from the roster (≈√headcount, by department), or edit it"
    )
    draw.add_argument("visit")
    draw.add_argument("--size", type=int, help="how many (default: √ of the roster)")
    draw.add_argument("--seed", type=int, help="draw again exactly as before with its seed")
    draw.add_argument("--add", metavar="PERSON", help="put a person of the roster in the sample")
    draw.add_argument("--remove", metavar="PERSON", help="take a person out of the sample")
    draw.set_defaults(handler=_sample)

    link = commands.add_parser(
        "link", help="one person under two names (工号 and an account): merge, remember"
    )
    link.add_argument("visit")
    link.add_argument("employee_no", help="the employee number (工号)")
    link.add_argument("alias", help="the other name in the files, e.g. a WeCom account")
    link.set_defaults(handler=_link)

    listing = commands.add_parser("workers", help="the worker sample and its coverage")
    listing.add_argument("visit")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_workers)

    add = commands.add_parser("add-worker", help="add a worker to the sample")
    add.add_argument("visit")
    add.add_argument("--code", default="", help="W01, W02 … (default: the next free code)")
    add.add_argument("--name", default="", help="personal data: optional, never in reports")
    add.add_argument("--employee-no", default="", help="the number in the factory's files")
    add.add_argument("--department", default="")
    add.add_argument("--gender", default="", help="female or male")
    add.add_argument("--origin", default="", help="local or migrant")
    add.add_argument("--hire-date", type=date_arg)
    add.add_argument("--wage-type", default="monthly", help="monthly, hourly or piece")
    add.add_argument("--base-rate", type=decimal_arg, help="monthly wage or hourly rate")
    add.add_argument("--region", default="", help="minimum-wage region (default: the factory's)")
    add.set_defaults(handler=_add_worker)


def _import(args: argparse.Namespace) -> int:
    db = workspace(args)
    mapping = records.load_mapping_file(args.mapping, args.kind) if args.mapping else None
    preview = records.preview_import(
        db, args.visit, args.file, args.kind, mapping, pay_day=args.pay_day, sheet=args.sheet
    )
    if preview.recognition is not None:
        for line in preview.recognition.lines():
            print(line.text("en"))
    if preview.remembered_mapping:
        print("Read with the mapping remembered for this factory")
    print(
        f"Rows read: {preview.rows_read:,}; records: {preview.record_count:,}; people: "
        f"{len(preview.people):,} ({len(preview.new_people):,} not on the roster yet); rows "
        f"left out: {preview.rows_with_errors:,} ({preview.share_left_out:.1%})"
    )
    for person, reasons in sorted(preview.left_out.items()):
        why = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        print(f"  {person or '(no worker code)'}: {sum(reasons.values())} row(s) left out — {why}")
    if preview.problems:
        print_table(
            ["File", "Row", "Column", "Severity", "Reason"],
            [
                [p.file, str(p.row_number), p.column or "-", p.severity, p.reason]
                for p in preview.problems
            ],
        )
    if args.preview:
        return 0
    if preview.needs_acceptance and not args.accept_problems:
        print(
            f"ietp-desktop: error: {preview.file}: {preview.rows_with_errors} of "
            f"{preview.rows_read} rows ({preview.share_left_out:.1%}) cannot be read; nothing "
            f"was stored. Fix the file, or run again with --accept-problems to store the "
            f"{preview.record_count} good record(s) without those rows.",
            file=sys.stderr,
        )
        return 1
    if preview.previous is not None and not args.replace:
        print(
            f"ietp-desktop: error: {preview.file} was already imported on "
            f"{preview.previous.at:%Y-%m-%d %H:%M} ({preview.previous.rows:,} records); "
            f"nothing was stored. Run again with --replace to replace that import.",
            file=sys.stderr,
        )
        return 1
    result = records.commit_import(
        db,
        args.visit,
        preview,
        accept_rows_with_problems=args.accept_problems,
        replace=args.replace,
    )
    kind = "time records" if result.kind == "time" else "pay records"
    print(
        f"stored {result.stored:,} {kind} from {result.file}"
        + (f", replacing {result.replaced:,} from its earlier import" if result.replaced else "")
        + (
            f"; {result.rows_left_out} row(s) with problems left out"
            + (" (accepted)" if result.accepted else "")
            if result.rows_left_out
            else ""
        )
        + (f"; {result.joined_roster} joined the roster" if result.joined_roster else "")
    )
    return 0


def _roster(args: argparse.Namespace) -> int:
    people = roster.list_roster(workspace(args), args.visit)
    if args.json:
        print_json({"roster": people})
        return 0
    print_table(
        ["Code", "Employee no", "Department", "Gender", "Origin", "Sampled", "Also named"],
        [
            [
                p.code,
                p.employee_no,
                p.department or "-",
                p.gender or "-",
                p.origin or "-",
                "yes" if p.in_sample else "",
                ", ".join(p.aliases) or "-",
            ]
            for p in people
        ],
    )
    print(f"\n{len(people)} people; {sum(p.in_sample for p in people)} sampled")
    return 0


def _sample(args: argparse.Namespace) -> int:
    db = workspace(args)
    if args.add or args.remove:
        changed = roster.set_in_sample(db, args.visit, args.add or args.remove, bool(args.add))
        print(
            f"{changed.employee_no} is {'now' if changed.in_sample else 'no longer'} in the "
            f"sample ({changed.code})"
        )
        return 0
    draw = roster.draw_sample(db, args.visit, args.size, args.seed)
    print(
        f"drew {draw.size} of {draw.headcount} (seed {draw.seed}; draw again with --seed "
        f"{draw.seed}): {', '.join(draw.codes)}"
    )
    print("By department: " + ", ".join(f"{d or '-'} {n}" for d, n in draw.strata.items()))
    return 0


def _link(args: argparse.Namespace) -> int:
    person = roster.link_names(workspace(args), args.visit, args.employee_no, args.alias)
    print(
        f"{args.alias} is {person.employee_no} ({person.code}); remembered for the factory's "
        f"next visits"
    )
    return 0


def _analysis_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "rule_set": analysis.rule_set_id,
        "summary": analysis.summary,
        "notes": [note.text("en") for note in analysis.notes],
        "limits": {
            "legal_weekly_hours": analysis.legal_weekly_hours,
            "programme_weekly_hours": analysis.programme_weekly_hours,
        },
        "workers": analysis.workers,
        "breaches": [
            {
                "worker": b.worker_code,
                "rule_id": b.rule_id,
                "rule": b.rule_text,
                "citation": b.citation,
                "period_start": b.period_start,
                "period_end": b.period_end,
                "figure": b.figure,
                "limit": b.limit,
                "unit": b.unit,
                "message": b.message,
            }
            for b in analysis.breaches
        ],
    }


def _coverage_json(c: checks.WorkerCoverage) -> dict[str, Any]:
    return {
        "code": c.code,
        "employee_no": c.employee_no,
        "in_sample": c.in_sample,
        "days_with_records": c.days_with_records,
        "days_in_period": c.days_in_period,
        "coverage": round(c.share, 4),
        "incomplete_days": c.incomplete_days,
        "rows_left_out": c.rows_left_out,
        "reasons": c.reasons,
        "flagged": c.flagged,
        "note": c.note,
    }


def _check(args: argparse.Namespace) -> int:
    result = checks.check_visit(workspace(args), args.visit)
    analysis = result.sample
    if args.json:
        print_json(
            {
                **_analysis_json(analysis),
                "sample_seed": result.seed,
                "period": result.period,
                "whole_workforce": {
                    "summary": result.workforce.summary,
                    "comparisons": [
                        {
                            "rule_id": c.rule_id,
                            "rule": c.rule,
                            "sampled_with_breach": c.sampled_with,
                            "sampled": c.sampled,
                            "workforce_with_breach": c.workforce_with,
                            "workforce": c.workforce,
                            "text": c.text,
                        }
                        for c in result.comparisons
                    ],
                },
                "coverage": [_coverage_json(c) for c in result.coverage],
                "flagged": [c.code or "(no worker code)" for c in result.flagged],
                "imports": [
                    {
                        "kind": i.kind,
                        "file": i.file,
                        "rows_read": i.rows_read,
                        "records": i.rows,
                        "rows_left_out": i.rows_left_out,
                        "accepted": i.accepted,
                    }
                    for i in result.imports
                ],
            }
        )
        return 0
    s = analysis.summary
    w = result.workforce.summary
    print(
        f"Rule set {analysis.rule_set_id}: {s.workers} sampled workers"
        + (f" (seed {result.seed})" if result.seed is not None else "")
        + f", {w.workers} in the whole workforce; {s.punch_days:,} days of punches for the "
        f"sample, {w.punch_days:,} for everyone; {s.breaches} breaches for "
        f"{s.workers_with_breaches} sampled workers, {w.breaches} for "
        f"{w.workers_with_breaches} in the whole workforce"
    )
    if result.period:
        print(f"Period: {result.period[0]} – {result.period[1]}")
    for i in result.imports:
        if i.rows_left_out:
            print(
                f"warning: {i.file}: {i.rows_left_out} of {i.rows_read} rows left out"
                + (" (accepted on import)" if i.accepted else "")
            )
    if result.comparisons:
        print("\nSample and whole workforce")
        for c in result.comparisons:
            print(f"  [{c.rule_id}] {c.text}")
    print()
    print_table(
        [
            "Worker",
            "Days",
            "Hours",
            "Max/day",
            "Max/week",
            "Max/7 days",
            "OT/month",
            "Run",
            "Rest days",
            "Holidays",
            "Incomplete",
            "Min wage short",
            "Premium short",
            "Late",
        ],
        [
            [
                w.worker_code,
                str(w.days_worked),
                format_hours(w.total_hours),
                format_hours(w.max_daily_hours),
                format_hours(w.max_weekly_hours),
                format_hours(w.max_rolling7_hours),
                format_hours(w.max_overtime_month_hours),
                str(w.longest_run_days),
                str(w.rest_days_worked),
                str(w.holidays_worked),
                str(w.incomplete_days),
                format_money(w.min_wage_shortfall),
                format_money(w.premium_shortfall),
                str(w.late_payments),
            ]
            for w in analysis.workers
        ],
    )
    if analysis.breaches:
        print("\nBreaches (sample)")
        for b in analysis.breaches:
            print(
                f"  {b.worker_code}  {format_period(b.period_start, b.period_end)}  "
                f"[{b.rule_id}] {b.message}"
            )
    sampled = [c for c in result.coverage if c.in_sample]
    if sampled:
        print("\nCoverage (sample): days with records / days in the period")
        for cov in sampled:
            print(
                f"  {cov.code}  {cov.days_with_records}/{cov.days_in_period} ({cov.share:.0%})"
                + (f"  INCOMPLETE: {cov.note}" if cov.flagged else "")
            )
    if result.flagged:
        print(
            f"\n{len(result.flagged)} of {len(result.coverage)} people have incomplete records; "
            f"their figures may be low and are not evidence of compliance:"
        )
        for cov in result.flagged:
            print(f"  {cov.code or '(no worker code)'} {cov.employee_no}: {cov.note}")
    for note in analysis.notes:
        print(f"note: {note}")
    return 0


def _workers(args: argparse.Namespace) -> int:
    db = workspace(args)
    sample = workers.list_workers(db, args.visit)
    coverage = workers.sample_coverage(db, args.visit)
    if args.json:
        print_json({"workers": sample, "coverage": coverage})
        return 0
    print_table(
        [
            "Code",
            "Employee no",
            "Department",
            "Gender",
            "Origin",
            "Hired",
            "Wage",
            "Base rate",
            "Region",
            "Time records",
            "Pay records",
        ],
        [
            [
                w.code,
                w.employee_no or "-",
                w.department or "-",
                w.gender or "-",
                w.origin or "-",
                fmt(w.hire_date),
                w.wage_type,
                fmt(w.base_rate),
                w.region + (" (factory)" if w.region_is_factory_default else ""),
                str(w.time_records),
                str(w.pay_records),
            ]
            for w in sample
        ],
    )
    print(
        f"\n{coverage.sampled} sampled; suggested about {coverage.suggested} "
        f"(√ headcount {fmt(coverage.headcount)})"
    )
    print(
        "Departments: "
        + (", ".join(f"{d or '-'} {n}" for d, n in coverage.departments.items()) or "-")
    )
    for gap in coverage.gaps:
        print(f"  - {gap.text}")
    return 0


def _add_worker(args: argparse.Namespace) -> int:
    added = workers.add_worker(
        workspace(args),
        args.visit,
        workers.WorkerInput(
            code=args.code,
            name=args.name,
            employee_no=args.employee_no,
            department=args.department,
            gender=args.gender,
            origin=args.origin,
            hire_date=args.hire_date,
            wage_type=args.wage_type,
            base_rate=args.base_rate,
            region=args.region,
        ),
    )
    print(
        f"added {added.code}"
        + (f" (employee no {added.employee_no})" if added.employee_no else "")
        + f", region {added.region}"
    )
    return 0
