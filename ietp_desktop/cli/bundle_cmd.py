"""`ietp-desktop bundle export|verify|receipt|import-assignments`: the laptop's side of sync."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ietp_desktop.cli.common import print_json, workspace
from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.sync import bundles
from ietp_desktop.sync.bundle import verify_bundle

SPECIALIST_PASSPHRASE_ENV = "IETP_SPECIALIST_PASSPHRASE"


def passphrase(env: str, prompt: str, *, required: bool) -> str | None:
    """From the environment variable `env`, else typed at a terminal; None if neither."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    if required:
        raise UserError(
            "a passphrase is needed: set {env} or run the command in a terminal", env=env
        )
    return None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("bundle", help="sync bundles to and from the office")
    commands = parser.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    export = commands.add_parser("export", help="export signed visits for the office")
    export.add_argument(
        "--visit",
        action="append",
        dest="visits",
        metavar="ID",
        help="visit to export (repeatable; default: every signed visit)",
    )
    export.add_argument("--out", type=Path, required=True, help="bundle file to write")
    export.set_defaults(handler=_export)
    verify = commands.add_parser("verify", help="who signed a bundle, what it holds, is it intact")
    verify.add_argument("file", type=Path)
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_verify)
    receipt = commands.add_parser("receipt", help="apply an office receipt: mark visits received")
    receipt.add_argument("file", type=Path)
    receipt.set_defaults(handler=_receipt)
    assignments = commands.add_parser(
        "import-assignments", help="import factories, planned visits and forms from the office"
    )
    assignments.add_argument("file", type=Path)
    assignments.set_defaults(handler=_import_assignments)
    from ietp_desktop.cli import bundle_net_cmd

    bundle_net_cmd.register(commands)


def _export(args: argparse.Namespace) -> int:
    db = workspace(args)
    secret = passphrase(SPECIALIST_PASSPHRASE_ENV, "Specialist key passphrase: ", required=True)
    result = bundles.export_visits(db, args.visits, args.out, passphrase=secret)
    print(f"wrote {result.path} ({result.size} bytes), bundle {result.bundle_id}")
    for visit in result.visits:
        print(f"  {visit.uuid[:8]}  revision {visit.revision}  {visit.factory}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    db = workspace(args)
    identity = bundles.require_identity(bundles.identity_dir_of(db))
    report = verify_bundle(args.file, identity.office_ca)
    if args.json:
        data = {
            "file": str(report.path),
            "bundle_id": report.bundle_id,
            "kind": report.kind,
            "created_at": report.created_at,
            "format_version": report.format_version,
            "schema_version": report.schema_version,
            "signer": None
            if report.signer is None
            else {
                "name": report.signer.name,
                "email": report.signer.email,
                "role": report.signer.role,
                "fingerprint": report.signer.fingerprint,
            },
            "visits": [{"uuid": v.uuid, "revision": v.revision} for v in report.visits],
            "entries": len(report.entries),
            "intact": report.intact,
            "trusted": report.trusted,
            "problems": report.problems,
        }
        print_json(data)
    else:
        signer = report.signer
        print(f"{report.path.name}: {report.kind} bundle {report.bundle_id}")
        print(f"  created {report.created_at}, format {report.format_version}")
        if signer:
            print(f"  signed by {signer.name} <{signer.email}> ({signer.role})")
        for visit in report.visits:
            print(f"  visit {visit.uuid} revision {visit.revision}")
        print(f"  {len(report.entries)} entries")
        print(
            f"  intact: {'yes' if report.intact else 'NO'}; "
            f"trusted: {'yes' if report.trusted else 'NO'}"
        )
        for problem in report.problems:
            print(f"  problem: {problem}")
    return 0 if report.intact and report.trusted else 1


def _receipt(args: argparse.Namespace) -> int:
    result = bundles.apply_receipt(workspace(args), args.file)
    print(f"receipt from {result.office} for bundle {result.bundle_id}: {result.status}")
    for uuid in result.received:
        print(f"  {uuid[:8]}  received")
    for uuid in result.not_received:
        print(f"  {uuid[:8]}  refused by the office: {result.message}")
    return 0 if not result.not_received else 1


def _import_assignments(args: argparse.Namespace) -> int:
    db = workspace(args)
    secret = passphrase(SPECIALIST_PASSPHRASE_ENV, "Specialist key passphrase: ", required=True)
    result = bundles.import_assignments(db, args.file, passphrase=secret)
    if result.already_imported:
        print(f"bundle {result.bundle_id} was already imported; nothing changed")
        return 0
    print(f"assignments from {result.office} (bundle {result.bundle_id})")
    print(
        f"  factories: {len(result.factories_added)} new, {len(result.factories_updated)} updated"
    )
    print(
        f"  visits: {len(result.visits_added)} new, {len(result.visits_updated)} updated, "
        f"{len(result.visits_kept_form)} already started (form kept)"
    )
    for definition in result.definitions:
        print(f"  installed {definition}")
    for uuid in result.reviews_returned:
        print(f"  visit {uuid[:8]} returned by the office with comments: open it to read them")
    for uuid in result.reviews_unknown:
        print(f"  visit {uuid[:8]} returned by the office is not on this laptop")
    for uuid in result.visits_withdrawn:
        print(f"  visit {uuid[:8]} withdrawn by the office: kept, read-only, not sent")
    return 0
