"""sync: the downlink's audience index

`sync_audience` (station, unit of the centre's log): which stations a unit of the centre's log is for,
so that a station's answer reads only its own units (docs/SYNC.md, The downlink). The units a
centre already has are indexed for every station (the nil id): the answer still cuts each one down to
what the station needs, so nothing is lost; new units are indexed by their audience.

Balance entries get an index by bill: recomputing a bill's paid amount where a station's bundle
meets the centre sums its balance deductions (without it, a scan of the whole ledger per bundle).

Revision ID: 0019_sync_audience
Revises: 0018_sync_network
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0019_sync_audience"
down_revision = "0018_sync_network"
branch_labels = None
depends_on = None

EVERYONE = uuid.UUID(int=0)


def upgrade() -> None:
    audience = op.create_table(
        "sync_audience",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "seq", name=op.f("pk_sync_audience")),
    )
    op.create_index(op.f("ix_balance_entries_bill_id"), "balance_entries", ["bill_id"])
    identity = sa.table("sync_identity", sa.column("role", sa.String()), sa.column("station_id", sa.Uuid()))
    outbox = sa.table("sync_outbox", sa.column("station_id", sa.Uuid()), sa.column("seq", sa.BigInteger()))
    conn = op.get_bind()
    centre = conn.execute(sa.select(identity.c.station_id).where(identity.c.role == "centre")).scalar()
    if centre is not None:
        conn.execute(
            sa.insert(audience).from_select(
                ["station_id", "seq"],
                sa.select(sa.literal(EVERYONE, sa.Uuid()), outbox.c.seq).where(outbox.c.station_id == centre),
            )
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_balance_entries_bill_id"), table_name="balance_entries")
    op.drop_table("sync_audience")
