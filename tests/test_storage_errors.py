"""A locked, read-only, full or damaged SQLite file gives a message that says what to do,
and loses no committed data."""

from __future__ import annotations

import sqlite3
from argparse import Namespace

import pytest
from sqlalchemy import func, select

from app.commands.common import open_database
from app.db.engine import Database
from app.kernel.errors import StorageError
from app.models import Clerk
from app.services import auth


def _args(url: str) -> Namespace:
    return Namespace(db=url, demo=False)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.sqlite"
    db = open_database(_args(f"sqlite:///{path}"))
    auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    return path, db


def test_damaged_file_says_so(tmp_path):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"this is not a database, it was overwritten by something" * 100)
    with pytest.raises(StorageError) as err:
        open_database(_args(f"sqlite:///{path}"))
    assert "damaged" in err.value.message and "backup" in err.value.message


def test_locked_file_says_so_and_keeps_committed_data(store, monkeypatch):
    path, db = store
    monkeypatch.setenv("COUNTERDESK_SQLITE_BUSY_MS", "200")
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        locked_db = Database(f"sqlite:///{path}")
        with pytest.raises(StorageError) as err:
            auth.login(locked_db, "admin", "admin123")
        assert "locked" in err.value.message and "nothing was saved" in err.value.message
    finally:
        blocker.rollback()
        blocker.close()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Clerk)) == 1


def test_read_only_file_says_so(store):
    path, db = store
    db.dispose()
    ro = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StorageError) as err:
        auth.login(ro, "admin", "admin123")  # login writes (audit entry)
    assert "read-only" in err.value.message


def test_full_disk_says_so_and_rolls_back(store):
    path, db = store
    actor = auth.get_actor(db, "admin")
    raw = sqlite3.connect(str(path))
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()

    full = Database(f"sqlite:///{path}")

    from sqlalchemy import event

    @event.listens_for(full.engine, "connect")
    def _cap(dbapi_conn, _rec):  # the file may not grow: as if the disk were full
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(StorageError) as err:
        for i in range(200):
            auth.create_clerk(full, actor, f"clerk{i}", "营业员" * 10, "secret99", "clerk", f"9{i:03d}")
    assert "full" in err.value.message
    with db.read() as s:
        saved = s.scalar(select(func.count()).select_from(Clerk))
    assert saved >= 1  # what was committed before is still there
