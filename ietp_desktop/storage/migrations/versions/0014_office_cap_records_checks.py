"""office CAP records checks: the new time and pay records checked for a wage or hours line

Adds office_cap_records_checks (per check of one CAP line: period covered, months, workers,
breaches, flags and the whole result as JSON).

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ietp_desktop.storage.types import UtcDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_cap_records_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("finding_code", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("months_covered", sa.Integer(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("breaches", sa.Integer(), nullable=False),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.String(length=120), nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_cap_records_checks_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_cap_records_checks")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_office_cap_records_checks_visit_id"), "office_cap_records_checks", ["visit_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_office_cap_records_checks_visit_id"), table_name="office_cap_records_checks"
    )
    op.drop_table("office_cap_records_checks")
