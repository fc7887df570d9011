"""Only a missing file is a new store: an SQLite store file that exists but is empty, unreadable or not
a database is damage, said as such before anything is created in its place."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from app.kernel.errors import StorageError
from app.kernel.messages import QT_TRANSLATE_NOOP

SQLITE_HEADER = b"SQLite format 3\x00"

EMPTY = QT_TRANSLATE_NOOP(
    "messages",
    "The store {path} is an empty file (0 bytes). Only a missing file means a new store: an empty one is damaged (a disk problem or a copy cut short). Restore the latest backup (see the backups folder), or move the file away to start a new store. Nothing was changed.",
)
NOT_A_FILE = QT_TRANSLATE_NOOP(
    "messages", "The store {path} is not a file. Give the store's file, or a name for a new store. Nothing was changed."
)
UNREADABLE = QT_TRANSLATE_NOOP(
    "messages", "The store {path} cannot be read ({why}). Check the file's permissions and the disk. Nothing was changed."
)
NOT_SQLITE = QT_TRANSLATE_NOOP(
    "messages",
    "The store {path} is damaged or is not a CounterDesk database (it does not begin like one). Restore the latest backup (see the backups folder) or ask IT. Nothing was changed.",
)


def check_store_file(url: str) -> None:
    """Raise StorageError when `url` names an SQLite file that exists but cannot be a store; a missing
    file (a new store) and every other database pass."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise StorageError(NOT_A_FILE, path=str(path))
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError(UNREADABLE, path=str(path), why=exc.strerror or str(exc)) from exc
    if not head:
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            return  # a store just made in WAL mode: its first pages are still in the -wal file
        raise StorageError(EMPTY, path=str(path))
    if head != SQLITE_HEADER:
        raise StorageError(NOT_SQLITE, path=str(path))
