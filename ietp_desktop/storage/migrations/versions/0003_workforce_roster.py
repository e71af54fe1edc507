"""workforce roster: everyone in the factory's files, the sample drawn from them

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Workers stored before this revision were all typed in as the sample.
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("in_sample", sa.Boolean(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("aliases", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample_seed", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("sample_seed")
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.drop_column("aliases")
        batch_op.drop_column("in_sample")
