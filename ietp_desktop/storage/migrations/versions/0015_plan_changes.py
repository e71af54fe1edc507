"""planned visits moved, re-dated or cancelled; visits withdrawn from a laptop

Adds the cancellation of a planned visit (office_planned_visits.cancelled_at, cancelled_by,
cancel_reason), the history of changes to a plan (office_plan_events) and, on the laptop, the
visits the office withdrew (visit_withdrawals).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ietp_desktop.storage.types import UtcDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("office_planned_visits") as batch:
        batch.add_column(sa.Column("cancelled_at", UtcDateTime(), nullable=True))
        batch.add_column(
            sa.Column("cancelled_by", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "office_plan_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("specialist_email", sa.String(length=200), nullable=False),
        sa.Column("specialist_name", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("previous_email", sa.String(length=200), nullable=False),
        sa.Column("previous_name", sa.String(length=120), nullable=False),
        sa.Column("previous_day", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("withdrawn_uuid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["office_planned_visits.id"],
            name=op.f("fk_office_plan_events_plan_id_office_planned_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_plan_events")),
    )
    with op.batch_alter_table("office_plan_events") as batch:
        batch.create_index(batch.f("ix_office_plan_events_plan_id"), ["plan_id"])
        batch.create_index(batch.f("ix_office_plan_events_previous_email"), ["previous_email"])
        batch.create_index(batch.f("ix_office_plan_events_withdrawn_uuid"), ["withdrawn_uuid"])
    op.create_table(
        "visit_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("withdrawn_by", sa.String(length=120), nullable=False),
        sa.Column("withdrawn_at", UtcDateTime(), nullable=False),
        sa.Column("previous_status", sa.String(length=20), nullable=False),
        sa.Column("applied_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_withdrawals_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_withdrawals")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_visit_withdrawals_visit_id")),
    )


def downgrade() -> None:
    op.drop_table("visit_withdrawals")
    with op.batch_alter_table("office_plan_events") as batch:
        batch.drop_index(batch.f("ix_office_plan_events_withdrawn_uuid"))
        batch.drop_index(batch.f("ix_office_plan_events_previous_email"))
        batch.drop_index(batch.f("ix_office_plan_events_plan_id"))
    op.drop_table("office_plan_events")
    with op.batch_alter_table("office_planned_visits") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_by")
        batch.drop_column("cancelled_at")

