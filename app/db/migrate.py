"""Run Alembic migrations to head at start-up, backing the SQLite file up first."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine, make_url

from app.services.errors import StorageError
from app.services.messages import QT_TRANSLATE_NOOP

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_known_revision(revision: str) -> bool:
    """True when this program's migrations contain `revision`."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:  # alembic.util.exc.CommandError: "Can't locate revision identified by ..."
        return False


def newer_schema_error(revision: str) -> StorageError:
    return StorageError(QT_TRANSLATE_NOOP("messages", "This data was written by a newer CounterDesk (schema {revision}). Update this counter's CounterDesk before using it; nothing was changed."), revision=revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy through SQLite's online backup API (safe with WAL)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{path.stem}-{label}-{stamp}.sqlite"
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def upgrade(engine: Engine, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the backup file made, if any.

    A store at a revision this program does not know was written by a newer CounterDesk (a
    shared server another counter already upgraded, a file copied from one): StorageError,
    and the store is left exactly as it was.
    """
    current = current_revision(engine)
    if current == head_revision():
        return None
    if current is not None and not is_known_revision(current):
        raise newer_schema_error(current)
    backup = None
    url = make_url(str(engine.url))
    if engine.dialect.name == "sqlite" and current is not None and backup_dir is not None:
        db_path = Path(url.database)
        if db_path.exists():
            backup = backup_sqlite(db_path, backup_dir, f"before-{head_revision()}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
