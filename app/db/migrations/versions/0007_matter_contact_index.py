"""open complaints by their first-contact time limit: an index for the due-soon and overdue queues

Revision ID: 0007_matter_contact_index
Revises: 0006_prepaid_ledger
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_matter_contact_index"
down_revision = "0006_prepaid_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    where = sa.text("state != 'closed'")
    op.create_index('ix_matters_open_contact', 'matters', ['station_id', 'contact_by', 'deadline_at', 'state'],
                    sqlite_where=where, postgresql_where=where)
    # Without statistics for the new index SQLite's planner may take it for the hall queue too
    # (measured: 240 ms instead of 4 ms at 200,000 matters); PostgreSQL's autovacuum keeps its own.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE matters")


def downgrade() -> None:
    op.drop_index('ix_matters_open_contact', table_name='matters')
