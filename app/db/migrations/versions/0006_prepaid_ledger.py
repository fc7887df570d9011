"""prepaid balance ledger: every movement of an account's balance, with the quantity behind deductions

Revision ID: 0006_prepaid_ledger
Revises: 0005_handling
"""
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import app.models.types

revision = "0006_prepaid_ledger"
down_revision = "0005_handling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    entries = op.create_table('balance_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('balance_after_fen', sa.BigInteger(), nullable=False),
    sa.Column('bill_id', sa.Uuid(), nullable=True),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('late_fee_fen', sa.BigInteger(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('quantity', app.models.types.Quantity(), nullable=False),
    sa.Column('clerk_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_balance_entries_account_id_accounts')),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_balance_entries_bill_id_bills')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_balance_entries_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_balance_entries'))
    )
    op.create_index('ix_balance_entries_account_created', 'balance_entries', ['account_id', 'created_at'], unique=False)
    # Balances that exist already get one opening entry each, so an account's entries always add up
    # to its balance.
    accounts = sa.table('accounts', sa.column('id', sa.Uuid()), sa.column('balance_fen', sa.BigInteger()))
    bind = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [dict(id=uuid.uuid4(), account_id=aid, kind="opening", amount_fen=fen, balance_after_fen=fen, late_fee_fen=0,
                 principal_fen=0, quantity=0, created_at=now)
            for aid, fen in bind.execute(sa.select(accounts.c.id, accounts.c.balance_fen).where(accounts.c.balance_fen != 0))]
    if rows:
        op.bulk_insert(entries, rows)


def downgrade() -> None:
    op.drop_index('ix_balance_entries_account_created', table_name='balance_entries')
    op.drop_table('balance_entries')
