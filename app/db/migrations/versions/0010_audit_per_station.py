"""audit log: one hash chain per station

The one `audit_head` row (id 1) that serialised every write of every station becomes one row
per station (keyed by station_id), and entries are numbered per station: (station_id, seq) is
unique instead of seq alone, and station_id is required. Existing entries keep their seq, their
hash and (where they had one) their station: until now a store had one station, so its whole
chain becomes that station's chain from seq 1, and the old head row becomes that station's head.
Entries written without a station (tariffs imported on a store's first use) join that chain
too, marked station_in_hash = false because their hash covered no station; a store with no
station at all keeps its chain under the "no station" key (the nil UUID). A store whose old chain
mixes several stations cannot be split without re-hashing: each station's head becomes its last
entry, and `audit verify` names where such a chain does not hold.

Revision ID: 0010_audit_per_station
Revises: 0009_document_prints
"""
import uuid

from alembic import op
import sqlalchemy as sa

revision = "0010_audit_per_station"
down_revision = "0009_document_prints"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
NO_STATION = uuid.UUID(int=0)


def upgrade() -> None:
    bind = op.get_bind()
    log = sa.table("audit_log", sa.column("station_id", sa.Uuid()), sa.column("seq", sa.BigInteger()),
                   sa.column("hash", sa.String()), sa.column("station_in_hash", sa.Boolean()))
    op.add_column("audit_log", sa.Column("station_in_hash", sa.Boolean(), nullable=False, server_default=sa.true()))
    old_head = bind.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    stations = [r[0] for r in bind.execute(sa.select(log.c.station_id).where(log.c.station_id.is_not(None)).distinct())]
    if bind.execute(sa.select(sa.func.count()).select_from(log).where(log.c.station_id.is_(None))).scalar():
        home = stations[0] if stations else bind.execute(
            sa.select(sa.column("id", sa.Uuid())).select_from(sa.table("stations")).order_by(sa.column("created_at")).limit(1)).scalar()
        home = home or NO_STATION
        bind.execute(sa.update(log).where(log.c.station_id.is_(None)).values(station_id=home, station_in_hash=False))
        if home not in stations:
            stations.append(home)
    heads = []
    if len(stations) == 1 and old_head is not None:
        heads.append({"station_id": stations[0], "seq": old_head[0], "hash": old_head[1]})
    else:
        for station in stations:
            seq, last = bind.execute(sa.select(log.c.seq, log.c.hash).where(log.c.station_id == station)
                                     .order_by(log.c.seq.desc()).limit(1)).one()
            heads.append({"station_id": station, "seq": seq, "hash": last})

    op.drop_table("audit_head")
    head = op.create_table(
        "audit_head",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_audit_head")),
    )
    if heads:
        op.bulk_insert(head, heads)

    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_seq", type_="unique")
        batch.alter_column("station_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_log_station_id_seq"), ["station_id", "seq"])


def downgrade() -> None:
    """Back to one chain: possible while the store holds one station's chain only."""
    bind = op.get_bind()
    heads = bind.execute(sa.text("SELECT seq, hash FROM audit_head")).all()
    stations = bind.execute(sa.text("SELECT COUNT(DISTINCT station_id) FROM audit_log WHERE station_in_hash = :t"), {"t": True}).scalar()
    if len(heads) > 1 or stations > 1:
        raise RuntimeError("the audit chains of several stations cannot be merged back into one chain")
    seq, last = heads[0] if heads else (0, GENESIS)
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(op.f("uq_audit_log_station_id_seq"), type_="unique")
        batch.alter_column("station_id", existing_type=sa.Uuid(), nullable=True)
        batch.create_unique_constraint(op.f("uq_audit_log_seq"), ["seq"])
    bind.execute(sa.text("UPDATE audit_log SET station_id = NULL WHERE station_in_hash = :f"), {"f": False})
    op.drop_column("audit_log", "station_in_hash")
    op.drop_table("audit_head")
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": seq, "hash": last}])
