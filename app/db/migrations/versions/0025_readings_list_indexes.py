"""reports: the readings report's anomaly list read from indexes alone

The list joins each anomalous reading to its meter and the meter's account; on SQLite each of those
was a look-up in the key index and then the table's row, three rows per anomaly (a year at 100,000
accounts lists about 20,000). ix_readings_anomalies now holds the usage, usual and roll-over too,
ix_accounts_due the account number, and ix_meters_listed the meters' id with their account and number,
so the list reads no table row (docs/REPORTS.md, Speed).

Revision ID: 0025_readings_list_indexes
Revises: 0024_meters_due_index
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_readings_list_indexes"
down_revision = "0024_meters_due_index"
branch_labels = None
depends_on = None

HIGH_USAGE_FACTOR = 3  # app.services.billing.readings.HIGH_USAGE_FACTOR when this was written
ANOMALY = "usage = 0 OR rolled_over{rolled} OR (usual > 0 AND usage > usual * %d)" % HIGH_USAGE_FACTOR


def _anomalies(columns) -> None:
    op.create_index(
        "ix_readings_anomalies",
        "readings",
        columns,
        sqlite_where=sa.text(ANOMALY.format(rolled=" = 1")),
        postgresql_where=sa.text(ANOMALY.format(rolled="")),
    )


def upgrade() -> None:
    op.drop_index("ix_readings_anomalies", table_name="readings")
    _anomalies(["period", "meter_id", "usage", "usual", "rolled_over"])
    op.drop_index("ix_accounts_due", table_name="accounts")
    op.create_index("ix_accounts_due", "accounts", ["id", "status", "reading_route", "service", "account_no"], unique=False)
    op.create_index("ix_meters_listed", "meters", ["id", "account_id", "meter_no"], unique=False)
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE readings")
        op.execute("ANALYZE accounts")
        op.execute("ANALYZE meters")


def downgrade() -> None:
    op.drop_index("ix_meters_listed", table_name="meters")
    op.drop_index("ix_accounts_due", table_name="accounts")
    op.create_index("ix_accounts_due", "accounts", ["id", "status", "reading_route", "service"], unique=False)
    op.drop_index("ix_readings_anomalies", table_name="readings")
    _anomalies(["period", "meter_id"])
