"""Where CounterDesk keeps its data and finds its resources (one helper for both)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "CounterDesk"


def data_dir() -> Path:
    """The user data directory; COUNTERDESK_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("COUNTERDESK_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "counterdesk.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "counterdesk-demo.sqlite"


def archive_dir() -> Path:
    """Every printed document is archived here as PDF."""
    path = data_dir() / "archive"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def program_dir() -> Path:
    """Where the program's own files are: the folder holding the app package in a checkout, the bundle's
    folder when frozen by PyInstaller (sys._MEIPASS: `_internal` beside the program, packaging/counterdesk.spec
    puts resources/ and app/db/migrations/ there). Every shipped file is found from here, nowhere else."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The resources/ folder: beside the app package in a checkout, inside the bundle when frozen."""
    return program_dir() / "resources"


def migrations_dir() -> Path:
    """The Alembic scripts (read from files, so the bundle ships them as source)."""
    return program_dir() / "app" / "db" / "migrations"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
