"""reports: one accounts index for ageing and the readings report, and the meters' account index folded in

Migrations 0023-0025 gave the accounts two covering indexes in key order (ix_accounts_ageing for
arrears ageing, ix_accounts_due for the readings report) and the meters ix_meters_due beside the
plain ix_meters_account_id. Every index costs each write and the demo's load of a million accounts,
so ix_accounts_ageing now holds the columns both reports read (id, route, service, usage category,
status, account number) and ix_accounts_due goes; ix_meters_due (account, status) serves whatever
ix_meters_account_id served, which goes (docs/REPORTS.md, Speed).

Revision ID: 0026_fewer_account_meter_indexes
Revises: 0025_readings_list_indexes
"""

from alembic import op

revision = "0026_fewer_account_meter_indexes"
down_revision = "0025_readings_list_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_accounts_due", table_name="accounts")
    op.drop_index("ix_accounts_ageing", table_name="accounts")
    op.create_index(
        "ix_accounts_ageing",
        "accounts",
        ["id", "reading_route", "service", "usage_category", "status", "account_no"],
        unique=False,
    )
    op.drop_index("ix_meters_account_id", table_name="meters")
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE accounts")
        op.execute("ANALYZE meters")


def downgrade() -> None:
    op.create_index("ix_meters_account_id", "meters", ["account_id"], unique=False)
    op.drop_index("ix_accounts_ageing", table_name="accounts")
    op.create_index("ix_accounts_ageing", "accounts", ["id", "reading_route", "service", "usage_category"], unique=False)
    op.create_index("ix_accounts_due", "accounts", ["id", "status", "reading_route", "service", "account_no"], unique=False)
