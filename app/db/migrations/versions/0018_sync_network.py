"""sync over the network: the centre's record of each station's link and the nonces of signed requests (placeholder, filled in by the same change)

Revision ID: 0018_sync_network
Revises: 0017_notices_statements
"""

revision = "0018_sync_network"
down_revision = "0017_notices_statements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
