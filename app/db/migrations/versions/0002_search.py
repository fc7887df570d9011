"""search index: one row per account, B-tree prefixes, FTS5 trigram (SQLite) / pg_trgm (PostgreSQL)

Revision ID: 0002_search
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_search"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

PREFIX_COLUMNS = ("account_no", "name", "name_pinyin", "name_initials", "phone", "phone_rev", "phone2_rev", "id_rev")


def upgrade() -> None:
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("account_no", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_pinyin", sa.String(length=300), nullable=False),
        sa.Column("name_initials", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("phone_rev", sa.String(length=30), nullable=False),
        sa.Column("phone2_rev", sa.String(length=30), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("id_rev", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=420), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index")),
    )
    op.create_index(op.f("ix_search_index_customer_id"), "search_index", ["customer_id"])
    op.create_index(op.f("ix_search_index_account_id"), "search_index", ["account_id"])
    for col in PREFIX_COLUMNS:
        op.create_index(f"ix_search_index_{col}", "search_index", [col], postgresql_ops={col: "text_pattern_ops"})

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(name, address, content='search_index', "
            "content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
            "INSERT INTO search_fts(rowid, name, address) VALUES (new.id, new.name, new.address); END"
        )
        op.execute(
            "CREATE TRIGGER search_index_ad AFTER DELETE ON search_index BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, name, address) VALUES ('delete', old.id, old.name, old.address); END"
        )
        op.execute(
            "CREATE TRIGGER search_index_au AFTER UPDATE ON search_index BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, name, address) VALUES ('delete', old.id, old.name, old.address); "
            "INSERT INTO search_fts(rowid, name, address) VALUES (new.id, new.name, new.address); END"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_search_index_name_trgm ON search_index USING gin (name gin_trgm_ops)")
        op.execute("CREATE INDEX ix_search_index_address_trgm ON search_index USING gin (address gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_index_au")
        op.execute("DROP TRIGGER IF EXISTS search_index_ad")
        op.execute("DROP TRIGGER IF EXISTS search_index_ai")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_index")
