"""`counterdesk sync ...`: the centre, provisioning stations, bundles, conflicts (docs/SYNC.md)."""

from __future__ import annotations

import errno
import getpass
import sys
from pathlib import Path

from app.commands.common import CliError, open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP

NO_PASSPHRASE = QT_TRANSLATE_NOOP("cli", "give the passphrase at a terminal, with --passphrase-file FILE or --passphrase-stdin")
CANNOT_READ = QT_TRANSLATE_NOOP("cli", "{file} cannot be read ({why})")
CANNOT_WRITE = QT_TRANSLATE_NOOP("cli", "{file} cannot be written ({why}); nothing was changed, the outbox is intact")
NO_ROOM = QT_TRANSLATE_NOOP(
    "cli", "{file} cannot be written: the disk or stick is full; no bundle was left there, nothing was changed, the outbox is intact"
)


def register(sub) -> None:
    p = sub.add_parser("sync", help="sync with the centre by bundles (USB stick)")
    ssub = p.add_subparsers(dest="sync_command", required=True, metavar="ACTION")

    c = ssub.add_parser("centre-init", help="make this store the centre (its key pair)")
    _actor(c)
    c.set_defaults(func=cmd_centre_init)

    pv = ssub.add_parser("provision", help="at the centre: a new station's first bundle, sealed with a passphrase")
    pv.add_argument("--station", required=True, metavar="CODE")
    pv.add_argument("--name", default="", help="the station's name, if it is new")
    pv.add_argument("--out", required=True, metavar="FILE")
    _passphrase(pv)
    _actor(pv)
    pv.set_defaults(func=cmd_provision)

    jr = ssub.add_parser("join-request", help="at a store that already has data: ask the centre to let it join (a file to carry there)")
    jr.add_argument("--out", required=True, metavar="FILE")
    _actor(jr)
    jr.set_defaults(func=cmd_join_request)

    aj = ssub.add_parser("accept-join", help="at the centre: accept a store's request to join; its answer, sealed with a passphrase")
    aj.add_argument("request", metavar="REQUEST")
    aj.add_argument("--out", required=True, metavar="FILE")
    _passphrase(aj)
    _actor(aj)
    aj.set_defaults(func=cmd_accept_join)

    aa = ssub.add_parser("assign-area", help="at the centre: the customers of reading routes become a station's area")
    aa.add_argument("--station", required=True, metavar="CODE")
    aa.add_argument("--route", action="append", required=True, metavar="ROUTE", help="a reading route (repeat for more)")
    _actor(aa)
    aa.set_defaults(func=cmd_assign_area)

    rl = ssub.add_parser("release", help="at the centre: lift a station's quarantine after a supervisor has looked")
    rl.add_argument("--station", required=True, metavar="CODE")
    _actor(rl)
    rl.set_defaults(func=cmd_release)

    e = ssub.add_parser("export", help="write a bundle: a station's changes, or (at the centre) the answer for --station")
    e.add_argument("--out", required=True, metavar="FILE")
    e.add_argument("--station", metavar="CODE", help="at the centre: the station the answer is for")
    e.set_defaults(func=cmd_export)

    i = ssub.add_parser("import", help="apply a bundle (or set up an empty store from a provisioning file)")
    i.add_argument("file", metavar="FILE")
    _passphrase(i)
    i.set_defaults(func=cmd_import)

    st = ssub.add_parser("status", help="last exchange, changes waiting, conflicts")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    cf = ssub.add_parser("conflicts", help="the supervisors' queue of conflicts")
    cf.add_argument("--json", action="store_true")
    cf.add_argument("--all", action="store_true", help="decided ones too")
    cf.set_defaults(func=cmd_conflicts)

    r = ssub.add_parser("resolve", help="decide a conflict")
    r.add_argument("no", type=int, metavar="ID")
    r.add_argument("--take", required=True, choices=["station", "centre", "seen"])
    _actor(r)
    r.set_defaults(func=cmd_resolve)

    from app.commands import sync_network  # serve, now, stations, revoke: sync over the network

    sync_network.register(ssub, _actor)


def _actor(parser) -> None:
    try:
        from app.commands.common import add_actor_options
    except ImportError:
        parser.add_argument("--as", dest="as_login", required=True, metavar="LOGIN")
        return
    add_actor_options(parser)


def _acting(db, args):
    try:
        from app.commands.common import authenticate
    except ImportError:
        from app.services import auth

        return auth.get_actor(db, args.as_login)
    return authenticate(db, args)


def _passphrase(parser) -> None:
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the passphrase from the first line of FILE")
    parser.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from standard input")


def _read_passphrase(args, twice: bool = False) -> str:
    if args.passphrase_file:
        try:
            return Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError) as exc:
            raise CliError(CANNOT_READ, file=args.passphrase_file, why=getattr(exc, "strerror", None) or "empty") from None
    if args.passphrase_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError(NO_PASSPHRASE)
        return line
    if sys.stdin.isatty():
        first = getpass.getpass("passphrase: ")
        if twice and first != getpass.getpass("again: "):
            raise CliError(QT_TRANSLATE_NOOP("cli", "the two passphrases differ"))
        return first
    raise CliError(NO_PASSPHRASE)


def _say(result) -> None:
    from app.i18n import tr

    print(result.text(tr))


def cmd_centre_init(args) -> int:
    from app.services.sync import core

    db = open_database(args)
    actor = _acting(db, args)
    core.init_centre(db, actor)
    print("ok")
    return 0


def cmd_provision(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    actor = _acting(db, args)
    passphrase = _read_passphrase(args, twice=True)
    try:
        _say(manage.provision(db, actor, args.station, args.name, Path(args.out), passphrase))
    except OSError as exc:
        raise CliError(CANNOT_WRITE, file=args.out, why=exc.strerror or str(exc)) from None
    return 0


def cmd_join_request(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    actor = _acting(db, args)
    try:
        _say(manage.join_request(db, actor, Path(args.out)))
    except OSError as exc:
        raise CliError(CANNOT_WRITE, file=args.out, why=exc.strerror or str(exc)) from None
    return 0


def cmd_accept_join(args) -> int:
    from app.services.sync import manage

    try:
        request = Path(args.request).read_bytes()
    except OSError as exc:
        raise CliError(CANNOT_READ, file=args.request, why=exc.strerror or str(exc)) from None
    db = open_database(args)
    actor = _acting(db, args)
    passphrase = _read_passphrase(args, twice=True)
    try:
        _say(manage.accept_join(db, actor, request, Path(args.request).name, Path(args.out), passphrase))
    except OSError as exc:
        raise CliError(CANNOT_WRITE, file=args.out, why=exc.strerror or str(exc)) from None
    return 0


def cmd_assign_area(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    actor = _acting(db, args)
    n = manage.assign_area(db, actor, args.station, manage.customers_of_routes(db, args.route))
    print(n)
    return 0


def cmd_release(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    actor = _acting(db, args)
    print(manage.release(db, actor, args.station))
    return 0


def cmd_export(args) -> int:
    from app.services.sync import core

    db = open_database(args)
    try:
        result = core.export_down(db, args.station, Path(args.out)) if args.station else core.export_up(db, Path(args.out))
    except OSError as exc:  # the bundle goes through a .part file that is removed: nothing half-written is left
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise CliError(NO_ROOM, file=args.out) from None
        raise CliError(CANNOT_WRITE, file=args.out, why=exc.strerror or str(exc)) from None
    _say(result)
    return 0


def cmd_import(args) -> int:
    from app.services.sync import core, keys, manage

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(CANNOT_READ, file=args.file, why=exc.strerror or str(exc)) from None
    db = open_database(args)
    if keys.is_sealed(data):
        _say(manage.set_up_station(db, data, _read_passphrase(args)))
    else:
        _say(core.import_bytes(db, data, Path(args.file).name))
    return 0


def cmd_status(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    st = manage.status(db)
    data = {
        "role": st.role,
        "last_exchange": st.last_exchange.isoformat() if st.last_exchange else None,
        "waiting": st.waiting,
        "overdue": st.overdue,
        "days_allowed": st.days_allowed,
        "open_conflicts": st.open_conflicts,
    }
    if args.json:
        print_json(data)
    else:
        for k, v in data.items():
            print(f"{k}: {v}")
    return 0


def cmd_conflicts(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    rows = manage.conflicts(db, include_resolved=args.all)
    data = [
        {
            "id": c.no,
            "kind": c.kind,
            "station": c.station_code,
            "entity": c.entity,
            "entity_id": c.entity_id,
            "field": c.field,
            "base": c.base_value,
            "station_value": c.station_value,
            "centre_value": c.centre_value,
            "detail": c.detail,
            "status": c.status,
            "resolution": c.resolution,
            "created_at": c.created_at.isoformat(),
        }
        for c in rows
    ]
    if args.json:
        print_json(data)
    else:
        for d in data:
            print(
                f"{d['id']:>5}  {d['kind']:<15} {d['station']:<8} {d['entity']}.{d['field']}  "
                f"station={d['station_value']}  centre={d['centre_value']}  {d['detail']}"
            )
    return 0


def cmd_resolve(args) -> int:
    from app.services.sync import manage

    db = open_database(args)
    actor = _acting(db, args)
    manage.resolve(db, actor, args.no, args.take)
    print("ok")
    return 0
