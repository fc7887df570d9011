"""interfaces: customer notices outbox and payment-channel statements

customer_notices is the outbox of text messages to customers' phones (one row per message, its
status and attempts); customers.refuses_messages marks a customer who refused them.
channel_statements, statement_lines and reconcile_items hold imported payment-channel statements,
their lines and the differences against counter payments waiting for a supervisor.

Revision ID: 0017_notices_statements
Revises: 0016_report_summaries
"""
from alembic import op
import sqlalchemy as sa

revision = "0017_notices_statements"
down_revision = "0016_report_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('customers', sa.Column('refuses_messages', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('customer_notices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('dedupe_key', sa.String(length=160), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('gateway_id', sa.String(length=80), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_notices_customer_id_customers')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_customer_notices_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notices')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_customer_notices_dedupe_key'))
    )
    op.create_index(op.f('ix_customer_notices_customer_id'), 'customer_notices', ['customer_id'], unique=False)
    op.create_index('ix_customer_notices_status_next', 'customer_notices', ['status', 'next_attempt_at'], unique=False)
    op.create_table('channel_statements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('imported_by', sa.Uuid(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_channel_statements_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_statements')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_channel_statements_file_sha256'))
    )
    op.create_index('ix_channel_statements_channel_day', 'channel_statements', ['channel', 'day'], unique=False)
    op.create_table('statement_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('statement_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['statement_id'], ['channel_statements.id'], name=op.f('fk_statement_lines_statement_id_channel_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_lines')),
    sa.UniqueConstraint('channel', 'reference', name='uq_statement_lines_channel_reference')
    )
    op.create_index(op.f('ix_statement_lines_statement_id'), 'statement_lines', ['statement_id'], unique=False)
    op.create_index(op.f('ix_statement_lines_payment_id'), 'statement_lines', ['payment_id'], unique=False)
    op.create_table('reconcile_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('line_id', sa.Uuid(), nullable=True),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('statement_fen', sa.BigInteger(), nullable=False),
    sa.Column('counter_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('resolved_by', sa.Uuid(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconcile_items')),
    sa.UniqueConstraint('key', name=op.f('uq_reconcile_items_key'))
    )
    op.create_index('ix_reconcile_items_channel_day', 'reconcile_items', ['channel', 'day', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reconcile_items_channel_day', table_name='reconcile_items')
    op.drop_table('reconcile_items')
    op.drop_index(op.f('ix_statement_lines_payment_id'), table_name='statement_lines')
    op.drop_index(op.f('ix_statement_lines_statement_id'), table_name='statement_lines')
    op.drop_table('statement_lines')
    op.drop_index('ix_channel_statements_channel_day', table_name='channel_statements')
    op.drop_table('channel_statements')
    op.drop_index('ix_customer_notices_status_next', table_name='customer_notices')
    op.drop_index(op.f('ix_customer_notices_customer_id'), table_name='customer_notices')
    op.drop_table('customer_notices')
    op.execute("ALTER TABLE customers DROP COLUMN refuses_messages")
