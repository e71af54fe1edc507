"""per factory: the import mapping that worked, and links between a person's names

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("updated_at", ietp_desktop.storage.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["factory_id"], ["factories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("factory_id", "kind"),
    )
    with op.batch_alter_table("import_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_mappings_factory_id"), ["factory_id"], unique=False
        )
    op.create_table(
        "worker_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=80), nullable=False),
        sa.Column("employee_no", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["factory_id"], ["factories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("factory_id", "alias"),
    )
    with op.batch_alter_table("worker_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_links_factory_id"), ["factory_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("worker_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_links_factory_id"))
    op.drop_table("worker_links")
    with op.batch_alter_table("import_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mappings_factory_id"))
    op.drop_table("import_mappings")
