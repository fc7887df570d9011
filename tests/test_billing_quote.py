"""The price calculator's input and starting point: register names as the clerk reads them (峰=200 谷=150),
and the open account's tariff, tier-year usage and own tier rules — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.kernel.errors import ValidationError
from app.services import customers as cs
from app.services.billing import bills, quote, readings, tariffs
from app.services.billing.pricing import parse_quote_input, price


@pytest.mark.parametrize(
    "text, usage, registers",
    [
        ("350", D(350), None),
        (" 350.5 ", D("350.5"), None),
        ("峰=200 谷=150", None, {"peak": D(200), "valley": D(150)}),
        ("峰＝２００，谷：150", None, {"peak": D(200), "valley": D(150)}),  # full-width, as a Chinese keyboard types it
        ("尖峰=10 平=20", None, {"sharp": D(10), "flat": D(20)}),
        ("peak=200, valley=150", None, {"peak": D(200), "valley": D(150)}),
        ("Peak = 200 Valley = 150", None, {"peak": D(200), "valley": D(150)}),
    ],
)
def test_the_calculator_reads_what_the_clerk_types(text, usage, registers):
    assert parse_quote_input(text) == (usage, registers)


@pytest.mark.parametrize(
    "text, words",
    [
        ("x12", "“x12” is not a quantity"),
        ("1e5", "“1e5” is not a quantity"),
        ("峰=abc", "“abc” is not a quantity"),
        ("阴=3", "“阴” is not a register"),
        ("峰=1 峰=2", "given twice"),
        ("峰=1 abc", "not a register=quantity pair"),
        ("峰=-3", "is not a quantity"),
        ("", "Give the usage"),
        ("1.2345", "at most 3 decimals"),
    ],
)
def test_bad_calculator_input_is_said(text, words):
    with pytest.raises(ValidationError) as err:
        parse_quote_input(text)
    assert words in err.value.text() and err.value.field == "usage"


def test_peak_and_valley_price_on_a_time_of_use_tariff(sqlite_db):
    tariffs.ensure_default_tariffs(sqlite_db)
    usage, regs = parse_quote_input("峰=200 谷=150")
    q = price(tariffs.load_book(sqlite_db).in_force("ZJ-RES-TOU", date(2026, 11, 1)), usage=usage, registers=regs)
    assert [(ln.item, ln.amount) for ln in q.lines] == [("peak", D("113.60")), ("valley", D("43.20"))] and q.total == D("156.80")


def test_the_calculator_starts_from_the_accounts_tariff_and_tier_year(db, clerk):
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    for period, value, issued in [
        ("2025-12", "1400", date(2026, 1, 5)),
        ("2026-01", "1700", date(2026, 2, 5)),
        ("2026-02", "1950", date(2026, 3, 5)),
        ("2026-03", "2000", date(2026, 4, 5)),
    ]:
        readings.record_reading(db, clerk, mid, "total", period, value)
        bills.issue_accounts(db, clerk, ["3301000001"], period, today=issued)
    start = quote.account_start(db, aid, date(2026, 3, 20))
    # the tier year's billed periods that have begun: 2026-01 (300), 2026-02 (250), 2026-03 (50); the 2025-12 bill is last year's
    assert (start.account_no, start.tariff_code, start.service, start.unit) == ("3301000001", "ZJ-RES-Y", "electricity", "kWh")
    assert start.tier_year_from == date(2026, 1, 1) and start.ytd == 600
    assert quote.account_start(db, aid, date(2026, 2, 10)).ytd == 550  # 2026-03 lies ahead of that day
    assert quote.account_start(db, None) is None
