"""`ietp-desktop office seal-reports`: seal the reports an older office stored unsealed."""

from __future__ import annotations

import argparse
from pathlib import Path

from ietp_desktop.cli.bundle_cmd import passphrase
from ietp_desktop.cli.common import office_db
from ietp_desktop.cli.office_console_cmd import cli_actor
from ietp_desktop.office.reseal import seal_stored_reports
from ietp_desktop.security.office_ca import load_office

OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    seal = commands.add_parser(
        "seal-reports",
        help="add validation data and the office's timestamp (PAdES B-LTA) to stored reports "
        "that have none yet (reports accepted before the office sealed them)",
    )
    seal.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    seal.add_argument("--db", help="SQLAlchemy URL of the office database")
    seal.set_defaults(handler=_seal_reports)


def _seal_reports(args: argparse.Namespace) -> int:
    secret = passphrase(OFFICE_PASSPHRASE_ENV, "Office key passphrase: ", required=False)
    office = load_office(args.office_dir, secret)
    with office_db(args) as database:
        outcomes = seal_stored_reports(office, database, cli_actor())
    for outcome in outcomes:
        line = f"{outcome.uuid[:8]} r{outcome.revision}  {outcome.result}"
        print(f"{line}: {outcome.message}" if outcome.message else line)
    sealed = sum(o.sealed for o in outcomes)
    print(f"{sealed} report(s) sealed, {len(outcomes) - sealed} kept as they were")
    return 0
