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
from ietp_desktop.services.hours import records, workers


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "records", help="worker sample, time and pay records, hours and wage checks"
    )
    commands = parser.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    imp = commands.add_parser("import", help="import a time or pay export (CSV or XLSX)")
    imp.add_argument("visit", help="visit number or id (a unique prefix is enough)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--kind", choices=["time", "pay"], required=True)
    imp.add_argument(
        "--mapping",
        type=Path,
        help='JSON column mapping {"worker_code": "Emp No", "date": "Day", …}',
    )
    imp.add_argument(
        "--accept-problems",
        action="store_true",
        help="store the good rows and leave out the rows with problems",
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
        db, args.visit, args.file, args.kind, mapping, pay_day=args.pay_day
    )
    print(
        f"{preview.file}: header on row {preview.header_row}; columns "
        + ", ".join(f"{f}={h}" for f, h in preview.mapping.items())
    )
    if preview.problems:
        print_table(
            ["File", "Row", "Column", "Severity", "Reason"],
            [
                [p.file, str(p.row_number), p.column or "-", p.severity, p.reason]
                for p in preview.problems
            ],
        )
    if preview.errors and not args.accept_problems:
        print(
            f"ietp-desktop: error: {preview.file}: {preview.rows_with_errors} row(s) have "
            f"problems; nothing was stored. Fix the file, or run again with --accept-problems "
            f"to store the {preview.record_count} good record(s) without those rows.",
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
            if result.rows_left_out
            else ""
        )
    )
    return 0


def _analysis_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "rule_set": analysis.rule_set_id,
        "summary": analysis.summary,
        "notes": analysis.notes,
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


def _check(args: argparse.Namespace) -> int:
    analysis = records.analyse_visit(workspace(args), args.visit)
    if args.json:
        print_json(_analysis_json(analysis))
        return 0
    s = analysis.summary
    print(
        f"Rule set {analysis.rule_set_id}: {s.workers} sampled workers, {s.punch_days:,} days "
        f"of punches, {s.pay_records} pay records; {s.breaches} breaches for "
        f"{s.workers_with_breaches} workers"
    )
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
        print("\nBreaches")
        for b in analysis.breaches:
            print(
                f"  {b.worker_code}  {format_period(b.period_start, b.period_end)}  "
                f"[{b.rule_id}] {b.message}"
            )
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
