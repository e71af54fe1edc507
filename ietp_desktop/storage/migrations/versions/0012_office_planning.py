"""office planning: planned visits, blackout periods, factory unavailable dates, specialist regions

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ietp_desktop.storage.types.UtcDateTime
DECIMAL = ietp_desktop.storage.types.DecimalText


def upgrade() -> None:
    op.create_table(
        "office_planned_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_uuid", sa.String(length=36), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("specialist_email", sa.String(length=200), nullable=False),
        sa.Column("specialist_name", sa.String(length=120), nullable=False),
        sa.Column("proposed_date", sa.Date(), nullable=False),
        sa.Column("man_days", DECIMAL(), nullable=True),
        sa.Column("confirmed_date", sa.Date(), nullable=True),
        sa.Column("confirmed_via", sa.String(length=20), nullable=False),
        sa.Column("bundle_id", sa.String(length=64), nullable=False),
        sa.Column("sent_at", UTC(), nullable=True),
        sa.Column("planned_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factory_id"],
            ["factories.id"],
            name=op.f("fk_office_planned_visits_factory_id_factories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_planned_visits")),
        sa.UniqueConstraint("visit_uuid", name=op.f("uq_office_planned_visits_visit_uuid")),
    )
    with op.batch_alter_table("office_planned_visits") as batch:
        batch.create_index(batch.f("ix_office_planned_visits_factory_id"), ["factory_id"])
        batch.create_index(
            batch.f("ix_office_planned_visits_specialist_email"), ["specialist_email"]
        )
        batch.create_index(batch.f("ix_office_planned_visits_proposed_date"), ["proposed_date"])
    op.create_table(
        "office_blackouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_blackouts")),
    )
    with op.batch_alter_table("office_blackouts") as batch:
        batch.create_index(batch.f("ix_office_blackouts_year"), ["year"])
    op.create_table(
        "office_factory_unavailable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factory_id"],
            ["factories.id"],
            name=op.f("fk_office_factory_unavailable_factory_id_factories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_factory_unavailable")),
    )
    with op.batch_alter_table("office_factory_unavailable") as batch:
        batch.create_index(batch.f("ix_office_factory_unavailable_factory_id"), ["factory_id"])
    op.create_table(
        "office_specialist_regions",
        sa.Column("specialist_email", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("specialist_email", name=op.f("pk_office_specialist_regions")),
    )


def downgrade() -> None:
    op.drop_table("office_specialist_regions")
    with op.batch_alter_table("office_factory_unavailable") as batch:
        batch.drop_index(batch.f("ix_office_factory_unavailable_factory_id"))
    op.drop_table("office_factory_unavailable")
    with op.batch_alter_table("office_blackouts") as batch:
        batch.drop_index(batch.f("ix_office_blackouts_year"))
    op.drop_table("office_blackouts")
    with op.batch_alter_table("office_planned_visits") as batch:
        batch.drop_index(batch.f("ix_office_planned_visits_proposed_date"))
        batch.drop_index(batch.f("ix_office_planned_visits_specialist_email"))
        batch.drop_index(batch.f("ix_office_planned_visits_factory_id"))
    op.drop_table("office_planned_visits")
