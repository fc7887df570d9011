"""What Help → About shows (and support asks for): the program's version, where the store is, which
database it is (a SQLite file, or a PostgreSQL server and database: never its password) and the store's
schema revision beside the one this program expects."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from app import version
from app.db.migrate import current_revision, head_from_files
from app.paths import data_dir


@dataclass(frozen=True)
class AboutInfo:
    version: str
    data_folder: str  # the user data folder: archive, backups, counter.toml, logs
    database_kind: str  # "sqlite" | "postgresql"
    database: str  # the SQLite file, or host:port/database (user), never a password
    schema_revision: str | None  # None: the store has no schema yet
    expected_revision: str  # the newest migration this program carries
    program: str  # the program file (the bundle's, or the Python running the checkout)
    python: str
    system: str

    @property
    def schema_current(self) -> bool:
        return self.schema_revision == self.expected_revision


def describe_database(url: str) -> tuple[str, str]:
    """("sqlite", FILE) or ("postgresql", "HOST:PORT/DATABASE (USER)"): what a clerk may read aloud to support."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "sqlite", str(parsed.database or ":memory:")
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
    return "postgresql", f"{where} ({parsed.username})" if parsed.username else where


def about(db) -> AboutInfo:
    kind, where = describe_database(db.url)
    return AboutInfo(
        version=version(),
        data_folder=str(data_dir()),
        database_kind=kind,
        database=where,
        schema_revision=current_revision(db.engine),
        expected_revision=head_from_files(),
        program=sys.executable,
        python=platform.python_version(),
        system=platform.platform(terse=True),
    )
