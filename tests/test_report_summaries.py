"""Report summaries equal a recompute from the base rows after any mix of readings, bills, payments,
reversals, voids, corrections and route changes (a seeded loop; SQLite and PostgreSQL); the reports
read from them say what the base rows say; `counterdesk integrity` names a summary that drifted."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from app.kernel.localtime import local_today
from app.models import Account, CollectionSummary, Station
from app.services import customers as cs
from app.services import integrity, reports
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.reports import Filters, summaries

PERIODS = ("2026-07", "2026-08", "2026-09", "2026-10")


def _differences(db):
    with db.read() as s:
        return summaries.differences(s)


def _random_store(db, clerk, supervisor, seed: int, accounts: int = 6):
    """`accounts` accounts on three routes, four periods of readings and bills, then random payments,
    reversals, a voided and reissued bill, a corrected reading and an account moved to another route;
    the summaries are compared with the base rows after every step."""
    rng = random.Random(seed)
    tariffs.ensure_default_tariffs(db)
    ids = []
    for i in range(accounts):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"客户{i}", phone="13812345678"))
        category = "residential" if i % 3 else "general_commercial"
        aid = cs.create_account(
            db,
            clerk,
            cid,
            cs.AccountInput(
                supply_address="幸福路18号",
                tariff_code="ZJ-RES-Y" if category == "residential" else "ZJ-COM",
                reading_route=f"R{i % 3}",
                usage_category=category,
            ),
        )
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"33019{seed % 1000:03d}{i:05d}", initial_reading="0"))
        ids.append((aid, mid))
    nos = []
    with db.read() as s:
        nos = [s.get(Account, aid).account_no for aid, _ in ids]
    value = {mid: 0 for _, mid in ids}
    posting.open_shift(db, clerk, "100")
    for n, period in enumerate(PERIODS):
        for _, mid in ids:
            value[mid] += rng.choice((0, rng.randrange(20, 400)))
            readings.record_reading(db, clerk, mid, "total", period, str(value[mid]), confirm_high=True)
        if n < len(PERIODS) - 1:
            bills.issue_accounts(db, clerk, nos, period, today=date(2026, 8 + n, 5))
        if n == 0:  # more than owed: the rest is prepaid, and the next bills are paid from it when issued
            posting.post_payment(db, clerk, ids[1][0], "900", "cash", uuid.uuid4().hex)
    with db.read() as s:
        from app.models import BalanceEntry

        assert s.scalar(select(func.count()).select_from(BalanceEntry).where(BalanceEntry.kind == "deduction"))
    assert _differences(db) == []
    posted = []
    for k in range(12):
        aid, _ = ids[rng.randrange(len(ids))]
        method = rng.choice(("cash", "qr", "card"))
        p = posting.post_payment(db, clerk, aid, str(rng.randrange(5, 300)), method, uuid.uuid4().hex, reference="T1")
        posted.append(p)
        if rng.random() < 0.3:
            posting.reverse_payment(
                db, supervisor, clerk, posted.pop(rng.randrange(len(posted))).payment_id, "keyed wrong", uuid.uuid4().hex
            )
    assert _differences(db) == []
    # the newest reading corrected; an unpaid bill voided and issued again; an account moved
    _, mid = ids[0]
    readings.correct_reading(db, clerk, mid, "total", PERIODS[-1], str(value[mid] + 5), "typo", confirm_high=True)
    with db.read() as s:
        from app.models import Bill

        unpaid = s.scalars(select(Bill.id).where(Bill.status == "unpaid").order_by(Bill.bill_no)).first()
    if unpaid is not None:
        bills.void_bill(db, supervisor, unpaid, "wrong reading")
        assert _differences(db) == []
        bills.reissue_bill(db, supervisor, unpaid)
    view = cs.load_customer_file(db, clerk, _customer_of(db, ids[1][0])).accounts[0]
    data = cs.account_input(view)
    data.reading_route = "R9"
    cs.update_account(db, clerk, view.id, data)
    assert _differences(db) == []
    return ids


def _customer_of(db, account_id):
    with db.read() as s:
        return s.get(Account, account_id).customer_id


@pytest.mark.parametrize("seed", [3])
def test_summaries_equal_a_recompute_after_random_work(db, clerk, supervisor, seed):
    _random_store(db, clerk, supervisor, seed)
    # the reports read from the summaries say what the base rows say (a station filter reads the base rows)
    with db.read() as s:
        code = s.scalar(select(Station.code))
    today = local_today()  # the day the payments were made on, at the station (not the machine's UTC date)
    for name in ("collections", "collection-rate", "sales", "readings"):
        for start, end in ((date(2026, 7, 1), today), (today - timedelta(days=2), today), (date(2026, 8, 1), date(2026, 9, 30))):
            fast = reports.run(db, supervisor, name, Filters(start, end))
            base = reports.run(db, supervisor, name, Filters(start, end, station=code))
            assert (fast.rows, fast.totals) == (base.rows, base.totals), (name, start, end)
            for route in ("R0", "R9"):
                fast = reports.run(db, supervisor, name, Filters(start, end, route=route))
                base = reports.run(db, supervisor, name, Filters(start, end, route=route, station=code))
                assert (fast.rows, fast.totals) == (base.rows, base.totals), (name, route)


def test_integrity_names_a_summary_that_drifted(db, clerk, supervisor):
    _random_store(db, clerk, supervisor, 5, accounts=3)
    with db.read() as s:
        assert not [p for p in integrity.check(s, database=False).problems if "report summary" in p.text()]
    with db.write() as s:
        s.execute(update(CollectionSummary).values(payments_fen=CollectionSummary.payments_fen + 1))
    with db.read() as s:
        found = [p.text() for p in integrity.check(s, database=False).problems if "report_collections" in p.text()]
    assert found and "report summary" in found[0]
    with db.write() as s:
        summaries.rebuild(s)
    assert _differences(db) == []


def test_collections_of_one_service_equal_its_payments(db, clerk, supervisor):
    """Collections filtered by a service: the service most accounts have is the summary less the other
    services' payments, the other read from the payments; both equal the payments of that service's
    accounts (a station filter reads only the payments), with a clerk filter too."""
    _random_store(db, clerk, supervisor, 3)
    with db.read() as s:
        moved = s.execute(select(Account.id, Account.customer_id).order_by(Account.account_no).limit(2)).all()
        code = s.scalar(select(Station.code))
    for account_id, customer_id in moved:  # two of six accounts become water accounts
        view = next(a for a in cs.load_customer_file(db, clerk, customer_id).accounts if a.id == account_id)
        data = cs.account_input(view)
        data.service, data.tariff_code = "water", "LA-WATER-RES"
        if data.usage_category != "residential":
            data.usage_category = "non_residential"
        cs.update_account(db, clerk, account_id, data)
    today = local_today()  # the day the payments were made on, at the station (not the machine's UTC date)
    for start, end in ((date(2026, 7, 1), today), (today - timedelta(days=2), today)):
        for service in ("electricity", "water"):
            for login in ("", "zhangli"):
                fast = reports.run(db, supervisor, "collections", Filters(start, end, clerk=login, service=service))
                base = reports.run(db, supervisor, "collections", Filters(start, end, station=code, clerk=login, service=service))
                assert (fast.rows, fast.totals) == (base.rows, base.totals), (service, login, start)
        both = [reports.run(db, supervisor, "collections", Filters(start, end, service=x)).totals for x in ("electricity", "water")]
        whole = reports.run(db, supervisor, "collections", Filters(start, end)).totals
        assert {k: both[0][k] + both[1][k] for k in whole} == whole
        assert start != date(2026, 7, 1) or (both[0]["count"] and both[1]["count"])  # both services paid since July
