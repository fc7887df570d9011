"""reports: partial indexes of the open bills (unpaid or partly paid) and of the anomalous readings

The arrears ageing report reads every open bill of the store; on a big store those are a sixth of the
bills, and a full scan reads every bill's wide row. ix_bills_open holds only the open ones and every
column ageing needs, so the report reads the index alone. The readings report lists the readings
with zero usage, a roll-over or usage above three times the usual: a few in a hundred, found through
ix_readings_anomalies instead of every reading of the year.

Revision ID: 0021_open_bills_index
Revises: 0020_readings_bank
"""
from alembic import op
import sqlalchemy as sa

revision = "0021_open_bills_index"
down_revision = "0020_readings_bank"
branch_labels = None
depends_on = None

OPEN = "status IN ('unpaid', 'partly_paid')"
HIGH_USAGE_FACTOR = 3  # app.services.billing.readings.HIGH_USAGE_FACTOR when this was written
ANOMALY = "usage = 0 OR rolled_over{rolled} OR (usual > 0 AND usage > usual * %d)" % HIGH_USAGE_FACTOR


def upgrade() -> None:
    op.create_index(
        "ix_bills_open",
        "bills",
        ["account_id", "due_date", "amount_fen", "paid_fen", "late_fee_paid_fen", "late_fee_waived", "status"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_readings_anomalies",
        "readings",
        ["period", "meter_id"],
        sqlite_where=sa.text(ANOMALY.format(rolled=" = 1")),
        postgresql_where=sa.text(ANOMALY.format(rolled="")),
    )
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE bills")
        op.execute("ANALYZE readings")


def downgrade() -> None:
    op.drop_index("ix_readings_anomalies", table_name="readings")
    op.drop_index("ix_bills_open", table_name="bills")
