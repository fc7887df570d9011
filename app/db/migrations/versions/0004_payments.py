"""payments, receipts, shifts

Revision ID: 0004_payments
Revises: 0003_billing
"""
from alembic import op
import sqlalchemy as sa
import app.models.types

revision = "0004_payments"
down_revision = "0003_billing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
