"""The demo office's administrator, so a newcomer can sign in to the console at once.

The password is fixed and printed by `ietp-desktop demo` (and written in the README): it
protects nothing but demo data. A real office creates its users with `office user add`.
"""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.office.accounts import users
from ietp_desktop.office.folder import open_office_db

DEMO_ADMIN_USER = "admin"
DEMO_ADMIN_PASSWORD = "ietp-demo-office-2026"


def seed_demo_admin(office_dir: Path) -> str:
    """Create the demo administrator in the demo office (once); returns the user name."""
    database = open_office_db(office_dir)
    try:
        if not any(u.username == DEMO_ADMIN_USER for u in users.list_users(database)):
            users.add_user(
                database,
                DEMO_ADMIN_USER,
                DEMO_ADMIN_PASSWORD,
                users.ADMINISTRATOR,
                display_name="Demo administrator",
                actor="demo",
            )
    finally:
        database.dispose()
    return DEMO_ADMIN_USER
