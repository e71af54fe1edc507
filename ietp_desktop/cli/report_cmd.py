"""`ietp-desktop report …`: build the signed visit report, verify a report, letter, CAP form."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path

from ietp_desktop.cli.common import workspace
from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.identity import keys
from ietp_desktop.services.reporting import reports

EXIT_NOT_VERIFIED = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("report", help="signed visit reports, letters and CAP forms")
    commands = parser.add_subparsers(dest="report_command", metavar="ACTION", required=True)

    build = commands.add_parser("build", help="build and sign the report of a completed visit")
    build.add_argument("visit", help="visit number or id (a unique prefix is enough)")
    build.add_argument("--out", required=True, type=Path, help="PDF file to write")
    build.add_argument("--lang", choices=["en", "zh", "both"], default="both")
    build.add_argument(
        "--passphrase-file",
        type=Path,
        help="read the key passphrase from this file (first line) instead of asking",
    )
    build.set_defaults(handler=_build)

    verify = commands.add_parser(
        "verify",
        help="check a report's signature: signer, time, intact, trusted, and the level checked "
        "(B-B, B-T, B-LT, B-LTA)",
    )
    verify.add_argument("file", type=Path, help="signed PDF")
    verify.add_argument(
        "--ca",
        type=Path,
        help="office CA certificate (PEM); default: the office CA enrolled on this device",
    )
    verify.add_argument(
        "--at",
        type=_moment,
        help="check as of this date or time (ISO, UTC), e.g. 2030-01-31: will it still verify?",
    )
    verify.set_defaults(handler=_verify)

    letter = commands.add_parser("letter", help="preparation letter for an announced visit")
    letter.add_argument("visit")
    letter.add_argument("--out", required=True, type=Path)
    letter.set_defaults(handler=_letter)

    cap = commands.add_parser("cap-form", help="Corrective Action Plan form for the factory")
    cap.add_argument("visit")
    cap.add_argument("--out", required=True, type=Path)
    cap.add_argument("--lang", choices=["en", "zh", "both"], default="both")
    cap.set_defaults(handler=_cap_form)


def _read_passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file is not None:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UserError(
                "passphrase file {passphrase_file} does not exist",
                passphrase_file=args.passphrase_file,
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                "cannot read passphrase file {passphrase_file}: {reason}",
                passphrase_file=args.passphrase_file,
                reason=exc,
            ) from exc
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UserError(
                "passphrase file {passphrase_file} is empty", passphrase_file=args.passphrase_file
            )
        return lines[0]
    if not sys.stdin.isatty():
        raise UserError(
            "signing needs the key passphrase: run in a terminal to be asked, or give "
            "--passphrase-file FILE"
        )
    return getpass.getpass("Passphrase of your signing key: ")


def _build(args: argparse.Namespace) -> int:
    db = workspace(args)
    try:
        signer = ""
        passphrase = ""
        if reports.needs_signing(db, args.visit):
            signer = keys.require_identity(db).name
            passphrase = _read_passphrase(args)
        built = reports.build_report(db, args.visit, args.out, args.lang, passphrase)
    finally:
        db.dispose()
    if built.already_signed:
        print(f"visit already signed (revision {built.revision}); copied its signed report")
    else:
        print(f"signed by {signer} (revision {built.revision})")
    print(f"report: {built.path}")
    print(f"kept in: {built.stored_path}")
    print(f"sha256: {built.sha256}")
    return 0


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _verify(args: argparse.Namespace) -> int:
    revocations: dict[str, datetime] = {}
    if args.ca is not None:
        ca_pem: bytes | None = reports.read_ca_file(args.ca)
    else:
        db = workspace(args)
        try:
            ca_pem = keys.office_ca_pem(db)
            revocations = keys.known_revocations(db)
        finally:
            db.dispose()
    verdict = reports.verify_report(args.file, ca_pem, at=args.at, revocations=revocations)
    for line in verdict.summary_lines:
        print(line)
    if not verdict.ok:
        print(f"ietp-desktop: {args.file} is NOT a valid signed report", file=sys.stderr)
        return EXIT_NOT_VERIFIED
    return 0


def _letter(args: argparse.Namespace) -> int:
    db = workspace(args)
    try:
        path = reports.build_preparation_letter(db, args.visit, args.out)
    finally:
        db.dispose()
    print(f"preparation letter: {path}")
    return 0


def _cap_form(args: argparse.Namespace) -> int:
    db = workspace(args)
    try:
        path = reports.build_cap_form(db, args.visit, args.out, args.lang)
    finally:
        db.dispose()
    print(f"CAP form: {path}")
    return 0
