"""The Alembic chain builds exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db.migrate import current_revision, head_revision, upgrade
from app.models.base import Base


def test_migrated_schema_matches_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    # Search helpers may live outside the models (FTS tables, trigram indexes): only model tables count.
    diff = [d for d in diff if not (d[0] in ("remove_table", "remove_index") and _is_search_object(d))]
    assert diff == []
    assert current_revision(db.engine) == head_revision()


def _is_search_object(d) -> bool:
    obj = d[1]
    name = getattr(obj, "name", "") or ""
    return "search" in name or "fts" in name or "trgm" in name


def test_upgrade_backs_up_sqlite_file_before_migrating(tmp_path):
    from app.db.engine import Database

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}")
    from alembic import command

    from app.db.migrate import alembic_config

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_foundation")
    backup = upgrade(db.engine, tmp_path / "backups")
    assert backup is not None and backup.exists() and backup.stat().st_size > 0
    assert current_revision(db.engine) == head_revision()
    assert upgrade(db.engine, tmp_path / "backups") is None  # nothing to do, no new backup
    db.dispose()
