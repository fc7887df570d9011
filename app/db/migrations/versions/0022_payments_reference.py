"""interfaces: index of payments by their terminal or transaction reference

A payment-channel statement is matched to counter payments by reference (docs/INTERFACES.md); on a
big store a search by reference without an index reads every payment.

Revision ID: 0022_payments_reference
Revises: 0021_open_bills_index
"""
from alembic import op

revision = "0022_payments_reference"
down_revision = "0021_open_bills_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_payments_reference", "payments", ["reference"], unique=False)
    # The planner needs statistics for new indexes on big tables (docs/DEVELOPING.md, Migrations).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE payments")


def downgrade() -> None:
    op.drop_index("ix_payments_reference", table_name="payments")
