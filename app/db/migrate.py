"""Run Alembic migrations to head at start-up, backing the SQLite file up first.

Alembic is imported only when the schema is behind: a start-up on a current store reads its
revision with one query and finds the head from the migration files' own lines, which saves
the import of Alembic (about a tenth of a second, more with a cold disk cache).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from app.kernel.errors import StorageError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.paths import migrations_dir


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def head_from_files() -> str:
    """The head revision read from the migration files' `revision = ` and `down_revision = ` lines:
    the one revision no other names as its parent (tests check it agrees with Alembic's)."""
    revisions, parents = set(), set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r"""^revision = ["']([^"']+)["']""", source, re.M)
        parent = re.search(r"""^down_revision = ["']([^"']+)["']""", source, re.M)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else head_revision()  # not one head: let Alembic say


def is_known_revision(revision: str) -> bool:
    """True when this program's migrations contain `revision`."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:  # alembic.util.exc.CommandError: "Can't locate revision identified by ..."
        return False


def newer_schema_error(revision: str) -> StorageError:
    return StorageError(
        QT_TRANSLATE_NOOP(
            "messages",
            "This data was written by a newer CounterDesk (schema {revision}). Update this counter's CounterDesk before using it; nothing was changed.",
        ),
        revision=revision,
    )


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision; None for an empty store (no alembic_version table yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):  # nothing was ever migrated
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
    if current == head_from_files():
        return None
    if current is not None and not is_known_revision(current):
        raise newer_schema_error(current)
    backup = None
    url = make_url(str(engine.url))
    if engine.dialect.name == "sqlite" and current is not None and backup_dir is not None:
        db_path = Path(url.database)
        if db_path.exists():
            backup = backup_sqlite(db_path, backup_dir, f"before-{head_revision()}")
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
