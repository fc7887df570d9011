"""Worked pricing cases; every expected amount was computed by hand from docs/TARIFFS.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.kernel.errors import ValidationError
from app.paths import resource_path
from app.services.billing.pricing import price, price_period, split_by_days, tier_quantities
from app.services.billing.tariffs import TariffBook

BOOK = TariffBook.from_files(*sorted(resource_path("tariffs").glob("*.toml")))
DAY = date(2026, 1, 15)


def T(code, day=DAY):
    return BOOK.in_force(code, day)


def lines(quote):
    return [(ln.item, format(ln.quantity.normalize(), "f"), str(ln.amount)) for ln in quote.lines]


def test_worked_example_of_tariffs_md():
    q = price(T("ZJ-RES-Y"), usage=D(200), ytd=D(2700))
    assert lines(q) == [("tier1", "60", "32.28"), ("tier2", "140", "82.32")]
    assert q.total == D("114.60")


def test_ending_exactly_on_a_bound_stays_in_tier_1():
    q = price(T("ZJ-RES-Y"), usage=D(200), ytd=D(2560))
    assert lines(q) == [("tier1", "200", "107.60")] and q.total == D("107.60")


def test_starting_exactly_on_a_bound_is_tier_2():
    q = price(T("ZJ-RES-Y"), usage=D(100), ytd=D(2760))
    assert lines(q) == [("tier2", "100", "58.80")]


def test_crossing_two_bounds_in_one_bill():
    q = price(T("ZJ-RES-Y"), usage=D(2200), ytd=D(2700))
    assert lines(q) == [("tier1", "60", "32.28"), ("tier2", "2040", "1199.52"), ("tier3", "100", "83.80")]
    assert q.total == D("1315.60")


def test_multiplier_40_usage():
    usage = (D("1250.5") - D("1238.0")) * 40  # 500 kWh behind a CT meter
    assert price(T("ZJ-RES-Y"), usage=usage).total == D("269.00")


def test_zero_usage_with_tiers_has_no_lines():
    q = price(T("ZJ-RES-Y"), usage=D(0))
    assert q.lines == [] and q.total == 0


def test_each_line_rounds_half_up():
    assert price(T("ZJ-RES-Y"), usage=D("12.5")).total == D("6.73")  # 6.725 -> 6.73, not 6.72


def test_monthly_tiers():
    q = price(T("SD-RES-M"), usage=D(250))
    assert lines(q) == [("tier1", "210", "114.85"), ("tier2", "40", "23.88")] and q.total == D("138.73")


def test_monthly_tiers_crossing_both_bounds():
    q = price(T("SD-RES-M"), usage=D(450))
    assert lines(q) == [("tier1", "210", "114.85"), ("tier2", "190", "113.41"), ("tier3", "50", "42.35")]
    assert q.total == D("270.61")


def test_annual_vs_monthly_for_the_same_usage():
    assert price(T("ZJ-RES-Y"), usage=D(250)).total == D("134.50")
    assert price(T("SD-RES-M"), usage=D(250)).total == D("138.73")


def test_time_of_use_with_tiers():
    q = price(T("ZJ-RES-TOU"), registers={"peak": D(150), "valley": D(50)}, ytd=D(2700))
    assert lines(q) == [("peak", "150", "85.20"), ("valley", "50", "14.40"), ("tier2_increment", "140", "7.00")]
    assert q.total == D("106.60")


def test_time_of_use_crossing_two_bounds():
    q = price(T("ZJ-RES-TOU"), registers={"peak": D(300), "valley": D(100)}, ytd=D(4700))
    assert lines(q) == [
        ("peak", "300", "170.40"),
        ("valley", "100", "28.80"),
        ("tier2_increment", "100", "5.00"),
        ("tier3_increment", "300", "90.00"),
    ]
    assert q.total == D("294.20")


def test_water_with_tiers_and_fees():
    q = price(T("LA-WATER-RES"), usage=D(20), ytd=D(170))
    assert lines(q) == [("tier1", "10", "19.00"), ("tier2", "10", "28.50"), ("污水处理费", "20", "27.20"), ("水资源费", "20", "4.00")]
    assert q.total == D("78.70")


def test_water_zero_usage():
    q = price(T("LA-WATER-RES"), usage=D(0))
    assert q.total == D("0.00") and [ln.item for ln in q.lines] == ["污水处理费", "水资源费"]


def test_commercial_flat():
    assert lines(price(T("ZJ-COM"), usage=D(1000))) == [("energy", "1000", "664.40")]


def test_commercial_four_registers():
    q = price(T("ZJ-COM-TOU"), registers={"sharp": D(10), "peak": D(100), "flat": D(200), "valley": D(300)})
    assert [ln.amount for ln in q.lines] == [D("12.21"), D("101.70"), D("126.24"), D("94.95")]
    assert q.total == D("335.10")


def test_agriculture_decimal_usage():
    assert price(T("ZJ-AGR"), usage=D("123.456")).total == D("60.74")


def test_decimal_usage_across_a_bound():
    q = price(T("ZJ-RES-Y"), usage=D("1.0"), ytd=D("2759.5"))
    assert lines(q) == [("tier1", "0.5", "0.27"), ("tier2", "0.5", "0.29")] and q.total == D("0.56")


def test_tariff_change_inside_a_period_splits_by_days():
    q = price_period(BOOK, "ZJ-COM", date(2026, 6, 16), date(2026, 7, 15), usage=D(1000))
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in q.lines] == [
        (D(500), D("0.6644"), D("332.20")),
        (D(500), D("0.6532"), D("326.60")),
    ]
    assert q.total == D("658.80")


def test_uneven_split_adds_up_exactly():
    q = price_period(BOOK, "ZJ-COM", date(2026, 6, 21), date(2026, 7, 20), usage=D(100))
    assert [ln.quantity for ln in q.lines] == [D("33.333"), D("66.667")]
    assert [ln.amount for ln in q.lines] == [D("22.15"), D("43.55")] and q.total == D("65.70")


def test_household_bound_extra_moves_annual_bounds_by_twelve_months():
    q = price(T("ZJ-RES-Y"), usage=D(100), ytd=D(3300), bound_extra=D(50))  # bounds 3360 / 5400
    assert lines(q) == [("tier1", "60", "32.28"), ("tier2", "40", "23.52")] and q.total == D("55.80")


def test_free_quota_for_low_income_household():
    q = price(T("SD-RES-M"), usage=D(100), free_quantity=D(10))
    assert lines(q) == [("tier1", "100", "54.69"), ("free", "10", "-5.47")] and q.total == D("49.22")


def test_free_quota_never_exceeds_usage():
    q = price(T("SD-RES-M"), usage=D(4), free_quantity=D(10))
    assert q.total == D("0.00")


def test_tier_quantities_helper():
    assert tier_quantities((D(2760), D(4800)), D(0), D(5000)) == [D(2760), D(2040), D(200)]
    assert split_by_days(D(10), [1, 1, 1]) == [D("3.333"), D("3.333"), D("3.334")]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"usage": D(-1)},
        {"usage": D("1.2345")},
        {"registers": {"peak": D(1)}},
        {},
    ],
)
def test_bad_quantities_are_refused(kwargs):
    with pytest.raises(ValidationError):
        price(T("ZJ-RES-Y"), **kwargs)


def test_unknown_register_is_refused():
    with pytest.raises(ValidationError) as err:
        price(T("ZJ-RES-TOU"), registers={"peak": D(1), "flat": D(1)})
    assert "flat" in err.value.text()


def test_no_tariff_in_force():
    from app.kernel.errors import UserError

    with pytest.raises(UserError) as err:
        BOOK.in_force("ZJ-RES-Y", date(2023, 12, 31))
    assert "2023-12-31" in err.value.text()
