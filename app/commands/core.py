"""Core subcommands: init (first-run setup), clerk management, audit verify, backup."""

from __future__ import annotations

import getpass
import os
import sys

from app.commands.common import CliError, open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP


def register(sub) -> None:
    p = sub.add_parser("init", help="set up an empty store: the station and its administrator")
    p.add_argument("--admin", required=True, metavar="LOGIN", help="the administrator's login name")
    p.add_argument("--admin-name", default="", help="the administrator's full name (default: the login)")
    p.add_argument("--password", help="the administrator's password (default: COUNTERDESK_ADMIN_PASSWORD or asked)")
    p.add_argument("--station-code", default="0001")
    p.add_argument("--station-name", default="营业厅")
    p.add_argument("--company", default="")
    p.add_argument("--hall-phone", default="95598")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("clerk", help="add or unlock clerks")
    csub = p.add_subparsers(dest="clerk_command", required=True)
    a = csub.add_parser("add", help="add a clerk")
    a.add_argument("--as", dest="as_login", required=True, help="administrator login that acts")
    a.add_argument("--login", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--staff-no", required=True)
    a.add_argument("--role", default="clerk", choices=["clerk", "supervisor", "admin"])
    a.add_argument("--password", help="default: COUNTERDESK_NEW_PASSWORD or asked")
    a.set_defaults(func=cmd_clerk_add)
    u = csub.add_parser("unlock", help="unlock a login locked after wrong passwords")
    u.add_argument("--as", dest="as_login", required=True)
    u.add_argument("login")
    u.set_defaults(func=cmd_clerk_unlock)

    p = sub.add_parser("audit", help="audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check the hash chain; names the first broken entry")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("settings", help="company settings (late fees, matter deadlines, company name ...)")
    ssub = p.add_subparsers(dest="settings_command", required=True)
    sl = ssub.add_parser("list", help="every setting with its current value")
    sl.add_argument("--json", action="store_true")
    sl.set_defaults(func=cmd_settings_list)
    ss = ssub.add_parser("set", help="change one setting (an administrator; written to the audit log)")
    ss.add_argument("key", help="the setting's key, as `settings list` shows it")
    ss.add_argument("value", help="the new value: true/false, a number, a rate such as 0.001, or text")
    ss.add_argument("--as", dest="as_login", required=True, help="administrator login that acts")
    ss.set_defaults(func=cmd_settings_set)

    p = sub.add_parser("backup", help="copy the SQLite store to a file (safe while counters work)")
    p.add_argument("target", help="the backup file to write (never the store itself)")
    p.add_argument("--force", action="store_true", help="replace the target file if it exists")
    p.set_defaults(func=cmd_backup)


def _password(given: str | None, env: str, prompt: str) -> str:
    if given:
        return given
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise CliError(QT_TRANSLATE_NOOP("cli", "give the password with --password or {env}"), env=env)
    first = getpass.getpass(prompt)
    if first != getpass.getpass("again: "):
        raise CliError(QT_TRANSLATE_NOOP("cli", "the two passwords differ"))
    return first


def cmd_init(args) -> int:
    from app.services import auth

    db = open_database(args)
    password = _password(args.password, "COUNTERDESK_ADMIN_PASSWORD", "administrator password: ")
    station = auth.StationInput(args.station_code, args.station_name, args.company, args.hall_phone)
    actor = auth.initialize(db, station, args.admin, args.admin_name or args.admin, password)
    print(f"initialized station {actor.station_code} with administrator {args.admin} at {db.describe}")
    return 0


def cmd_clerk_add(args) -> int:
    from app.services import auth

    db = open_database(args)
    actor = auth.get_actor(db, args.as_login)
    password = _password(args.password, "COUNTERDESK_NEW_PASSWORD", "password: ")
    auth.create_clerk(db, actor, args.login, args.name, password, args.role, args.staff_no)
    print(f"added {args.role} {args.login}")
    return 0


def cmd_clerk_unlock(args) -> int:
    from app.services import auth

    db = open_database(args)
    auth.unlock(db, auth.get_actor(db, args.as_login), args.login)
    print(f"unlocked {args.login}")
    return 0


def cmd_audit_verify(args) -> int:
    from app.services import audit

    db = open_database(args)
    with db.read() as s:
        result = audit.verify(s)
    if args.json:
        print_json({"ok": result.ok, "checked": result.checked, "first_broken_seq": result.first_broken_seq,
                    "first_broken_id": result.first_broken_id, "reason": result.reason})
    elif result.ok:
        print(f"audit log intact: {result.checked} entries")
    else:
        print(f"audit log BROKEN at entry {result.first_broken_seq} (id {result.first_broken_id}): {result.reason}; "
              f"{result.checked} entries before it are intact")
    return 0 if result.ok else 1


def cmd_settings_list(args) -> int:
    from PySide6.QtCore import QCoreApplication

    from app.services import settings

    db = open_database(args)
    views = settings.list_settings(db)
    if args.json:
        print_json([{"key": v.key, "value": v.value, "default": v.is_default,
                     "label": QCoreApplication.translate(settings.LABEL_CONTEXT, v.label),
                     "allowed": QCoreApplication.translate(settings.LABEL_CONTEXT, v.hint)} for v in views])
        return 0
    width = max(len(v.key) for v in views)
    values = max(_columns(v.text) for v in views)
    for v in views:
        mark = "" if not v.is_default else "  " + QCoreApplication.translate("CLI", "(default)")
        pad = " " * (values - _columns(v.text))
        print(f"{v.key:<{width}}  {v.text}{pad}  {QCoreApplication.translate(settings.LABEL_CONTEXT, v.label)}{mark}")
    return 0


def _columns(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cmd_settings_set(args) -> int:
    from PySide6.QtCore import QCoreApplication

    from app.services import auth, settings

    db = open_database(args)
    actor = auth.get_actor(db, args.as_login)
    before = {v.key: v.text for v in settings.list_settings(db)}
    view = settings.set_setting(db, actor, args.key, args.value)
    print(QCoreApplication.translate("CLI", "%1: %2 -> %3").replace("%1", view.key).replace("%2", before.get(view.key, "")).replace("%3", view.text))
    return 0


def cmd_backup(args) -> int:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from app import paths
    from app.db.backup import backup_to

    db = open_database(args)
    if not db.is_sqlite:
        raise CliError(QT_TRANSLATE_NOOP("cli", "backup copies a SQLite store; back a PostgreSQL server up with pg_dump"))
    store = Path(make_url(db.url).database)
    try:
        # The store, and this user's real and demo stores, can never be the target.
        made = backup_to(store, Path(args.target), [paths.default_db_path(), paths.demo_db_path()], force=args.force)
    finally:
        db.dispose()
    print(f"backed up to {made}")
    return 0
