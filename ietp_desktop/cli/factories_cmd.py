"""`ietp-desktop factories list|add|update`."""

from __future__ import annotations

import argparse

from ietp_desktop.cli.common import date_arg, fmt, print_json, print_table, workspace
from ietp_desktop.services.visits import factories


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("factories", help="list and add factories")
    commands = parser.add_subparsers(dest="factories_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="list factories with their PV window")
    listing.add_argument("--search", default="", help="part of a name, IETP id or city")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)

    add = commands.add_parser("add", help="add a factory")
    _factory_fields(add, required=True)
    add.set_defaults(handler=_add)

    update = commands.add_parser("update", help="change a factory's details")
    update.add_argument("factory", help="IETP id or number")
    _factory_fields(update, required=False)
    update.set_defaults(handler=_update)


def _factory_fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    if required:
        parser.add_argument("--ietp-id", required=True, help="the factory's IETP id")
        parser.add_argument("--name-en", required=True, help="English name")
    else:
        parser.add_argument("--name-en", help="English name")
    parser.add_argument("--name-zh", help="Chinese name")
    parser.add_argument("--address")
    parser.add_argument("--city")
    parser.add_argument("--region", help="minimum-wage region, e.g. CN-GD-Dongguan")
    parser.add_argument("--headcount", type=int)
    parser.add_argument("--seal-issued", type=date_arg, help="seal issue date YYYY-MM-DD")
    parser.add_argument("--contact-name")
    parser.add_argument("--contact-email")


def _changes(args: argparse.Namespace) -> dict[str, object]:
    mapping = {
        "name_en": args.name_en,
        "name_zh": args.name_zh,
        "address": args.address,
        "city": args.city,
        "region": args.region,
        "headcount": args.headcount,
        "seal_issued_on": args.seal_issued,
        "contact_name": args.contact_name,
        "contact_email": args.contact_email,
    }
    return {k: v for k, v in mapping.items() if v is not None}


def _list(args: argparse.Namespace) -> int:
    rows = factories.list_factories(workspace(args), args.search)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["IETP id", "Name", "名称", "City", "Seal issued", "PV window", "Due"],
        [
            [
                f.ietp_id,
                f.name_en,
                f.name_zh,
                f.city,
                fmt(f.seal_issued_on),
                f"{fmt(f.window_opens)} … {fmt(f.window_closes)}",
                fmt(f.due_state),
            ]
            for f in rows
        ],
    )
    return 0


def _add(args: argparse.Namespace) -> int:
    data = factories.FactoryInput(ietp_id=args.ietp_id, **_changes(args))  # type: ignore[arg-type]
    view = factories.add_factory(workspace(args), data)
    print(f"added factory {view.ietp_id} ({view.name_en})")
    return 0


def _update(args: argparse.Namespace) -> int:
    view = factories.update_factory(workspace(args), args.factory, **_changes(args))
    print(f"updated factory {view.ietp_id} ({view.name_en})")
    return 0
