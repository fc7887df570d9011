"""search indexes: full-text (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and tails

Revision ID: 0002_search
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_search"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
