"""Issuing a long list of bills on two cores: worker processes compute, this process writes.

Issuing one bill is mostly Python (reading the account's values, pricing, making the rows, the
audit entry's text, settling a prepaid balance) and a little database work (SQLite's inserts,
the commit). One process does one after the other; here two worker processes read and compute
while this process writes what they computed, so the work runs side by side on the cores.
docs/BILLING.md, "Issuing on two cores", tells the rules; in short:

- Units of work are bills.issue_accounts' (BATCH accounts, one transaction each); a unit is cut
  into parts of PART accounts, part j computed by worker j mod WORKERS and sent in stored form
  (app.db.bulk.stored_rows), with its audit entries prepared (app.services.audit.prepare), its
  prepaid settlement planned (app.services.balance.plan_settlement) and the report summaries'
  sums (IssuedDelta). This process writes the parts in order, chains the audit entries
  (audit.append_prepared_sqlite) and commits at the unit's end. Progress and cancelling are
  looked at after every part.
- What a worker read must still be true when its bills are written. It reads a unit's values in
  one read transaction that begins while this process holds the write lock (during the unit
  before, or the unit itself for the first), so nothing but this process can have written since
  the previous commit; and PRAGMA data_version, asked on the one connection this process writes
  with at the end of a unit and at the start of the next, tells whether any other connection
  committed in between (a payment at a counter, a corrected reading). If one did, the workers'
  parts of that unit are thrown away and the unit is issued here from what the database says
  under the lock (bills.issue_unit_in), as without workers.
- Only where this holds and pays: SQLite (PostgreSQL's readers don't see another connection's
  lock), a store that does not sync (its rows would have to be noted for the outbox), a list
  without repeated accounts and of at least PIPELINE_MIN accounts (PIPELINE_MIN_CLEAN_START when
  the workers start from a clean process). A worker that cannot start or ends leaves its open
  unit and the rest to this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import threading
import traceback
import uuid
from datetime import date
from typing import Callable

from app.db.bulk import scaled, stored_rows, uuid_from_hex
from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, UserError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import BalanceEntry, Bill, BillLine
from app.services import audit, balance
from app.services.billing import bills
from app.services.billing.tariffs import TariffBook
from app.services.reports.summaries import IssuedDelta

log = logging.getLogger(__name__)

# Fewer accounts are issued in this process alone: starting the workers costs about 0.05 s forked and
# 0.6 s from a clean process (forkserver, spawn), what 300 and 3,000 bills take (docs/BILLING.md).
PIPELINE_MIN = 2000
PIPELINE_MIN_CLEAN_START = 10000
PART = 1000  # accounts per part a worker sends (progress and cancelling are looked at per part)
WORKERS = 2  # worker processes
AHEAD = 12  # parts a worker may have computed and not yet handed over (outlasting a unit's commit: docs/BILLING.md)
WORKER_NICENESS = 5  # added to the workers' nice value (Unix)

# Called (with the unit's number) after a unit's commit and before the next unit's BEGIN; tests set
# it to write from another connection there, as a counter could.
between_units: Callable[[int], None] | None = None


def can_pipeline(db: Database, account_nos: list[str], mp_context: str | None = None) -> bool:
    from app.db.outbox import station_of

    forked = _context(mp_context).get_start_method() == "fork"
    return (
        db.is_sqlite
        and bills._JSON_EACH
        and len(account_nos) >= (PIPELINE_MIN if forked else max(PIPELINE_MIN, PIPELINE_MIN_CLEAN_START))
        and len(set(account_nos)) == len(account_nos)
        and station_of(db) is None
    )


def _context(mp_context: str | None):
    methods = multiprocessing.get_all_start_methods()
    if mp_context in methods:
        return multiprocessing.get_context(mp_context)
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# ----------------------------------------------------------------- the worker process


def _worker(pipe, url: str, parent: int, actor: Actor, book: TariffBook, units: list, period: str, today: date | None) -> None:
    """A worker's loop: a unit's number k in, ("started", k) as soon as its read transaction has
    begun, then ("part", k, values) per part of the unit it was given and ("end", k); None ends it.
    `units` holds, per unit, this worker's parts (lists of account numbers): they come with the
    process, so what the writer sends is a few bytes and never waits for the worker to read it
    (both sending at once would wait for each other)."""
    from app.kernel.process import die_with_parent

    die_with_parent(parent)
    # A lower priority than the writer's process: that process (the window, when issuing from it) is
    # the one a clerk is waiting on, and the writer is issuing's bottleneck (2-3 % faster on 2 cores).
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    # No automatic garbage collection: a worker makes millions of short-lived containers next to a
    # large set of long-lived ones (the unit's accounts, readings, the priced sets), and the collector
    # kept walking the long-lived ones — a quarter of the worker's CPU (docs/BILLING.md). Objects are
    # freed by their reference counts as before; what a unit left in reference cycles is collected
    # after the unit (only the young objects are looked at).
    gc.disable()
    db = Database(url)
    quotes: dict = {}  # priced sets of values, kept across units (the tariff book is the run's)
    # Messages go out through a thread, up to AHEAD of them waiting: the worker computes on while the
    # writer commits (and waits on the disk) instead of waiting for it to take the next part.
    out: queue.Queue = queue.Queue(maxsize=AHEAD)

    def send() -> None:
        try:
            while (message := out.get()) is not None:
                pipe.send(message)
        except OSError:  # the writer is gone
            pass

    sender = threading.Thread(target=send, name="issuing-sender", daemon=True)
    sender.start()
    try:
        while (k := pipe.recv()) is not None:
            parts = units[k]
            try:
                with db.read() as s:
                    nos = [no for part in parts for no in part]
                    accounts, pre = bills._read_sqlite(s, nos, period, hex_keys=True)  # its first query begins the snapshot
                    out.put(("started", k))
                    pre.quotes = quotes
                    prepaid = [a.id for a in accounts.values() if a.balance_fen > 0]
                    open_rows = bills.open_bill_rows_sqlite(s, prepaid) if prepaid else {}
                    by_id = {a.id: a for a in accounts.values()}
                    for part in parts:
                        out.put(("part", k, _compute_part(s, actor, book, period, today, part, accounts, by_id, pre, open_rows)))
                out.put(("end", k))
                gc.collect(0)
            except Exception:  # noqa: BLE001  (reported to the writer, which raises it)
                out.put(("error", k, traceback.format_exc()))
    except (EOFError, KeyboardInterrupt):  # the writer is gone
        pass
    finally:
        out.put(None)
        sender.join(timeout=5)
        db.dispose()


def _compute_part(s, actor, book, period, today, nos, accounts, by_id, pre, open_rows) -> dict:
    """One part's bills computed as bills.issue_unit_in computes them, and everything it writes for
    them in stored form (see the module's text)."""
    dialect = s.get_bind().dialect
    computed, failed = [], []
    for no in nos:
        account = accounts.get(no)
        try:
            if account is None:
                raise NotFound(QT_TRANSLATE_NOOP("messages", "No account has the number {account_no}."), account_no=no)
            computed.append(bills.compute_bill(s, actor, book, account, period, today, pre=pre))
        except UserError as err:  # nothing of this account is written
            failed.append((no, err.message, err.field, err.params))
    delta_bills = []
    prepaid, rows = [], {}
    for c in computed:
        b = c.bill
        a = by_id[b["account_id"]]
        delta_bills.append(
            (
                a.service,
                a.reading_route,
                a.usage_category,
                b["amount_fen"],
                b["usage"],
                b["tariff_code"],
                [(ln["item"], ln["quantity"], ln["amount_fen"]) for ln in c.lines],
            )
        )
        if a.balance_fen > 0:
            # The new bill joins the account's open bills as the query would have found it, had it
            # been written (bills.open_bill_rows_sqlite: oldest first, only bills with something owed).
            mine = list(open_rows.get(a.id, ()))
            if b["amount_fen"] > 0:
                mine.append((b["id"].hex, a.id, period, scaled(3, b["usage"]), b["due_date"].isoformat(), b["amount_fen"], 0, 0, 0))
                mine.sort(key=lambda r: (r[4], r[2]))
            rows[a.id] = mine
            prepaid.append(a)
    collected: list = []
    owings = bills.owings_of_rows(s, prepaid, rows, today or local_today(), set())
    plan = balance.plan_settlement(actor, [(a, owings[a.id]) for a in prepaid], collected)
    # A new bill the balance pays is written paid, as the update settling makes would leave it (the
    # version moved too): one row written once instead of an insert and an update of its indexes.
    new = {c.bill["id"]: c.bill for c in computed} if plan.bill_rows else {}
    pay = []
    for r in plan.bill_rows:
        b = new.get(r["b_id"])
        if b is None:
            pay.append((r["b_paid"], r["b_fee"], r["b_status"], r["b_id"].hex))
        else:
            b["paid_fen"], b["late_fee_paid_fen"], b["status"], b["version"] = r["b_paid"], r["b_fee"], r["b_status"], b["version"] + 1
    delta = IssuedDelta()
    delta.add(delta_bills, collected)
    return {
        "bills": stored_rows(dialect, Bill.__table__, [c.bill for c in computed]),
        "lines": stored_rows(dialect, BillLine.__table__, [ln for c in computed for ln in c.lines]),
        "pay": pay,
        "balances": [(r["a_balance"], r["a_id"]) for r in plan.account_rows],  # hex keys (_read_sqlite)
        "entries": stored_rows(dialect, BalanceEntry.__table__, plan.entries),
        # A deduction's entry names its account by the key's text form, as everywhere (hex_keys read the 32 digits).
        "audit": audit.prepare(
            actor,
            bills.issue_audit_items(computed) + audit.render(s, [(a, e, str(uuid.UUID(hex=i)), b, f) for a, e, i, b, f in plan.items]),
        ),
        "delta": delta,
        "issued": [(c.bill["bill_no"], c.bill["amount_fen"], c.bill["id"].hex) for c in computed],
        "failed": failed,
    }


# ----------------------------------------------------------------- this process: the writer


class _WorkerGone(Exception):
    """A worker process ended before it said why (killed, out of memory, could not import)."""


class _Workers:
    """The worker processes; part j of every unit is computed by worker j % len(workers)."""

    def __init__(self, db: Database, actor: Actor, book: TariffBook, units: list, period: str, today: date | None, mp_context: str | None):
        ctx = _context(mp_context)
        n = max(1, min(WORKERS, len(units[0]) // PART))
        self.pipes, self.processes = [], []
        for w in range(n):
            mine = [[unit[i : i + PART] for i in range(w * PART, len(unit), n * PART)] for unit in units]
            pipe, child = ctx.Pipe()
            process = ctx.Process(
                target=_worker, args=(child, db.url, os.getpid(), actor, book, mine, period, today), name=f"issuing-worker-{w}", daemon=True
            )
            process.start()
            child.close()
            self.pipes.append(pipe)
            self.processes.append(process)

    def send(self, k: int) -> None:
        """Let the workers begin unit k (the writer holds the write lock whenever it calls this)."""
        for pipe in self.pipes:
            try:
                pipe.send(k)
            except OSError as exc:  # BrokenPipeError: the worker is gone
                raise _WorkerGone from exc

    def receive(self, k: int, kind: str, part: int | None = None):
        """The next message of the worker that computes `part` (of each worker in turn if None), which
        must be `kind` of unit k; a worker's error is raised here."""
        out = None
        for pipe in self.pipes if part is None else [self.pipes[part % len(self.pipes)]]:
            try:
                message = pipe.recv()
            except (EOFError, OSError) as exc:
                raise _WorkerGone from exc
            if message[0] == "error":
                raise RuntimeError(f"an issuing worker failed on unit {message[1]}:\n{message[2]}")
            if message[0] != kind or message[1] != k:
                raise RuntimeError(f"issuing worker: expected {kind} of unit {k}, got {message[0]} of unit {message[1]}")
            out = message[2] if len(message) > 2 else None
        return out

    def close(self, finished: bool) -> None:
        """End the workers: asked to, when they `finished` their tasks; at once otherwise (a cancel or
        an error left them in the middle of a unit, which nobody will read)."""
        if finished:
            for pipe in self.pipes:
                try:
                    pipe.send(None)
                except OSError:  # the worker is gone
                    pass
        for process in self.processes:
            if finished:
                process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        for pipe in self.pipes:
            pipe.close()


def _data_version(s) -> int:
    return s.connection().exec_driver_sql("PRAGMA data_version").scalar()


def _write_part(s, actor: Actor, part: dict) -> None:
    conn = s.connection()
    for sql, rows in (part["bills"], part["lines"]):
        if rows:
            conn.exec_driver_sql(sql, rows)
    if part["pay"]:
        conn.exec_driver_sql(balance.PAY_BILL_SQLITE, part["pay"])
    if part["balances"]:
        conn.exec_driver_sql(balance.SET_BALANCE_SQLITE, part["balances"])
    sql, rows = part["entries"]
    if rows:
        conn.exec_driver_sql(sql, rows)
    audit.append_prepared_sqlite(s, part["audit"])


def issue_pipelined(
    db: Database,
    actor: Actor,
    book: TariffBook,
    account_nos: list[str],
    period: str,
    today: date | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    result: bills.BatchResult,
    mp_context: str | None = None,
) -> int:
    """bills.issue_accounts' units with the computing in worker processes (the module's text); adds
    what it issued to `result`, sets result.cancelled when the clerk cancelled, and returns how many
    of the accounts it went through: fewer than all when a worker could not start or ended (killed,
    out of memory), whose open unit was rolled back, and the caller issues the rest itself."""
    units = [account_nos[i : i + bills.BATCH] for i in range(0, len(account_nos), bills.BATCH)]
    total, done = len(account_nos), 0
    try:
        worker = _Workers(db, actor, book, units, period, today, mp_context)
    except OSError:
        log.warning("issuing: the worker processes could not start; issuing in this process", exc_info=True)
        return 0
    finished = False
    collecting = gc.isenabled()
    gc.disable()  # as in the workers: the parts taken in are many young containers (about 5 % of the writer's CPU)
    try:
        with db.pinned() as conn:
            version = None  # data_version at the end of the last unit
            for k, unit in enumerate(units):
                if cancelled and cancelled():
                    result.cancelled = True
                    return done
                if k and between_units:
                    between_units(k)
                try:
                    with db.write(on=conn) as s:
                        bills._larger_cache(s)
                        if k == 0:
                            worker.send(0)
                            worker.receive(0, "started")
                        # Unit k's values were read while this connection held the lock (of unit k - 1,
                        # or of this one); true still if no other connection committed since.
                        intact = k == 0 or _data_version(s) == version
                        if k + 1 < len(units):
                            worker.send(k + 1)
                        issued, failed = _unit(
                            s, db, actor, book, unit, period, today, (done, total), progress, cancelled, worker, k, intact
                        )
                        if k + 1 < len(units):
                            worker.receive(k + 1, "started")  # its snapshot is taken before this commit
                        version = _data_version(s)
                except bills._Cancelled:  # the open unit rolled back; the units before it stay
                    result.cancelled = True
                    return done
                except _WorkerGone:  # the open unit rolled back; the caller goes on from it
                    log.warning("issuing: a worker process ended; issuing the rest in this process", exc_info=True)
                    return done
                result.add(issued, failed)
                done += len(unit)
                if progress:
                    progress(done, total)
            finished = True
    finally:
        worker.close(finished)
        if collecting:
            gc.enable()
    return done


def _unit(s, db, actor, book, unit, period, today, place, progress, cancelled, worker: _Workers, k: int, intact: bool):
    """Unit k written from the worker's parts, or (not `intact`) issued here with its parts thrown away."""
    if not intact:
        for j in range(0, (len(unit) + PART - 1) // PART):
            worker.receive(k, "part", j)
        worker.receive(k, "end")
        return bills.issue_unit_in(s, db, actor, book, unit, period, today, place, progress, cancelled)
    issued, failed = [], []
    delta = IssuedDelta()
    for j, i in enumerate(range(0, len(unit), PART)):
        if i:
            if cancelled and cancelled():
                raise bills._Cancelled
            if progress:
                progress(place[0] + i, place[1])
        part = worker.receive(k, "part", j)
        _write_part(s, actor, part)
        delta.merge(part["delta"])
        issued.extend((no, fen, uuid_from_hex(h)) for no, fen, h in part["issued"])
        for no, message, field, params in part["failed"]:
            err = UserError(message, field, **params)
            failed.append(bills.Failure(no, err.text(), err))
    worker.receive(k, "end")
    delta.write(s, period)
    return issued, failed
