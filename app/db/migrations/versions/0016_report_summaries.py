"""reports: summary tables kept with the transactions (placeholder, filled in by the same change)

Revision ID: 0016_report_summaries
Revises: 0015_report_indexes
"""

revision = "0016_report_summaries"
down_revision = "0015_report_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
