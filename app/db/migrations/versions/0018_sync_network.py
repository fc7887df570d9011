"""sync over the network: the centre's record of each station's link and the nonces of signed requests

`sync_links` holds, at the centre, what the sync service knows of each station's link (last
request, last exchange, the unit the station last said it has, counts, the last refusal, a revoked
key); `sync_nonces` the nonces of signed requests inside the clock-skew window, so that a captured
request cannot be replayed (docs/SYNC.md, Sync over the network). Two new tables, nothing rewritten.

Revision ID: 0018_sync_network
Revises: 0017_notices_statements
"""
from alembic import op
import sqlalchemy as sa

revision = "0018_sync_network"
down_revision = "0017_notices_statements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_links",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(), nullable=True),
        sa.Column("last_exchange_at", sa.DateTime(), nullable=True),
        sa.Column("reported_seq", sa.BigInteger(), nullable=False),
        sa.Column("exchanges", sa.Integer(), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_sync_links")),
    )
    op.create_table(
        "sync_nonces",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "nonce", name=op.f("pk_sync_nonces")),
    )
    op.create_index(op.f("ix_sync_nonces_seen_at"), "sync_nonces", ["seen_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_nonces_seen_at"), table_name="sync_nonces")
    op.drop_table("sync_nonces")
    op.drop_table("sync_links")
