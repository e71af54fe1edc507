"""proposal decisions: a table instead of JSON in the preferences

Revision ID: 0002
Revises: 0001
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCEPTED = "records.accepted."
DISMISSED = "records.dismissed."


def upgrade() -> None:
    op.create_table(
        "proposal_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("proposal_key", sa.String(length=80), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("finding_code", sa.String(length=10), nullable=False),
        sa.Column("decided_at", ietp_desktop.storage.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "proposal_key"),
    )
    with op.batch_alter_table("proposal_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_decisions_visit_id"), ["visit_id"], unique=False
        )
    _move_preferences_into_the_table()


def _move_preferences_into_the_table() -> None:
    conn = op.get_bind()
    visits = {
        str(uuid): int(visit_id)
        for uuid, visit_id in conn.execute(sa.text("SELECT uuid, id FROM visits"))
    }
    now = ietp_desktop.storage.types.utcnow()
    rows = conn.execute(
        sa.text("SELECT key, value FROM preferences WHERE key LIKE 'records.%'")
    ).all()
    decisions: dict[tuple[int, str], tuple[str, str]] = {}
    for key, value in rows:
        try:
            data = json.loads(value) if value else None
        except ValueError:
            data = None
        if key.startswith(DISMISSED) and isinstance(data, list):
            visit_id = visits.get(key[len(DISMISSED) :])
            for proposal in data:
                if visit_id is not None:
                    decisions.setdefault((visit_id, str(proposal)), ("dismissed", ""))
        elif key.startswith(ACCEPTED) and isinstance(data, dict):
            visit_id = visits.get(key[len(ACCEPTED) :])
            for proposal, code in data.items():
                if visit_id is not None:
                    decisions[(visit_id, str(proposal))] = ("accepted", str(code))
    table = sa.table(
        "proposal_decisions",
        sa.column("visit_id"),
        sa.column("proposal_key"),
        sa.column("decision"),
        sa.column("finding_code"),
        sa.column("decided_at", ietp_desktop.storage.types.UtcDateTime()),
    )
    for (visit_id, proposal), (decision, code) in sorted(decisions.items()):
        conn.execute(
            table.insert().values(
                visit_id=visit_id,
                proposal_key=proposal,
                decision=decision,
                finding_code=code,
                decided_at=now,
            )
        )
    conn.execute(
        sa.text(
            "DELETE FROM preferences WHERE key LIKE 'records.accepted.%' "
            "OR key LIKE 'records.dismissed.%'"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("proposal_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_decisions_visit_id"))
    op.drop_table("proposal_decisions")
