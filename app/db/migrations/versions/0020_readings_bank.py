"""interfaces: meter readings import staging, bank mandates and bank collection files (placeholder, filled in by the same change)

Revision ID: 0020_readings_bank
Revises: 0019_sync_audience
"""

revision = "0020_readings_bank"
down_revision = "0019_sync_audience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
