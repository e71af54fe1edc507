"""office analytics: findings counted per received visit and per value of each dimension

Adds office_finding_visits (per received visit: its factory, first day and previous received
visit, its findings, non-compliances and zero-tolerance findings, and the revision and last
change they were counted from) and office_finding_classifications / _categories /
_root_causes (per received visit and value: findings and non-compliances; root causes also
whether they recur from the previous visit), so the findings, training and specialists pages
read these instead of joining every finding to its visit. They start empty, are filled from
the findings on the first analytics view, then kept by each import.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ietp_desktop.storage.types import UtcDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("classifications", "categories", "root_causes")


def upgrade() -> None:
    op.create_table(
        "office_finding_visits",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("visit_start", sa.Date(), nullable=True),
        sa.Column("previous_visit_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("visit_updated_at", UtcDateTime(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("non_compliances", sa.Integer(), nullable=False),
        sa.Column("zero_tolerance", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_finding_visits_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_office_finding_visits")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_office_finding_visits_factory_id"), "office_finding_visits", ["factory_id"]
    )
    for name in COUNTS:
        table = f"office_finding_{name}"
        extra: list[sa.Column[bool]] = (
            [sa.Column("recurs", sa.Boolean(), nullable=False)] if name == "root_causes" else []
        )
        op.create_table(
            table,
            sa.Column("visit_id", sa.Integer(), nullable=False),
            sa.Column("value", sa.String(length=60), nullable=False),
            sa.Column("factory_id", sa.Integer(), nullable=False),
            sa.Column("visit_start", sa.Date(), nullable=True),
            sa.Column("findings", sa.Integer(), nullable=False),
            sa.Column("non_compliances", sa.Integer(), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["visit_id"], ["visits.id"],
                name=op.f(f"fk_{table}_visit_id_visits"), ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("visit_id", "value", name=op.f(f"pk_{table}")),
        )  # fmt: skip
    op.create_index(
        "ix_office_finding_root_causes_factory_id", "office_finding_root_causes", ["factory_id"]
    )


def downgrade() -> None:
    op.drop_index(
        "ix_office_finding_root_causes_factory_id", table_name="office_finding_root_causes"
    )
    for name in reversed(COUNTS):
        op.drop_table(f"office_finding_{name}")
    op.drop_index(op.f("ix_office_finding_visits_factory_id"), table_name="office_finding_visits")
    op.drop_table("office_finding_visits")
