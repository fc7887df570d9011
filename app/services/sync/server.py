"""The centre's sync service: `counterdesk sync serve` (docs/SYNC.md, Sync over the network).

An aiohttp application. A station POSTs its uplink bundle in a signed request (app/services/sync/
wire.py); the service checks the request (content type, signature headers, clock skew, the station
known and not revoked, the rate of its requests, the size and the time the body takes, the request's
signature over the body, its nonce never seen), then the bundle as an imported file is checked (its
own signature, its station the request's, only the station's own rows), applies it with the bundle
rules (once, whole, in order) and answers with the station's downlink bundle. Every refusal has its
HTTP status and is logged with its reason; the service goes on serving the others. The database
work runs on a small pool of threads, so one slow import or one slow client never stops the loop.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import random
import ssl
import string
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from sqlalchemy import text

from app.db.engine import Database
from app.kernel.errors import StorageError, UserError
from app.services.sync import core, keys, links, wire
from app.services.sync.bundle import SyncRefused

log = logging.getLogger("counterdesk.sync.service")
access_log = logging.getLogger("counterdesk.sync.access")

# The HTTP status of each refusal of a bundle (bundle.py, core.py).
BUNDLE_STATUS = {
    "not_a_bundle": 400,
    "truncated": 400,
    "damaged": 400,
    "wrong_kind": 400,
    "other_station": 400,
    "unknown_station": 401,
    "forged": 401,
    "other_centre": 403,
    "other_key": 403,
    "newer_schema": 422,
    "audit_broken": 422,
    "quarantined": 423,
}


@dataclass
class Config:
    max_body: int = 64 * 1024 * 1024  # bytes of one request's body
    max_skew: int = 300  # seconds a request's time may differ from the centre's clock
    body_timeout: float = 120.0  # seconds the whole body may take to arrive
    rate_per_minute: float = 30.0  # exchanges per station and minute, on average
    rate_burst: int = 10  # exchanges a station may make at once
    workers: int = 4  # threads doing database work (with processes > 1: unused)
    processes: int = 1  # above 1: the database work runs in that many worker processes
    log_file: str | None = None  # the worker processes' log (the same file as the service's)


class Refusal(Exception):
    def __init__(self, status: int, reason: str, message: str, close: bool = False, headers: dict | None = None, **params) -> None:
        self.status, self.reason, self.message, self.close, self.headers, self.params = status, reason, message, close, headers, params
        super().__init__(reason)

    def text(self) -> str:
        try:
            return self.message.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.message


_HEX = frozenset(string.hexdigits)
RETRIES = 4  # attempts at applying a bundle that meets another import on the same rows
APPLY_MAX_WAIT_S = 5.0  # a received bundle waits for exchanges under way at most this long
SWEEP_S = 60.0  # how often the service looks for received bundles left to apply
STOP_APPLY_S = 20.0  # on a stop, how long the service goes on applying what it received
TRANSIENT = frozenset({"40P01", "40001", "55P03"})  # PostgreSQL: deadlock, serialisation failure, lock not available


def transient(err: BaseException) -> bool:
    """A storage error that goes away when the transaction is run again."""
    cause = err.__cause__
    return getattr(getattr(cause, "orig", cause), "sqlstate", None) in TRANSIENT


class Jobs:
    """The database work of the service, apart from HTTP: run on the service's threads, or in a
    worker process of its own (Config.processes) with its own connections."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ident = None  # the centre's sync identity, read at the first exchange

    def check_database(self) -> str:
        with self.db.read() as s:
            s.execute(text("select 1"))
            ident = core.identity(s)
            return ident.role if ident else ""

    def caller(self, station_id: uuid.UUID):
        return links.caller(self.db, station_id)

    def note_refusal(self, station_id: uuid.UUID, reason: str) -> None:
        links.note_refusal(self.db, station_id, reason)

    def purge(self, seconds: int) -> None:
        try:
            links.forget_nonces(self.db, timedelta(seconds=seconds))
        except Exception:  # noqa: BLE001
            log.exception("could not forget old nonces")

    def _identity(self):
        """The centre's sync identity, read once: it does not change while the service runs (every
        request's own statement still checks that the store is a centre: links.caller)."""
        if self._ident is None:
            with self.db.read() as s:
                self._ident = core.require(s, "centre")
        return self._ident

    def receive(self, caller: links.Caller, data: bytes, nonce: str):
        """Once the request's signature holds: the bundle read and checked, then in one transaction the
        nonce remembered, the bundle kept, the answer made (confirming the kept units) and the link
        record written; the bundle is applied right after, by apply_received. docs/SYNC.md,
        "Received, then applied"."""
        name = f"{caller.code}@network"
        ident = self._identity()
        header, body = core.read_bundle(None, data, name, ident=ident, known=(caller.station_id, caller.public_key), db=self.db)
        if header.get("station_id") != str(caller.station_id):
            raise Refusal(403, "wrong_station", wire.WRONG_STATION, bundle=header.get("station_code", "?"), request=caller.code)
        foreign = links.foreign_row(caller.station_id, body)
        if foreign is not None:
            raise Refusal(403, "foreign_rows", wire.FOREIGN_ROWS, table=foreign[0], id=foreign[1])
        reported = int(header.get("last_seq") or 0)

        def work():
            with self.db.write() as s:  # the nonce, the receipt, the answer and the link record
                if not links.use_nonce_in(s, caller.station_id, nonce):
                    raise Refusal(409, "replayed", wire.REPLAYED)
                result, held, problem = core.receive_in(s, header, body, data, name)
                if problem is not None:
                    s.rollback()
                    return None, None, problem
                down = core.answer_in(s, ident, caller.station_id, held).data  # the answer's bytes, no file
                links.note_exchange_in(s, caller.station_id, reported)
            return result, down, None

        result, down, problem = _retried(work, caller.code)
        if problem is not None:
            links.use_nonce(self.db, caller.station_id, nonce)
            core.quarantine(self.db, header, data, problem)  # raises: the station is told
        return result, down, header

    def apply_received(self, station_id: uuid.UUID) -> int:
        """The station's kept bundles applied (core.apply_received); two imports that meet on the same
        rows are tried again."""
        return _retried(lambda: core.apply_received(self.db, station_id), str(station_id))

    def to_apply(self) -> list[uuid.UUID]:
        return core.stations_to_apply(self.db)


def _retried(work, who: str):
    """`work` run again when the database rolled it back whole because it met another transaction on
    the same rows (a deadlock, a serialisation failure, a lock time-out)."""
    for attempt in range(1, RETRIES + 1):
        try:
            return work()
        except StorageError as err:
            if attempt == RETRIES or not transient(err):
                raise
            log.info("retry station=%s attempt=%d: %s", who, attempt, err.text())
            time.sleep(random.uniform(0.05, 0.25) * attempt)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- worker processes (Config.processes)

_worker_jobs: Jobs | None = None
# A worker's connection is pinged before use only after sitting idle this long: in a burst each is
# used again within milliseconds, and five pings per exchange were five round trips (docs/SYNC.md).
WORKER_PING_IDLE_S = 1.0


def _worker_start(url: str, log_file: str | None) -> None:
    """A worker process starts: its own log handler and database connections. It leaves SIGINT (a
    Ctrl+C reaches the whole process group) to the service's main process, which finishes the
    requests under way and then ends it. SIGTERM ends it: the pool terminates the workers left
    when one died, and waits for them (a worker ignoring SIGTERM kept that wait, and so the main
    process's exit, hanging for ever). It ends when the main process ends, however that ends."""
    global _worker_jobs
    import signal

    from app.kernel.process import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    configure_logging(log_file)
    _worker_jobs = Jobs(Database(url, ping_idle_s=WORKER_PING_IDLE_S))


def _in_worker(name: str, *args):
    """Run one job in a worker process. An error a station is told of (a refusal, a bundle refused,
    the database not answering) travels back as its class and fields and is raised again in the
    main process; a bug is logged here with its traceback."""
    try:
        return ("ok", getattr(_worker_jobs, name)(*args))
    except UserError as err:  # Refusal is not a UserError: both are carried the same way
        return ("raise", type(err), err.args, dict(err.__dict__))
    except Refusal as err:
        return ("raise", type(err), err.args, dict(err.__dict__))
    except Exception as exc:  # noqa: BLE001  (a bug: logged with its traceback in this process)
        log.exception("error in a worker process (%s)", name)
        return ("bug", f"{type(exc).__name__}: {exc}")


def _unwrap(answer):
    kind = answer[0]
    if kind == "ok":
        return answer[1]
    if kind == "raise":
        cls, args, fields = answer[1:]
        err = cls.__new__(cls)
        Exception.__init__(err, *args)
        err.__dict__.update(fields)
        raise err
    raise RuntimeError(f"in a worker process: {answer[1]}")


class SyncService:
    def __init__(self, db: Database, config: Config | None = None) -> None:
        self.db = db
        self.config = config or Config()
        self.jobs = Jobs(db)
        self.procs = self._new_processes() if self.config.processes > 1 else None
        self.pool = ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="sync-service")
        self.buckets: dict[uuid.UUID, tuple[float, float]] = {}  # station -> (tokens, at)
        self.started = time.time()
        self.counts = {"exchanges": 0, "refused": 0, "applied_bundles": 0}
        self._purged = 0.0
        # Applying what was received (docs/SYNC.md, "Received, then applied"): stations with kept
        # bundles (and since when they wait), those being applied now, and exchanges under way,
        # which go first.
        self._to_apply: dict[uuid.UUID, float] = {}
        self._applying: set[uuid.UUID] = set()
        self._in_flight = 0
        self._sweeper: asyncio.Task | None = None

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.config.max_body)
        app.router.add_get(wire.HEALTH_PATH, self.health)
        app.router.add_post(wire.PATH, self.exchange)
        app.on_startup.append(self._start_sweeper)
        app.on_shutdown.append(self._shutdown)
        app.on_cleanup.append(self._cleanup)
        return app

    # ------------------------------------------------------------ applying what was received

    def _apply_slots(self) -> int:
        return self.config.processes if self.procs is not None else 1

    def _kick(self) -> None:
        """Start applying the stations' kept bundles while there are free slots: only when no
        exchange is under way (receiving goes first), or when one has waited too long."""
        now = time.monotonic()
        for station_id, since in sorted(self._to_apply.items(), key=lambda kv: kv[1]):
            if len(self._applying) >= self._apply_slots():
                return
            if station_id in self._applying:
                continue
            if self._in_flight and now - since < APPLY_MAX_WAIT_S:
                return
            del self._to_apply[station_id]
            self._applying.add(station_id)
            asyncio.get_running_loop().create_task(self._apply(station_id))

    async def _apply(self, station_id: uuid.UUID) -> None:
        try:
            self.counts["applied_bundles"] += await self._run("apply_received", station_id)
        except Exception as exc:  # noqa: BLE001  (kept in the database: the sweep tries again)
            log.error("apply station=%s failed, tried again later: %s", station_id, exc)
        finally:
            self._applying.discard(station_id)
            self._kick()

    def _want_apply(self, station_id: uuid.UUID) -> None:
        self._to_apply.setdefault(station_id, time.monotonic())
        self._kick()

    async def _start_sweeper(self, _app) -> None:
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def _sweep(self) -> None:
        """At the start and every SWEEP_S: the stations with kept bundles whose turn has come (left by
        a stop, a crash or a failed apply) are applied."""
        while True:
            try:
                for station_id in await self._run("to_apply"):
                    if station_id not in self._applying:
                        self._want_apply(station_id)
            except Exception as exc:  # noqa: BLE001
                log.error("could not look for received bundles to apply: %s", exc)
            await asyncio.sleep(SWEEP_S)

    def idle(self) -> bool:
        return not self._to_apply and not self._applying

    async def drain(self, seconds: float) -> bool:
        """Wait until what was received is applied (at most `seconds`); True when it was."""
        deadline = time.monotonic() + seconds
        while not self.idle() and time.monotonic() < deadline:
            self._kick()
            await asyncio.sleep(0.02)
        return self.idle()

    async def _shutdown(self, _app) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        if not await self.drain(STOP_APPLY_S):
            log.info("stopping with bundles still to apply; they are applied at the next start")

    async def _cleanup(self, _app) -> None:
        self.pool.shutdown(wait=True)
        if self.procs is not None:
            self.procs.shutdown(wait=True)

    def start_processes(self) -> None:
        """Start every worker process now (each asks the database once), not at the first requests."""
        if self.procs is not None:
            for f in [self.procs.submit(_in_worker, "check_database") for _ in range(self.config.processes)]:
                f.result()

    def _new_processes(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.config.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(self.db.engine.url.render_as_string(hide_password=False), self.config.log_file),
        )

    async def _run(self, name: str, *args):
        """A job of Jobs on the service's threads, or in a worker process. A worker process that
        ended (killed, out of memory) breaks its pool: the request under way is answered 503 (the
        station sends it again; a nonce or an apply the worker committed is found as such) and new
        worker processes take over."""
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        if self.procs is None:
            return await loop.run_in_executor(self.pool, getattr(self.jobs, name), *args)
        procs = self.procs
        try:
            answer = await loop.run_in_executor(procs, _in_worker, name, *args)
        except BrokenProcessPool:
            if self.procs is procs:
                log.error("a worker process ended unexpectedly; new worker processes are started")
                self.procs = self._new_processes()
                procs.shutdown(wait=False)
            raise StorageError(wire.SERVICE_UNAVAILABLE) from None
        return _unwrap(answer)

    # ------------------------------------------------------------ health

    async def health(self, request: web.Request) -> web.Response:
        try:
            role = await self._run("check_database")
        except Exception as exc:  # noqa: BLE001  (any failure of the database is "unhealthy")
            log.error("health: the database does not answer: %s", exc)
            return web.json_response({"status": "unavailable", "database": "not answering"}, status=503)
        if role != "centre":
            return web.json_response({"status": "unavailable", "database": "not a sync centre"}, status=503)
        return web.json_response(
            {"status": "ok", "database": "ok", "uptime_s": int(time.time() - self.started), **self.counts},
        )

    # ------------------------------------------------------------ exchange

    async def exchange(self, request: web.Request) -> web.StreamResponse:
        self._in_flight += 1
        try:
            return await self._exchange(request)
        finally:
            self._in_flight -= 1
            if self._to_apply:
                self._kick()

    async def _exchange(self, request: web.Request) -> web.StreamResponse:
        t0 = time.monotonic()
        who = "-"
        station_id = None
        try:
            station_id, kid, when, nonce, signature = self._headers(request)
            who = str(station_id)
            caller = await self._run("caller", station_id)
            if caller is None:
                raise Refusal(401, "unknown_station", wire.UNKNOWN, close=True)
            who = caller.code
            if caller.revoked:
                raise Refusal(403, "revoked", wire.REVOKED, close=True)
            wait = self._wait_for_token(station_id)
            if wait > 0:
                raise Refusal(429, "rate_limited", wire.RATE_LIMITED, close=True, headers={"Retry-After": str(wait)}, seconds=wait)
            body = await self._body(request)
            line = wire.canonical(request.method, request.path, str(station_id), kid, str(when), nonce, wire.digest(body))
            if kid != keys.key_id(caller.public_key) or not keys.verifies(caller.public_key, line, signature):
                raise Refusal(401, "bad_signature", wire.BAD_SIGNATURE)
            self._take_token(station_id)
            result, down, header = await self._run("receive", caller, body, nonce)
        except Refusal as r:
            return await self._refused(request, r, who, station_id, t0)
        except SyncRefused as err:
            r = Refusal(BUNDLE_STATUS.get(err.reason, 400), err.reason, err.message, **err.params)
            return await self._refused(request, r, who, station_id, t0)
        except StorageError as err:
            log.error("unavailable station=%s from=%s: %s", who, request.remote, err.text())
            r = Refusal(503, "unavailable", wire.SERVICE_UNAVAILABLE, headers={"Retry-After": "60"})
            return await self._refused(request, r, who, None, t0)
        except UserError as err:
            r = Refusal(422, "refused", err.message, **err.params)
            return await self._refused(request, r, who, station_id, t0)
        except Exception:  # noqa: BLE001  (a bug: logged with its traceback; the service goes on)
            log.exception("error station=%s from=%s", who, request.remote)
            r = Refusal(500, "error", wire.SERVICE_ERROR)
            return await self._refused(request, r, who, None, t0)
        self.counts["exchanges"] += 1
        if result.status == "received":
            self._to_apply.setdefault(caller.station_id, time.monotonic())
        log.info(
            "exchange station=%s from=%s units=%s-%s result=%s rows=%s down_bytes=%s ms=%d",
            who,
            request.remote,
            header.get("first_seq"),
            header.get("last_seq"),
            result.status,
            result.rows,
            len(down),
            (time.monotonic() - t0) * 1000,
        )
        self._maybe_purge()
        return web.Response(body=down, content_type=wire.CONTENT_TYPE, headers={wire.H_RESULT: result.status})

    def _headers(self, request: web.Request):
        h = request.headers
        try:
            station_id = uuid.UUID(h[wire.H_STATION])
            when = int(h[wire.H_TIME])
            nonce, kid, signature = h[wire.H_NONCE], h[wire.H_KEY], h[wire.H_SIGNATURE]
        except (KeyError, ValueError):
            raise Refusal(400, "malformed", wire.MALFORMED, close=True, why="signature headers missing or wrong") from None
        if not 16 <= len(nonce) <= 64 or not set(nonce) <= _HEX:
            raise Refusal(400, "malformed", wire.MALFORMED, close=True, why="nonce")
        got = h.get("Content-Type", "")
        if got.split(";")[0].strip().lower() != wire.CONTENT_TYPE:
            raise Refusal(415, "wrong_content_type", wire.WRONG_TYPE, close=True, got=got or "none")
        skew = int(time.time()) - when
        if abs(skew) > self.config.max_skew:
            raise Refusal(401, "clock_skew", wire.CLOCK_SKEW, close=True, seconds=skew)
        if request.content_length is not None and request.content_length > self.config.max_body:
            raise Refusal(413, "too_large", wire.TOO_LARGE, close=True, limit=self.config.max_body)
        return station_id, kid, when, nonce, signature

    async def _body(self, request: web.Request) -> bytes:
        """The body, within the size limit and the time limit (a chunked body without end, or one
        that trickles in, is cut off)."""
        loop = asyncio.get_running_loop()
        limit, seconds = self.config.max_body, self.config.body_timeout
        deadline = loop.time() + seconds
        chunks, size = [], 0
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise Refusal(408, "too_slow", wire.TOO_SLOW, close=True, seconds=int(seconds))
            try:
                chunk = await asyncio.wait_for(request.content.readany(), left)
            except asyncio.TimeoutError:
                raise Refusal(408, "too_slow", wire.TOO_SLOW, close=True, seconds=int(seconds)) from None
            except Exception as exc:  # noqa: BLE001  (the connection broke while the body came)
                raise Refusal(400, "cut", wire.MALFORMED, close=True, why=f"connection broken: {type(exc).__name__}") from None
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise Refusal(413, "too_large", wire.TOO_LARGE, close=True, limit=limit)
            chunks.append(chunk)
        if request.content_length is not None and size != request.content_length:
            raise Refusal(400, "cut", wire.MALFORMED, close=True, why=f"body cut short ({size} of {request.content_length} bytes)")
        return b"".join(chunks)

    # ------------------------------------------------------------ rate limit (a token bucket per station)

    def _tokens(self, station_id: uuid.UUID) -> float:
        now = time.monotonic()
        tokens, at = self.buckets.get(station_id, (float(self.config.rate_burst), now))
        tokens = min(float(self.config.rate_burst), tokens + (now - at) * self.config.rate_per_minute / 60.0)
        self.buckets[station_id] = (tokens, now)
        return tokens

    def _wait_for_token(self, station_id: uuid.UUID) -> int:
        """Seconds until the station may make a request (0: now). Taken only once the request's
        signature holds, so nobody else can use up a station's requests."""
        tokens = self._tokens(station_id)
        if tokens >= 1.0:
            return 0
        return max(1, int((1.0 - tokens) * 60.0 / self.config.rate_per_minute + 0.999))

    def _take_token(self, station_id: uuid.UUID) -> None:
        tokens, at = self.buckets[station_id]
        self.buckets[station_id] = (tokens - 1.0, at)

    # ------------------------------------------------------------ applying

    async def _refused(self, request: web.Request, r: Refusal, who: str, station_id, t0: float) -> web.Response:
        self.counts["refused"] += 1
        log.warning(
            "refused status=%d reason=%s station=%s from=%s ms=%d: %s",
            r.status,
            r.reason,
            who,
            request.remote,
            (time.monotonic() - t0) * 1000,
            r.text(),
        )
        if station_id is not None and r.reason not in ("unknown_station",):
            try:
                await self._run("note_refusal", station_id, r.reason)
            except Exception:  # noqa: BLE001  (noting it is secondary; the refusal is still answered)
                log.exception("could not note the refusal of station %s", who)
        params = {k: str(v) for k, v in r.params.items()}
        resp = web.json_response({"error": r.reason, "message": r.message, "params": params}, status=r.status, headers=r.headers)
        if r.close:
            resp.force_close()
        return resp

    def _maybe_purge(self) -> None:
        now = time.monotonic()
        if now - self._purged < 600:
            return
        self._purged = now
        seconds = 2 * self.config.max_skew + 60
        if self.procs is None:
            self.pool.submit(self.jobs.purge, seconds)
        else:
            self.procs.submit(_in_worker, "purge", seconds)


# ---------------------------------------------------------------- running it


def tls_context(certfile: str, keyfile: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(certfile, keyfile)
    return ctx


def configure_logging(log_file: str | None) -> logging.Handler:
    """The service's log: a file (reopened when logrotate moves it) or standard error."""
    handler: logging.Handler = (
        logging.handlers.WatchedFileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("counterdesk.sync", "aiohttp"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    return handler


def serve(db: Database, host: str, port: int, config: Config, ssl_context: ssl.SSLContext | None = None) -> None:
    """Run the service until SIGTERM or SIGINT (systemd's stop, Ctrl+C)."""
    service = SyncService(db, config)
    service.start_processes()
    log.info(
        "serving on %s://%s:%d (body limit %d bytes, %s)",
        "https" if ssl_context else "http",
        host,
        port,
        config.max_body,
        f"{config.processes} worker processes" if config.processes > 1 else f"{config.workers} worker threads",
    )
    web.run_app(
        service.app(),
        host=host,
        port=port,
        ssl_context=ssl_context,
        access_log=access_log,
        print=None,
        shutdown_timeout=30,
    )
    log.info("stopped")


def wait_applied(db: Database, seconds: float = 60.0) -> bool:
    """Wait until the centre has applied every bundle it received whose turn has come (tests,
    benchmarks: the service applies them right after answering). True when it has."""
    deadline = time.monotonic() + seconds
    while core.stations_to_apply(db):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@contextmanager
def running(db: Database, config: Config | None = None, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None):
    """The service on a free port of `host` in a thread of its own (tests, benchmarks): yields its
    base URL; stopped when the block ends."""
    service = SyncService(db, config)
    service.start_processes()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    async def start() -> None:
        runner = web.AppRunner(service.app(), access_log=access_log)
        await runner.setup()
        site = web.TCPSite(runner, host, 0, ssl_context=ssl_context)
        await site.start()
        box["runner"] = runner
        box["port"] = runner.addresses[0][1]

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # noqa: BLE001  (told to the caller below)
            box["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(box["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=main, name="sync-service", daemon=True)
    thread.start()
    ready.wait(30)
    if "error" in box:
        raise box["error"]
    scheme = "https" if ssl_context else "http"
    try:
        yield f"{scheme}://{host}:{box['port']}"
    finally:
        asyncio.run_coroutine_threadsafe(service.drain(60), loop).result(65)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
