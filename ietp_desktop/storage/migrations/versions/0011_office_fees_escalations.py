"""office follow-up money and escalations: invoices, the Training and Development Fund,
escalation queues (zero tolerance, Progress Audit required, status review), factory
certificate status history, follow-up settings

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ietp_desktop.storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ietp_desktop.storage.types.UtcDateTime
DEC = ietp_desktop.storage.types.DecimalText


def upgrade() -> None:
    op.create_table('office_money_settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', UTC(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_office_money_settings'))
    )
    op.create_table('office_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('factory_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('pa_arranged_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', UTC(), nullable=True),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['factory_id'], ['factories.id'], name=op.f('fk_office_escalations_factory_id_factories')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_office_escalations_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_escalations')),
    sa.UniqueConstraint('visit_id', 'kind', name=op.f('uq_office_escalations_visit_id'))
    )
    with op.batch_alter_table('office_escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_escalations_factory_id'), ['factory_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_escalations_state'), ['state'], unique=False)

    op.create_table('office_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('factory_id', sa.Integer(), nullable=False),
    sa.Column('man_days', DEC(), nullable=False),
    sa.Column('day_rate_usd', DEC(), nullable=False),
    sa.Column('amount_usd', DEC(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('amount_paid_usd', DEC(), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTC(), nullable=False),
    sa.Column('updated_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['factory_id'], ['factories.id'], name=op.f('fk_office_invoices_factory_id_factories')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_office_invoices_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_office_invoices_number')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_office_invoices_visit_id'))
    )
    with op.batch_alter_table('office_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_invoices_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_invoices_factory_id'), ['factory_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_invoices_settled'), ['settled'], unique=False)

    op.create_table('office_factory_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('factory_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(length=40), nullable=False),
    sa.Column('new_status', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['office_escalations.id'], name=op.f('fk_office_factory_status_changes_escalation_id_office_escalations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['factory_id'], ['factories.id'], name=op.f('fk_office_factory_status_changes_factory_id_factories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_factory_status_changes'))
    )
    with op.batch_alter_table('office_factory_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_factory_status_changes_factory_id'), ['factory_id'], unique=False)

    op.create_table('office_fund_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('share_percent', DEC(), nullable=False),
    sa.Column('amount_usd', DEC(), nullable=False),
    sa.Column('booked_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['office_invoices.id'], name=op.f('fk_office_fund_entries_invoice_id_office_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_fund_entries')),
    sa.UniqueConstraint('invoice_id', name=op.f('uq_office_fund_entries_invoice_id'))
    )
    with op.batch_alter_table('office_fund_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_fund_entries_booked_on'), ['booked_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('office_fund_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_fund_entries_booked_on'))

    op.drop_table('office_fund_entries')
    with op.batch_alter_table('office_factory_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_factory_status_changes_factory_id'))

    op.drop_table('office_factory_status_changes')
    with op.batch_alter_table('office_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_invoices_settled'))
        batch_op.drop_index(batch_op.f('ix_office_invoices_factory_id'))
        batch_op.drop_index(batch_op.f('ix_office_invoices_due_on'))

    op.drop_table('office_invoices')
    with op.batch_alter_table('office_escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_escalations_state'))
        batch_op.drop_index(batch_op.f('ix_office_escalations_factory_id'))

    op.drop_table('office_escalations')
    op.drop_table('office_money_settings')
