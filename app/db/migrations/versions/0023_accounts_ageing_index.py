"""reports: the accounts in key order with the columns arrears ageing reads (ix_accounts_ageing)

Arrears ageing on SQLite sums the open bills per route in one query: the accounts are read through this
index in key order, and each account's open bills through ix_bills_open (ordered by account), so both
indexes are walked side by side and the accounts' rows are never visited (docs/REPORTS.md, Speed).

Revision ID: 0023_accounts_ageing_index
Revises: 0022_payments_reference
"""
from alembic import op

revision = "0023_accounts_ageing_index"
down_revision = "0022_payments_reference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_accounts_ageing", "accounts", ["id", "reading_route", "service", "usage_category"], unique=False)
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE accounts")


def downgrade() -> None:
    op.drop_index("ix_accounts_ageing", table_name="accounts")
