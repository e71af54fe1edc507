"""`ietp-desktop office serve|tls|user|specialist`: the office server and its accounts.

The console pages call the same functions (ietp_desktop.office.accounts), so an office can
script everything it can click.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ietp_desktop.cli.bundle_cmd import passphrase
from ietp_desktop.cli.common import office_db, print_json, print_table
from ietp_desktop.domain.errors import UserError

OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"
USER_PASSWORD_ENV = "IETP_OFFICE_USER_PASSWORD"


def _office_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office-dir", type=Path, required=True, help="the office's folder")
    parser.add_argument("--db", help="SQLAlchemy URL (default: office.sqlite3 in the office dir)")


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some service environments
        return "cli"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run the office server: web console and uploads")
    _office_dir(serve)
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default all)")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.add_argument(
        "--http", action="store_true", help="plain HTTP, for development on 127.0.0.1 only"
    )
    serve.set_defaults(handler=_serve)
    tls = commands.add_parser("tls", help="issue the server's TLS certificate from the office CA")
    tls.add_argument("--office-dir", type=Path, required=True)
    tls.add_argument(
        "--host",
        action="append",
        default=[],
        help="host name or IP address laptops use to reach the office (repeatable)",
    )
    tls.set_defaults(handler=_tls)
    user = commands.add_parser("user", help="office console users")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user (password from the terminal or env)")
    add.add_argument("username")
    add.add_argument(
        "--role", required=True, choices=["administrator", "coordinator", "reviewer", "read-only"]
    )
    add.add_argument("--name", default="", help="full name shown in the console")
    _office_dir(add)
    add.set_defaults(handler=_user_add)
    listing = actions.add_parser("list", help="users, roles, disabled or not")
    _office_dir(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_user_list)
    passwd = actions.add_parser("passwd", help="set a user's password (ends their sessions)")
    passwd.add_argument("username")
    _office_dir(passwd)
    passwd.set_defaults(handler=_user_passwd)
    for name, disabled in (("disable", True), ("enable", False)):
        sub = actions.add_parser(name, help=f"{name} a user")
        sub.add_argument("username")
        _office_dir(sub)
        sub.set_defaults(handler=_user_disable, disabled=disabled)
    specialist = commands.add_parser("specialist", help="enrolled specialists and revocation")
    sactions = specialist.add_subparsers(dest="specialist_command", metavar="ACTION", required=True)
    slist = sactions.add_parser("list", help="certificates the office issued, revoked or not")
    _office_dir(slist)
    slist.add_argument("--json", action="store_true")
    slist.set_defaults(handler=_specialist_list)
    revoke = sactions.add_parser("revoke", help="revoke a specialist certificate")
    revoke.add_argument("who", help="certificate fingerprint (or its first 16 digits) or e-mail")
    revoke.add_argument("--reason", required=True)
    _office_dir(revoke)
    revoke.set_defaults(handler=_specialist_revoke)


def _office_secret() -> str | None:
    return passphrase(OFFICE_PASSPHRASE_ENV, "Office key passphrase: ", required=False)


def _serve(args: argparse.Namespace) -> int:
    from ietp_desktop.office.console.server import serve

    scheme = "http" if args.http else "https"
    print(f"office console on {scheme}://{args.host}:{args.port}/ (Ctrl+C stops it)")
    serve(
        args.office_dir,
        db_url=args.db,
        host=args.host,
        port=args.port,
        workers=args.workers,
        plain_http=args.http,
        office_passphrase=_office_secret(),
    )
    return 0


def _tls(args: argparse.Namespace) -> int:
    from ietp_desktop.office.console.tls import issue_server_certificate

    files = issue_server_certificate(args.office_dir, args.host or None, _office_secret())
    print(f"TLS certificate for {', '.join(files.hosts)} written to {files.certificate}")
    print(f"  valid until {files.not_after:%Y-%m-%d}; fingerprint {files.fingerprint}")
    return 0


def _new_password(prompt: str) -> str:
    value = os.environ.get(USER_PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(
            "a password is needed: set {env} or run in a terminal",
            env=USER_PASSWORD_ENV,
        )
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise UserError("the two passwords differ")
    return first


def _user_add(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import users

    password = _new_password(f"Password for {args.username}: ")
    with office_db(args) as database:
        user = users.add_user(
            database, args.username, password, args.role, display_name=args.name, actor=cli_actor()
        )
    print(f"user {user.username} added ({user.role})")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import users

    with office_db(args) as database:
        rows = users.list_users(database)
    if args.json:
        print_json([{k: v for k, v in r.__dict__.items() if k != "id"} for r in rows])
        return 0
    print_table(
        ["User", "Name", "Role", "State", "Password changed"],
        [
            [
                r.username,
                r.display_name,
                r.role,
                "disabled" if r.disabled else "active",
                f"{r.password_changed_at:%Y-%m-%d %H:%M}",
            ]
            for r in rows
        ],
    )
    return 0


def _user_passwd(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import users

    password = _new_password(f"New password for {args.username}: ")
    with office_db(args) as database:
        users.set_password(database, args.username, password, actor=cli_actor())
    print(f"password of {args.username} changed; their sessions are ended")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import users

    with office_db(args) as database:
        user = users.set_disabled(database, args.username, args.disabled, actor=cli_actor())
    print(f"user {user.username} {'disabled' if user.disabled else 'enabled'}")
    return 0


def _specialist_list(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import specialists

    with office_db(args) as database:
        rows = specialists.list_specialists(args.office_dir, database)
    if args.json:
        print_json([r.__dict__ | {"state": r.state} for r in rows])
        return 0
    print_table(
        ["Name", "E-mail", "State", "Valid until", "Fingerprint"],
        [[r.name, r.email, r.state, f"{r.valid_until:%Y-%m-%d}", r.fingerprint[:16]] for r in rows],
    )
    return 0


def _specialist_revoke(args: argparse.Namespace) -> int:
    from ietp_desktop.office.accounts import specialists

    with office_db(args) as database:
        rows = specialists.list_specialists(args.office_dir, database)
        who = args.who.strip().lower()
        matches = [
            r
            for r in rows
            if (r.fingerprint.startswith(who) and len(who) >= 16) or r.email.lower() == who
        ]
        matches = [r for r in matches if r.state != "revoked"] or matches
        if not matches:
            raise UserError("no certificate of this office matches '{who}'", who=args.who)
        if len(matches) > 1:
            raise UserError(
                "'{who}' matches {count} certificates; give the fingerprint ({names})",
                who=args.who,
                count=len(matches),
                names=", ".join(m.fingerprint[:16] for m in matches),
            )
        revoked = specialists.revoke(
            args.office_dir, database, matches[0].fingerprint, args.reason, actor=cli_actor()
        )
    print(
        f"revoked the certificate of {revoked.name} <{revoked.email}> ({revoked.fingerprint[:16]})"
    )
    return 0
