"""Tell database errors a user can act on (locked, read-only, full, corrupted, unreachable) from bugs."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

from app.kernel.errors import StorageError
from app.kernel.messages import QT_TRANSLATE_NOOP

_SQLITE = [
    ("database is locked", QT_TRANSLATE_NOOP("messages", "The database file is in use by another program and stayed locked. Close the other CounterDesk or backup program and try again; nothing was saved.")),
    ("readonly database", QT_TRANSLATE_NOOP("messages", "The database file is read-only. Check the file's permissions or the disk, then start again; nothing was saved.")),
    ("read-only", QT_TRANSLATE_NOOP("messages", "The database file is read-only. Check the file's permissions or the disk, then start again; nothing was saved.")),
    ("disk is full", QT_TRANSLATE_NOOP("messages", "The disk is full. Free some space and try again; what was saved before is safe.")),
    ("database or disk is full", QT_TRANSLATE_NOOP("messages", "The disk is full. Free some space and try again; what was saved before is safe.")),
    ("file is not a database", QT_TRANSLATE_NOOP("messages", "The database file is damaged or is not a CounterDesk database. Restore the latest backup (see the backups folder) or ask IT.")),
    ("malformed", QT_TRANSLATE_NOOP("messages", "The database file is damaged or is not a CounterDesk database. Restore the latest backup (see the backups folder) or ask IT.")),
    ("unable to open database", QT_TRANSLATE_NOOP("messages", "The database file cannot be opened. Check that the folder exists and can be written to.")),
]

_PG = [
    ("connection refused", QT_TRANSLATE_NOOP("messages", "The hall's database server does not answer. Check the network cable or ask IT; this counter cannot save until it is back.")),
    ("could not connect", QT_TRANSLATE_NOOP("messages", "The hall's database server does not answer. Check the network cable or ask IT; this counter cannot save until it is back.")),
    ("does not exist", QT_TRANSLATE_NOOP("messages", "The database named in the connection does not exist on the server. Check the --db setting.")),
    ("password authentication failed", QT_TRANSLATE_NOOP("messages", "The database server refused the login. Check the user and password in the --db setting.")),
    ("no space left", QT_TRANSLATE_NOOP("messages", "The database server's disk is full. Ask IT; what was saved before is safe.")),
    ("server closed the connection", QT_TRANSLATE_NOOP("messages", "The connection to the hall's database server broke. Try again; nothing was half-saved.")),
]


def storage_error(exc: BaseException) -> StorageError | None:
    """The StorageError a user should see for `exc`, or None if it is not a storage problem."""
    if isinstance(exc, StorageError):
        return exc
    text = str(getattr(exc, "orig", exc) or exc).lower()
    if isinstance(exc, (OperationalError, DBAPIError)) or "sqlite" in type(exc).__module__ or "psycopg" in type(exc).__module__:
        for needle, message in _SQLITE + _PG:
            if needle in text:
                err = StorageError(message)
                err.detail = text[:300]
                return err
    return None
