"""Core subcommands: init (first-run setup), clerk management, audit verify, backup."""

from __future__ import annotations

from app.commands.common import (
    CliError,
    add_actor_options,
    add_password_options,
    authenticate,
    new_password,
    open_database,
    output_path,
    print_json,
)
from app.kernel.messages import QT_TRANSLATE_NOOP


def register(sub) -> None:
    p = sub.add_parser("init", help="set up an empty store: the station and its administrator")
    p.add_argument("--admin", required=True, metavar="LOGIN", help="the administrator's login name")
    p.add_argument("--admin-name", default="", help="the administrator's full name (default: the login)")
    add_password_options(p, "the new administrator's password (default: COUNTERDESK_ADMIN_PASSWORD, or asked twice)")
    p.add_argument("--station-code", default="0001")
    p.add_argument("--station-name", default="营业厅")
    p.add_argument("--company", default="")
    p.add_argument("--hall-phone", default="95598")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("clerk", help="add, unlock or renumber clerks")
    csub = p.add_subparsers(dest="clerk_command", required=True)
    a = csub.add_parser("add", help="add a clerk")
    add_actor_options(a, role="administrator")
    a.add_argument("--login", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--staff-no", required=True)
    a.add_argument("--role", default="clerk", choices=["clerk", "supervisor", "admin"])
    a.add_argument(
        "--new-password-file",
        metavar="FILE",
        help="the new clerk's password from the first line of FILE (readable only by its owner); default: "
        "COUNTERDESK_NEW_PASSWORD, the second line of standard input with --password-stdin, or asked twice",
    )
    a.set_defaults(func=cmd_clerk_add)
    u = csub.add_parser("unlock", help="unlock a login locked after wrong passwords")
    add_actor_options(u, role="administrator")
    u.add_argument("login")
    u.set_defaults(func=cmd_clerk_unlock)
    r = csub.add_parser("renumber", help="give a clerk another staff number (unique; audited)")
    add_actor_options(r, role="administrator")
    r.add_argument("login")
    r.add_argument("staff_no", metavar="NEW_STAFF_NO")
    r.set_defaults(func=cmd_clerk_renumber)

    p = sub.add_parser("audit", help="audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser(
        "verify",
        help="check every station's hash chain and the money records and number sequences "
        "against it; names the first broken entry and what disagrees",
    )
    v.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="FILE_OR_VALUE",
        help="compare with an anchor kept outside the store: a backup's check file, or STATION:SEQ:HASH as "
        "printed on a shift or day report (repeatable)",
    )
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
    add_actor_options(ss, role="administrator")
    ss.set_defaults(func=cmd_settings_set)

    p = sub.add_parser("backup", help="copy the SQLite store to a file (safe while counters work)")
    p.add_argument("target", nargs="?", help="the backup file to write (never the store itself)")
    p.add_argument(
        "--force", action="store_true", help="replace the target if it is an earlier backup (never a store or another file's database)"
    )
    p.add_argument(
        "--auto",
        action="store_true",
        help="today's copy into the backup folder chosen for this machine, checked, keeping 7 daily and 4 weekly copies "
        "(for a scheduled task; does nothing when today's good copy is there)",
    )
    p.add_argument("--again", action="store_true", help="with --auto: make today's copy again even if a good one is there")
    p.set_defaults(func=cmd_backup)


def cmd_init(args) -> int:
    from app.services import auth

    db = open_database(args)
    if getattr(args, "password_file", None):
        args.new_password_file = args.password_file  # init has no acting clerk: the file holds the new password
    password = new_password(args, "COUNTERDESK_ADMIN_PASSWORD", "administrator password: ", 0)
    station = auth.StationInput(args.station_code, args.station_name, args.company, args.hall_phone)
    actor = auth.initialize(db, station, args.admin, args.admin_name or args.admin, password)
    print(f"initialized station {actor.station_code} with administrator {args.admin} at {db.describe}")
    return 0


def cmd_clerk_add(args) -> int:
    from app.services import auth

    db = open_database(args)
    actor = authenticate(db, args)
    password = new_password(args, "COUNTERDESK_NEW_PASSWORD", "new clerk's password: ", 1)
    auth.create_clerk(db, actor, args.login, args.name, password, args.role, args.staff_no)
    print(f"added {args.role} {args.login}")
    return 0


def cmd_clerk_unlock(args) -> int:
    from app.services import auth

    db = open_database(args)
    auth.unlock(db, authenticate(db, args), args.login)
    print(f"unlocked {args.login}")
    return 0


def cmd_clerk_renumber(args) -> int:
    from app.services import auth

    db = open_database(args)
    old = auth.renumber_clerk(db, authenticate(db, args), args.login, args.staff_no)
    print(f"{args.login}: staff number {old} -> {args.staff_no.strip()}")
    return 0


def cmd_audit_verify(args) -> int:
    from app.commands.integrity import cmd_audit_verify as verify

    return verify(args)


def cmd_settings_list(args) -> int:
    from PySide6.QtCore import QCoreApplication

    from app.services import settings

    db = open_database(args)
    views = settings.list_settings(db)
    if args.json:
        print_json(
            [
                {
                    "key": v.key,
                    "value": v.value,
                    "default": v.is_default,
                    "label": QCoreApplication.translate(settings.LABEL_CONTEXT, v.label),
                    "allowed": QCoreApplication.translate(settings.LABEL_CONTEXT, v.hint),
                }
                for v in views
            ]
        )
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

    from app.services import settings

    db = open_database(args)
    actor = authenticate(db, args)
    before = {v.key: v.text for v in settings.list_settings(db)}
    view = settings.set_setting(db, actor, args.key, args.value)
    print(
        QCoreApplication.translate("CLI", "%1: %2 -> %3")
        .replace("%1", view.key)
        .replace("%2", before.get(view.key, ""))
        .replace("%3", view.text)
    )
    return 0


def cmd_backup(args) -> int:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from app.db.backup import backup_to

    if args.auto:
        from app.commands.backups import cmd_backup_auto

        return cmd_backup_auto(args)
    if not args.target:
        raise CliError(QT_TRANSLATE_NOOP("cli", "give the backup FILE to write, or --auto for the daily copy into the backup folder"))
    db = open_database(args)
    if not db.is_sqlite:
        raise CliError(QT_TRANSLATE_NOOP("cli", "backup copies a SQLite store; back a PostgreSQL server up with pg_dump"))
    store = Path(make_url(db.url).database)
    try:
        # The one output rule: never the store, its companions, another database (only an earlier backup,
        # with --force), a device, or anything in the data folder.
        target = output_path(args.target, args.force, db, field="target", may_replace_backup=True)
        from app.commands.integrity import backup_check

        check = backup_check()
        made = backup_to(store, target, force=args.force, shown=args.target, check=check)
    finally:
        db.dispose()
    print(f"backed up to {made}")
    return check.output(made)
