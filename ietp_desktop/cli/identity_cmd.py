"""`ietp-desktop identity …`: set up the specialist's signing identity from the office's file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ietp_desktop.cli.common import print_json, workspace
from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.identity import keys
from ietp_desktop.services.identity.keys import IdentityView


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("identity", help="the specialist's signing identity")
    commands = parser.add_subparsers(dest="identity_command", metavar="ACTION", required=True)

    imp = commands.add_parser("import", help="import the enrolment file the office issued")
    imp.add_argument("file", type=Path, help="enrolment file (*.ietp-enrol)")
    imp.add_argument(
        "--passphrase-file", type=Path, help="read the passphrase from this file (first line)"
    )
    imp.add_argument(
        "--replace", action="store_true", help="replace the identity already on this device"
    )
    imp.set_defaults(handler=_import)

    show = commands.add_parser("show", help="who signs reports on this device")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)


def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file is not None:
        try:
            lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
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
        if not lines or not lines[0]:
            raise UserError(
                "passphrase file {passphrase_file} is empty", passphrase_file=args.passphrase_file
            )
        return lines[0]
    if not sys.stdin.isatty():
        raise UserError(
            "the enrolment file's passphrase is needed: run in a terminal to be asked, or give "
            "--passphrase-file FILE"
        )
    return getpass.getpass("Passphrase chosen at enrolment: ")


def _print(view: IdentityView) -> None:
    print(f"specialist:   {view.name} <{view.email}>")
    print(f"office:       {view.office_name}")
    print(f"certificate:  {view.fingerprint}")
    print(f"valid until:  {view.valid_until:%Y-%m-%d}")
    if view.expiry_warning:
        print(f"warning: {view.expiry_warning}")
    print(f"office CA:    {view.ca_fingerprint}  (compare with your office)")
    print(f"passphrase remembered on this device: {'yes' if view.passphrase_remembered else 'no'}")


def _import(args: argparse.Namespace) -> int:
    view = keys.import_identity(
        args.data_dir_path, args.file, _passphrase(args), replace=args.replace
    )
    print(f"identity set up in {view.directory}")
    _print(view)
    return 0


def _show(args: argparse.Namespace) -> int:
    db = workspace(args)
    try:
        view = keys.identity_view(db)
    finally:
        db.dispose()
    if view is None:
        raise UserError(
            "no specialist identity is set up on this device; import the enrolment file from "
            "your office: ietp-desktop identity import FILE.ietp-enrol"
        )
    if args.json:
        print_json(view)
    else:
        _print(view)
    return 0
