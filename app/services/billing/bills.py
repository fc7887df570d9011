"""Issuing bills from readings and tariffs; void and reissue; arrears with late fees; waivers.

Each account's bill is its own unit of work, so a batch that fails part-way keeps the
bills it completed and reports the rest. Bills are never edited: a wrong bill is voided
with a reason and issued again (the new one points to the old one).
"""

from __future__ import annotations

import calendar
import json
import sqlite3
import uuid
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring as _json_text
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.bulk import insert_rows, pooled_id, uuid_from_hex
from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.localtime import local_today, to_local
from app.kernel.masking import mask_name
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import from_fen, to_fen
from app.models import Account, Bill, BillLine, Customer, Meter, Reading, Station, utcnow
from app.services import audit, balance, documents, search
from app.services.billing.late_fee import LateFeeRates, category_of, late_fee
from app.services.billing.pricing import price_period
from app.services.billing.readings import check_period, reason_text
from app.services.billing.tariffs import TariffBook
from app.services.payments.allocation import Owed
from app.services.reports import summaries

ZERO = Decimal(0)


@lru_cache(maxsize=64)
def period_dates(period: str) -> tuple[date, date]:
    y, m = int(period[:4]), int(period[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def tier_year_start(account: Account, day: date) -> date:
    """Start of the account's tier year containing `day` (default: 1 January)."""
    anchor = account.tier_year_start
    if anchor is None:
        return date(day.year, 1, 1)
    start = date(day.year, anchor.month, min(anchor.day, 28))
    return start if start <= day else date(day.year - 1, anchor.month, min(anchor.day, 28))


def _ytd(session: Session, account: Account, period: str, start: date, tier_period: str) -> Decimal:
    if tier_period != "year":
        return ZERO
    year_start = tier_year_start(account, start)
    account_id = account.id if isinstance(account.id, uuid.UUID) else uuid_from_hex(account.id)  # _read_sqlite's hex_keys
    total = session.scalar(
        select(func.coalesce(func.sum(Bill.usage), 0)).where(
            Bill.account_id == account_id, Bill.status != "void", Bill.period_start >= year_start, Bill.period < period
        )
    )
    return Decimal(total) if not isinstance(total, Decimal) else total


@dataclass
class Prefetched:
    """What a batch needs, loaded once per chunk of accounts instead of query by query."""

    meters: dict[uuid.UUID, list[Meter]] = field(default_factory=dict)
    readings: dict[tuple[uuid.UUID, str], Reading] = field(default_factory=dict)
    billed: set[uuid.UUID] = field(default_factory=set)  # accounts with a non-void bill for the period
    bill_counts: dict[uuid.UUID, int] = field(default_factory=dict)
    ytd: dict[uuid.UUID, Decimal] = field(default_factory=dict)  # for accounts whose tier year starts on 1 January
    quotes: dict[tuple, tuple] = field(default_factory=dict)  # priced sets of values (compute_bill, _priced)


def prefetch(session: Session, accounts: list[Account], period: str) -> Prefetched:
    ids = [a.id for a in accounts]
    start, _ = period_dates(period)
    pre = Prefetched()
    # Row-locked like a reading correction locks its meter: a bill is never computed from a reading
    # that is being corrected (PostgreSQL; SQLite's write transaction is exclusive anyway).
    # Plain rows, not ORM objects: a batch reads thousands and only looks at them (the attribute names
    # are the same, so compute_bill takes either).
    for m in session.execute(
        select(Meter.id, Meter.account_id, Meter.meter_no, Meter.registers, Meter.multiplier)
        .where(Meter.account_id.in_(ids), Meter.status == "active")
        .order_by(Meter.meter_no)
        .with_for_update()
    ):
        pre.meters.setdefault(m.account_id, []).append(m)
    meter_ids = [m.id for ms in pre.meters.values() for m in ms]
    if meter_ids:
        for r in session.execute(
            select(
                Reading.meter_id, Reading.register, Reading.usage, Reading.previous_reading, Reading.current_reading, Reading.rolled_over
            ).where(Reading.meter_id.in_(meter_ids), Reading.period == period)
        ):
            pre.readings[(r.meter_id, r.register)] = r
    for account_id, status, n in session.execute(
        select(Bill.account_id, Bill.status, func.count())
        .where(Bill.account_id.in_(ids), Bill.period == period)
        .group_by(Bill.account_id, Bill.status)
    ):
        pre.bill_counts[account_id] = pre.bill_counts.get(account_id, 0) + n
        if status != "void":
            pre.billed.add(account_id)
    for account_id, total in session.execute(
        select(Bill.account_id, func.sum(Bill.usage))
        .where(Bill.account_id.in_(ids), Bill.status != "void", Bill.period_start >= date(start.year, 1, 1), Bill.period < period)
        .group_by(Bill.account_id)
    ):
        pre.ytd[account_id] = total if isinstance(total, Decimal) else Decimal(total or 0)
    return pre


def _quantity(stored) -> Decimal | None:
    """A Quantity column's stored integer as the model reads it (app.models.types: thousandths);
    the values that recur (multipliers, quotas, small usages) made once."""
    if stored is None:
        return None
    value = _QUANTITIES.get(stored)
    if value is None:
        value = Decimal(int(stored)).scaleb(-3)
        if len(_QUANTITIES) < 50_000:
            _QUANTITIES[stored] = value
    return value


_QUANTITIES: dict[int, Decimal] = {}


_IssueAccount = namedtuple(
    "_IssueAccount",
    "id account_no status tariff_code tier_year_start tier_bound_extra free_quota due_days balance_fen service reading_route usage_category",
)


def _same(value):
    return value


_MeterRow = namedtuple("_MeterRow", "id account_id meter_no registers multiplier")
_ReadingRow = namedtuple("_ReadingRow", "meter_id register usage previous_reading current_reading rolled_over")


def _read_sqlite(
    session: Session, account_nos: list[str], period: str, hex_keys: bool = False
) -> tuple[dict[str, _IssueAccount], Prefetched]:
    """The batch's accounts and prefetch() on SQLite, with the driver: the same queries, each key list
    sent as one JSON array (json_each) instead of thousands of bound values, and the stored values
    turned into what the model's types give (UUIDs, dates, Quantity decimals, booleans) directly.
    With `hex_keys` the accounts' and meters' keys stay the 32 hex digits SQLite stores (and key
    the Prefetched maps): issuing's worker process only passes them on into rows it stores, and a
    string is made and hashed faster than a UUID (app.services.billing.issuing)."""
    key = _same if hex_keys else uuid_from_hex
    conn = session.connection()
    rows = conn.exec_driver_sql(
        "SELECT id, account_no, status, tariff_code, tier_year_start, tier_bound_extra, free_quota, due_days, balance_fen,"
        " service, reading_route, usage_category FROM accounts WHERE account_no IN (SELECT value FROM json_each(?))",
        (json.dumps(account_nos),),
    ).fetchall()
    accounts = {
        r[1]: _IssueAccount(
            key(r[0]), r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None, _quantity(r[5]), _quantity(r[6]), *r[7:]
        )
        for r in rows
    }
    keys = json.dumps([r[0] for r in rows])
    start, _ = period_dates(period)
    pre = Prefetched()
    meter_hex: list[str] = []
    for mid, aid, meter_no, registers, multiplier in conn.exec_driver_sql(
        "SELECT id, account_id, meter_no, registers, multiplier FROM meters"
        " WHERE account_id IN (SELECT value FROM json_each(?)) AND status = 'active' ORDER BY meter_no",
        (keys,),
    ).fetchall():
        m = _MeterRow(key(mid), key(aid), meter_no, registers, _quantity(multiplier))
        pre.meters.setdefault(m.account_id, []).append(m)
        meter_hex.append(mid)
    if meter_hex:
        ids = {h: key(h) for h in meter_hex} if not hex_keys else None
        for mid, register, usage, previous, current, rolled in conn.exec_driver_sql(
            "SELECT meter_id, register, usage, previous_reading, current_reading, rolled_over FROM readings"
            " WHERE meter_id IN (SELECT value FROM json_each(?)) AND period = ?",
            (json.dumps(meter_hex), period),
        ).fetchall():
            meter_id = ids[mid] if ids is not None else mid
            pre.readings[(meter_id, register)] = _ReadingRow(
                meter_id, register, _quantity(usage), _quantity(previous), _quantity(current), None if rolled is None else bool(rolled)
            )
    by_hex = {r[0]: a.id for r, a in zip(rows, accounts.values())}
    for aid, status, n in conn.exec_driver_sql(
        "SELECT account_id, status, count(*) FROM bills WHERE account_id IN (SELECT value FROM json_each(?)) AND period = ?"
        " GROUP BY account_id, status",
        (keys, period),
    ).fetchall():
        account_id = by_hex[aid]
        pre.bill_counts[account_id] = pre.bill_counts.get(account_id, 0) + n
        if status != "void":
            pre.billed.add(account_id)
    for aid, total in conn.exec_driver_sql(
        "SELECT account_id, sum(usage) FROM bills WHERE account_id IN (SELECT value FROM json_each(?)) AND status != 'void'"
        " AND period_start >= ? AND period < ? GROUP BY account_id",
        (keys, date(start.year, 1, 1).isoformat(), period),
    ).fetchall():
        pre.ytd[by_hex[aid]] = _quantity(total or 0)
    return accounts, pre


# One message per register, so the register is named in the clerk's language too.
MISSING_READING = {
    "total": QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no total reading for {period}."),
    "peak": QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no peak reading for {period}."),
    "flat": QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no flat reading for {period}."),
    "valley": QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no valley reading for {period}."),
    "sharp": QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no sharp-peak reading for {period}."),
}


def _shown_text(meter_no: str, register: str, r, multiplier: Decimal) -> str:
    """One register's reading as the bill's `readings` JSON holds it: json.dumps of {"meter_no",
    "register", "previous", "current", "multiplier", "usage", "rolled_over"} (the numbers as their
    text), written directly (issuing writes one per register of every bill;
    tests/test_billing_issue_texts.py holds it to json.dumps)."""
    return (
        f'{{"meter_no": {_json_text(meter_no)}, "register": {_json_text(register)}, "previous": "{r.previous_reading!s}",'
        f' "current": "{r.current_reading!s}", "multiplier": "{multiplier!s}", "usage": "{r.usage!s}",'
        f' "rolled_over": {_JSON_CONSTANTS[r.rolled_over]}}}'
    )


_JSON_CONSTANTS = {True: "true", False: "false", None: "null"}


def readings_text(shown: list[str]) -> str:
    """The bill's `readings` JSON from its registers' texts (_shown_text)."""
    return "[" + ", ".join(shown) + "]"


def issue_audit_text(after: dict) -> str:
    """The audit entry of an issued bill, `after` (compute_bill's audit_after) as app.services.audit.
    to_json writes it (sorted keys, no spaces, the decimals as strings), written directly;
    tests/test_billing_issue_texts.py holds it to to_json."""
    return (
        f'{{"account_no":{_json_text(after["account_no"])},"amount":"{after["amount"]!s}","bill_no":{_json_text(after["bill_no"])},'
        f'"period":{_json_text(after["period"])},"usage":"{after["usage"]!s}"}}'
    )


def _usage(session: Session, account: Account, period: str, pre: Prefetched | None = None) -> tuple[dict[str, Decimal], list[str]]:
    if pre is not None:
        meters = pre.meters.get(account.id, [])
    else:
        meters = session.scalars(
            select(Meter).where(Meter.account_id == account.id, Meter.status == "active").order_by(Meter.meter_no).with_for_update()
        ).all()
    if not meters:
        raise UserError(QT_TRANSLATE_NOOP("messages", "Account {account_no} has no meter in service."), account_no=account.account_no)
    per_register: dict[str, Decimal] = {}
    shown = []
    for m in meters:
        for reg in m.registers.split(","):
            if pre is not None:
                r = pre.readings.get((m.id, reg))
            else:
                r = session.scalar(select(Reading).where(Reading.meter_id == m.id, Reading.register == reg, Reading.period == period))
            if r is None:
                raise UserError(MISSING_READING.get(reg, MISSING_READING["total"]), meter_no=m.meter_no, register=reg, period=period)
            per_register[reg] = per_register.get(reg, ZERO) + r.usage
            shown.append(_shown_text(m.meter_no, reg, r, m.multiplier))
    return per_register, shown


def _bill_no(session: Session, account: Account, period: str, pre: Prefetched | None = None) -> str:
    if pre is not None:
        n = pre.bill_counts.get(account.id, 0)
    else:
        n = session.scalar(select(func.count()).select_from(Bill).where(Bill.account_id == account.id, Bill.period == period))
    return f"B{account.account_no}{period.replace('-', '')}{n + 1:02d}"


# A line's detail JSON per (kind, tier, register, period): the few kinds of line there are.
_DETAILS: dict[tuple, str] = {}


def _priced(quote) -> tuple[Decimal, int, list[dict]]:
    """A quote as a bill takes it: its total, the total in fen, and each line's stored values but
    its id and bill (one JSON text per kind of line)."""
    values = []
    for i, ln in enumerate(quote.lines):
        key = (ln.kind, ln.tier, ln.register, ln.period)
        detail = _DETAILS.get(key)
        if detail is None:
            detail = {"kind": ln.kind, "tier": ln.tier, "register": ln.register}
            if ln.period:
                detail["period"] = [ln.period[0].isoformat(), ln.period[1].isoformat()]
            detail = _DETAILS[key] = json.dumps(detail)
        values.append(
            dict(seq=i + 1, item=ln.item, quantity=ln.quantity, unit_price=ln.unit_price, amount_fen=to_fen(ln.amount), detail=detail)
        )
    total = quote.total
    return total, to_fen(total), values


_GOOD_PERIODS: set[str] = set()


@dataclass
class ComputedBill:
    """A bill ready to store: its row, its lines and its audit entry, computed without writing."""

    bill: dict
    lines: list[dict]
    audit_after: dict


def compute_bill(
    session: Session,
    actor: Actor,
    book: TariffBook,
    account: Account,
    period: str,
    today: date | None = None,
    replaces: uuid.UUID | None = None,
    pre: Prefetched | None = None,
) -> ComputedBill:
    """Price one account's period from its readings; UserError for anything that prevents a bill."""
    if period not in _GOOD_PERIODS:  # a batch checks its period once
        check_period(period)
        _GOOD_PERIODS.add(period)
    if account.status == "closed":
        raise UserError(QT_TRANSLATE_NOOP("messages", "Account {account_no} is closed."), account_no=account.account_no)
    already = (
        (account.id in pre.billed)
        if pre is not None
        else session.scalar(select(Bill.id).where(Bill.account_id == account.id, Bill.period == period, Bill.status != "void"))
    )
    if already:
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "Account {account_no} already has a bill for {period}."),
            account_no=account.account_no,
            period=period,
        )
    if not account.tariff_code:
        raise UserError(QT_TRANSLATE_NOOP("messages", "Account {account_no} has no tariff."), account_no=account.account_no)
    start, end = period_dates(period)
    registers, shown = _usage(session, account, period, pre)
    first = book.in_force(account.tariff_code, start)
    tier_period = first.tiers.period if first.tiers else "month"
    if pre is not None and account.tier_year_start is None and tier_period == "year":
        ytd = pre.ytd.get(account.id, ZERO)
    else:
        ytd = _ytd(session, account, period, start, tier_period)
    total_usage = sum(registers.values(), ZERO)
    # Pricing is a function of these values alone (pricing.price_period): a batch prices each
    # different set once. Equal Decimals written with other trailing zeros price to equal amounts and
    # quantities, stored alike (scaled integers).
    key = (
        account.tariff_code,
        start,
        tuple(sorted(registers.items())) if first.tou else total_usage,
        ytd,
        account.tier_bound_extra,
        account.free_quota,
    )
    priced = pre.quotes.get(key) if pre is not None else None
    if priced is None:
        priced = _priced(
            price_period(
                book,
                account.tariff_code,
                start,
                end,
                usage=None if first.tou else total_usage,
                registers=registers if first.tou else None,
                ytd=ytd,
                bound_extra=account.tier_bound_extra,
                free_quantity=account.free_quota,
            )
        )
        if pre is not None:
            pre.quotes[key] = priced
    total, amount_fen, line_values = priced
    issued = today or local_today()
    bill_id = pooled_id()
    bill = dict(
        id=bill_id,
        bill_no=_bill_no(session, account, period, pre),
        account_id=account.id,
        period=period,
        period_start=start,
        period_end=end,
        issued_at=utcnow(),
        due_date=issued + timedelta(days=account.due_days),
        tariff_code=account.tariff_code,
        usage=total_usage,
        amount_fen=amount_fen,
        paid_fen=0,
        late_fee_paid_fen=0,
        late_fee_waived=False,
        late_fee_waive_reason="",
        status="unpaid",
        void_reason="",
        voided_at=None,
        replaces_bill_id=replaces,
        print_count=0,
        clerk_id=actor.clerk_id,
        readings=readings_text(shown),
        ytd_before=ytd,
        version=1,
    )
    lines = [{"id": pooled_id(), "bill_id": bill_id, **values} for values in line_values]
    if pre is not None:
        pre.billed.add(account.id)
        pre.bill_counts[account.id] = pre.bill_counts.get(account.id, 0) + 1
    return ComputedBill(
        bill,
        lines,
        {"bill_no": bill["bill_no"], "account_no": account.account_no, "period": period, "usage": total_usage, "amount": total},
    )


def store_bills(session: Session, actor: Actor, computed: list[ComputedBill]) -> None:
    """Insert computed bills, their lines and one audit entry each, in bulk."""
    if not computed:
        return
    # Rows in their stored form with one executemany each (app.db.bulk): SQLAlchemy's per-row parameter
    # handling costs more than the database's writing of them.
    insert_rows(session, Bill.__table__, [c.bill for c in computed])
    lines = [ln for c in computed for ln in c.lines]
    if lines:
        insert_rows(session, BillLine.__table__, lines)
    audit.append_rendered(session, actor, issue_audit_items(computed))


def issue_audit_items(computed: list[ComputedBill]) -> list[tuple[str, str, str, str, str]]:
    """The issued bills' audit entries as app.services.audit.render makes them (issue_audit_text)."""
    return [("issue", "bill", str(c.bill["id"]), "", issue_audit_text(c.audit_after)) for c in computed]


def issue_in(
    session: Session,
    actor: Actor,
    book: TariffBook,
    account: Account,
    period: str,
    today: date | None = None,
    replaces: uuid.UUID | None = None,
    pre: Prefetched | None = None,
) -> Bill:
    """Compute and store one account's bill inside the caller's transaction."""
    computed = compute_bill(session, actor, book, account, period, today, replaces, pre)
    store_bills(session, actor, [computed])
    settled = settle_prepaid(session, actor, [account], today)
    summaries.refresh_issued(session, {account.reading_route}, period, settled)
    return session.get(Bill, computed.bill["id"])


def settle_prepaid(
    session: Session, actor: Actor, accounts: list[Account], today: date | None = None, collected: list | None = None
) -> set[tuple[str, str]]:
    """Accounts with a prepaid balance pay their new bills from it at once (oldest first). They are
    re-read under a row lock (a counter may be posting to one right now) and their open bills loaded
    500 accounts at a time: issuing is a hot path, and prepaid accounts can be many. Returns the
    (route, period) of every open bill that may have been paid so (for the report summaries); with
    `collected`, also what each deduction paid (balance.settle_from_balance)."""
    today = today or local_today()
    ids = sorted(a.id for a in accounts if a.balance_fen > 0)
    settled: set[tuple[str, str]] = set()
    for offset in range(0, len(ids), 500):
        # The accounts and their open bills as plain rows (settling reads them and writes with bulk statements).
        locked = session.execute(
            select(*_ISSUE_COLUMNS).where(Account.id.in_(ids[offset : offset + 500])).order_by(Account.id).with_for_update()
        ).all()
        if _JSON_EACH and session.get_bind().dialect.name == "sqlite":
            owings = _open_owings_sqlite(session, locked, today, settled)
        else:
            open_bills = _open_bills_of(session, locked, today, plain=True)
            settled.update((account.reading_route, bill.period) for account in locked for bill, *_ in open_bills[account.id])
            owings = {account.id: _owing(open_bills[account.id]) for account in locked}
        balance.settle_from_balance(session, actor, [(account, owings[account.id]) for account in locked], collected)
    if ids:  # loaded objects of these accounts and bills no longer say what the database does
        for obj in list(session.identity_map.values()):
            if isinstance(obj, (Account, Bill)):
                session.expire(obj)
    return settled


@dataclass
class Failure:
    account_no: str
    reason: str
    error: UserError | None = None


@dataclass
class BatchResult:
    issued: list[str] = field(default_factory=list)  # bill numbers
    bill_ids: list[uuid.UUID] = field(default_factory=list)  # the same bills, in the same (route) order
    failed: list[Failure] = field(default_factory=list)
    total_fen: int = 0
    cancelled: bool = False

    @property
    def total(self) -> Decimal:
        return from_fen(self.total_fen)

    def add(self, issued: list[tuple[str, int, uuid.UUID]], failed: list[Failure]) -> None:
        """A unit's (bill no., amount in fen, id) per bill issued, and its failures."""
        self.issued.extend(no for no, _, _ in issued)
        self.bill_ids.extend(bid for _, _, bid in issued)
        self.total_fen += sum(fen for _, fen, _ in issued)
        self.failed.extend(failed)


# Accounts per transaction. Each commit writes the index pages its bills touched and checkpoints
# them into the file; the fewer commits, the fewer times a page is written (issuing 100,000 bills:
# 4,407/s in units of 5,000, 5,428/s in units of 20,000; peak RSS 198 and 309 MB). Cancelling and
# progress do not wait for a unit's end: both are looked at every STEP accounts, and a cancel rolls
# the open unit back.
BATCH = 20000
STEP = 1000


class _Cancelled(Exception):
    """Raised inside a unit of work to roll it back when the clerk cancels."""


# SQLite's page cache while issuing (KiB; the default is 2 MB): a batch's inserts touch pages of every
# index of the bills, lines and audit tables, and re-reading them from the file costs more than the
# writing. It stays on the pooled connection that issued.
ISSUE_CACHE_KIB = 65536
# What issuing reads of an account (compute_bill, settle_prepaid and the summaries' deltas).
_ISSUE_COLUMNS = (
    Account.id,
    Account.account_no,
    Account.status,
    Account.tariff_code,
    Account.tier_year_start,
    Account.tier_bound_extra,
    Account.free_quota,
    Account.due_days,
    Account.balance_fen,
    Account.service,
    Account.reading_route,
    Account.usage_category,
)


_JSON_EACH = sqlite3.sqlite_version_info >= (3, 38)  # json_each built in


def _larger_cache(session: Session) -> None:
    conn = session.connection()
    if conn.exec_driver_sql("PRAGMA cache_size").scalar() > -ISSUE_CACHE_KIB:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{ISSUE_CACHE_KIB}")


def issue_accounts(
    db: Database,
    actor: Actor,
    account_nos: list[str],
    period: str,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    book: TariffBook | None = None,
    mp_context: str | None = None,
) -> BatchResult:
    """Issue one bill per account, committed in units of BATCH accounts. Each bill is computed
    completely before anything is written, so an account that fails (no reading, no tariff in force,
    ...) is reported and leaves no trace while the others are kept; a crash or a cancel loses at most
    the open unit, and a rerun skips what was issued. A long list on SQLite is computed in a worker
    process while this one writes (app.services.billing.issuing; `mp_context` "forkserver" starts it
    from a clean process, for a caller with threads like the window)."""
    check_period(period)
    from app.services.billing import issuing
    from app.services.billing.tariffs import load_book

    book = book or load_book(db)
    result = BatchResult()
    done = 0
    if issuing.can_pipeline(db, account_nos, mp_context):
        done = issuing.issue_pipelined(db, actor, book, account_nos, period, today, progress, cancelled, result, mp_context)
        if done == len(account_nos) or result.cancelled:
            return result
    for offset in range(done, len(account_nos), BATCH):
        if cancelled and cancelled():
            result.cancelled = True
            break
        chunk = account_nos[offset : offset + BATCH]
        try:
            with db.write() as s:
                result.add(*issue_unit_in(s, db, actor, book, chunk, period, today, (done, len(account_nos)), progress, cancelled))
        except _Cancelled:  # the open unit rolled back; the units before it stay
            result.cancelled = True
            break
        done += len(chunk)
        if progress:
            progress(done, len(account_nos))
    return result


def issue_unit_in(
    s: Session,
    db: Database,
    actor: Actor,
    book: TariffBook,
    chunk: list[str],
    period: str,
    today: date | None,
    place: tuple[int, int],
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[list[tuple[str, int, uuid.UUID]], list[Failure]]:
    """One unit of work of issue_accounts, inside the caller's `s` (also issuing's own, app.services.
    billing.issuing, when what its workers computed may no longer hold): the chunk's bills computed
    and stored, prepaid balances settled and the summaries' deltas added. Returns (bill no., amount
    in fen, id) per bill issued and the failures; raises _Cancelled (the caller rolls the unit back)
    when the clerk cancels. `place` is (accounts done before this unit, accounts in all) for the
    progress."""
    failed: list[Failure] = []
    if db.is_sqlite:
        _larger_cache(s)
    # The accounts as plain rows (compute_bill and settle_prepaid read only their attributes).
    if db.is_sqlite and _JSON_EACH:
        accounts, pre = _read_sqlite(s, chunk, period)
    else:
        accounts = {a.account_no: a for a in s.execute(select(*_ISSUE_COLUMNS).where(Account.account_no.in_(chunk)))}
        pre = prefetch(s, list(accounts.values()), period)
    computed: list[ComputedBill] = []
    for i, no in enumerate(chunk):
        if i and not i % STEP:
            if cancelled and cancelled():
                raise _Cancelled
            if progress:
                progress(place[0] + i, place[1])
        account = accounts.get(no)
        try:
            if account is None:
                raise NotFound(QT_TRANSLATE_NOOP("messages", "No account has the number {account_no}."), account_no=no)
            computed.append(compute_bill(s, actor, book, account, period, today, pre=pre))
        except UserError as err:  # nothing of this account was written
            failed.append(Failure(no, err.text(), err))
    store_bills(s, actor, computed)
    by_id = {a.id: a for a in accounts.values()}
    # What the summaries need is read before settling: settling expires the accounts it locks.
    delta = []
    for c in computed:
        a = by_id[c.bill["account_id"]]
        lines = [(ln["item"], ln["quantity"], ln["amount_fen"]) for ln in c.lines]
        delta.append((a.service, a.reading_route, a.usage_category, c.bill["amount_fen"], c.bill["usage"], c.bill["tariff_code"], lines))
    collected: list = []
    settle_prepaid(s, actor, [by_id[c.bill["account_id"]] for c in computed], today, collected)
    summaries.add_issued(s, period, delta, collected)
    return [(c.bill["bill_no"], c.bill["amount_fen"], c.bill["id"]) for c in computed], failed


def route_accounts(db: Database, route: str) -> list[str]:
    with db.read() as s:
        return list(
            s.scalars(
                select(Account.account_no)
                .where(Account.reading_route == route, Account.status != "closed")
                .order_by(Account.route_order, Account.account_no)
            )
        )


def issue_route(
    db: Database,
    actor: Actor,
    route: str,
    period: str,
    today: date | None = None,
    progress=None,
    cancelled=None,
    mp_context: str | None = None,
) -> BatchResult:
    nos = route_accounts(db, route)
    if not nos:
        raise ValidationError.single("route", QT_TRANSLATE_NOOP("messages", "Reading route {route} has no accounts."), route=route)
    return issue_accounts(db, actor, nos, period, today, progress, cancelled, mp_context=mp_context)


# ----------------------------------------------------------------- void, reissue, waive


def _supervisor(actor: Actor) -> None:
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can do this; ask a supervisor to approve it."))


def void_bill(db: Database, actor: Actor, bill_id: uuid.UUID, reason: str) -> None:
    _supervisor(actor)
    text = reason_text(reason)
    with db.write() as s:
        bill = s.get(Bill, bill_id)
        if bill is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This bill no longer exists."))
        if bill.status == "void":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Bill {bill_no} is already void."), bill_no=bill.bill_no)
        fee, principal, _qty = balance.deducted_from_balance(s, bill.id)
        if bill.paid_fen != principal or bill.late_fee_paid_fen != fee:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Bill {bill_no} has payments; reverse them before voiding the bill."), bill_no=bill.bill_no
            )
        # What the prepaid balance paid goes back to it; the reissued bill takes it again.
        account = s.scalar(select(Account).where(Account.id == bill.account_id).with_for_update())
        refunded = balance.refund_deductions(s, actor, account, bill)
        bill.status = "void"
        bill.void_reason = text
        bill.voided_at = utcnow()
        summaries.refresh(s, {account.reading_route}, {bill.period})
        audit.record(
            s, actor, "void", "bill", bill.id, after={"bill_no": bill.bill_no, "reason": text, "refunded_to_balance": from_fen(refunded)}
        )


def reissue_bill(db: Database, actor: Actor, bill_id: uuid.UUID, today: date | None = None) -> str:
    """Issue the voided bill's period again (after readings were corrected); returns the new bill number."""
    from app.services.billing.tariffs import load_book

    book = load_book(db)
    with db.write() as s:
        old = s.get(Bill, bill_id)
        if old is None or old.status != "void":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Only a void bill can be issued again."))
        account = s.get(Account, old.account_id)
        return issue_in(s, actor, book, account, old.period, today, replaces=old.id).bill_no


def waive_late_fee(db: Database, actor: Actor, bill_id: uuid.UUID, reason: str) -> None:
    _supervisor(actor)
    text = reason_text(reason)
    with db.write() as s:
        bill = s.get(Bill, bill_id)
        if bill is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This bill no longer exists."))
        bill.late_fee_waived = True
        bill.late_fee_waive_reason = text
        audit.record(s, actor, "waive_late_fee", "bill", bill.id, after={"bill_no": bill.bill_no, "reason": text})


# ----------------------------------------------------------------- what is owed


@dataclass
class ArrearsItem:
    bill_id: uuid.UUID
    bill_no: str
    period: str
    due_date: date
    usage: Decimal
    principal_fen: int  # outstanding principal
    late_fee_fen: int  # late fee to `today` on the outstanding principal (0 if waived or off)
    late_fee_waived: bool

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.late_fee_fen


_OPEN_BILL_COLUMNS = (
    Bill.id,
    Bill.bill_no,
    Bill.account_id,
    Bill.period,
    Bill.usage,
    Bill.due_date,
    Bill.amount_fen,
    Bill.paid_fen,
    Bill.late_fee_paid_fen,
    Bill.late_fee_waived,
    Bill.version,
)


def _open_bills_of(
    session: Session, accounts: list[Account], today: date, plain: bool = False
) -> dict[uuid.UUID, list[tuple[Bill, int, int]]]:
    """Per account: (bill, outstanding principal fen, late fee fen to `today`) of its open bills, oldest
    first; one query per 500 accounts and the late-fee rates read once per service. With `plain`, each
    bill is a plain row of the columns settling reads (_OPEN_BILL_COLUMNS), not an ORM object."""
    rates: dict[str, LateFeeRates] = {}
    out: dict[uuid.UUID, list[tuple[Bill, int, int]]] = {a.id: [] for a in accounts}
    by_id = {a.id: a for a in accounts}
    ids = list(by_id)
    for offset in range(0, len(ids), 500):
        query = (select(*_OPEN_BILL_COLUMNS) if plain else select(Bill)).where(
            Bill.account_id.in_(ids[offset : offset + 500]), Bill.status.in_(("unpaid", "partly_paid"))
        )
        for b in (session.execute if plain else session.scalars)(query.order_by(Bill.account_id, Bill.due_date, Bill.period)):
            outstanding = b.amount_fen - b.paid_fen
            if outstanding <= 0:
                continue
            account = by_id[b.account_id]
            if account.service not in rates:
                rates[account.service] = LateFeeRates.from_settings(session, account.service)
            fee = (
                ZERO
                if b.late_fee_waived
                else late_fee(from_fen(outstanding), b.due_date, today, category_of(account.usage_category), rates[account.service])
            )
            out[b.account_id].append((b, outstanding, max(0, to_fen(fee) - b.late_fee_paid_fen)))
    return out


_OpenBill = namedtuple("_OpenBill", "id account_id period usage due_date amount_fen paid_fen late_fee_paid_fen late_fee_waived")


class _LazyOpenItems:
    """One account's open bills as allocation items (Owed), oldest first, from their stored rows: a bill
    is turned into model values, and its late fee computed, only when allocation reaches it (a prepaid
    balance usually pays the newest bill or two of many open ones). The bills reached are kept in
    `bills` (Owing.bills) by id."""

    __slots__ = ("rows", "bills", "account", "today", "rates", "session")

    def __init__(self, rows: list, bills: dict, account, today: date, rates: dict, session: Session) -> None:
        self.rows, self.bills, self.account, self.today, self.rates, self.session = rows, bills, account, today, rates, session

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __iter__(self):
        account = self.account
        for bid, aid, period, usage, due, amount, paid, fee_paid, waived in self.rows:
            b = _OpenBill(
                uuid_from_hex(bid), account.id, period, _quantity(usage), date.fromisoformat(due), amount, paid, fee_paid, bool(waived)
            )
            outstanding = amount - paid
            if b.late_fee_waived:
                fee = ZERO
            else:
                rates = self.rates.get(account.service)
                if rates is None:
                    rates = self.rates[account.service] = LateFeeRates.from_settings(self.session, account.service)
                fee = late_fee(from_fen(outstanding), b.due_date, self.today, category_of(account.usage_category), rates)
            self.bills[b.id] = b
            yield Owed(b.id, max(0, to_fen(fee) - fee_paid), outstanding, b.usage, amount)


_OPEN_BILL_ROWS_SQLITE = (
    "SELECT id, account_id, period, usage, due_date, amount_fen, paid_fen, late_fee_paid_fen, late_fee_waived FROM bills"
    " WHERE account_id IN (SELECT value FROM json_each(?)) AND status IN ('unpaid', 'partly_paid') AND amount_fen > paid_fen"
    " ORDER BY account_id, due_date, period"
)


def open_bill_rows_sqlite(session: Session, account_hex: list[str]) -> dict[str, list]:
    """The stored rows of these accounts' open bills (id, account id, period, usage, due date, amount,
    paid, late fee paid, waived; as SQLite stores them), oldest first, per account (by its hex key):
    one query, the key list as one JSON array."""
    rows: dict[str, list] = {h: [] for h in account_hex}
    for r in session.connection().exec_driver_sql(_OPEN_BILL_ROWS_SQLITE, (json.dumps(account_hex),)).fetchall():
        rows[r[1]].append(r)
    return rows


def owings_of_rows(session: Session, accounts: list, rows: dict[str, list], today: date, settled: set) -> dict[uuid.UUID, Owing]:
    """Each account's Owing from its open bills' stored rows (open_bill_rows_sqlite's, oldest first),
    each bill made into values and its late fee computed only when allocation reaches it
    (_LazyOpenItems). Adds the (route, period) of every open bill to `settled`."""
    rates: dict[str, LateFeeRates] = {}
    out = {}
    for account in accounts:
        mine = rows.get(account.id if type(account.id) is str else account.id.hex, ())
        settled.update((account.reading_route, r[2]) for r in mine)
        bills: dict = {}
        out[account.id] = Owing(_LazyOpenItems(mine, bills, account, today, rates, session), bills)
    return out


def _open_owings_sqlite(session: Session, accounts: list, today: date, settled: set) -> dict[uuid.UUID, Owing]:
    """_owing(_open_bills_of(...)) of each account on SQLite with the driver (open_bill_rows_sqlite,
    owings_of_rows)."""
    return owings_of_rows(session, accounts, open_bill_rows_sqlite(session, [a.id.hex for a in accounts]), today, settled)


def _open_bills(session: Session, account: Account, today: date) -> list[tuple[Bill, int, int]]:
    """(bill, outstanding principal fen, late fee fen to `today`) of the open bills, oldest first."""
    return _open_bills_of(session, [account], today)[account.id]


def _arrears(rows: list[tuple[Bill, int, int]]) -> list[ArrearsItem]:
    return [
        ArrearsItem(b.id, b.bill_no, b.period, b.due_date, b.usage, outstanding, fee, b.late_fee_waived) for b, outstanding, fee in rows
    ]


def arrears_in(session: Session, account: Account, today: date) -> list[ArrearsItem]:
    return _arrears(_open_bills(session, account, today))


@dataclass
class Owing:
    """What an account owes, oldest first, in the form payments are allocated to; it holds the
    loaded bills, so settling them needs no second query (the session's identity map is weak)."""

    items: list[Owed]
    bills: dict[uuid.UUID, Bill]


def _owing(rows: list[tuple[Bill, int, int]]) -> Owing:
    return Owing([Owed(b.id, fee, outstanding, b.usage, b.amount_fen) for b, outstanding, fee in rows], {b.id: b for b, _, _ in rows})


def owed_in(session: Session, account: Account, today: date, plain: bool = False) -> Owing:
    """What the account owes; with `plain`, its bills are plain rows of the columns settling reads and
    writes by (_OPEN_BILL_COLUMNS, with the version), not ORM objects: for a payment that writes them
    with built statements (posting._write_together), where loading objects cost more than the query."""
    return _owing(_open_bills_of(session, [account], today, plain)[account.id])


def owed_in_many(session: Session, accounts: list[Account], today: date) -> dict[uuid.UUID, Owing]:
    """owed_in of many accounts at once (one query per 500 accounts, late-fee rates read once)."""
    out: dict[uuid.UUID, Owing] = {}
    for offset in range(0, len(accounts), 500):
        for account_id, rows in _open_bills_of(session, accounts[offset : offset + 500], today).items():
            out[account_id] = _owing(rows)
    return out


def account_arrears(db: Database, account_id: uuid.UUID, today: date | None = None) -> list[ArrearsItem]:
    """Open bills of the account, oldest first, each with its late fee to today."""
    with db.read() as s:
        account = s.get(Account, account_id)
        if account is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
        return arrears_in(s, account, today or local_today())


@dataclass
class BillRow:
    id: uuid.UUID
    bill_no: str
    account_no: str
    period: str
    usage: Decimal
    amount_fen: int
    paid_fen: int
    due_date: date
    status: str
    late_fee_fen: int
    print_count: int
    overdue: bool = False  # open and past its due date (shown in dark red)


def customer_bills(db: Database, customer_id: uuid.UUID, limit: int = 24, today: date | None = None) -> list[BillRow]:
    """Recent bills of all the customer's accounts, newest first, with today's late fee on open ones."""
    today = today or local_today()
    with db.read() as s:
        accounts = {a.id: a for a in s.scalars(select(Account).where(Account.customer_id == customer_id))}
        if not accounts:
            return []
        bills = s.scalars(
            select(Bill).where(Bill.account_id.in_(list(accounts))).order_by(Bill.period.desc(), Bill.bill_no.desc()).limit(limit)
        ).all()
        fees = {}
        for a in accounts.values():
            for item in arrears_in(s, a, today):
                fees[item.bill_id] = item.late_fee_fen
        printed = documents.copies_in(s, "bill", [b.bill_no for b in bills])
        return [
            BillRow(
                b.id,
                b.bill_no,
                accounts[b.account_id].account_no,
                b.period,
                b.usage,
                b.amount_fen,
                b.paid_fen,
                b.due_date,
                b.status,
                fees.get(b.id, 0),
                printed.get(b.bill_no, 0),
                b.status in ("unpaid", "partly_paid") and b.due_date < today,
            )
            for b in bills
        ]


# ----------------------------------------------------------------- printing


def _document(
    bill: Bill,
    account: Account,
    lines: list[BillLine],
    owed: list[ArrearsItem],
    deducted: tuple[int, int, Decimal],
    station: Station | None,
    company: str,
    hotline: str,
    tr,
    reprint: int = 0,
    book: TariffBook | None = None,
):
    """A BillDocument from loaded rows: one bill printed alone or a route's bills print the same."""
    from app.printing.billing.bill_pdf import BillDocument, MeterRow, PrintedLine
    from app.services.billing.pricing import PriceLine, item_label

    printed = []
    for ln in lines:
        detail = json.loads(ln.detail or "{}")
        pl = PriceLine(
            ln.item,
            ln.quantity,
            ln.unit_price,
            from_fen(ln.amount_fen),
            detail.get("kind", ""),
            detail.get("tier"),
            detail.get("register"),
            tuple(date.fromisoformat(d) for d in detail["period"]) if detail.get("period") else None,
        )
        printed.append(PrintedLine(item_label(pl, tr), ln.quantity, ln.unit_price, from_fen(ln.amount_fen)))
    others = [a for a in owed if a.bill_id != bill.id and a.period < bill.period]
    own = next((a for a in owed if a.bill_id == bill.id), None)
    earlier = sum(a.principal_fen for a in others)
    fees = sum(a.late_fee_fen for a in others) + (own.late_fee_fen if own else 0)
    _fee, prepaid_used, prepaid_quantity = deducted  # the charges the prepaid balance paid are part of paid_fen
    meters = [
        MeterRow(
            r["meter_no"],
            r["register"],
            Decimal(r["previous"]),
            Decimal(r["current"]),
            Decimal(r["multiplier"]),
            Decimal(r["usage"]),
            bool(r["rolled_over"]),
        )
        for r in json.loads(bill.readings or "[]")
    ]
    tariff_name, tier_bounds = bill.tariff_code, ()
    if book is not None:
        try:
            tariff = book.in_force(bill.tariff_code, bill.period_end)
        except UserError:
            tariff = None
        if tariff is not None:
            tariff_name = tariff.name or bill.tariff_code
            if tariff.tiers and tariff.tiers.period == "year":  # where the year's usage stands against the annual tiers
                tier_bounds = tuple(b + account.tier_bound_extra * 12 for b in tariff.tiers.bounds)
    return BillDocument(
        company=company,
        hall=station.name if station else "",
        hall_phone=station.hall_phone if station else "",
        bill_no=bill.bill_no,
        account_no=account.account_no,
        account_name=mask_name(account.account_name),
        supply_address=account.supply_address,
        period=bill.period,
        period_start=bill.period_start,
        period_end=bill.period_end,
        tariff=tariff_name,
        unit="m3" if account.service == "water" else "kWh",
        meters=meters,
        lines=printed,
        amount=from_fen(bill.amount_fen),
        paid=from_fen(bill.paid_fen - prepaid_used),
        arrears=from_fen(earlier),
        late_fee=from_fen(fees),
        prepaid_used=from_fen(prepaid_used),
        prepaid_quantity=prepaid_quantity,
        balance_left=from_fen(account.balance_fen),
        total_due=from_fen(bill.amount_fen - bill.paid_fen + earlier + fees),
        due_date=bill.due_date,
        issue_date=to_local(bill.issued_at).date(),
        ytd_before=bill.ytd_before,
        reprint=reprint,
        void=bill.status == "void",
        hotline=hotline,
        usage=bill.usage,
        tier_bounds=tier_bounds,
    )


def bill_document(db: Database, bill_id: uuid.UUID, today: date | None = None, tr=None):
    """The plain data of a printed bill (app.printing.billing.bill_pdf.BillDocument)."""
    from app.printing.labels import ts_translator
    from app.services.settings import get as setting

    tr = tr or ts_translator("zh_CN")
    today = today or local_today()
    with db.read() as s:
        bill = s.get(Bill, bill_id)
        if bill is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This bill no longer exists."))
        account = s.get(Account, bill.account_id)
        customer = s.get(Customer, account.customer_id)
        station = s.get(Station, customer.station_id) if customer.station_id else s.scalar(select(Station).limit(1))
        return _document(
            bill,
            account,
            list(bill.lines),
            arrears_in(s, account, today),
            balance.deducted_from_balance(s, bill.id),
            station,
            station.company_name or str(setting(s, "company.name")),
            str(setting(s, "hall.phone") or ""),
            tr,
            documents.copies_in(s, "bill", [bill.bill_no]).get(bill.bill_no, 0),
            TariffBook.from_session(s),
        )


def mark_printed(db: Database, actor: Actor, bill_id: uuid.UUID) -> int:
    """Count a print of a bill that went out; returns the reprint number its paper showed (0 = the original).
    (Printing itself goes through app.services.documents: prepare, deliver, mark printed.)"""
    with db.read() as s:
        number = s.scalar(select(Bill.bill_no).where(Bill.id == bill_id))
    if number is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This bill no longer exists."))
    copy = documents.copies(db, "bill", number)
    documents.count_print(db, actor, "bill", number, bill_id, copy)
    return copy


def find_bill(db: Database, bill_no: str) -> uuid.UUID | None:
    with db.read() as s:
        return s.scalar(select(Bill.id).where(Bill.bill_no == bill_no))


def _resolve_bill(session: Session, text: str):
    if not text.startswith("B"):
        return None
    account_id = session.scalar(select(Bill.account_id).where(Bill.bill_no == text))
    return search.result_for_account(session, account_id, "bill") if account_id else None


search.register_number_resolver(_resolve_bill)


# The columns _document reads (route_documents loads these alone).
_ROUTE_BILL = (
    Bill.id,
    Bill.bill_no,
    Bill.account_id,
    Bill.period,
    Bill.period_start,
    Bill.period_end,
    Bill.issued_at,
    Bill.due_date,
    Bill.tariff_code,
    Bill.usage,
    Bill.amount_fen,
    Bill.paid_fen,
    Bill.status,
    Bill.readings,
    Bill.ytd_before,
)
_ROUTE_LINE = (BillLine.bill_id, BillLine.item, BillLine.quantity, BillLine.unit_price, BillLine.amount_fen, BillLine.detail)
_ROUTE_ACCOUNT = (
    Account.id,
    Account.account_no,
    Account.account_name,
    Account.supply_address,
    Account.service,
    Account.usage_category,
    Account.balance_fen,
    Account.tier_bound_extra,
)


def route_documents(db: Database, bill_ids: list[uuid.UUID], today: date | None = None, tr=None, chunk: int = 500):
    """BillDocuments for many bills, loaded a chunk at a time in this process: yields in order. (A route
    printed by print_bills is read by its workers, RouteLoader, through the same _route_head and
    _route_chunk; this is the one-process reading, for a sample of bills and for comparing with it.)"""
    from app.printing.labels import ts_translator

    tr = tr or ts_translator("zh_CN")
    today = today or local_today()
    with db.read() as s:
        head = _route_head(s)
    for offset in range(0, len(bill_ids), chunk):
        yield from _route_chunk(db, bill_ids[offset : offset + chunk], today, tr, head)


def _route_head(s: Session) -> tuple:
    """What every bill of a route prints alike: (hall, company name, hall phone, tariff book)."""
    from app.services.settings import get as setting

    station = s.scalar(select(Station).limit(1))
    return station, station.company_name if station else "", str(setting(s, "hall.phone") or ""), TariffBook.from_session(s)


def _route_chunk(db: Database, ids: list[uuid.UUID], today: date, tr, head: tuple):
    """The BillDocuments of `ids`, in that order, read in one transaction. Plain rows of the columns
    _document reads, not ORM objects: loading whole objects took a twentieth of a route's CPU time."""
    station, company, hotline, book = head
    with db.read() as s:
        rows = {b.id: b for b in s.execute(select(*_ROUTE_BILL).where(Bill.id.in_(ids)))}
        lines: dict[uuid.UUID, list] = {}
        for ln in s.execute(select(*_ROUTE_LINE).where(BillLine.bill_id.in_(ids)).order_by(BillLine.seq)):
            lines.setdefault(ln.bill_id, []).append(ln)
        accounts = {a.id: a for a in s.execute(select(*_ROUTE_ACCOUNT).where(Account.id.in_({b.account_id for b in rows.values()})))}
        arrears = {aid: _arrears(open_rows) for aid, open_rows in _open_bills_of(s, list(accounts.values()), today, plain=True).items()}
        deducted = balance.deducted_for_bills(s, ids)
        printed = documents.copies_in(s, "bill", [b.bill_no for b in rows.values()])
        for bid in ids:
            bill = rows[bid]
            yield _document(
                bill,
                accounts[bill.account_id],
                lines.get(bid, []),
                arrears[bill.account_id],
                deducted.get(bid, (0, 0, Decimal(0))),
                station,
                company,
                hotline,
                tr,
                printed.get(bill.bill_no, 0),
                book,
            )


# One printing worker's store and route head, for the route (RouteLoader.token) it is printing.
_worker_route: dict[str, tuple] = {}


@dataclass(frozen=True)
class RouteLoader:
    """A route's bills loaded by the printing workers themselves (render_route's `load`): the parent
    hands each worker a chunk of bill ids, and the worker reads them as route_documents would. The
    parent then only hands out ids and joins volumes; loading there, and pickling the documents to the
    workers, took the cores from the rendering (docs/PRINTING.md). Picklable: the store's URL, the day
    late fees run to, the words on paper (labels.Words), and a token naming the route, under which a
    worker keeps its connection and what every bill prints alike."""

    url: str
    today: date
    words: object
    token: str

    def __call__(self, ids: list[uuid.UUID]) -> list:
        kept = _worker_route.get(self.token)
        if kept is None:
            for db, _head in _worker_route.values():
                db.dispose()
            _worker_route.clear()
            db = Database(self.url)
            with db.read() as s:
                kept = _worker_route[self.token] = (db, _route_head(s))
        db, head = kept
        return list(_route_chunk(db, ids, self.today, self.words, head))


def route_loader(db: Database, today: date | None = None, tr=None) -> RouteLoader:
    """The loader of a route's bills for render_route's workers, in `tr`'s words (Chinese by default)."""
    from app.printing.labels import Words, ts_translator

    return RouteLoader(db.url, today or local_today(), Words(tr or ts_translator("zh_CN")), uuid.uuid4().hex)


def bills_of_period(db: Database, period: str, route: str | None = None, account_no: str | None = None) -> list[uuid.UUID]:
    """The period's bills that are not void, in route order (of one route or one account when given)."""
    with db.read() as s:
        q = select(Bill.id).join(Account, Account.id == Bill.account_id).where(Bill.period == period, Bill.status != "void")
        if route:
            q = q.where(Account.reading_route == route)
        if account_no:
            q = q.where(Account.account_no == account_no)
        return list(s.scalars(q.order_by(Account.reading_route, Account.route_order, Account.account_no)))


def mark_printed_many(db: Database, actor: Actor, printed, archived: str = "") -> None:
    """Count the prints of many bills at once (a route volume, once it is written): one bulk upsert in
    document_prints and one audit entry per bill naming the reprint number on its paper and the archived volume."""
    printed = list(printed)
    ids: dict[str, uuid.UUID] = {}
    with db.read() as s:
        for offset in range(0, len(printed), 500):
            nos = [p.bill_no for p in printed[offset : offset + 500]]
            ids.update(s.execute(select(Bill.bill_no, Bill.id).where(Bill.bill_no.in_(nos))).all())
    documents.mark_printed_many(db, actor, "bill", [(p.bill_no, str(ids.get(p.bill_no, "")), p.reprint) for p in printed], archived)


@dataclass
class PrintResult:
    count: int  # bills printed (and counted)
    files: list  # the PDF file(s) written: one, or volumes NAME-v001.pdf ...
    archived: list  # their archived copies
    reprints: int = 0  # how many of the bills were printed before (their paper says 重打)
    cancelled: bool = False


def print_bills(
    db: Database,
    actor: Actor,
    bill_ids: list[uuid.UUID],
    out_path,
    paper: str = "A5",
    label: str = "bills",
    today: date | None = None,
    tr=None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    volume: int = 5000,
    chunk: int = 200,
    workers: int | None = None,
    mp_context: str | None = None,
) -> PrintResult:
    """Print many bills (a route) into one PDF or volumes of 5,000 bills; each volume is archived under
    archive/bill-route/ as soon as it is written, and its bills are counted as printed then, so a later
    print of any of them says 重打. Memory stays bounded: bills are loaded, rendered and counted a chunk
    or a volume at a time."""
    from app.printing.archive import archive_pdf, archive_stamp
    from app.printing.billing.bill_pdf import render_route

    if not bill_ids:
        raise UserError(QT_TRANSLATE_NOOP("messages", "There are no bills to print."))
    if paper not in ("A4", "A5"):
        raise ValidationError.single("paper", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    stamp = archive_stamp()  # station time; two prints of a route never share a name
    archived: list = []
    reprints = 0

    def volume_done(files, printed) -> None:
        nonlocal reprints
        names = []
        for f in files:
            number = f"{label}_{stamp}" + (f"_{f.stem.rsplit('-', 1)[-1]}" if f.stem != Path(out_path).stem else "")
            archived.append(archive_pdf("bill-route", number, f.read_bytes()))  # a volume is ~10 MB: one at a time
            names.append(archived[-1].name)
        reprints += sum(1 for p in printed if p.reprint)
        mark_printed_many(db, actor, printed, ", ".join(names))

    out = render_route(
        bill_ids,
        out_path,
        load=route_loader(db, today, tr),
        paper=paper,
        on_volume=volume_done,
        progress=progress,
        cancelled=cancelled,
        volume=volume,
        chunk=chunk,
        workers=workers,
        mp_context=mp_context,
        tr=tr,
    )
    return PrintResult(out.count, out.files, archived, reprints, out.cancelled)
