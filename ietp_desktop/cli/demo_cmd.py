"""`ietp-desktop demo [--data-dir DIR]`: seed a data folder with realistic demo data."""

from __future__ import annotations

import argparse

from ietp_desktop.demo.build import seed_demo
from ietp_desktop.demo.identity import DEMO_PASSPHRASE, OFFICE_DIR
from ietp_desktop.demo.office_admin import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USER


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="seed a data folder with demo data")
    parser.add_argument(
        "--data-dir", dest="demo_data_dir", help="folder to seed (same as the global --data-dir)"
    )
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from ietp_desktop.paths import resolve_data_dir

    data_dir = resolve_data_dir(args.demo_data_dir) if args.demo_data_dir else args.data_dir_path
    result = seed_demo(data_dir)
    print(
        f"demo data written to {result.data_dir}: {result.factories} factories, "
        f"{len(result.visits)} visits"
    )
    for label, uuid in result.visits.items():
        print(f"  {uuid[:8]}  {label}")
    print(
        f"demo office in {result.data_dir / OFFICE_DIR}: console user {DEMO_ADMIN_USER}, "
        f"password {DEMO_ADMIN_PASSWORD}"
    )
    print(f"demo specialist key passphrase: {DEMO_PASSPHRASE}")
    return 0
