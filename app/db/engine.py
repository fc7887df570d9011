"""Engines and session factories for SQLite (default) and PostgreSQL (several counters).

No module-level engine: app/main.py or the CLI builds a Database and passes it on.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db import outbox


def _busy_timeout_ms() -> int:
    """How long a counter waits for another counter's write lock before telling the clerk."""
    try:
        return int(os.environ.get("COUNTERDESK_SQLITE_BUSY_MS", "10000"))
    except ValueError:
        return 10000


def _env_ms(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, str(default))))
    except ValueError:
        return default


def lock_timeout_ms() -> int:
    """How long a PostgreSQL statement waits for a row another counter holds (the receipt numbers, the
    audit head, an account) before the clerk is told what is waiting: the same as SQLite's busy timeout."""
    return _env_ms("COUNTERDESK_PG_LOCK_TIMEOUT_MS", _busy_timeout_ms())


def pg_session_options() -> str:
    """Server settings of every PostgreSQL connection: a lock wait and a statement have a limit, and a
    counter that froze inside a transaction (holding the receipt numbers) is ended by the server, so
    its locks go and the other counters carry on."""
    statement = _env_ms("COUNTERDESK_PG_STATEMENT_TIMEOUT_MS", 300_000)
    idle = _env_ms("COUNTERDESK_PG_IDLE_IN_TRANSACTION_MS", 120_000)
    return f"-c lock_timeout={lock_timeout_ms()} -c statement_timeout={statement} -c idle_in_transaction_session_timeout={idle}"


def application_name() -> str:
    """Shown in pg_stat_activity, so IT sees which counter holds what: CounterDesk@HOST."""
    import socket

    return f"CounterDesk@{socket.gethostname()}"[:63]


def _sqlite_connect(dbapi_conn, _record) -> None:
    # We issue BEGIN ourselves (see _sqlite_begin) so write transactions can take
    # the write lock up front; pysqlite's implicit BEGIN cannot.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={_busy_timeout_ms()}")
    mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()
    del mode


def _sqlite_begin(conn) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


# Tables whose text is made by the program (hash chain, JSON), not typed by anyone.
_MACHINE_TEXT_TABLES = frozenset({"audit_log", "audit_head", "alembic_version", "tariffs"})
_MACHINE_TEXT_PREFIXES = ("sync_",)  # bundles from other counters, kept as received


def _refuse_hidden_characters(session: Session, _flush_context, _instances) -> None:
    """Every text value a flush writes (new rows, and the changed columns of changed rows) is checked
    with app.kernel.text: control characters, bidi overrides and zero-width characters are refused
    at their column (String columns are one line; Text columns may keep newlines and tabs). The
    services check their fields first with the same rule; this catches a field any of them missed."""
    from sqlalchemy import String, Text
    from sqlalchemy import inspect as sa_inspect

    from app.kernel.text import text_problem

    for obj in list(session.new) + list(session.dirty):
        state = sa_inspect(obj)
        mapper = state.mapper
        table = getattr(mapper.local_table, "name", "") or ""
        if table in _MACHINE_TEXT_TABLES or table.startswith(_MACHINE_TEXT_PREFIXES):
            continue
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if not isinstance(column.type, String):
                continue
            if state.key is None or obj in session.new:
                values = [getattr(obj, prop.key, None)]
            else:
                values = list(state.attrs[prop.key].history.added or ())
            for value in values:
                if isinstance(value, str) and not value.isascii() or isinstance(value, str) and not value.isprintable():
                    err = text_problem(value, prop.key, multiline=isinstance(column.type, Text))
                    if err is not None:
                        raise err


def make_engine(url: str, **kwargs) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": _busy_timeout_ms() / 1000, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # A connection the server ended (restart, pg_terminate_backend, an idle timeout) is found by the
    # ping when it is next taken from the pool and replaced, so the next action reconnects.
    # `ping_idle_s` (the sync service's worker processes): only a connection that sat in the pool
    # at least that long is pinged; one used moments ago is not (a round trip saved per transaction).
    ping_idle_s = kwargs.pop("ping_idle_s", None)
    kwargs.setdefault("pool_pre_ping", ping_idle_s is None)
    connect_args = dict(kwargs.pop("connect_args", {}) or {})
    if "options" not in parsed.query and "options" not in connect_args:
        connect_args["options"] = pg_session_options()
    if "application_name" not in parsed.query:
        connect_args.setdefault("application_name", application_name())
    connect_args.setdefault("connect_timeout", _env_ms("COUNTERDESK_PG_CONNECT_TIMEOUT_MS", 10000) // 1000 or 1)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if ping_idle_s is not None:
        _ping_when_idle(engine, float(ping_idle_s))
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Ping a pooled connection at checkout only when it sat idle at least `idle_s` seconds; a dead
    one is replaced (DisconnectionError: the pool connects anew). A connection the server ended
    within the window fails its action once; the pool then replaces the connections it held."""
    from sqlalchemy.exc import DisconnectionError

    def stamp(_dbapi_conn, record, *_args) -> None:
        record.info["cd_idle_since"] = time.monotonic()

    def checkout(dbapi_conn, record, _proxy) -> None:
        since = record.info.get("cd_idle_since")
        if since is not None and time.monotonic() - since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001  (any failure: the connection is replaced)
            raise DisconnectionError(str(exc)) from exc

    event.listen(engine, "connect", stamp)
    event.listen(engine, "checkin", stamp)
    event.listen(engine, "checkout", checkout)


def _raise_storage_error(exc: BaseException) -> None:
    from app.db.errors import storage_error
    from app.kernel.errors import StorageError

    if isinstance(exc, StorageError) or not isinstance(exc, Exception):
        return
    err = storage_error(exc)
    if err is not None:
        raise err from exc


class Database:
    """One database: engine, and a session factory for reads and one for writes.

    `write()` is one unit of work: commit on success, roll back on any exception.
    On SQLite it takes the write lock at BEGIN (BEGIN IMMEDIATE), so two counters
    never deadlock upgrading a read lock. Database errors a user can act on (locked,
    read-only, full, damaged, server gone) leave both as StorageError with a message
    that says what to do; anything else is a bug and propagates unchanged.
    """

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgresql = self.engine.dialect.name == "postgresql"
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        write_bind = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._write_bind = write_bind
        self._write = sessionmaker(bind=write_bind, expire_on_commit=False)
        event.listen(self._write, "before_flush", _refuse_hidden_characters)
        outbox.install(self._write)  # a store that syncs records every unit of work (docs/SYNC.md)
        self._shared = threading.local()  # one_read()'s session, per thread

    @property
    def describe(self) -> str:
        """Where the data is, for the status bar: a file path or host/database."""
        parsed = make_url(self.url)
        if self.is_sqlite:
            return str(parsed.database)
        return f"{parsed.host or 'localhost'}/{parsed.database}"

    @contextmanager
    def read(self) -> Iterator[Session]:
        shared = getattr(self._shared, "session", None)
        if shared is not None:  # inside one_read(): this thread's reads share one transaction
            try:
                yield shared
            except Exception as exc:
                _raise_storage_error(exc)
                raise
            return
        session = self._read()
        try:
            yield session
        except Exception as exc:
            _raise_storage_error(exc)
            raise
        finally:
            # close() ends the transaction and detaches what was loaded without expiring it,
            # so plain values read inside the block stay readable after it.
            session.close()

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """Every read() of this thread inside the block uses one session and one transaction: a
        screen that fills several panels pays for one BEGIN and ROLLBACK, not one per panel (on
        PostgreSQL each is a round trip), and sees one moment of the data. Writes are unaffected."""
        if getattr(self._shared, "session", None) is not None:
            yield
            return
        with self.read() as session:
            self._shared.session = session
            try:
                yield
            finally:
                self._shared.session = None

    @contextmanager
    def pinned(self) -> Iterator[Connection]:
        """One pooled connection kept for a series of units of work (`write(on=...)`): for a writer
        that must compare what the database says between its units (issuing's PRAGMA data_version,
        app.services.billing.issuing), which only one connection's successive answers tell."""
        with self._write_bind.connect() as conn:
            yield conn

    @contextmanager
    def write(self, on: Connection | None = None) -> Iterator[Session]:
        """One unit of work; `on`, a connection from pinned(), runs it on that connection."""
        session = self._write(bind=on) if on is not None else self._write()
        sync_token = outbox.begin(self, session)
        try:
            yield session
            outbox.before_commit(session)
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # noqa: BLE001  (the original error is the one to report)
                pass
            _raise_storage_error(exc)
            raise
        finally:
            outbox.end(sync_token)
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
