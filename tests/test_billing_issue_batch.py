"""Issuing a route in batches (bills.issue_accounts: bulk statements, summaries as deltas) writes exactly
what issuing each bill in its own unit of work does (bills.issue_in, the per-bill path kept as the
reference): the same bills, lines, prepaid deductions, balances, audit entries and report summaries.
Two routes of twin accounts (same tariffs, household rules, readings and prepaid money; seeded) are
issued for two months, route RA bill by bill and route RB in batches, and compared — on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import os
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from app.kernel.errors import UserError
from app.models import Account, AuditEntry, BalanceEntry, Bill, BillLine, BillSummary, CollectedSummary, SalesSummary
from app.services import audit
from app.services import customers as cs
from app.services.billing import bills, issuing, readings, tariffs
from app.services.payments import posting
from app.services.reports import summaries

# (tariff, registers of its meter, service, usage category)
KINDS = [
    ("ZJ-RES-Y", "total", "electricity", "residential"),
    ("SD-RES-M", "total", "electricity", "residential"),
    ("ZJ-RES-TOU", "peak,valley", "electricity", "residential"),
    ("ZJ-COM", "total", "electricity", "general_commercial"),
    ("ZJ-COM-TOU", "sharp,peak,flat,valley", "electricity", "general_commercial"),
    ("LA-WATER-RES", "total", "water", "residential"),
]
TWINS = 14
A, B = ("RA", "330111", "33019901"), ("RB", "330122", "33019902")  # route, account and meter number prefixes


def _build(db, clerk, rng):
    """Twin accounts on routes RA and RB; returns [(spec, meter ids {route: id}, account ids {route: id})]."""
    out = []
    for i in range(TWINS):
        code, registers, service, category = rng.choice(KINDS)
        spec = {
            "code": code,
            "registers": registers.split(","),
            "free": rng.choice(["0", "0", "15"]) if code == "SD-RES-M" else "0",
            "extra": rng.choice(["0", "50"]) if code in ("ZJ-RES-Y", "SD-RES-M") else "0",
            "prepay": [rng.choice([None, None, "30", "120", "900"]) for _ in range(2)],
            "skip": i == 5,  # no October reading: refused the same way on both paths
        }
        meters, accounts = {}, {}
        for route, acc_prefix, meter_prefix in (A, B):
            cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"孪生{i}"))
            accounts[route] = cs.create_account(
                db,
                clerk,
                cid,
                cs.AccountInput(
                    account_no=f"{acc_prefix}{i:04d}",
                    supply_address=f"幸福路{i}号",
                    service=service,
                    usage_category=category,
                    reading_route=route,
                    route_order=str(i),
                    tariff_code=code,
                    tier_bound_extra=spec["extra"],
                    free_quota=spec["free"],
                ),
            )
            meters[route] = cs.create_meter(
                db, clerk, accounts[route], cs.MeterInput(meter_no=f"{meter_prefix}{i:05d}", registers=registers, initial_reading="1000")
            )
        spec["usage"] = {p: {r: rng.randrange(0, 900) for r in spec["registers"]} for p in ("2026-09", "2026-10")}
        out.append((spec, meters, accounts))
    return out


def _read_and_prepay(db, clerk, twins, period, n):
    for spec, meters, accounts in twins:
        for route in (A[0], B[0]):
            if spec["prepay"][n]:
                key = f"prepay-{route}-{accounts[route]}-{n}"
                posting.post_payment(db, clerk, accounts[route], spec["prepay"][n], "cash", key, spec["prepay"][n], today=date(2026, 9, 1))
            if period == "2026-10" and spec["skip"]:
                continue
            for reg in spec["registers"]:
                current = 1000 + sum(spec["usage"][p][reg] for p in spec["usage"] if p <= period)
                readings.record_reading(
                    db, clerk, meters[route], reg, period, str(current), read_on=date(2026, int(period[5:]), 26), confirm_high=True
                )


def _one_by_one(db, clerk, nos, period, today):
    """The reference: each account's bill in its own unit of work, as issue_in (reissuing) writes it."""
    book = tariffs.load_book(db)
    issued, failed = [], []
    for no in nos:
        try:
            with db.write() as s:
                account = s.scalar(select(Account).where(Account.account_no == no))
                issued.append(bills.issue_in(s, clerk, book, account, period, today).bill_no)
        except UserError as err:
            failed.append((no, err.text()))
    return issued, failed


def _snapshot(db, route) -> str:
    """Everything issuing wrote for a route, with ids named by their numbers, as JSON text."""
    with db.read() as s:
        accounts = {a.id: a for a in s.scalars(select(Account).where(Account.reading_route == route))}
        bill_rows = s.scalars(select(Bill).where(Bill.account_id.in_(list(accounts))).order_by(Bill.bill_no)).all()
        names = {str(b.id): b.bill_no for b in bill_rows} | {str(a.id): a.account_no for a in accounts.values()}
        out = {"accounts": sorted((a.account_no, a.balance_fen) for a in accounts.values()), "bills": [], "entries": [], "audit": []}
        for b in bill_rows:
            lines = s.scalars(select(BillLine).where(BillLine.bill_id == b.id).order_by(BillLine.seq)).all()
            out["bills"].append(
                [
                    b.bill_no,
                    accounts[b.account_id].account_no,
                    b.period,
                    str(b.period_start),
                    str(b.period_end),
                    str(b.due_date),
                    b.tariff_code,
                    str(b.usage),
                    b.amount_fen,
                    b.paid_fen,
                    b.late_fee_paid_fen,
                    b.status,
                    b.replaces_bill_id,
                    b.print_count,
                    str(b.clerk_id),
                    json.loads(b.readings),
                    str(b.ytd_before),
                    b.version,
                    [[ln.seq, ln.item, str(ln.quantity), str(ln.unit_price), ln.amount_fen, json.loads(ln.detail)] for ln in lines],
                ]
            )
        for e in s.scalars(select(BalanceEntry).where(BalanceEntry.account_id.in_(list(accounts)))):
            out["entries"].append(
                [
                    names[str(e.account_id)],
                    e.kind,
                    e.amount_fen,
                    e.balance_after_fen,
                    names.get(str(e.bill_id), ""),
                    e.late_fee_fen,
                    e.principal_fen,
                    str(e.quantity),
                ]
            )
        out["entries"].sort(key=lambda r: (r[0], r[4], r[1], -r[3]))
        for e in s.scalars(select(AuditEntry).where(AuditEntry.entity_id.in_(list(names))).order_by(AuditEntry.seq)):
            if e.action in ("issue", "deduct"):
                after = e.after
                for key, name in names.items():
                    after = after.replace(key, name)
                out["audit"].append([e.action, e.entity, names[e.entity_id], str(e.clerk_id), e.before, json.loads(after)])
        out["audit"].sort(key=lambda r: (r[0], r[2], json.dumps(r[5], sort_keys=True)))
        out["summaries"] = {}
        for model in (BillSummary, SalesSummary, CollectedSummary):
            table = model.__table__
            rows = s.execute(select(table).where(table.c.route == route)).all()
            out["summaries"][table.name] = sorted([str(v) for v in row if v != route] for row in rows)
    return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)


def test_batched_issuing_writes_what_issuing_bill_by_bill_writes(db, clerk, monkeypatch):
    monkeypatch.setattr(bills, "BATCH", 4)  # the route goes in four units of work: the deltas add up across them
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 10**9)  # in this process
    _compare_with_bill_by_bill(db, clerk)


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("workers", "start"), [(1, None), (2, None), (2, "forkserver")])
def test_issuing_in_worker_processes_writes_what_issuing_bill_by_bill_writes(db, clerk, monkeypatch, workers, start):
    """The same, with the bills computed by worker processes and written here (issuing.py): units of
    four accounts in parts of three (a unit's parts split between the workers, a last part of one);
    also with the workers started as the window starts them (forkserver: what they are given is
    pickled, as it is on Windows)."""
    monkeypatch.setattr(bills, "BATCH", 4)
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
    monkeypatch.setattr(issuing, "PIPELINE_MIN_CLEAN_START", 1)
    monkeypatch.setattr(issuing, "PART", 3)
    monkeypatch.setattr(issuing, "WORKERS", workers)
    used = []
    monkeypatch.setattr(issuing, "_write_part", lambda s, actor, part, _w=issuing._write_part: used.append(1) or _w(s, actor, part))
    _compare_with_bill_by_bill(db, clerk, start)
    assert len(used) >= 2 * (TWINS // 4)  # the workers' parts were written (not issued here instead)
    with db.read() as s:
        check = audit.verify(s)  # the entries the workers prepared and this process chained
        assert check.ok and check.checked > 4 * TWINS, check.reason
        # ... stored as SQLAlchemy stores them: the same types, a key as 32 hex digits, the time as
        # 'YYYY-MM-DD HH:MM:SS.ffffff' (route A's entries were written through the ORM's types)
        shape = (
            "SELECT typeof(id), length(id), typeof(seq), typeof(at), length(at), substr(at, 11, 1), typeof(station_id),"
            " length(station_id), typeof(clerk_id), length(clerk_id), typeof(station_in_hash), station_in_hash FROM audit_log"
            " WHERE action = 'issue' AND after LIKE ?"
        )
        conn = s.connection()
        ours = set(conn.exec_driver_sql(shape, (f"%{B[1]}%",)).fetchall())
        assert ours == set(conn.exec_driver_sql(shape, (f"%{A[1]}%",)).fetchall()) and len(ours) == 1


def _compare_with_bill_by_bill(db, clerk, mp_context=None):
    tariffs.ensure_default_tariffs(db)
    posting.open_shift(db, clerk, "0")
    twins = _build(db, clerk, random.Random(18))
    for n, (period, today) in enumerate((("2026-09", date(2026, 10, 5)), ("2026-10", date(2026, 11, 4)))):
        _read_and_prepay(db, clerk, twins, period, n)
        ref_issued, ref_failed = _one_by_one(db, clerk, bills.route_accounts(db, A[0]), period, today)
        batch = bills.issue_accounts(db, clerk, bills.route_accounts(db, B[0]), period, today, mp_context=mp_context)
        assert [no.replace(B[1], A[1]) for no in batch.issued] == ref_issued and ref_issued
        assert [(f.account_no.replace(B[1], A[1]), f.reason.replace(B[2], A[2])) for f in batch.failed] == ref_failed
        assert len(ref_failed) == n  # the October bill of the account without a reading
    reference, batched = _snapshot(db, A[0]), _snapshot(db, B[0])
    assert '"deduct"' in reference and '"deduction"' in reference and "tier2" in reference  # the cases are there
    assert batched.replace(B[1], A[1]).replace(B[2], A[2]) == reference
    with db.read() as s:
        assert summaries.differences(s) == []


def test_a_cancel_rolls_back_the_open_unit_and_keeps_the_ones_before(db, clerk, monkeypatch):
    """Cancelling is looked at every STEP accounts inside a unit: the open unit is rolled back whole
    (no bill, line, audit entry or summary of it), the units committed before it stay, progress went
    on inside the unit, and a rerun issues the rest."""
    monkeypatch.setattr(bills, "BATCH", 6)
    monkeypatch.setattr(bills, "STEP", 2)
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 10**9)  # in this process
    _cancel_in_the_second_unit(db, clerk)


def _cancel_in_the_second_unit(db, clerk):
    """Units of six, progress every two accounts: cancelled after 8 accounts."""
    tariffs.ensure_default_tariffs(db)
    posting.open_shift(db, clerk, "0")
    twins = _build(db, clerk, random.Random(5))
    _read_and_prepay(db, clerk, twins, "2026-09", 0)
    nos = bills.route_accounts(db, B[0])
    seen: list[tuple[int, int]] = []
    stop = lambda: bool(seen) and seen[-1][0] >= 8  # noqa: E731 (inside the second unit, after two steps)
    result = bills.issue_accounts(db, clerk, nos, "2026-09", date(2026, 10, 5), progress=lambda d, n: seen.append((d, n)), cancelled=stop)
    assert result.cancelled and len(result.issued) + len(result.failed) == 6  # the first unit only
    assert seen[:4] == [(2, TWINS), (4, TWINS), (6, TWINS), (8, TWINS)]  # inside the units, not only at their ends
    with db.read() as s:
        stored = s.scalars(select(Bill.bill_no).join(Account, Account.id == Bill.account_id).where(Account.reading_route == B[0])).all()
        assert sorted(stored) == sorted(result.issued)
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "issue")) == len(result.issued)
        assert summaries.differences(s) == []
    rest = bills.issue_accounts(db, clerk, nos, "2026-09", date(2026, 10, 5))
    assert sorted(rest.issued + result.issued) == sorted(f"B{no}202609 01".replace(" ", "") for no in nos)
    assert len(rest.failed) == len(result.issued)  # those issued before: refused, not issued twice


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_worker_process_that_dies_leaves_the_rest_to_this_process(db, clerk, monkeypatch):
    """A worker killed in the middle of a run (here: it exits on its third part, inside the third
    unit): the open unit is rolled back and it and the rest are issued here; everything written is
    still what issuing bill by bill writes."""
    monkeypatch.setattr(bills, "BATCH", 4)
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
    monkeypatch.setattr(issuing, "PART", 2)
    calls = []

    def dies_on_the_third(*args, _compute=issuing._compute_part):
        calls.append(1)  # in the worker's own (forked) copy of this list
        if len(calls) == 3:
            os._exit(1)
        return _compute(*args)

    monkeypatch.setattr(issuing, "_compute_part", dies_on_the_third)
    written = []
    monkeypatch.setattr(issuing, "_write_part", lambda s, actor, part, _w=issuing._write_part: written.append(1) or _w(s, actor, part))
    _compare_with_bill_by_bill(db, clerk)
    assert written  # the workers' parts of the first units were written before one died


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_cancel_with_worker_processes_rolls_back_the_open_unit(db, clerk, monkeypatch):
    """The same while worker processes compute (parts of two accounts: looked at after every part);
    the workers end."""
    monkeypatch.setattr(bills, "BATCH", 6)
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
    monkeypatch.setattr(issuing, "PART", 2)
    parts = []
    monkeypatch.setattr(issuing, "_write_part", lambda s, actor, part, _w=issuing._write_part: parts.append(1) or _w(s, actor, part))
    _cancel_in_the_second_unit(db, clerk)
    assert parts  # the first unit came from the workers


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_write_by_another_counter_between_units_is_seen_by_the_next_unit(db, clerk, monkeypatch):
    """The workers read a unit's accounts before the unit before it commits. A counter that posts a
    payment between two units (PRAGMA data_version moves) makes the next unit be issued from what
    the database says then: the money paid in stays in the balance the bill is settled from, and
    each balance is the sum of its ledger entries."""
    monkeypatch.setattr(bills, "BATCH", 4)
    monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
    monkeypatch.setattr(issuing, "PART", 2)
    tariffs.ensure_default_tariffs(db)
    posting.open_shift(db, clerk, "0")
    twins = _build(db, clerk, random.Random(18))
    _read_and_prepay(db, clerk, twins, "2026-09", 0)
    nos = bills.route_accounts(db, B[0])
    later = nos[4:8]  # the second unit
    with db.read() as s:
        target = s.scalars(select(Account).where(Account.account_no.in_(later)).order_by(Account.balance_fen.desc())).first()
        before = target.balance_fen
    assert before > 0  # a prepaid account in the second unit: its new bill is settled from the balance
    paid_between = []

    def counter_pays(k: int) -> None:
        if k == 1:
            posting.post_payment(db, clerk, target.id, "500", "cash", "between-units", "500", today=date(2026, 10, 5))
            paid_between.append(k)

    monkeypatch.setattr(issuing, "between_units", counter_pays)
    result = bills.issue_accounts(db, clerk, nos, "2026-09", date(2026, 10, 5))
    assert paid_between == [1] and result.issued
    with db.read() as s:
        account = s.get(Account, target.id)
        ledger = s.scalar(select(func.sum(BalanceEntry.amount_fen)).where(BalanceEntry.account_id == target.id))
        assert account.balance_fen == ledger
        bill = s.scalar(select(Bill).where(Bill.account_id == target.id, Bill.period == "2026-09"))
        deducted = s.scalar(
            select(func.sum(BalanceEntry.amount_fen)).where(BalanceEntry.account_id == target.id, BalanceEntry.kind == "deduction")
        )
        assert account.balance_fen == before + 50000 + deducted  # the 500 yuan stayed
        assert bill.paid_fen == min(bill.amount_fen, before + 50000)
        for a in s.scalars(select(Account).where(Account.reading_route == B[0])):
            total = s.scalar(select(func.coalesce(func.sum(BalanceEntry.amount_fen), 0)).where(BalanceEntry.account_id == a.id))
            assert a.balance_fen == total, a.account_no
