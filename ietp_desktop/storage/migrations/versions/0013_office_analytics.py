"""office analytics summaries: worker-months past the hours limits, and what they were built from

Adds office_worker_months (per worker of a received visit and month: above the weekly limit,
above the overtime cap, no rest day in 7), office_worker_pay_months (below the minimum wage,
minimum known), office_analytics_refresh (the visit revision and
limits the summary was built from) and office_analytics_results (a page's figures with the
state of the data they came from), so the hours page reads a summary instead of every time
record.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ietp_desktop.storage.types import UtcDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_worker_months",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("in_sample", sa.Boolean(), nullable=False),
        sa.Column("whole_workforce", sa.Boolean(), nullable=False),
        sa.Column("above_week", sa.Integer(), nullable=False),
        sa.Column("above_overtime", sa.Integer(), nullable=False),
        sa.Column("no_rest", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_worker_months_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"],
            name=op.f("fk_office_worker_months_worker_id_workers"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("worker_id", "year", "month", name=op.f("pk_office_worker_months")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_office_worker_months_visit_id"), "office_worker_months", ["visit_id"]
    )
    op.create_table(
        "office_worker_pay_months",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("in_sample", sa.Boolean(), nullable=False),
        sa.Column("whole_workforce", sa.Boolean(), nullable=False),
        sa.Column("below_minimum", sa.Integer(), nullable=False),
        sa.Column("minimum_known", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_worker_pay_months_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"],
            name=op.f("fk_office_worker_pay_months_worker_id_workers"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "worker_id", "year", "month", name=op.f("pk_office_worker_pay_months")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_office_worker_pay_months_visit_id"), "office_worker_pay_months", ["visit_id"]
    )
    op.create_table(
        "office_analytics_refresh",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("limits", sa.String(length=80), nullable=False),
        sa.Column("refreshed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_analytics_refresh_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_office_analytics_refresh")),
    )  # fmt: skip


    op.create_table(
        "office_analytics_results",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("data_version", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("built_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_office_analytics_results")),
    )


def downgrade() -> None:
    op.drop_table("office_analytics_results")
    op.drop_table("office_analytics_refresh")
    op.drop_index(
        op.f("ix_office_worker_pay_months_visit_id"), table_name="office_worker_pay_months"
    )
    op.drop_table("office_worker_pay_months")
    op.drop_index(op.f("ix_office_worker_months_visit_id"), table_name="office_worker_months")
    op.drop_table("office_worker_months")
