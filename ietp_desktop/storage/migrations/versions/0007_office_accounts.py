"""office console: users, sessions, sign-in failures, audit trail, request nonces, visit views,
revoked specialist certificates, report verification results

Revision ID: 0007
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ietp_desktop.storage.types.UtcDateTime


def upgrade() -> None:
    op.create_table('office_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTC(), nullable=False),
    sa.Column('password_changed_at', UTC(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_users')),
    sa.UniqueConstraint('username', name=op.f('uq_office_users_username'))
    )
    op.create_table('office_sessions',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTC(), nullable=False),
    sa.Column('expires_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['office_users.id'], name=op.f('fk_office_sessions_user_id_office_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_sha256', name=op.f('pk_office_sessions'))
    )
    with op.batch_alter_table('office_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_sessions_user_id'), ['user_id'], unique=False)
    op.create_table('office_login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('remote', sa.String(length=64), nullable=False),
    sa.Column('at', UTC(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_login_failures'))
    )
    with op.batch_alter_table('office_login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_login_failures_username'), ['username'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_login_failures_at'), ['at'], unique=False)
    op.create_table('office_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTC(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('remote', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_audit'))
    )
    with op.batch_alter_table('office_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_audit_action'), ['action'], unique=False)
    op.create_table('office_request_nonces',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('signer', sa.String(length=64), nullable=False),
    sa.Column('at', UTC(), nullable=False),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_office_request_nonces'))
    )
    with op.batch_alter_table('office_request_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_request_nonces_at'), ['at'], unique=False)
    op.create_table('office_visit_views',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('seen_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['office_users.id'], name=op.f('fk_office_visit_views_user_id_office_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_office_visit_views_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'visit_id', name=op.f('pk_office_visit_views'))
    )

    op.create_table('office_revocations',
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('serial_hex', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('revoked_at', UTC(), nullable=False),
    sa.Column('revoked_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('fingerprint', name=op.f('pk_office_revocations'))
    )
    with op.batch_alter_table('office_revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_revocations_serial_hex'), ['serial_hex'], unique=False)
    op.create_table('office_report_checks',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('report_sha256', sa.String(length=64), nullable=False),
    sa.Column('intact', sa.Boolean(), nullable=False),
    sa.Column('trusted', sa.Boolean(), nullable=False),
    sa.Column('whole_document', sa.Boolean(), nullable=False),
    sa.Column('signer', sa.String(length=300), nullable=False),
    sa.Column('signer_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('signed_at', UTC(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('checked_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_office_report_checks_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'revision', name=op.f('pk_office_report_checks'))
    )


def downgrade() -> None:
    op.drop_table('office_report_checks')
    op.drop_table('office_revocations')
    op.drop_table('office_visit_views')
    op.drop_table('office_request_nonces')
    op.drop_table('office_audit')
    op.drop_table('office_login_failures')
    op.drop_table('office_sessions')
    op.drop_table('office_users')
