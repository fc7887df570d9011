"""interfaces: meter readings import staging, bank mandates and bank collection files

reading_imports and reading_import_rows hold imported readings files (one per SHA-256) and every
row's verdict until it is posted as a reading; bank_mandates the customers' collection mandates;
bank_batches and bank_batch_lines the collection files sent to a bank and the bank's answers.

Revision ID: 0020_readings_bank
Revises: 0019_sync_audience
"""
from alembic import op
import sqlalchemy as sa
import app.models.types

revision = "0020_readings_bank"
down_revision = "0019_sync_audience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_batches',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=True),
    sa.Column('bank', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('exported_by', sa.Uuid(), nullable=True),
    sa.Column('exported_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('return_file_name', sa.String(length=260), nullable=False),
    sa.Column('return_sha256', sa.String(length=64), nullable=True),
    sa.Column('collected_count', sa.Integer(), nullable=False),
    sa.Column('collected_fen', sa.BigInteger(), nullable=False),
    sa.Column('refused_count', sa.Integer(), nullable=False),
    sa.Column('refused_fen', sa.BigInteger(), nullable=False),
    sa.Column('applied_by', sa.Uuid(), nullable=True),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_batches')),
    sa.UniqueConstraint('bank', 'period', name=op.f('uq_bank_batches_bank_period')),
    sa.UniqueConstraint('return_sha256', name=op.f('uq_bank_batches_return_sha256'))
    )
    op.create_table('reading_imports',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=True),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.Uuid(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_imports')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_reading_imports_file_sha256'))
    )
    op.create_table('reading_import_rows',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('import_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('meter_no', sa.String(length=40), nullable=False),
    sa.Column('register', sa.String(length=16), nullable=False),
    sa.Column('reading_text', sa.String(length=40), nullable=False),
    sa.Column('read_on', sa.Date(), nullable=True),
    sa.Column('meter_id', sa.Uuid(), nullable=True),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('previous', app.models.types.Quantity(), nullable=True),
    sa.Column('current', app.models.types.Quantity(), nullable=True),
    sa.Column('usage', app.models.types.Quantity(), nullable=True),
    sa.Column('usual', app.models.types.Quantity(), nullable=True),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('rolled_over', sa.Boolean(), nullable=False),
    sa.Column('confirm_high', sa.Boolean(), nullable=False),
    sa.Column('reading_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['reading_imports.id'], name=op.f('fk_reading_import_rows_import_id_reading_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_import_rows')),
    sa.UniqueConstraint('import_id', 'line_no', name=op.f('uq_reading_import_rows_import_id_line_no'))
    )
    op.create_index('ix_reading_import_rows_import_verdict', 'reading_import_rows', ['import_id', 'verdict'], unique=False)
    op.create_table('bank_batch_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('bank_account', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('receipt_no', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_bank_batch_lines_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['bank_batches.id'], name=op.f('fk_bank_batch_lines_batch_id_bank_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_batch_lines')),
    sa.UniqueConstraint('batch_id', 'seq', name=op.f('uq_bank_batch_lines_batch_id_seq'))
    )
    op.create_index(op.f('ix_bank_batch_lines_account_id'), 'bank_batch_lines', ['account_id'], unique=False)
    op.create_table('bank_mandates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('bank', sa.String(length=20), nullable=False),
    sa.Column('bank_account', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_bank_mandates_account_id_accounts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_bank_mandates_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_mandates'))
    )
    op.create_index(op.f('ix_bank_mandates_account_id'), 'bank_mandates', ['account_id'], unique=False)
    op.create_index('ix_bank_mandates_bank', 'bank_mandates', ['bank', 'start_date'], unique=False)
    op.create_index(op.f('ix_bank_mandates_customer_id'), 'bank_mandates', ['customer_id'], unique=False)


def downgrade() -> None:
# ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(op.f('ix_bank_mandates_customer_id'), table_name='bank_mandates')
    op.drop_index('ix_bank_mandates_bank', table_name='bank_mandates')
    op.drop_index(op.f('ix_bank_mandates_account_id'), table_name='bank_mandates')
    op.drop_table('bank_mandates')
    op.drop_index(op.f('ix_bank_batch_lines_account_id'), table_name='bank_batch_lines')
    op.drop_table('bank_batch_lines')
    op.drop_index('ix_reading_import_rows_import_verdict', table_name='reading_import_rows')
    op.drop_table('reading_import_rows')
    op.drop_table('reading_imports')
    op.drop_table('bank_batches')
