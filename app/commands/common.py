"""What the window's start-up and every subcommand share: global options, opening the
database, command-line errors and JSON output. app.cli (the entry point) and app.main (the
window) both import from here, so neither imports the other.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
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
    parser.add_argument(
        "--db", metavar="URL", help="database URL (sqlite:///FILE or postgresql+psycopg://...); default: the file in the user data folder"
    )
    parser.add_argument("--demo", action="store_true", help="use the separate demo store, filled with demo data on first use")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="language (default zh_CN, or COUNTERDESK_LANG)")
    parser.add_argument("--data-dir", metavar="DIR", help="user data folder (overrides COUNTERDESK_DATA_DIR)")


DATA_DIR_NOT_A_FOLDER = QT_TRANSLATE_NOOP(
    "cli", "the data folder {path} is a file, not a folder; give a folder with --data-dir or COUNTERDESK_DATA_DIR"
)
DATA_DIR_UNUSABLE = QT_TRANSLATE_NOOP("cli", "the data folder {path} cannot be made ({why})")
BAD_DB_URL = QT_TRANSLATE_NOOP(
    "cli", "--db: “{url}” is not a database URL; write sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE"
)
UNSUPPORTED_DB = QT_TRANSLATE_NOOP(
    "cli", "--db: CounterDesk works with SQLite (sqlite:///FILE) or PostgreSQL (postgresql+psycopg://...), not “{backend}”"
)


def apply_environment(args) -> str:
    lang = args.lang or os.environ.get("COUNTERDESK_LANG") or "zh_CN"
    if args.data_dir:
        os.environ["COUNTERDESK_DATA_DIR"] = str(Path(args.data_dir).expanduser().resolve())
    return lang


def check_data_dir() -> None:
    """The data folder (--data-dir, COUNTERDESK_DATA_DIR or the default) is a folder, or can be made."""
    from app import paths

    folder = os.environ.get("COUNTERDESK_DATA_DIR")
    if folder and os.path.lexists(folder) and not os.path.isdir(folder):
        raise CliError(DATA_DIR_NOT_A_FOLDER, path=folder)
    try:
        paths.data_dir()
    except FileExistsError:
        raise CliError(DATA_DIR_NOT_A_FOLDER, path=folder or "") from None
    except OSError as exc:
        raise CliError(DATA_DIR_UNUSABLE, path=folder or "", why=exc.strerror or str(exc)) from None


def check_database_url(url: str) -> str:
    """The URL if CounterDesk can use it; `postgresql://` means the psycopg driver. A CliError otherwise."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise CliError(BAD_DB_URL, url=url[:80]) from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and driver in ("pysqlite", "sqlite"):
        return url
    if backend == "postgresql":
        if driver == "psycopg":
            return url
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            return "postgresql+psycopg://" + url.split("://", 1)[1]
    raise CliError(UNSUPPORTED_DB, backend=f"{backend}+{driver}" if driver else backend)


def database_url(args) -> str:
    from app import paths

    if args.db:
        return check_database_url(args.db)
    if args.demo:
        return paths.sqlite_url(paths.demo_db_path())
    from app.services.first_start import configured_url

    joined = configured_url()  # the hall server this counter joined at its first start (counter.toml)
    if joined:
        return check_database_url(joined)
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

    url = database_url(args)
    from app.db.store_file import check_store_file

    check_store_file(url)  # only a missing file is a new store; an empty or unreadable one is damage
    db = Database(url)
    _opened.append(db)
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


_opened: list = []


def close_databases() -> None:
    """Close every database a command opened (its pooled connections), when the command ends."""
    while _opened:
        try:
            _opened.pop().dispose()
        except Exception:  # noqa: BLE001  (closing is best effort: the command's result stands)
            pass


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- Who is acting -------------------------------------------------------------------------------

PASSWORD_IN_ARGUMENTS = QT_TRANSLATE_NOOP(
    "cli",
    "a password is never given in the argument list (every user of the machine can read it there); use --password-file FILE, --password-stdin or type it when asked",
)
PASSWORD_FILE_OPEN = QT_TRANSLATE_NOOP(
    "cli", "--password-file: {file} is readable by other users (mode {mode}); make it readable only by you (chmod 600 {file})"
)
PASSWORD_FILE_OWNER = QT_TRANSLATE_NOOP(
    "cli", "--password-file: {file} belongs to another user; use a file of your own, readable only by you"
)
PASSWORD_FILE_MISSING = QT_TRANSLATE_NOOP("cli", "--password-file: {file} cannot be read ({why})")
PASSWORD_FILE_NOT_FILE = QT_TRANSLATE_NOOP("cli", "--password-file: {file} is not an ordinary file")
NO_PASSWORD = QT_TRANSLATE_NOOP(
    "cli", "{login} must give a password: run at a terminal to be asked, or use --password-file FILE or --password-stdin"
)
PASSWORD_STDIN_EMPTY = QT_TRANSLATE_NOOP("cli", "--password-stdin: standard input held no password line")
PASSWORDS_DIFFER = QT_TRANSLATE_NOOP("cli", "the two passwords differ")


def add_password_options(parser: argparse.ArgumentParser, what: str = "the password of the clerk named by --as") -> None:
    parser.add_argument("--password-file", metavar="FILE", help=f"read {what} from the first line of FILE (readable only by its owner)")
    parser.add_argument("--password-stdin", action="store_true", help=f"read {what} from the first line of standard input")
    # Only to say why: a password in the argument list is visible to every user of the machine (ps).
    parser.add_argument("--password", dest="password_in_argv", help=argparse.SUPPRESS)


def refuse_password_in_arguments(args) -> None:
    """A password in the argument list (`--password X`) is refused before anything runs."""
    if getattr(args, "password_in_argv", None) is not None:
        raise CliError(PASSWORD_IN_ARGUMENTS)


def add_actor_options(parser: argparse.ArgumentParser, required: bool = True, role: str = "clerk") -> None:
    """--as LOGIN and how that clerk proves it is them (asked at a terminal, or a file or standard input)."""
    parser.add_argument(
        "--as", dest="as_login", required=required, metavar="LOGIN", help=f"the {role} login that acts (their password is asked)"
    )
    add_password_options(parser)


def read_password_file(name: str) -> str:
    """The first line of a file only its owner (this user) can read."""
    path = Path(name).expanduser()
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise CliError(PASSWORD_FILE_NOT_FILE, file=name)
            if os.name == "posix":
                if st.st_uid != os.getuid():
                    raise CliError(PASSWORD_FILE_OWNER, file=name)
                if st.st_mode & 0o077:
                    raise CliError(PASSWORD_FILE_OPEN, file=name, mode=f"{stat.S_IMODE(st.st_mode):o}")
            data = f.read(4096)
    except OSError as exc:
        raise CliError(PASSWORD_FILE_MISSING, file=name, why=exc.strerror or str(exc)) from None
    return data.decode("utf-8", "replace").splitlines()[0] if data.strip(b"\r\n") else ""


_stdin_lines: list[str] | None = None


def stdin_line(index: int) -> str:
    """Line `index` of standard input (read once, so two passwords can come one per line)."""
    global _stdin_lines
    if _stdin_lines is None:
        _stdin_lines = sys.stdin.read().splitlines()
    if index >= len(_stdin_lines):
        raise CliError(PASSWORD_STDIN_EMPTY)
    return _stdin_lines[index]


def reset_stdin() -> None:
    global _stdin_lines
    _stdin_lines = None


def given_password(args, login: str, prompt: str) -> str:
    if getattr(args, "password_file", None):
        return read_password_file(args.password_file)
    if getattr(args, "password_stdin", False):
        return stdin_line(0)
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    raise CliError(NO_PASSWORD, login=login)


def authenticate(db, args):
    """The Actor for --as LOGIN once its password is right: the same log-in as the window's (wrong
    passwords counted, locked after five, deactivated logins refused), audited as from the command line."""
    from app.services import auth

    login = args.as_login
    password = given_password(args, login, f"password for {login}: ")
    return auth.login(db, login, password, channel="command line")


def new_password(args, env: str, prompt: str, stdin_index: int) -> str:
    """A password being set (init, clerk add): --new-password-file, the environment variable `env`,
    the given line of standard input with --password-stdin, or typed twice at a terminal."""
    if getattr(args, "new_password_file", None):
        return read_password_file(args.new_password_file)
    if os.environ.get(env):
        return os.environ[env]
    if getattr(args, "password_stdin", False):
        return stdin_line(stdin_index)
    if not sys.stdin.isatty():
        raise CliError(QT_TRANSLATE_NOOP("cli", "give the new password with --new-password-file FILE, --password-stdin or {env}"), env=env)
    import getpass

    first = getpass.getpass(prompt)
    if first != getpass.getpass("again: "):
        raise CliError(PASSWORDS_DIFFER)
    return first


# --- Where output goes ---------------------------------------------------------------------------


def protected_stores(db=None) -> list[Path]:
    """The store in use, and this user's real and demo stores."""
    from sqlalchemy.engine import make_url

    from app import paths

    stores = [paths.default_db_path(), paths.demo_db_path()]
    if db is not None and getattr(db, "is_sqlite", False):
        name = make_url(db.url).database
        if name and name != ":memory:":
            stores.insert(0, Path(name))
    return stores


def output_path(target: str, force: bool, db=None, field: str = "out", may_replace_backup: bool = False) -> Path:
    """The one rule for every file a command writes (app.kernel.outfile.check_output): never the store,
    its companions, a database or anything in the data folder; a regular file only; an existing
    one only with --force; the folder must exist."""
    from app import paths
    from app.kernel.outfile import check_output

    return check_output(
        target,
        stores=protected_stores(db),
        protected_dirs=[paths.data_dir()],
        force=force,
        field=field,
        may_replace_backup=may_replace_backup,
    )
