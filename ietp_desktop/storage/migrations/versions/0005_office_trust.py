"""office trust: the office's own catalogue and who owns each visit

Revision ID: 0005
Revises: 0004

An existing office database lists every definition it holds in its catalogue (what it had
before this revision shipped); definitions arriving in bundles from now on are evidence only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_catalogue",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("installed_at", ietp_desktop.storage.types.UtcDateTime(), nullable=False),
        sa.Column("installed_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "visit_owners",
        sa.Column("visit_uuid", sa.String(length=36), nullable=False),
        sa.Column("specialist_email", sa.String(length=200), nullable=False),
        sa.Column("specialist_name", sa.String(length=120), nullable=False),
        sa.Column("cert_sha256", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", ietp_desktop.storage.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("visit_uuid"),
    )
    now = ietp_desktop.storage.types.utcnow()
    conn = op.get_bind()
    catalogue = sa.table(
        "office_catalogue",
        sa.column("sha256", sa.String),
        sa.column("kind", sa.String),
        sa.column("installed_at", ietp_desktop.storage.types.UtcDateTime()),
        sa.column("installed_by", sa.String),
    )
    rows = [
        {"sha256": sha, "kind": kind, "installed_at": now, "installed_by": "upgrade"}
        for table, kind in (("form_definitions", "form"), ("rule_sets", "rules"))
        for (sha,) in conn.execute(sa.text(f"SELECT sha256 FROM {table}"))
    ]
    if rows:
        op.bulk_insert(catalogue, rows)


def downgrade() -> None:
    op.drop_table("visit_owners")
    op.drop_table("office_catalogue")
