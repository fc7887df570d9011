"""First start on an empty store (docs/OPERATIONS.md, "First start"): the checks behind the set-up
wizard's three ways, field by field, and the hall server this counter joins.

- a new station: app.services.auth.initialize, its fields checked one by one as they are typed
  (`new_station_errors`);
- the hall's PostgreSQL server: the URL (typed whole or built from host, port, database, user and
  password) is tried and the server's store checked (it must be a CounterDesk store at this program's
  schema revision, with a station) before the URL is written to the `[database]` section of
  counter.toml; from then on the counter opens that server when no --db is given;
- a station file from the centre: a provisioning file sealed with a passphrase
  (app.services.sync.manage.set_up_station, docs/SYNC.md).

Never Qt.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.kernel.errors import UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SECTION = "database"

PASSWORDS_DIFFER = QT_TRANSLATE_NOOP("messages", "The two passwords differ.")
NO_HOST = QT_TRANSLATE_NOOP("messages", "Enter the server's name or address, e.g. 192.168.1.10.")
BAD_HOST = QT_TRANSLATE_NOOP("messages", "A server's name or address has no spaces or slashes.")
BAD_PORT = QT_TRANSLATE_NOOP("messages", "The port is a number from 1 to 65535 (PostgreSQL listens on 5432).")
NO_DATABASE = QT_TRANSLATE_NOOP("messages", "Enter the database's name, e.g. counterdesk.")
NO_USER = QT_TRANSLATE_NOOP("messages", "Enter the database user's name.")
BAD_URL = QT_TRANSLATE_NOOP("messages", "Write the address as postgresql://USER:PASSWORD@HOST:5432/DATABASE.")
NOT_POSTGRES = QT_TRANSLATE_NOOP("messages", "The hall's server is a PostgreSQL server: the address begins with postgresql://.")
NO_ANSWER = QT_TRANSLATE_NOOP("messages", "The server {host} does not answer on port {port} ({reason}). Check the address and the network.")
LOGIN_REFUSED = QT_TRANSLATE_NOOP("messages", "The server refused the user name or password.")
NO_SUCH_DATABASE = QT_TRANSLATE_NOOP("messages", "The server has no database named “{database}”.")
NOT_REACHED = QT_TRANSLATE_NOOP("messages", "The server could not be used: {reason}")
NO_STORE = QT_TRANSLATE_NOOP(
    "messages",
    "The database “{database}” holds no CounterDesk store. Set it up once from one counter "
    "(counterdesk --db URL init), then join it from the others.",
)
SERVER_NEWER = QT_TRANSLATE_NOOP(
    "messages", "The server's store was written by a newer CounterDesk (schema {revision}). Update this counter's CounterDesk first."
)
SERVER_OLDER = QT_TRANSLATE_NOOP(
    "messages",
    "The server's store is at schema {revision} and this CounterDesk needs {needed}. Update the hall's other counters "
    "(the first updated one to start brings the store up to date), then join.",
)
NO_STATION = QT_TRANSLATE_NOOP(
    "messages", "The server's store has no station yet. Set it up once (counterdesk --db URL init), then join it."
)
NO_FILE = QT_TRANSLATE_NOOP("messages", "Choose the station file the centre gave you.")
FILE_UNREADABLE = QT_TRANSLATE_NOOP("messages", "{file} cannot be read ({reason}).")
NOT_STATION_FILE = QT_TRANSLATE_NOOP(
    "messages", "{file} is not a station file from the centre (it is not sealed with a passphrase). Ask the centre for the station's file."
)
NOT_ADMIN = QT_TRANSLATE_NOOP("messages", "Log in as one of the station's administrators.")
NO_PASSPHRASE = QT_TRANSLATE_NOOP("messages", "Enter the passphrase the centre gave with the file.")


# --- a new station --------------------------------------------------------------------------------------


def new_station_errors(values: dict) -> dict[str, UserError]:
    """Every field of a new station and its administrator that is wrong, by field name (station_code,
    station_name, company, hall_phone, login, name, password, password2): the same checks as
    auth.initialize, plus the repeated password."""
    from app.services import auth

    errors: dict[str, UserError] = {}
    station = auth.StationInput(
        values.get("station_code", ""), values.get("station_name", ""), values.get("company", ""), values.get("hall_phone", "")
    )
    try:
        auth.check_station(station)
    except ValidationError as err:
        errors.update(err.errors)
    login, name, password = values.get("login", ""), values.get("name", "") or values.get("login", ""), values.get("password", "")
    try:
        auth.check_new_clerk(login, name, password, "admin", "0001")
    except ValidationError as err:
        errors.update(err.errors)
    phone = values.get("hall_phone", "").strip()
    if phone and not all(ch.isdigit() or ch in "-+ ()" for ch in phone):
        errors["hall_phone"] = UserError(
            QT_TRANSLATE_NOOP("messages", "A phone number has digits, spaces and dashes only."), field="hall_phone"
        )
    if "password2" in values and values.get("password2", "") != password:
        errors["password2"] = UserError(PASSWORDS_DIFFER, field="password2")
    return errors


def new_station(db, values: dict):
    """Set the store up as a new station with its administrator; the administrator's Actor."""
    from app.services import auth

    errors = new_station_errors(values)
    if errors:
        raise ValidationError(errors)
    station = auth.StationInput(values["station_code"], values["station_name"], values.get("company", ""), values.get("hall_phone", ""))
    actor = auth.initialize(db, station, values["login"], values.get("name") or values["login"], values["password"])
    log.info("first start: new station %s, administrator %s", actor.station_code, values["login"])
    return actor


# --- the hall's server ---------------------------------------------------------------------------------------


def server_url_from_fields(host: str, port: str, database: str, user: str, password: str) -> str:
    """The PostgreSQL URL for the fields, or a ValidationError naming each wrong field."""
    from sqlalchemy.engine import URL

    errors: dict[str, UserError] = {}
    host, port, database, user = (host or "").strip(), (port or "").strip(), (database or "").strip(), (user or "").strip()
    if not host:
        errors["host"] = UserError(NO_HOST, field="host")
    elif any(ch.isspace() or ch in "/@?#" for ch in host):
        errors["host"] = UserError(BAD_HOST, field="host")
    number = int(port) if port.isdigit() else 0
    if not 1 <= number <= 65535:
        errors["port"] = UserError(BAD_PORT, field="port")
    if not database:
        errors["database"] = UserError(NO_DATABASE, field="database")
    if not user:
        errors["user"] = UserError(NO_USER, field="user")
    if errors:
        raise ValidationError(errors)
    return URL.create(
        "postgresql+psycopg", username=user, password=password or None, host=host, port=number, database=database
    ).render_as_string(hide_password=False)


def check_server_url(url: str) -> str:
    """A typed URL, if it names a PostgreSQL server (postgresql:// means the psycopg driver)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = (url or "").strip()
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):
        raise ValidationError.single("url", BAD_URL) from None
    if parsed.get_backend_name() != "postgresql":
        raise ValidationError.single("url", NOT_POSTGRES)
    if not parsed.host or not parsed.database:
        raise ValidationError.single("url", BAD_URL)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@dataclass(frozen=True)
class ServerStore:
    url: str
    revision: str
    stations: int
    clerks: int


def try_server(url: str, timeout_s: int = 5) -> ServerStore:
    """Connect to the server, and check that its store is a CounterDesk store at this program's schema
    revision with a station. A UserError at the field to correct (host, port, user, password, database),
    or with no field when the store itself is the problem. Nothing is written anywhere."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    engine = create_engine(url, connect_args={"connect_timeout": timeout_s}, poolclass=NullPool)
    try:
        try:
            conn = engine.connect()
        except Exception as exc:  # noqa: BLE001  (every way a connection fails becomes a message at a field)
            raise _connect_error(exc, parsed) from None
        with conn:
            revision, stations, clerks = _server_store(conn, parsed)
    finally:
        engine.dispose()
    log.info("first start: server %s/%s answers, schema %s", parsed.host, parsed.database, revision)
    return ServerStore(url, revision, stations, clerks)


def _server_store(conn, parsed) -> tuple[str, int, int]:
    """The server store's revision, stations and clerks, or a UserError saying why it cannot be joined."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from app.db.migrate import head_from_files, is_known_revision

    try:
        has_store = conn.execute(text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar()
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if has_store else None
        if not revision:
            raise UserError(NO_STORE, database=parsed.database)
        needed = head_from_files()
        if revision != needed:
            if not is_known_revision(revision):
                raise UserError(SERVER_NEWER, revision=revision)
            raise UserError(SERVER_OLDER, revision=revision, needed=needed)
        stations = conn.execute(text("SELECT count(*) FROM stations")).scalar()
        clerks = conn.execute(text("SELECT count(*) FROM clerks")).scalar()
        if not stations or not clerks:
            raise UserError(NO_STATION)
    except DBAPIError as exc:  # a user without rights on the tables, a server going away meanwhile
        raise UserError(NOT_REACHED, reason=_first_line(str(exc.orig or exc))) from None
    return revision, stations, clerks


def _connect_error(exc: Exception, parsed) -> UserError:
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    log.warning("first start: server %s:%s not usable: %s", parsed.host, parsed.port, text.splitlines()[0] if text else exc)
    if "password authentication failed" in lowered or "no password supplied" in lowered or "authentication failed" in lowered:
        return UserError(LOGIN_REFUSED, field="password")
    if "role" in lowered and "does not exist" in lowered:
        return UserError(LOGIN_REFUSED, field="user")
    if "database" in lowered and "does not exist" in lowered:
        return UserError(NO_SUCH_DATABASE, field="database", database=parsed.database)
    if any(s in lowered for s in ("could not translate host name", "name or service not known", "nodename nor servname", "getaddrinfo")):
        return UserError(NO_ANSWER, field="host", host=parsed.host, port=parsed.port or 5432, reason=_first_line(text))
    if any(s in lowered for s in ("connection refused", "timeout", "timed out", "no route", "unreachable")):
        return UserError(NO_ANSWER, field="port", host=parsed.host, port=parsed.port or 5432, reason=_first_line(text))
    return UserError(NOT_REACHED, field="host", reason=_first_line(text))


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), text)
    return line[:200]


def configured_url() -> str:
    """The hall server this counter joined ([database] url in counter.toml), or ""."""
    from app.paths import data_dir

    try:
        with open(data_dir() / "counter.toml", "rb") as f:
            section = tomllib.load(f).get(SECTION, {})
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    value = section.get("url", "") if isinstance(section, dict) else ""
    return value.strip() if isinstance(value, str) else ""


def join_server(url: str) -> ServerStore:
    """Check the server (try_server) and only then write its URL to counter.toml (readable by this
    user alone: it holds the database password)."""
    from app.services.counter.settings import read_sections, render, settings_path, write_atomic

    store = try_server(url)
    sections = read_sections()
    sections[SECTION] = {"url": url}
    path = settings_path()
    write_atomic(path, render(sections))
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
    log.info("first start: this counter now works on the hall server (written to %s)", path)
    return store


# --- a station file from the centre ------------------------------------------------------------------------------


def read_station_file(name: str) -> bytes:
    """The sealed provisioning file's bytes; a UserError at "file" when it is not one."""
    from app.services.sync import keys

    text = (name or "").strip()
    if not text:
        raise UserError(NO_FILE, field="file")
    try:
        data = Path(text).expanduser().read_bytes()
    except OSError as exc:
        raise UserError(FILE_UNREADABLE, field="file", file=text, reason=exc.strerror or type(exc).__name__) from None
    if not keys.is_sealed(data):
        raise UserError(NOT_STATION_FILE, field="file", file=text)
    return data


def station_from_file(db, name: str, passphrase: str):
    """Set the empty store up from the centre's station file (the sync Result)."""
    from app.services.sync import manage

    data = read_station_file(name)
    if not passphrase:
        raise UserError(NO_PASSPHRASE, field="passphrase")
    result = manage.set_up_station(db, data, passphrase)
    log.info("first start: station set up from %s (%s rows)", Path(name).name, result.rows)
    return result
