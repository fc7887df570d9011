"""The `counterdesk` command: no subcommand starts the window; subcommands run the same services.

Each area registers its subcommands in its own module under app/commands/ (a
`register(subparsers)` function); add the module's name to COMMAND_MODULES.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from app.services.messages import QT_TRANSLATE_NOOP

COMMAND_MODULES = [
    "app.commands.core",
    "app.commands.search",
    "app.commands.billing",
    "app.commands.payments",
    "app.commands.handling",
    "app.commands.bench",
]


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


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counterdesk", description="CounterDesk: utility service counter")
    global_options(parser)
    if with_commands:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue  # area not built yet
                raise
            module.register(sub)
    return parser


def _has_subcommand(argv: list[str]) -> bool:
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg in ("--db", "--lang", "--data-dir"):
            skip_next = True
            continue
        if arg in ("-h", "--help"):
            return True
        if not arg.startswith("-"):
            return True
    return False


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


def _cli_translate(lang: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from app import i18n

    if QCoreApplication.instance() is None:
        _cli_translate.app = QCoreApplication([])  # keep a reference: translators need it
    i18n.install(lang)


def hoist_global_options(argv: list[str]) -> list[str]:
    """Global options may be written anywhere (`counterdesk demo --customers 5 --db URL`): move them first."""
    front, rest, i = [], [], 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in ("--db", "--lang", "--data-dir"):
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[i:i + 2])
                i += 1
        elif arg == "--demo":
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> int:
    argv = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    if not _has_subcommand(argv):
        args = build_parser(with_commands=False).parse_args(argv)
        lang = apply_environment(args)
        from app.main import run_gui

        return run_gui(args, lang)

    args = build_parser().parse_args(argv)
    lang = apply_environment(args)
    if not getattr(args, "func", None):
        build_parser().print_help()
        return 2
    _cli_translate(lang)
    from app.i18n import error_text
    from app.services.errors import UserError

    try:
        return int(args.func(args) or 0)
    except UserError as err:
        field = f" [{err.field}]" if err.field else ""
        print(f"counterdesk: {error_text(err)}{field}", file=sys.stderr)
        return 2
    except CliError as err:
        print(f"counterdesk: {err.text()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("counterdesk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    # Run through the imported module, so `python -m app.cli` and subcommands share one CliError class.
    from app.cli import main as _main

    sys.exit(_main())
