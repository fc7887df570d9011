"""Shared fixtures: a real SQLite file and a real PostgreSQL database, both migrated by Alembic.

`db` runs a test on both back ends (parametrized); `sqlite_db` / `pg_db` pick one.
PostgreSQL: one throwaway database per test run on 127.0.0.1:5432, emptied between
tests. Without a server the PostgreSQL cases skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTERDESK_LANG", "en")

import pytest
from sqlalchemy import create_engine, text

from app.db.engine import Database
from app.db.migrate import upgrade
from app.kernel.context import Actor
from app.models.base import Base
from app.services import auth


def _children() -> dict[int, str]:
    """This process's child processes (Linux), pid -> command line, without multiprocessing's
    resource tracker and fork server (each ends by itself when this process does)."""
    from pathlib import Path

    found: dict[int, str] = {}
    try:
        tasks = list(Path(f"/proc/{os.getpid()}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            pids = [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
        for pid in pids:
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                continue
            if "multiprocessing.resource_tracker" not in cmd and "multiprocessing.forkserver" not in cmd:
                found[pid] = cmd
    return found


def pytest_sessionfinish(session, exitstatus):
    """No test may leave a child process behind: one that outlives the suite keeps CI waiting for
    the output to close (a sync worker that ignored SIGTERM once held the run until CI's time-out).
    Whatever is left after a few seconds is killed, named, and fails the run."""
    import signal
    import time

    deadline = time.monotonic() + 10
    left = _children()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _children()
    if not left:
        return
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    print("\nchild processes left running after the tests (killed):", file=sys.stderr)
    for pid, cmd in left.items():
        print(f"  {pid}: {cmd[:300]}", file=sys.stderr)
    session.exitstatus = 1


PG_ADMIN_URL = os.environ.get("COUNTERDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session", autouse=True)
def _qapp_first(qapp):
    """One QApplication before anything else: the CLI (run in-process by tests) would otherwise
    create a QCoreApplication for its translations, and a later QApplication would abort."""
    return qapp


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder (archives, backups, settings)."""
    path = tmp_path / "userdata"
    path.mkdir()
    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(tmp_path, _sqlite_template):
    path = tmp_path / "counterdesk.sqlite"
    shutil.copy(_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _pg_url():
    name = f"counterdesk_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    upgrade(db.engine)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_pg(db: Database) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables]
    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def pg_db(_pg_url):
    db = Database(_pg_url)
    _empty_pg(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request) -> Database:
    """The test runs once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_db")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def admin(db) -> Actor:
    """A set-up store: station 3301 and its administrator `admin` / admin123."""
    station = auth.StationInput("3301", "城东营业厅", "示范供电公司", "0571-95598", "城东路1号")
    return auth.initialize(db, station, "admin", "系统管理员", "admin123")


@pytest.fixture
def clerk(db, admin) -> Actor:
    """A counter clerk `zhangli` / clerk123 at the administrator's station."""
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    return auth.get_actor(db, "zhangli")


@pytest.fixture
def supervisor(db, admin) -> Actor:
    """A supervisor `wangqiang` / super123."""
    auth.create_clerk(db, admin, "wangqiang", "王强", "super123", "supervisor", "2001")
    return auth.get_actor(db, "wangqiang")
