"""office review of received visits, CAP follow-up (factory answers, decisions, evidence,
imported workbooks, reminders sent) and, on the laptop, reviews returned by the office

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ietp_desktop.storage.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "office_reviews",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_office_reviews_visit_id_visits"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_office_reviews")),
    )
    with op.batch_alter_table("office_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_reviews_state"), ["state"], unique=False)
    op.create_table(
        "office_cap_lines",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("finding_code", sa.String(length=10), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("preventive_action", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=120), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("factory_status", sa.String(length=20), nullable=True),
        sa.Column("factory_remark", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decision_comment", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", UTC(), nullable=True),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_office_cap_lines_visit_id_visits"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "finding_code", name=op.f("pk_office_cap_lines")),
    )
    op.create_table(
        "office_cap_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("finding_code", sa.String(length=10), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("taken_at", UTC(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["factory_id"], ["factories.id"], name=op.f("fk_office_cap_evidence_factory_id_factories")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_office_cap_evidence_visit_id_visits"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_cap_evidence")),
    )
    with op.batch_alter_table("office_cap_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_cap_evidence_factory_id"), ["factory_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_cap_evidence_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_cap_evidence_visit_id"), ["visit_id"], unique=False)
    op.create_table(
        "office_cap_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.Column("imported_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_office_cap_imports_visit_id_visits"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_cap_imports")),
    )
    with op.batch_alter_table("office_cap_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_cap_imports_visit_id"), ["visit_id"], unique=False)
    op.create_table(
        "review_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=120), nullable=False),
        sa.Column("returned_at", UTC(), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_review_returns_visit_id_visits"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_returns")),
    )
    with op.batch_alter_table("review_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_returns_visit_id"), ["visit_id"], unique=False)


    op.create_table(
        "office_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("open_lines", sa.Integer(), nullable=False),
        sa.Column("overdue_lines", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["factory_id"], ["factories.id"], name=op.f("fk_office_reminders_factory_id_factories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_reminders")),
    )
    with op.batch_alter_table("office_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_reminders_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_reminders_factory_id"), ["factory_id"], unique=False)


def downgrade() -> None:
    op.drop_table("office_reminders")
    op.drop_table("review_returns")
    op.drop_table("office_cap_imports")
    op.drop_table("office_cap_evidence")
    op.drop_table("office_cap_lines")
    op.drop_table("office_reviews")
