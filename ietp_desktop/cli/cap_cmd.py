"""`ietp-desktop cap …`: the Corrective Action Plan of a visit, and its XLSX for the factory."""

from __future__ import annotations

import argparse
from pathlib import Path

from ietp_desktop.cli.common import date_arg, fmt, print_json, print_table, workspace
from ietp_desktop.services.outcome import cap, cap_xlsx


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("cap", help="Corrective Action Plan: list, edit, XLSX")
    commands = parser.add_subparsers(dest="cap_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="the CAP lines of a visit")
    listing.add_argument("visit", help="visit number or id (a unique prefix is enough)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)

    edit = commands.add_parser("set", help="change a CAP line")
    edit.add_argument("visit")
    edit.add_argument("finding", help="finding code, e.g. F01")
    edit.add_argument("--status", choices=cap.CAP_STATUSES)
    edit.add_argument("--due", type=date_arg, help="due date YYYY-MM-DD")
    edit.add_argument("--action", help="corrective action")
    edit.add_argument("--preventive", help="preventive action")
    edit.add_argument("--responsible", help="responsible person")
    edit.add_argument("--remark", help="factory remark")
    edit.set_defaults(handler=_set)

    record = commands.add_parser("record", help="a remediation record the factory sent")
    record.add_argument("visit")
    record.add_argument("finding")
    record.add_argument("--received", type=date_arg, required=True, help="date received")
    record.add_argument("--note", default="")
    record.add_argument("--file", type=Path, help="photo or document to keep with it")
    record.set_defaults(handler=_record)

    agree = commands.add_parser("agree", help="the senior manager agreed the CAP")
    agree.add_argument("visit")
    agree.add_argument("--by", required=True, help="senior manager's name as recorded")
    agree.add_argument("--on", type=date_arg, required=True, help="date YYYY-MM-DD")
    agree.set_defaults(handler=_agree)

    export = commands.add_parser("export", help="write the CAP as XLSX for the factory")
    export.add_argument("visit")
    export.add_argument("--out", type=Path, required=True, help="FILE.xlsx")
    export.set_defaults(handler=_export)

    load = commands.add_parser("import", help="read back the XLSX the factory filled in")
    load.add_argument("visit")
    load.add_argument("file", type=Path)
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_import)

    earlier = commands.add_parser(
        "earlier", help="open CAP lines from the factory's earlier visits"
    )
    earlier.add_argument("visit")
    earlier.add_argument("--json", action="store_true")
    earlier.set_defaults(handler=_earlier)


def _list(args: argparse.Namespace) -> int:
    lines = cap.list_cap_lines(workspace(args), args.visit)
    if args.json:
        print_json(lines)
        return 0
    if not lines:
        print("no CAP line: the visit has no non-compliance")
        return 0
    print_table(
        ["Finding", "Class", "Title", "Corrective action", "Responsible", "Due", "Status", "Rec."],
        [
            [
                line.finding_code,
                line.classification,
                line.title[:40],
                line.corrective_action[:40] or "-",
                line.responsible or "-",
                fmt(line.due_date),
                line.status,
                str(len(line.records)),
            ]
            for line in lines
        ],
    )
    return 0


def _set(args: argparse.Namespace) -> int:
    line = cap.update_cap_line(
        workspace(args),
        args.visit,
        args.finding,
        cap.CapChanges(
            corrective_action=args.action,
            preventive_action=args.preventive,
            responsible=args.responsible,
            due_date=args.due,
            status=args.status,
            factory_remark=args.remark,
        ),
    )
    print(f"CAP line {line.finding_code}: {line.status}, due {fmt(line.due_date)}")
    return 0


def _record(args: argparse.Namespace) -> int:
    view = cap.add_remediation_record(
        workspace(args), args.visit, args.finding, args.received, args.note, args.file
    )
    print(f"remediation record {view.id} received {view.received_on} kept")
    return 0


def _agree(args: argparse.Namespace) -> int:
    cap.agree_cap(workspace(args), args.visit, args.by, args.on)
    print(f"CAP agreed by {args.by} on {args.on}")
    return 0


def _export(args: argparse.Namespace) -> int:
    out = cap_xlsx.export_cap_xlsx(workspace(args), args.visit, args.out)
    print(f"CAP written to {out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    report = cap_xlsx.import_cap_xlsx(workspace(args), args.visit, args.file)
    if args.json:
        print_json(report)
        return 0
    for note in report.notes:
        print(f"note: {note}")
    if report.changes:
        print(f"{len(report.changes)} change(s) imported from {report.file}:")
        for change in report.changes:
            print(f"  {change.finding_code} {change.field}: {change.old or '-'} → {change.new}")
    else:
        print(f"nothing changed by {report.file}")
    if report.problems:
        print(f"{len(report.problems)} row(s) could not be read:")
        for problem in report.problems:
            print(f"  row {problem.row}: {problem.reason}")
    return 0


def _earlier(args: argparse.Namespace) -> int:
    lines = cap.open_cap_lines_from_earlier_visits(workspace(args), args.visit)
    if args.json:
        print_json(lines)
        return 0
    if not lines:
        print("no open CAP line from earlier visits")
        return 0
    print_table(
        ["Visit", "Date", "Finding", "Title", "Due", "Status"],
        [
            [
                line.visit_short_id,
                fmt(line.visit_date),
                line.finding_code,
                line.title[:50],
                fmt(line.due_date) + (" (overdue)" if line.overdue else ""),
                line.status,
            ]
            for line in lines
        ],
    )
    return 0
