"""reports: readings keep the average their high-usage check saw (usual); indexes by period and time

Readings get `usual`, the register's average usage over its (up to six) readings before, as the
high-usage check at entry computes it; older readings get it from the same rule here, so the readings
report counts "far above usual" with one aggregate instead of each register's history. Readings and
bills get an index by period, payments one by time: the reports' ranges.

Revision ID: 0015_report_indexes
Revises: 0014_shift_sign_off_note
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_report_indexes"
down_revision = "0014_shift_sign_off_note"
branch_labels = None
depends_on = None

AVERAGE_PERIODS = 6  # app.services.billing.readings.AVERAGE_PERIODS when this was written


def upgrade() -> None:
    with op.batch_alter_table("readings") as batch:
        batch.add_column(sa.Column("usual", sa.BigInteger(), nullable=True))
    op.execute(f"""
        UPDATE readings SET usual = (
            SELECT CAST(ROUND(avg(usage)) AS BIGINT) FROM (
                SELECT r2.usage FROM readings r2
                WHERE r2.meter_id = readings.meter_id AND r2.register = readings.register AND r2.period < readings.period
                ORDER BY r2.period DESC LIMIT {AVERAGE_PERIODS}) AS earlier)
    """)
    op.create_index("ix_readings_period", "readings", ["period"])
    op.create_index("ix_bills_period", "bills", ["period", "status"])
    op.create_index("ix_payments_created", "payments", ["created_at"])
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE readings")
        op.execute("ANALYZE bills")
        op.execute("ANALYZE payments")


def downgrade() -> None:
    op.drop_index("ix_payments_created", table_name="payments")
    op.drop_index("ix_bills_period", table_name="bills")
    op.drop_index("ix_readings_period", table_name="readings")
    with op.batch_alter_table("readings") as batch:
        batch.drop_column("usual")
