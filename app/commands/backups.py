"""Backups by themselves on the command line (docs/OPERATIONS.md): `backup --auto` (declared with
`backup` in app.commands.core) for a scheduled task, `backups status`, `backups folder DIR` and
`restore FILE` into an empty data folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.commands.common import CliError, add_actor_options, authenticate, database_url, open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP

NOT_SQLITE = QT_TRANSLATE_NOOP("cli", "backups copy a SQLite store; back a PostgreSQL server up on the server with pg_dump")
NO_FOLDER = QT_TRANSLATE_NOOP(
    "cli", "no backup folder is chosen for this machine: choose one in Tools > Backups… or with `counterdesk backups folder DIR --as ADMIN`"
)
RESTORE_NOT_SQLITE = QT_TRANSLATE_NOOP("cli", "restore writes a SQLite store; give --db sqlite:///FILE or none (the data folder's store)")


def register(sub) -> None:
    p = sub.add_parser("backups", help="the daily backups of this machine: status, folder")
    bsub = p.add_subparsers(dest="backups_command", required=True, metavar="ACTION")
    st = bsub.add_parser("status", help="the folder, the last good copy and the copies kept (exit 1 when the status bar warns)")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
    fo = bsub.add_parser("folder", help="choose the folder the daily copies go to (a second disk or USB stick; an administrator)")
    fo.add_argument("folder", metavar="DIR")
    add_actor_options(fo, role="administrator")
    fo.set_defaults(func=cmd_folder)

    r = sub.add_parser("restore", help="restore a backup into an empty data folder (never over a store), after checking its audit chains")
    r.add_argument("file", metavar="FILE", help="the backup file (its .check.json beside it is used when present)")
    r.set_defaults(func=cmd_restore)


def _store_path(db) -> Path:
    from sqlalchemy.engine import make_url

    if not db.is_sqlite:
        raise CliError(NOT_SQLITE)
    return Path(make_url(db.url).database)


def cmd_backup_auto(args) -> int:
    from app.commands.common import protected_stores
    from app.services import backups

    db = open_database(args)
    store = _store_path(db)
    folder = backups.configured_folder()
    if not folder:
        raise CliError(NO_FOLDER)
    try:
        outcome = backups.run_daily(store, Path(folder), date.today(), again=args.again, protected=protected_stores(db))
    finally:
        db.dispose()
    if outcome.path is None:
        print(f"today's checked copy is already in {folder}")
    elif outcome.ok:
        print(f"backed up to {outcome.path}; the copy was checked: no problems")
    else:
        print(f"backed up to {outcome.path}, but the copy has PROBLEMS ({len(outcome.problems)}):")
        for line in outcome.problems:
            print(f"  {line}")
    for removed in outcome.removed:
        print(f"removed {removed.name}")
    return 0 if outcome.ok else 1


def cmd_status(args) -> int:
    from app.services import backups

    folder = backups.configured_folder()
    st = backups.status(folder, date.today())
    kept = backups.copies(Path(folder)) if folder else []
    data = {
        "state": st.state,
        "folder": st.folder,
        "last_good": st.last_good.isoformat() if st.last_good else None,
        "copies": [{"file": c.path.name, "day": c.day.isoformat(), "ok": c.ok, "made_at": c.made_at} for c in kept],
    }
    if args.json:
        print_json(data)
    else:
        print(f"state: {st.state}")
        print(f"folder: {st.folder or '-'}")
        print(f"last good copy: {data['last_good'] or '-'}")
        for c in kept:
            print(f"  {c.path.name}  {'checked' if c.ok else 'FAILED its check'}")
    return 1 if st.warn else 0


def cmd_folder(args) -> int:
    from app import paths
    from app.services import backups

    db = open_database(args)
    actor = authenticate(db, args)
    path = backups.choose_folder(db, actor, args.folder, paths.data_dir())
    print(f"backups go to {path}")
    return 0


def cmd_restore(args) -> int:
    from sqlalchemy.engine import make_url

    from app.services import backups

    url = database_url(args)  # the store is not opened: opening would make one
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise CliError(RESTORE_NOT_SQLITE)
    report = backups.restore(Path(args.file), Path(parsed.database))
    entries = report.chains.checked if report.chains else 0
    print(f"restored {args.file} to {parsed.database}; its database check and {entries} audit entries verified. Start CounterDesk.")
    return 0
