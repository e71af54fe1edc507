"""`ietp-desktop office init|enroll|import|assign|revoke|visits`: the office's side of sync."""

from __future__ import annotations

import argparse
from pathlib import Path

from ietp_desktop.cli.bundle_cmd import passphrase
from ietp_desktop.cli.common import date_arg, decimal_arg, print_json, print_table
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office import assignments, intake, listings, revocation, setup
from ietp_desktop.security.office_ca import load_office

OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"
NEW_SPECIALIST_PASSPHRASE_ENV = "IETP_NEW_SPECIALIST_PASSPHRASE"


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")


def _visit_spec(text: str) -> assignments.AssignedVisit:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(
            f"{text!r}: write a visit as FACTORY_ID:YYYY-MM-DD[:MAN_DAYS]"
        )
    return assignments.AssignedVisit(
        parts[0], date_arg(parts[1]), decimal_arg(parts[2]) if len(parts) == 3 else None
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("office", help="office tasks: keys, enrolment, import, assign")
    commands = parser.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    init = commands.add_parser("init", help="create the office CA, certificates and database")
    _office_dir(init)
    init.add_argument("--name", default="IETP Office", help="office name in certificates")
    init.add_argument("--db", help="SQLAlchemy URL of the office database")
    init.set_defaults(handler=_init)
    enrol = commands.add_parser("enroll", help="issue a specialist key and certificate")
    enrol.add_argument("name")
    enrol.add_argument("--email", required=True)
    _office_dir(enrol)
    enrol.add_argument("--out", type=Path, required=True, help="enrolment file to write")
    enrol.set_defaults(handler=_enroll)
    imp = commands.add_parser("import", help="import results bundles into the office database")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _office_dir(imp)
    imp.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")
    imp.set_defaults(handler=_import)
    assign = commands.add_parser("assign", help="build an assignments bundle for a specialist")
    _office_dir(assign)
    assign.add_argument("--specialist", required=True, help="e-mail address or certificate file")
    assign.add_argument("--factory", action="append", default=[], metavar="IETP_ID")
    assign.add_argument(
        "--visit",
        action="append",
        default=[],
        type=_visit_spec,
        metavar="FACTORY_ID:DATE[:MAN_DAYS]",
    )
    assign.add_argument("--form", action="append", default=[], type=Path, metavar="FILE")
    assign.add_argument("--rules", action="append", default=[], type=Path, metavar="FILE")
    assign.add_argument("--db", help="SQLAlchemy URL of the office database")
    assign.add_argument("--out", type=Path, help="bundle file to write")
    assign.add_argument(
        "--publish",
        action="store_true",
        help="put the bundle where the specialist's laptop fetches it from the office server",
    )
    assign.set_defaults(handler=_assign)
    revoke = commands.add_parser(
        "revoke", help="revoke a specialist's certificate (lost laptop, person left)"
    )
    _office_dir(revoke)
    revoke.add_argument("--specialist", required=True, help="e-mail address or certificate file")
    revoke.add_argument("--reason", required=True, help="why, kept in the signed list")
    revoke.set_defaults(handler=_revoke)
    listing = commands.add_parser("visits", help="imported visits, outcomes and open CAP lines")
    _office_dir(listing)
    listing.add_argument("--db", help="SQLAlchemy URL of the office database")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_visits)
    from ietp_desktop.cli import office_console_cmd

    office_console_cmd.register(commands)
    from ietp_desktop.cli import office_money_cmd

    office_money_cmd.register(commands)
    from ietp_desktop.cli import office_planning_cmd

    office_planning_cmd.register_commands(commands)
    office_planning_cmd.register_plan_commands(commands)
    from ietp_desktop.cli import office_review_cmd

    office_review_cmd.register(commands)
    from ietp_desktop.cli import office_analytics_cmd

    office_analytics_cmd.register(commands)
    from ietp_desktop.cli import office_ltv_cmd

    office_ltv_cmd.register(commands)


def _office_secret() -> str | None:
    return passphrase(OFFICE_PASSPHRASE_ENV, "Office key passphrase: ", required=False)


def _init(args: argparse.Namespace) -> int:
    secret = _office_secret()
    info = setup.init_office(args.office_dir, args.name, secret, args.db)
    print(f"office '{info.name}' created in {args.office_dir}")
    print(f"  CA fingerprint (compare it when a specialist enrols): {info.ca_fingerprint}")
    from ietp_desktop.office.console.tls import issue_server_certificate

    tls = issue_server_certificate(args.office_dir, None, secret)
    print(f"  TLS certificate for the office server: {', '.join(tls.hosts)} ({tls.certificate})")
    if not info.keys_encrypted:
        print(f"  warning: the office keys are not encrypted (set {OFFICE_PASSPHRASE_ENV})")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    secret = passphrase(
        NEW_SPECIALIST_PASSPHRASE_ENV, "Passphrase for the specialist's key: ", required=True
    )
    assert secret is not None
    info = setup.enroll(
        args.office_dir,
        args.name,
        args.email,
        args.out,
        specialist_passphrase=secret,
        office_passphrase=_office_secret(),
    )
    print(f"enrolment for {info.name} <{info.email}> written to {info.path}")
    print(f"  certificate fingerprint {info.fingerprint}")
    return 0


def _import(args: argparse.Namespace) -> int:
    outcomes = intake.import_bundles(
        args.office_dir, args.files, args.db, office_passphrase=_office_secret()
    )
    failed = 0
    for outcome in outcomes:
        if outcome.status == "refused":
            failed += 1
            print(f"{outcome.file.name}: REFUSED: {outcome.message}")
        else:
            print(
                f"{outcome.file.name}: {outcome.status} (bundle {outcome.bundle_id[:8]}, "
                f"signed by {outcome.signer})"
            )
        for visit in outcome.visits:
            print(f"  visit {visit.uuid[:8]} revision {visit.revision}: {visit.result}")
        if outcome.receipt:
            print(f"  receipt: {outcome.receipt}")
    if failed:
        raise UserError("{failed} of {count} bundles refused", failed=failed, count=len(outcomes))
    return 0


def _assign(args: argparse.Namespace) -> int:
    if not (args.factory or args.visit or args.form or args.rules):
        raise UserError("nothing to assign: give --factory, --visit, --form or --rules")
    if args.out is None and not args.publish:
        raise UserError("say where the bundle goes: --out FILE, --publish, or both")
    result = assignments.assign(
        args.office_dir,
        args.specialist,
        args.factory,
        args.visit,
        args.form,
        args.rules,
        args.out or _temporary_bundle(args.office_dir),
        office_passphrase=_office_secret(),
        db_url=args.db,
    )
    if args.publish:
        from ietp_desktop.office.console.outbox import publish

        published = publish(args.office_dir, result.path, args.specialist)
        if args.out is None:
            result.path.unlink()
        print(f"published {published.name} for {result.specialist}'s next 'bundle fetch'")
    if args.out is not None:
        print(f"wrote {result.path} for {result.specialist} (bundle {result.bundle_id})")
    print(
        f"  {len(result.factories)} factories, {len(result.visits)} visits, "
        f"forms: {', '.join(result.forms) or '-'}, rule sets: {', '.join(result.rule_sets) or '-'}"
    )
    return 0


def _revoke(args: argparse.Namespace) -> int:
    office = load_office(args.office_dir, _office_secret())
    cert = assignments.find_specialist_certificate(args.office_dir, args.specialist)
    added = revocation.revoke(office, cert, args.reason)
    print(
        f"revoked the certificate of {added.name} <{added.email}> "
        f"({added.cert_sha256[:16]}) from {added.revoked_at.isoformat()}"
    )
    print("  bundles signed with it from now on are refused; the next assignments carry the list")
    return 0


def _visits(args: argparse.Namespace) -> int:
    rows = listings.office_visits(args.office_dir, args.db)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["Visit", "Rev", "Factory", "Specialist", "Visit date", "Outcome", "Open CAP", "Received"],
        [
            [
                r.uuid[:8],
                ",".join(map(str, r.revisions)),
                r.factory,
                r.specialist,
                r.visit_start or "-",
                r.outcome or "-",
                f"{r.open_cap_lines}/{r.cap_lines}",
                r.received_at or "-",
            ]
            for r in rows
        ],
    )
    return 0


def _temporary_bundle(office_dir: Path) -> Path:
    import uuid

    folder = Path(office_dir) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".new-{uuid.uuid4().hex}.ietpbundle"
