"""`ietp-desktop office invoice|fund|escalation …`: the office's fees and escalations, calling
the same functions as the console pages."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from ietp_desktop.cli.common import date_arg, office_db, print_json, print_table
from ietp_desktop.cli.office_console_cmd import cli_actor


def _office(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    invoice = commands.add_parser("invoice", help="invoices from the visits' fee notes")
    actions = invoice.add_subparsers(dest="invoice_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="invoices: all, unpaid, overdue, paid …")
    listing.add_argument(
        "--show", choices=["unpaid", "overdue", "termination_risk", "paid"], default=""
    )
    listing.add_argument("--search", default="", help="factory id or name, invoice number")
    _office(listing)
    _json(listing)
    listing.set_defaults(handler=_invoice_list)
    issue = actions.add_parser("issue", help="invoice received visits that have none yet")
    _office(issue)
    _json(issue)
    issue.set_defaults(handler=_invoice_issue)
    for name, helptext, field in (
        ("send", "record the day the invoice was sent", "sent_on"),
        ("receive", "record the day the factory received it (sets the due date)", "received_on"),
        ("pay", "record a payment", "paid_on"),
    ):
        sub = actions.add_parser(name, help=helptext)
        sub.add_argument("invoice", help="invoice number (PV-2026-0001) or visit id")
        sub.add_argument("--on", dest=field, type=date_arg, required=True, metavar="YYYY-MM-DD")
        if name == "pay":
            sub.add_argument("--amount", required=True, help="amount paid in USD")
        _office(sub)
        _json(sub)
        sub.set_defaults(handler=_invoice_change, action=name)
    pdf = actions.add_parser("pdf", help="write the bilingual invoice or payment reminder PDF")
    pdf.add_argument("invoice", help="invoice number (PV-2026-0001) or visit id")
    pdf.add_argument("--reminder", action="store_true", help="the payment reminder instead")
    pdf.add_argument("--out", type=Path, required=True, help="PDF file to write")
    _office(pdf)
    pdf.set_defaults(handler=_invoice_pdf)

    fund = commands.add_parser("fund", help="the Training and Development Fund: income by month")
    _office(fund)
    _json(fund)
    fund.set_defaults(handler=_fund)

    escalation = commands.add_parser("escalation", help="zero tolerance, PA required, review")
    eactions = escalation.add_subparsers(dest="escalation_command", metavar="ACTION", required=True)
    elist = eactions.add_parser("list", help="the escalation queues")
    elist.add_argument(
        "--queue", choices=["zero_tolerance", "progress_audit", "status_review"], default=""
    )
    elist.add_argument("--state", choices=["open", "decided", "termination_risk"], default="")
    _office(elist)
    _json(elist)
    elist.set_defaults(handler=_escalation_list)
    missing = eactions.add_parser(
        "open-missing", help="queue received visits that arrived before the queues existed"
    )
    _office(missing)
    missing.set_defaults(handler=_escalation_open_missing)
    decide = eactions.add_parser("decide", help="record IETP's decision on an escalation")
    decide.add_argument("visit", help="visit id (at least its first 8 characters)")
    decide.add_argument(
        "--queue", required=True, choices=["zero_tolerance", "progress_audit", "status_review"]
    )
    decide.add_argument(
        "--decision", required=True, choices=["terminate", "downgrade", "maintain", "pa_arranged"]
    )
    decide.add_argument("--reason", required=True)
    decide.add_argument("--pa-date", type=date_arg, help="the day the Progress Audit is arranged")
    _office(decide)
    _json(decide)
    decide.set_defaults(handler=_escalation_decide)


def _print_invoices(rows: list[Any], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    print_table(
        ["Invoice", "Factory", "Amount", "Sent", "Received", "Due", "Paid", "Status"],
        [
            [
                r.number,
                r.factory_ietp_id,
                f"{r.amount_usd} USD",
                str(r.sent_on or "-"),
                str(r.received_on or "-"),
                str(r.due_on or "-"),
                f"{r.amount_paid_usd}",
                r.status,
            ]
            for r in rows
        ],
    )


def _invoice_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.fees import invoices

    with office_db(args) as db, db.session() as session:
        rows = invoices.list_invoices(
            session, invoices.InvoiceFilter(show=args.show, text=args.search), date.today()
        )
    _print_invoices(rows, args.json)
    return 0


def _invoice_issue(args: argparse.Namespace) -> int:
    from ietp_desktop.office.fees import invoices

    with office_db(args) as db, db.session() as session:
        made = invoices.issue_missing(session, cli_actor(), date.today())
    if args.json:
        print_json(made)
    else:
        print(f"{len(made)} invoice(s) issued" + (f": {', '.join(made)}" if made else ""))
    return 0


def _invoice_change(args: argparse.Namespace) -> int:
    from ietp_desktop.office.fees import invoices

    today = date.today()
    with office_db(args) as db:
        with db.session() as session:
            if args.action == "send":
                invoices.send(session, args.invoice, args.sent_on, cli_actor(), today)
            elif args.action == "receive":
                invoices.receive(session, args.invoice, args.received_on, cli_actor(), today)
            else:
                amount = invoices.parse_amount(args.amount)
                invoices.pay(session, args.invoice, args.paid_on, amount, cli_actor(), today)
        with db.session() as session:
            row = invoices.invoice_row(session, args.invoice, today)
    _print_invoices([row], args.json)
    return 0


def _invoice_pdf(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import audit
    from ietp_desktop.office.fees import invoice_pdf, invoices
    from ietp_desktop.security.atomic import atomic_writer
    from ietp_desktop.storage.models import Factory

    today = date.today()
    with office_db(args) as db:
        with db.session() as session:
            row = invoices.invoice_row(session, args.invoice, today)
            factory = session.get(Factory, invoices.find(session, row.number).factory_id)
            assert factory is not None
            to = invoice_pdf.Addressee(
                factory.name_en,
                factory.name_zh,
                factory.address,
                factory.city,
                factory.contact_name,
                factory.contact_email,
            )
        kind = "reminder" if args.reminder else "invoice"
        data = (
            invoice_pdf.reminder_pdf(row, to, today)
            if args.reminder
            else invoice_pdf.invoice_pdf(row, to, today)
        )
        with atomic_writer(args.out) as stream:
            stream.write(data)
        audit.log(db, cli_actor(), f"{kind}.pdf", row.number, str(args.out))
    print(f"{kind} {row.number} written to {args.out}")
    return 0


def _fund(args: argparse.Namespace) -> int:
    from ietp_desktop.office.fees import fund

    with office_db(args) as db, db.session() as session:
        months = fund.income_by_month(session)
        balance = fund.fund_balance(session)
    if args.json:
        print_json({"balance_usd": balance, "months": months})
        return 0
    print_table(
        ["Month", "Income USD", "Invoices"],
        [[m.month, str(m.amount_usd), str(m.invoices)] for m in months],
    )
    print(f"balance: {balance} USD")
    return 0


def _print_escalations(rows: list[Any], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    print_table(
        ["Queue", "Visit", "Factory", "Certificate", "Opened", "State", "Decision", "Risk"],
        [
            [
                r.kind,
                r.visit_uuid[:8],
                r.factory_ietp_id,
                r.certificate_status,
                str(r.opened_on),
                r.state,
                r.decision or "-",
                "termination risk" if r.termination_risk else "",
            ]
            for r in rows
        ],
    )


def _escalation_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.escalations import queue

    with office_db(args) as db, db.session() as session:
        rows = queue.list_escalations(
            session, queue.EscalationFilter(kind=args.queue, state=args.state), date.today()
        )
    _print_escalations(rows, args.json)
    return 0


def _escalation_decide(args: argparse.Namespace) -> int:
    from ietp_desktop.office.escalations import queue

    with office_db(args) as db:
        with db.session() as session:
            queue.decide(
                session,
                args.visit,
                args.queue,
                args.decision,
                args.reason,
                cli_actor(),
                pa_arranged_on=args.pa_date,
                today=date.today(),
            )
        with db.session() as session:
            rows = [
                r
                for r in queue.list_escalations(
                    session, queue.EscalationFilter(kind=args.queue), date.today()
                )
                if r.visit_uuid.startswith(args.visit.lower())
            ]
    _print_escalations(rows, args.json)
    return 0


def _escalation_open_missing(args: argparse.Namespace) -> int:
    from ietp_desktop.office.escalations import queue

    with office_db(args) as db, db.session() as session:
        opened = queue.open_missing(session, cli_actor(), date.today())
    print(f"{opened} escalation(s) opened")
    return 0
