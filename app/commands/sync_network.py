"""`counterdesk sync serve | now | stations | revoke`: sync over the network (docs/SYNC.md)."""

from __future__ import annotations

from app.commands.common import CliError, open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP

BAD_LISTEN = QT_TRANSLATE_NOOP("cli", "--listen takes HOST:PORT, such as 0.0.0.0:8443 ({given})")
CERT_AND_KEY = QT_TRANSLATE_NOOP("cli", "--cert and --key go together (the certificate and its private key)")
CANNOT_TLS = QT_TRANSLATE_NOOP("cli", "the certificate or key cannot be used ({why})")
CANNOT_LOG = QT_TRANSLATE_NOOP("cli", "the log file {file} cannot be written ({why})")
CANNOT_LISTEN = QT_TRANSLATE_NOOP("cli", "cannot listen on {listen} ({why})")
NEVER = QT_TRANSLATE_NOOP("cli", "never")
SILENT = QT_TRANSLATE_NOOP("cli", "SILENT")
QUARANTINED = QT_TRANSLATE_NOOP("cli", "QUARANTINED")
REVOKED = QT_TRANSLATE_NOOP("cli", "REVOKED")
COUNTS = QT_TRANSLATE_NOOP(
    "cli", "applied {applied}, being applied {received}, waiting {waiting}, held {held}, quarantined {quarantined}, conflicts {conflicts}"
)


def register(ssub, actor_options) -> None:
    sv = ssub.add_parser("serve", help="at the centre: the sync service stations exchange with over the network")
    sv.add_argument("--listen", default="127.0.0.1:8750", metavar="HOST:PORT", help="where to listen (default 127.0.0.1:8750)")
    sv.add_argument("--cert", metavar="FILE", help="TLS certificate (PEM); with --key the service speaks HTTPS")
    sv.add_argument("--key", metavar="FILE", help="the certificate's private key (PEM)")
    sv.add_argument("--log", metavar="FILE", help="write the service's log to FILE (default: standard error)")
    sv.add_argument("--max-body-mb", type=int, default=64, metavar="MB", help="largest request accepted (default 64 MB)")
    sv.add_argument("--max-skew", type=int, default=300, metavar="S", help="clock difference accepted, seconds (default 300)")
    sv.add_argument("--body-timeout", type=float, default=120.0, metavar="S", help="seconds a request's body may take (default 120)")
    sv.add_argument("--rate", type=float, default=30.0, metavar="N", help="exchanges per station and minute (default 30)")
    sv.add_argument("--burst", type=int, default=10, metavar="N", help="exchanges a station may make at once (default 10)")
    sv.add_argument("--workers", type=int, default=4, metavar="N", help="threads doing database work (default 4)")
    sv.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="worker processes doing the database work, one exchange at a time each, instead of the threads (default 1: the threads)",
    )
    sv.set_defaults(func=cmd_serve)

    nw = ssub.add_parser("now", help="at a station: exchange with the centre's sync service now")
    nw.add_argument("--to", metavar="URL", help="the service's address (default: the company setting sync.centre_url)")
    nw.add_argument("--ca", metavar="FILE", help="trust this certificate authority (a centre with its own certificate)")
    nw.add_argument("--timeout", type=float, default=120.0, metavar="S")
    nw.add_argument("--json", action="store_true")
    nw.set_defaults(func=cmd_now)

    st = ssub.add_parser("stations", help="at the centre: every station's last exchange, waiting and applied units, quarantine, conflicts")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stations)

    rv = ssub.add_parser("revoke", help="at the centre: a station's key no longer opens the service (provision it again)")
    rv.add_argument("--station", required=True, metavar="CODE")
    actor_options(rv)
    rv.set_defaults(func=cmd_revoke)


def _listen(text: str) -> tuple[str, int]:
    host, sep, port = (text or "").rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CliError(BAD_LISTEN, given=text)
    return host.strip("[]"), int(port)


def cmd_serve(args) -> int:
    import ssl

    from app.services.sync import links, server

    host, port = _listen(args.listen)
    if bool(args.cert) != bool(args.key):
        raise CliError(CERT_AND_KEY)
    context = None
    if args.cert:
        try:
            context = server.tls_context(args.cert, args.key)
        except (OSError, ssl.SSLError) as exc:
            raise CliError(CANNOT_TLS, why=getattr(exc, "strerror", None) or str(exc)) from None
    try:
        server.configure_logging(args.log)
    except OSError as exc:
        raise CliError(CANNOT_LOG, file=args.log, why=exc.strerror or str(exc)) from None
    db = open_database(args)
    if not links.is_centre(db):
        from app.services.sync.core import NOT_CENTRE

        raise CliError(NOT_CENTRE)
    config = server.Config(
        max_body=max(1, args.max_body_mb) * 1024 * 1024,
        max_skew=max(1, args.max_skew),
        body_timeout=max(1.0, args.body_timeout),
        rate_per_minute=max(0.1, args.rate),
        rate_burst=max(1, args.burst),
        workers=max(1, args.workers),
        processes=max(1, args.processes),
        log_file=args.log,
    )
    try:
        server.serve(db, host, port, config, context)
    except OSError as exc:
        raise CliError(CANNOT_LISTEN, listen=args.listen, why=exc.strerror or str(exc)) from None
    return 0


def cmd_now(args) -> int:
    from app.i18n import tr as translate  # (so named that lupdate does not read the call as a string)
    from app.services.sync import client

    db = open_database(args)
    done = client.exchange(db, args.to, timeout=args.timeout, cafile=args.ca)
    if args.json:
        print_json(
            {
                "result": done.result,
                "units_sent": done.units,
                "rows_sent": done.rows,
                "rows_received": done.down_rows,
                "acknowledged": done.ack,
                "seconds": round(done.seconds, 3),
            }
        )
    else:
        print(done.text(translate))
    return 0


def cmd_stations(args) -> int:
    from app.i18n import tr as translate  # (so named that lupdate does not read the call as a string)
    from app.services.sync import links

    db = open_database(args)
    rows = links.overview(db)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    never = translate("cli", NEVER)
    for r in rows:
        when = r.last_exchange.strftime("%Y-%m-%d %H:%M") if r.last_exchange else never
        flags = []
        if r.silent:
            flags.append(translate("cli", SILENT))
        if r.quarantined or r.quarantine_reason:
            flags.append(translate("cli", QUARANTINED))
        if r.revoked:
            flags.append(translate("cli", REVOKED))
        print(
            f"{r.code:<8} {r.name:<12} {when:<16} "
            + translate("cli", COUNTS).format(
                applied=r.units_applied,
                received=r.units_received,
                waiting=r.units_waiting,
                held=r.held,
                quarantined=r.quarantined,
                conflicts=r.open_conflicts,
            )
            + (("  " + " ".join(flags)) if flags else "")
        )
    return 0


def cmd_revoke(args) -> int:
    from app.commands.common import authenticate
    from app.services.sync import links

    db = open_database(args)
    actor = authenticate(db, args)
    links.revoke(db, actor, args.station)
    print("ok")
    return 0
