"""findings in both languages; finding numbers never reused

Adds findings.title_zh and findings.description_zh (the Chinese text beside the English, each
printed in its column of the bilingual report) and visits.findings_issued (the highest finding
number ever given in the visit, so a deleted or merged finding's code is never given again).

Revision ID: 0009
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("title_zh", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("description_zh", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("findings_issued", sa.Integer(), nullable=False, server_default="0"))
    # Visits from before this revision: the highest code they hold is the highest issued.
    op.execute(
        "UPDATE visits SET findings_issued = COALESCE((SELECT MAX(CAST(SUBSTR(code, 2) AS INTEGER)) "
        "FROM findings WHERE findings.visit_id = visits.id AND code LIKE 'F%'), 0)"
    )


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("findings_issued")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("description_zh")
        batch.drop_column("title_zh")
