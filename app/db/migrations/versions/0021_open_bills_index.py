"""reports: a partial index of the open bills (unpaid or partly paid), with what ageing reads

The arrears ageing report and the reminders read every open bill of the store; on a big store those
are a sixth of the bills, and a full scan reads every bill's wide row. The index holds only the open
ones and every column ageing needs, so the report reads the index alone.

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


def upgrade() -> None:
    op.create_index(
        "ix_bills_open",
        "bills",
        ["account_id", "due_date", "amount_fen", "paid_fen", "late_fee_paid_fen", "late_fee_waived", "status"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE bills")


def downgrade() -> None:
    op.drop_index("ix_bills_open", table_name="bills")
