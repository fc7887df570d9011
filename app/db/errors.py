"""Tell database errors a user can act on (locked, read-only, full, corrupted, unreachable) from bugs."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

from app.kernel.errors import StorageError
from app.kernel.messages import QT_TRANSLATE_NOOP

_SQLITE = [
    (
        "database is locked",
        QT_TRANSLATE_NOOP(
            "messages",
            "The database file is in use by another program and stayed locked. Close the other CounterDesk or backup program and try again; nothing was saved.",
        ),
    ),
    (
        "readonly database",
        QT_TRANSLATE_NOOP(
            "messages", "The database file is read-only. Check the file's permissions or the disk, then start again; nothing was saved."
        ),
    ),
    (
        "read-only",
        QT_TRANSLATE_NOOP(
            "messages", "The database file is read-only. Check the file's permissions or the disk, then start again; nothing was saved."
        ),
    ),
    ("disk is full", QT_TRANSLATE_NOOP("messages", "The disk is full. Free some space and try again; what was saved before is safe.")),
    (
        "database or disk is full",
        QT_TRANSLATE_NOOP("messages", "The disk is full. Free some space and try again; what was saved before is safe."),
    ),
    (
        "file is not a database",
        QT_TRANSLATE_NOOP(
            "messages",
            "The database file is damaged or is not a CounterDesk database. Restore the latest backup (see the backups folder) or ask IT.",
        ),
    ),
    (
        "malformed",
        QT_TRANSLATE_NOOP(
            "messages",
            "The database file is damaged or is not a CounterDesk database. Restore the latest backup (see the backups folder) or ask IT.",
        ),
    ),
    (
        "unable to open database",
        QT_TRANSLATE_NOOP("messages", "The database file cannot be opened. Check that the folder exists and can be written to."),
    ),
]

_BROKEN = QT_TRANSLATE_NOOP(
    "messages",
    "The connection to the hall's database server broke (the server restarted or ended it). Nothing was half-saved; do it again: the next try reconnects.",
)
_NO_SERVER = QT_TRANSLATE_NOOP(
    "messages", "The hall's database server does not answer. Check the network cable or ask IT; this counter cannot save until it is back."
)

_PG = [
    # Order matters: the first needle found decides.
    ("lock timeout", None),  # said by _lock_message: what is waiting
    (
        "statement timeout",
        QT_TRANSLATE_NOOP(
            "messages",
            "The database server took too long to answer and the request was stopped; nothing was saved. Try again; if it happens again, ask IT.",
        ),
    ),
    ("idle-in-transaction", _BROKEN),
    ("terminating connection", _BROKEN),
    ("server closed the connection", _BROKEN),
    ("connection is closed", _BROKEN),
    ("connection is lost", _BROKEN),
    ("consuming input failed", _BROKEN),
    ("ssl connection has been closed", _BROKEN),
    ("the database system is shutting down", _BROKEN),
    (
        "the database system is starting up",
        QT_TRANSLATE_NOOP("messages", "The hall's database server is starting up. Wait a moment and try again."),
    ),
    (
        "deadlock detected",
        QT_TRANSLATE_NOOP("messages", "Two counters changed the same records at the same moment; nothing was saved. Do it again."),
    ),
    (
        "failed to resolve host",
        QT_TRANSLATE_NOOP(
            "messages", "The database server named in the connection is not known on this network. Check the host in the --db setting."
        ),
    ),
    (
        "could not translate host name",
        QT_TRANSLATE_NOOP(
            "messages", "The database server named in the connection is not known on this network. Check the host in the --db setting."
        ),
    ),
    (
        "name or service not known",
        QT_TRANSLATE_NOOP(
            "messages", "The database server named in the connection is not known on this network. Check the host in the --db setting."
        ),
    ),
    ("connection refused", _NO_SERVER),
    ("could not connect", _NO_SERVER),
    ("timeout expired", _NO_SERVER),
    ("no route to host", _NO_SERVER),
    ('role "', QT_TRANSLATE_NOOP("messages", "The database server has no login of that name. Check the user in the --db setting.")),
    (
        "password authentication failed",
        QT_TRANSLATE_NOOP("messages", "The database server refused the login. Check the user and password in the --db setting."),
    ),
    (
        "no password supplied",
        QT_TRANSLATE_NOOP("messages", "The database server refused the login. Check the user and password in the --db setting."),
    ),
    (
        'database "',
        QT_TRANSLATE_NOOP("messages", "The database named in the connection does not exist on the server. Check the --db setting."),
    ),
    ("no space left", QT_TRANSLATE_NOOP("messages", "The database server's disk is full. Ask IT; what was saved before is safe.")),
]

# What a statement that waited too long for a lock was waiting for, by the table it names.
_LOCKED = [
    (
        "number_sequences",
        QT_TRANSLATE_NOOP(
            "messages",
            "Another counter is holding the receipt and work-order numbers and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, that counter has probably frozen: finish or close CounterDesk there.",
        ),
    ),
    (
        "audit_head",
        QT_TRANSLATE_NOOP(
            "messages",
            "Another counter is holding the audit log and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, that counter has probably frozen: finish or close CounterDesk there.",
        ),
    ),
    (
        "accounts",
        QT_TRANSLATE_NOOP(
            "messages",
            "Another counter is working on this account and has not finished for {seconds} s; nothing was saved. Try again in a moment.",
        ),
    ),
]
_LOCKED_ANY = QT_TRANSLATE_NOOP(
    "messages",
    "Another counter is holding records this one needs and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, a counter has probably frozen: finish or close CounterDesk there.",
)


def _lock_message(exc: BaseException) -> StorageError:
    from app.db.engine import lock_timeout_ms

    statement = (getattr(exc, "statement", "") or "").lower()
    seconds = max(1, lock_timeout_ms() // 1000)
    for table, message in _LOCKED:
        if table in statement:
            return StorageError(message, seconds=seconds)
    return StorageError(_LOCKED_ANY, seconds=seconds)


def storage_error(exc: BaseException) -> StorageError | None:
    """The StorageError a user should see for `exc`, or None if it is not a storage problem."""
    if isinstance(exc, StorageError):
        return exc
    text = str(getattr(exc, "orig", exc) or exc).lower()
    module = type(getattr(exc, "orig", None) or exc).__module__
    if isinstance(exc, (OperationalError, DBAPIError)) or "sqlite" in module or "psycopg" in module:
        for needle, message in _SQLITE + _PG:
            if needle in text:
                err = _lock_message(exc) if message is None else StorageError(message)
                err.detail = text[:300]
                return err
    return None
