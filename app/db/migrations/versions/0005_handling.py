"""matters (work orders), history, outages

Revision ID: 0005_handling
Revises: 0004_payments
"""
from alembic import op
import sqlalchemy as sa
import app.models.types

revision = "0005_handling"
down_revision = "0004_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outages',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('routes', sa.Text(), nullable=False),
    sa.Column('areas', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('registered_by', sa.Uuid(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_outages_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outages'))
    )
    op.create_index(op.f('ix_outages_ends_at'), 'outages', ['ends_at'], unique=False)
    op.create_table('matters',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('matter_no', sa.String(length=30), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('complaint_type', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(), nullable=False),
    sa.Column('contact_by', sa.DateTime(), nullable=True),
    sa.Column('deadline_unknown_year', sa.Boolean(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.String(length=16), nullable=False),
    sa.Column('reopened', sa.Integer(), nullable=False),
    sa.Column('repeat_count', sa.Integer(), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('escalated_reason', sa.String(length=40), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_matters_account_id_accounts')),
    sa.ForeignKeyConstraint(['assignee_id'], ['clerks.id'], name=op.f('fk_matters_assignee_id_clerks')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_matters_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['clerks.id'], name=op.f('fk_matters_owner_id_clerks')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_matters_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters')),
    sa.UniqueConstraint('matter_no', name=op.f('uq_matters_matter_no'))
    )
    where = sa.text("state != 'closed'")
    op.create_index('ix_matters_open_deadline', 'matters', ['station_id', 'deadline_at', 'escalated', 'state'], sqlite_where=where, postgresql_where=where)
    op.create_index('ix_matters_open_owner', 'matters', ['owner_id', 'deadline_at', 'state'], sqlite_where=where, postgresql_where=where)
    op.create_index('ix_matters_open_assignee', 'matters', ['assignee_id', 'deadline_at', 'state'], sqlite_where=where, postgresql_where=where)
    op.create_index('ix_matters_customer_deadline', 'matters', ['customer_id', 'deadline_at'])
    op.create_index('ix_matters_customer_type_registered', 'matters', ['customer_id', 'complaint_type', 'registered_at'])
    op.create_table('matter_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('matter_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('clerk_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_events_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matter_events'))
    )
    op.create_index(op.f('ix_matter_events_matter_id'), 'matter_events', ['matter_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_matter_events_matter_id'), table_name='matter_events')
    op.drop_table('matter_events')
    for name in ('ix_matters_open_deadline', 'ix_matters_open_owner', 'ix_matters_open_assignee',
                 'ix_matters_customer_deadline', 'ix_matters_customer_type_registered'):
        op.drop_index(name, table_name='matters')
    op.drop_table('matters')
    op.drop_index(op.f('ix_outages_ends_at'), table_name='outages')
    op.drop_table('outages')
