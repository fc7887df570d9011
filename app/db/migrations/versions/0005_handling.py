"""matters (work orders), history, outages

Revision ID: 0005_handling
Revises: 0004_payments
"""
from alembic import op
import sqlalchemy as sa
import app.models.types

revision = "0005_handling"
down_revision = "0004_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
