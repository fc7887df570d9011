"""interfaces: customer notices outbox and payment-channel statements (placeholder, filled in by the same change)

Revision ID: 0017_notices_statements
Revises: 0016_report_summaries
"""

revision = "0017_notices_statements"
down_revision = "0016_report_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
