"""reports: the accounts and meters in key order with the columns the readings report's meters due read

The readings report counts, per route, the active meters of the accounts not closed (meters due).
Through the route index SQLite looked up every account's row and every meter's row at random (0.4 to
0.9 s at 100,000 accounts on a loaded machine). ix_accounts_due holds the accounts' id, status, route
and service in key order and ix_meters_due the meters' account and status, so the count walks both
indexes side by side and never visits a row (docs/REPORTS.md, Speed).

Revision ID: 0024_meters_due_index
Revises: 0023_accounts_ageing_index
"""
from alembic import op

revision = "0024_meters_due_index"
down_revision = "0023_accounts_ageing_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_accounts_due", "accounts", ["id", "status", "reading_route", "service"], unique=False)
    op.create_index("ix_meters_due", "meters", ["account_id", "status"], unique=False)
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE accounts")
        op.execute("ANALYZE meters")


def downgrade() -> None:
    op.drop_index("ix_meters_due", table_name="meters")
    op.drop_index("ix_accounts_due", table_name="accounts")
