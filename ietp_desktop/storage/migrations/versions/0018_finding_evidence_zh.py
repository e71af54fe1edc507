"""a finding's evidence in Chinese too

Adds findings.evidence_zh: the Chinese text of the evidence beside the English (a finding
calculated from the time and pay records stores both; each is printed in its column of the
report). Findings from before keep "" and are shown with their English evidence.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("evidence_zh", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("evidence_zh")
