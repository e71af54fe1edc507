"""office report seals: the office's validation data and document timestamp on accepted reports

Adds office_report_seals (per received visit revision: the sha256 and size of the report as
the specialist signed it, the sha256 of the sealed PAdES B-LTA file the office stores, its
level, the time of the office's document timestamp and the TSA certificate's fingerprint).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ietp_desktop.storage.types import UtcDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_report_seals",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("original_sha256", sa.String(length=64), nullable=False),
        sa.Column("original_size", sa.Integer(), nullable=False),
        sa.Column("sealed_sha256", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("timestamped_at", UtcDateTime(), nullable=False),
        sa.Column("tsa_fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"],
            name=op.f("fk_office_report_seals_visit_id_visits"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "revision", name=op.f("pk_office_report_seals")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("office_report_seals")
