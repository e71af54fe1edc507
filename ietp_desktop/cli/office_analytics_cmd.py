"""`ietp-desktop office analytics <page>`: the console's analytics pages as text or JSON
(the same functions, ietp_desktop.office.analytics)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ietp_desktop.cli.common import date_arg, office_db, print_json, print_table
from ietp_desktop.office.analytics import pages
from ietp_desktop.office.analytics.labels import cell_text, column_text
from ietp_desktop.office.analytics.model import Period, Report, quarter_period
from ietp_desktop.office.folder import require_office


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analytics = commands.add_parser("analytics", help="analytics across factories and visits")
    which = analytics.add_subparsers(dest="analytics_page", metavar="PAGE", required=True)
    for name, spec in pages.PAGES.items():
        page = which.add_parser(name, help=spec.title)
        page.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
        page.add_argument("--db", help="SQLAlchemy URL (default: the office folder's database)")
        page.add_argument("--from", dest="start", type=date_arg, help="visits from YYYY-MM-DD")
        page.add_argument("--to", dest="end", type=date_arg, help="visits until YYYY-MM-DD")
        page.add_argument("--quarter", help="visits of one quarter, e.g. 2026Q3")
        page.add_argument("--grain", choices=("month", "quarter"), default="month")
        page.add_argument("--json", action="store_true", help="print JSON")
        if name == "training":
            page.add_argument("--pdf", type=Path, help="write the training needs brief (PDF)")
        page.set_defaults(handler=_show)


def _period(args: argparse.Namespace) -> Period:
    if args.quarter:
        return quarter_period(args.quarter)
    return Period(args.start, args.end)


def _en(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params and text else text


def report_json(report: Report) -> dict[str, Any]:
    return {
        "page": report.page,
        "period": {"from": report.period.start, "to": report.period.end},
        "notes": [_en(n, report.params) for n in report.notes],
        "tables": [
            {
                "key": t.key,
                "title": _en(t.title, t.params),
                "columns": [column_text(c, t.params, "en") for c in t.columns],
                "rows": [list(r) for r in t.rows],
                "unavailable": _en(t.unavailable, t.params) or None,
                "note": _en(t.note, t.params) or None,
            }
            for t in report.tables
        ],
    }


def _show(args: argparse.Namespace) -> int:
    require_office(args.office_dir)
    period = _period(args)
    with office_db(args) as database:
        with database.session() as session:
            report = pages.build(args.analytics_page, session, period, args.grain)
            extra = pages.extra_json(args.analytics_page, session, report)
        pdf = getattr(args, "pdf", None)
        if pdf is not None:
            from ietp_desktop.office.analytics import training

            with database.session() as session:
                training.write_brief(session, period, pdf)
    if args.json:
        print_json(report_json(report) | extra)
        return 0
    for note in report.notes:
        print(_en(note, report.params))
    for key, value in extra.items():
        print(f"{key}: {value}")
    for table in report.tables:
        print()
        print(f"== {_en(table.title, table.params)}")
        if table.unavailable:
            print(f"   {_en(table.unavailable, table.params)}")
            continue
        print_table(
            [column_text(c, table.params, "en") for c in table.columns],
            [[cell_text(table.kind(i), v, "en") for i, v in enumerate(row)] for row in table.rows],
        )
    if pdf is not None:
        print(f"\nwrote {pdf}")
    return 0
