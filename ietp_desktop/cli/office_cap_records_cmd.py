"""`ietp-desktop office cap records VISIT:LINE FILE…`: check the new attendance and payroll
records a factory sent for a wage or hours CAP line (the console's "Check new records" calls
the same function, office/cap_followup/records_check)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ietp_desktop.cli.common import office_db, print_json
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.domain.errors import UserError

if TYPE_CHECKING:
    from ietp_desktop.office.cap_followup.records_summary import RecordsSummary


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = actions.add_parser(
        "records", help="check new time and pay records for a wage or hours CAP line"
    )
    check.add_argument("line", help="VISIT_UUID:FINDING, e.g. 9d8fe162-…:F03")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="as exported")
    check.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    check.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")
    check.add_argument(
        "--confirm",
        action="store_true",
        help="go on when a file has more than 2%% of its rows left out or needs the "
        "factory's remembered column mapping",
    )
    check.add_argument(
        "--mapping",
        type=Path,
        metavar="MAP.json",
        help="column mapping for a file the importer cannot read on its own "
        "(docs/records-import.md); needs --confirm, and is remembered for the factory",
    )
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=_records)


def _line(text: str) -> tuple[str, str]:
    visit, sep, code = text.rpartition(":")
    if not sep or not visit.strip() or not code.strip():
        raise UserError(
            "{line}: name the CAP line as VISIT_UUID:FINDING (for example {example})",
            line=text,
            example="9d8fe162-0000-0000-0000-000000000000:F03",
        )
    return visit.strip(), code.strip().upper()


def _read(path: Path) -> tuple[str, bytes]:
    from ietp_desktop.office.cap_followup.records_reading import MAX_RECORDS_BYTES

    try:
        with path.open("rb") as stream:
            return path.name, stream.read(MAX_RECORDS_BYTES + 1)
    except OSError as exc:
        raise UserError("cannot read {file}: {error}", file=path, error=exc.strerror) from exc


def _records(args: argparse.Namespace) -> int:
    from ietp_desktop.office.cap_followup import records_check
    from ietp_desktop.office.review.decisions import CLI_ROLE

    uuid, code = _line(args.line)
    files = [_read(path) for path in args.files]
    mapping = ""
    if args.mapping is not None:
        try:
            mapping = args.mapping.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                "{path}: cannot read the column mapping: {reason}", path=args.mapping, reason=exc
            ) from None
    with office_db(args) as database:
        outcome = records_check.check_line_records(
            database,
            args.office_dir,
            uuid,
            code,
            files,
            actor=cli_actor(),
            role=CLI_ROLE,
            confirm=args.confirm,
            mapping=mapping,
        )
    if isinstance(outcome, records_check.Pending):
        if args.json:
            print_json({"stored": False, "pending": outcome})
        else:
            for f in outcome.files:
                print("\n".join(line.text("en") for line in [*f.recognition, *f.summary]))
                print()
            print("nothing stored: check what was read above and run again with --confirm")
        return 2
    summary = outcome.summary
    if args.json:
        print_json({"stored": True, "check_id": outcome.id, "summary": summary})
        return 0
    for line in summary_lines(summary):
        print(line)
    return 0


def summary_lines(s: RecordsSummary) -> list[str]:
    from ietp_desktop.office.cap_followup.records_summary import FLAG_TEXT

    out = [
        f"line {s.finding_code}: records {s.period_start or '-'} – {s.period_end or '-'}, "
        f"{s.months_covered} month(s) ({', '.join(s.months) or '-'}), {s.workers} worker(s); "
        f"rule set {s.rule_set}",
        f"rules of the finding: {', '.join(s.finding_rules) or '-'}",
    ]
    for flag in s.flags:
        out.append(f"FLAG: {FLAG_TEXT[flag]}")
    for rule in s.rules:
        mark = " (the finding's rule)" if rule.finding_rule else ""
        out.append(
            f"{rule.rule_id}{mark}: {rule.workers} worker(s), {rule.periods} period(s) in breach"
        )
        for e in rule.examples:
            out.append(
                f"    {e.worker}: {e.start} – {e.end}, {e.figure} {e.unit} (limit {e.limit})"
            )
    if not s.rules and s.checked:
        out.append("no breach found in the records read, for the rules they allowed to check")
    if s.weeks_over:
        out.append(f"{s.weeks_over} worker-week(s) above {s.weekly_limit} h")
    out.extend(f"not checked: {n.text('en')}" for n in s.not_checked)
    if s.incomplete_days:
        out.append(f"{s.incomplete_days} day(s) without a clock-in or clock-out: hours not counted")
    for f in s.files:
        out.append(
            f"file {f.filename}: {f.kind}, {f.records} records from {f.rows_read} rows, "
            f"{f.rows_left_out} left out"
        )
    for u in s.unread:
        out.append(f"  not read: {u.file}, row {u.row}{', ' + u.column if u.column else ''}: "
                   f"{u.reason.text('en')}")  # fmt: skip
    if s.unread_total > len(s.unread):
        out.append(f"  … {s.unread_total - len(s.unread)} more")
    return out
