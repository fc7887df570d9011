"""sync between stations and the centre: station on every row a station writes, outbox, peers

Adds `station_id` (the station that wrote the row; NULL on rows written before: the store's own
station) to the tables that lacked it, and the sync tables: identity and keys, peers' sequence
positions, the outbox of committed units, applied units' hashes (the centre), bundles held back
(after a gap, or quarantined) and conflicts (docs/SYNC.md). Adding nullable columns is cheap on
both databases: no table is rewritten.

Revision ID: 0013_sync
Revises: 0012_matter_event_rule
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_sync"
down_revision = "0012_matter_event_rule"
branch_labels = None
depends_on = None

STATION_TABLES = ("accounts", "meters", "readings", "bills", "bill_lines", "payment_allocations", "balance_entries", "matter_events")
GENESIS = "0" * 64


def upgrade() -> None:
    for table in STATION_TABLES:
        op.add_column(table, sa.Column("station_id", sa.Uuid(), nullable=True))
    op.create_table(
        "sync_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("centre_public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_identity")),
    )
    op.create_table(
        "sync_peers",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("out_seq", sa.BigInteger(), nullable=False),
        sa.Column("out_hash", sa.String(length=64), nullable=False),
        sa.Column("acked_seq", sa.BigInteger(), nullable=False),
        sa.Column("acked_hash", sa.String(length=64), nullable=False),
        sa.Column("in_seq", sa.BigInteger(), nullable=False),
        sa.Column("in_hash", sa.String(length=64), nullable=False),
        sa.Column("quarantined", sa.Text(), nullable=False),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_sync_peers")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "seq", name=op.f("pk_sync_outbox")),
    )
    op.create_table(
        "sync_applied",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "seq", name=op.f("pk_sync_applied")),
    )
    op.create_table(
        "sync_held",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("bundle", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_held")),
    )
    op.create_index(op.f("ix_sync_held_station_id"), "sync_held", ["station_id"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("base_value", sa.Text(), nullable=False),
        sa.Column("station_value", sa.Text(), nullable=False),
        sa.Column("centre_value", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.String(length=12), nullable=False),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("no", name=op.f("uq_sync_conflicts_no")),
    )


def downgrade() -> None:
    for name in ("sync_conflicts", "sync_held", "sync_applied", "sync_outbox", "sync_peers", "sync_identity"):
        op.drop_table(name)
    # A plain DROP COLUMN (SQLite 3.35+ has it): the column has no index or constraint, and a batch
    # copy of accounts or bills would trip the foreign keys of the tables that point at them.
    for table in STATION_TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN station_id')
