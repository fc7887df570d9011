"""sync: the downlink's audience index (placeholder, filled in by the same change)

Revision ID: 0019_sync_audience
Revises: 0018_sync_network
"""

revision = "0019_sync_audience"
down_revision = "0018_sync_network"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
