"""What the window's start-up and every subcommand share: global options, opening the
database, command-line errors and JSON output. app.cli (the entry point) and app.main (the
window) both import from here, so neither imports the other.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from app.kernel.messages import QT_TRANSLATE_NOOP


NOT_A_NUMBER = QT_TRANSLATE_NOOP("cli", "--{name}: “{text}” is not a number")
NOT_A_DATE = QT_TRANSLATE_NOOP("cli", "--{name}: “{text}” is not a date YYYY-MM-DD")


class CliError(Exception):
    """A message for the command line; exit status 2. `message` is marked with
    marked for translation in the "cli" context and has {name} placeholders filled from `params`."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self) -> str:
        from app.i18n import tr as translate

        return translate("cli", self.message).format(**self.params)


def global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL (sqlite:///FILE or postgresql+psycopg://...); default: the file in the user data folder")
    parser.add_argument("--demo", action="store_true", help="use the separate demo store, filled with demo data on first use")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="language (default zh_CN, or COUNTERDESK_LANG)")
    parser.add_argument("--data-dir", metavar="DIR", help="user data folder (overrides COUNTERDESK_DATA_DIR)")


def apply_environment(args) -> str:
    if args.data_dir:
        os.environ["COUNTERDESK_DATA_DIR"] = str(Path(args.data_dir).resolve())
    return args.lang or os.environ.get("COUNTERDESK_LANG") or "zh_CN"


def database_url(args) -> str:
    from app import paths

    if args.db:
        return args.db
    if args.demo:
        return paths.sqlite_url(paths.demo_db_path())
    return paths.sqlite_url(paths.default_db_path())


def open_database(args, migrate: bool = True, fill_demo: bool = True):
    """The Database for the options, migrated to head (the SQLite file backed up first).

    With --demo (and `fill_demo`), an empty demo store is set up and filled here, on first use,
    so every entry point (the window and each subcommand) finds the same demo data.
    """
    from app import paths
    from app.db.engine import Database
    from app.db.errors import storage_error
    from app.db.migrate import upgrade

    db = Database(database_url(args))
    if migrate:
        try:
            upgrade(db.engine, paths.backup_dir())
            if fill_demo and getattr(args, "demo", False):
                from app.services import demo

                demo.ensure_demo_store(db)
        except Exception as exc:  # storage problems become messages, bugs stay tracebacks
            db.dispose()
            err = storage_error(exc)
            if err is None:
                raise
            raise err from exc
    return db


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
