"""The Alembic chain builds exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db.migrate import current_revision, head_from_files, head_revision, upgrade
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


FUTURE = "0099_from_a_newer_counterdesk"


def _pretend_newer(db, revision: str) -> None:
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_store_from_a_newer_counterdesk_is_refused_and_left_alone(db, admin, tmp_path):
    import pytest
    from sqlalchemy import func, select

    from app.kernel.errors import StorageError
    from app.models import Clerk

    _pretend_newer(db, FUTURE)
    try:
        with pytest.raises(StorageError) as err:
            upgrade(db.engine, tmp_path / "backups")
        assert "newer CounterDesk" in err.value.text() and FUTURE in err.value.text()
        assert "nothing was changed" in err.value.text()
        assert current_revision(db.engine) == FUTURE  # not touched
        assert not (tmp_path / "backups").exists()  # no backup: nothing was about to change
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Clerk)) == 1
    finally:
        _pretend_newer(db, head_revision())  # the PostgreSQL database is shared by the run's tests


def test_newer_store_on_the_command_line_is_a_message_not_a_traceback(tmp_path, capsys):
    from app.cli import main
    from app.db.engine import Database

    path = tmp_path / "newer.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    _pretend_newer(db, FUTURE)
    db.dispose()
    assert main(["--db", f"sqlite:///{path}", "--lang", "en", "find", "张", "--json"]) == 2
    err = capsys.readouterr().err
    assert f"written by a newer CounterDesk (schema {FUTURE})" in err
    assert "Traceback" not in err and "Can't locate revision" not in err


def test_newer_store_message_is_chinese_by_default(tmp_path, capsys, monkeypatch):
    from app.cli import main
    from app.db.engine import Database

    monkeypatch.delenv("COUNTERDESK_LANG", raising=False)
    path = tmp_path / "newer.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    _pretend_newer(db, FUTURE)
    db.dispose()
    try:
        assert main(["--db", f"sqlite:///{path}", "audit", "verify"]) == 2
    finally:
        from app import i18n

        i18n.install("en")
    err = capsys.readouterr().err
    assert "较新版本" in err and FUTURE in err and "Traceback" not in err


def test_head_read_from_the_files_is_alembics_head():
    # start-up compares the store with head_from_files() so that it need not import Alembic
    import subprocess
    import sys

    assert head_from_files() == head_revision()
    # found without Alembic (a line the pattern missed would leave several heads and fall back to it)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.db.migrate import head_from_files; head_from_files(); print('alembic' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
