"""Issue 12, PostgreSQL under faults: a counter frozen while holding the receipt numbers stops no one for
long and the waiting clerk is told what is held; an ended connection is said plainly and the next action
reconnects; a login the server does not know is not called a missing database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.db.engine import Database
from app.kernel.errors import StorageError
from app.models import Payment
from app.services import auth
from app.services.payments import posting
from tests.test_payments_core import owing  # noqa: F401  (fixture: an account with two unpaid bills, zhangli's shift open)


@pytest.fixture
def pg_db(db):
    """The `db` fixture's PostgreSQL run only (the clerks and accounts of the other fixtures live there)."""
    if not db.is_postgresql:
        pytest.skip("PostgreSQL only")
    return db


@pytest.fixture
def other_counter(pg_db):
    """A second connection to the same database, as another counter (or psql) would hold one."""
    engine = create_engine(pg_db.url, isolation_level="AUTOCOMMIT")
    conn = engine.connect()
    yield conn
    conn.close()
    engine.dispose()


def _count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Payment))


def test_a_frozen_counter_holding_the_receipt_numbers_is_named_not_waited_for(pg_db, clerk, owing, other_counter, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COUNTERDESK_PG_LOCK_TIMEOUT_MS", "700")
    posting.post_payment(pg_db, clerk, owing, "10", "cash", "first", "10")  # the station's receipt sequence exists
    counter = Database(pg_db.url)  # connections made with the short lock timeout
    try:
        other_counter.execute(text("BEGIN"))
        other_counter.execute(text("SELECT * FROM number_sequences FOR UPDATE"))  # took a number, then froze
        outcome = []

        def pay() -> None:
            try:
                outcome.append(posting.post_payment(counter, clerk, owing, "10", "cash", "second", "10"))
            except Exception as exc:  # noqa: BLE001
                outcome.append(exc)

        worker = threading.Thread(target=pay)
        worker.start()
        worker.join(15)  # without a lock timeout it would wait for the frozen counter for ever
        stuck = worker.is_alive()
        other_counter.execute(text("ROLLBACK")) if stuck else None
        worker.join()
        assert not stuck, "the payment waited for the frozen counter with no limit"
        assert isinstance(outcome[0], StorageError), outcome
        err = type("E", (), {"value": outcome[0]})
        assert "holding the receipt and work-order numbers" in err.value.text() and "nothing was saved" in err.value.text()
        other_counter.execute(text("ROLLBACK"))
        assert posting.post_payment(counter, clerk, owing, "10", "cash", "second", "10").receipt_no.endswith("000002")
    finally:
        counter.dispose()
    assert _count(pg_db) == 2


def test_a_counter_frozen_inside_a_transaction_is_ended_by_the_server(pg_db, admin, monkeypatch):
    monkeypatch.setenv("COUNTERDESK_PG_IDLE_IN_TRANSACTION_MS", "500")
    frozen = Database(pg_db.url)
    try:
        conn = frozen.engine.connect()
        conn.execute(text("SELECT 1"))  # a transaction begun and left open
        import time

        time.sleep(1.5)
        with pytest.raises(DBAPIError):  # the server ended the session
            conn.execute(text("SELECT 1"))
        conn.close()
        with frozen.read() as s:  # and the counter works again at the next action
            assert s.scalar(text("SELECT 1")) == 1
    finally:
        frozen.dispose()


def _terminate(other_counter, db) -> int:
    return other_counter.execute(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND application_name LIKE 'CounterDesk@%'"
        )
    ).scalar()


def test_an_ended_connection_reconnects_at_the_next_action(pg_db, admin, other_counter):
    with pg_db.read() as s:
        s.scalar(text("SELECT 1"))  # a pooled connection now exists
    assert _terminate(other_counter, pg_db) >= 1  # pg_terminate_backend, as a server restart does
    assert auth.login(pg_db, "admin", "admin123").role == "admin"  # the ping finds it dead and reconnects


def test_a_connection_ended_mid_action_is_said_and_the_next_action_works(pg_db, admin, other_counter):
    with pytest.raises(StorageError) as err:
        with pg_db.write() as s:
            s.execute(text("SELECT 1"))
            _terminate(other_counter, pg_db)
            s.execute(text("SELECT 1"))
    assert "connection to the hall's database server broke" in err.value.text()
    assert auth.login(pg_db, "admin", "admin123").role == "admin"


def test_an_unknown_login_is_not_called_a_missing_database(pg_db):
    import argparse

    from app.commands.common import open_database

    url = make_url(pg_db.url)
    for changed, says, not_says in (
        (url.set(username="no_such_role_x"), "no login of that name", "does not exist"),
        (url.set(database="no_such_database_x"), "does not exist on the server", "no login"),
        (url.set(host="no-such-host.invalid"), "not known on this network", "does not exist"),
    ):
        with pytest.raises(StorageError) as err:
            open_database(argparse.Namespace(db=changed.render_as_string(hide_password=False), demo=False))
        assert says in err.value.text() and not_says not in err.value.text(), changed


def test_connections_carry_the_timeouts_and_the_counters_name(pg_db):
    with pg_db.read() as s:
        assert s.scalar(text("SHOW lock_timeout")) != "0"
        assert s.scalar(text("SHOW statement_timeout")) != "0"
        assert s.scalar(text("SHOW idle_in_transaction_session_timeout")) != "0"
        assert s.scalar(text("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")).startswith("CounterDesk@")
