"""`ietp-desktop bundle send|fetch`: the office server instead of a file carried by hand."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ietp_desktop.cli.bundle_cmd import SPECIALIST_PASSPHRASE_ENV, passphrase
from ietp_desktop.cli.common import workspace


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = commands.add_parser(
        "send", help="send visits to the office server and apply its receipt"
    )
    send.add_argument("files", nargs="*", type=Path, metavar="FILE", help="bundles to send")
    send.add_argument(
        "--visit",
        action="append",
        dest="visits",
        metavar="ID",
        help="export and send this visit (repeatable; default with no FILE: every signed visit)",
    )
    send.add_argument("--to", required=True, metavar="URL", help="e.g. https://office:8443")
    send.set_defaults(handler=_send)
    fetch = commands.add_parser("fetch", help="fetch and import assignments from the office")
    fetch.add_argument("--from", dest="url", required=True, metavar="URL")
    fetch.set_defaults(handler=_fetch)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {done * 100 // max(1, total):3d} % of {total} bytes", end="", file=sys.stderr)


def _send(args: argparse.Namespace) -> int:
    from ietp_desktop.services.sync.office_link import send_to_office

    if args.files and args.visits:
        print("give bundle files or --visit, not both", file=sys.stderr)
        return 2
    db = workspace(args)
    secret = passphrase(SPECIALIST_PASSPHRASE_ENV, "Specialist key passphrase: ", required=True)
    assert secret is not None
    results = send_to_office(
        db,
        args.to,
        passphrase=secret,
        files=args.files,
        visit_refs=args.visits,
        progress=_progress,
        log=print,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    refused = 0
    for result in results:
        receipt = result.receipt
        resumed = f", resumed at byte {result.resumed_from}" if result.resumed_from else ""
        print(f"{result.bundle.name}: {result.office_status} by {receipt.office}{resumed}")
        for uuid in receipt.received:
            print(f"  {uuid[:8]}  received")
        for uuid in receipt.not_received:
            refused += 1
            print(f"  {uuid[:8]}  refused by the office: {receipt.message}")
        print(f"  receipt kept in {result.receipt_file}")
    return 1 if refused else 0


def _fetch(args: argparse.Namespace) -> int:
    from ietp_desktop.services.sync.office_link import fetch_from_office

    db = workspace(args)
    secret = passphrase(SPECIALIST_PASSPHRASE_ENV, "Specialist key passphrase: ", required=True)
    assert secret is not None
    results = fetch_from_office(db, args.url, passphrase=secret)
    if not results:
        print("the office has no assignments for you")
    for item in results:
        r = item.result
        if r.already_imported:
            print(f"{item.name}: already imported")
            continue
        print(
            f"{item.name}: {len(r.factories_added)} new factories, {len(r.visits_added)} new "
            f"visits, {len(r.visits_updated)} updated"
        )
        for definition in r.definitions:
            print(f"  installed {definition}")
        for uuid in r.visits_withdrawn:
            print(f"  visit {uuid[:8]} withdrawn by the office: kept, read-only, not sent")
    return 0
