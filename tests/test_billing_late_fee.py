"""Late fees per docs/TARIFFS.md, amounts computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given as _given
from hypothesis import strategies as _st

from app.services.billing.late_fee import LateFeeRates, late_fee


def test_cross_year_example_of_tariffs_md():
    assert late_fee(D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), "other") == D("52.00")


def test_residential_same_dates():
    assert late_fee(D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), "residential") == D("21.00")


@pytest.mark.parametrize("paid", [date(2026, 3, 1), date(2026, 2, 1)])
def test_no_fee_on_or_before_due_date(paid):
    assert late_fee(D("500"), date(2026, 3, 1), paid, "other") == 0


def test_minimum_one_yuan():
    assert late_fee(D("100.00"), date(2026, 1, 1), date(2026, 1, 3), "residential") == D("1.00")


def test_rounding_half_up():
    assert late_fee(D("1234.56"), date(2026, 1, 1), date(2026, 1, 6), "residential") == D("6.17")
    assert late_fee(D("2222.25"), date(2026, 1, 1), date(2026, 1, 2), "other") == D("4.44")  # 4.4445 -> 4.44


def test_other_same_year():
    assert late_fee(D("500"), date(2026, 3, 1), date(2026, 3, 11), "other") == D("10.00")


def test_arrears_over_two_year_ends_at_the_cross_year_rate():
    # due 2024-12-31: no late day in 2024; 365 in 2025 and 2 in 2026 at 3 per mille
    assert late_fee(D("1000"), date(2024, 12, 31), date(2026, 1, 2), "other") == D("1101.00")


def test_disabled_for_water_by_setting():
    assert late_fee(D("1000"), date(2026, 1, 1), date(2026, 2, 1), "residential", LateFeeRates(enabled=False)) == 0


def test_bad_category():
    from app.kernel.errors import ValidationError

    with pytest.raises(ValidationError):
        late_fee(D("1"), date(2026, 1, 1), date(2026, 2, 1), "farm")


def test_rates_come_from_the_company_settings(db):
    from app.services import settings

    with db.read() as s:
        elec, water = LateFeeRates.from_settings(s, "electricity"), LateFeeRates.from_settings(s, "water")
    assert late_fee(D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), "other", elec) == D("52.00")
    assert late_fee(D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), "other", water) == D("0.00")  # water: off by default
    with db.write() as s:
        settings.put(s, "late_fee.rate.residential", "0.0005")
        settings.put(s, "late_fee.minimum", "2.00")
    with db.read() as s:
        elec = LateFeeRates.from_settings(s, "electricity")
    # 1000.00 x 0.0005 x 21 days = 10.50; 10.00 x 0.0005 x 1 = 0.005 -> 0.01, raised to the 2.00 minimum
    assert late_fee(D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), "residential", elec) == D("10.50")
    assert late_fee(D("10.00"), date(2026, 1, 1), date(2026, 1, 2), "residential", elec) == D("2.00")


@_given(
    _st.integers(0, 10_000_000),
    _st.dates(max_value=__import__("datetime").date(9000, 1, 1)),
    _st.integers(0, 900),
    _st.sampled_from(["residential", "other"]),
    _st.sampled_from(["0.001", "0.0015", "0.002", "0.0005"]),
    _st.sampled_from(["0.003", "0.0025"]),
    _st.sampled_from(["1.00", "0.50", "0"]),
)
def test_integer_late_fee_is_the_decimal_one(fen, due, days, category, rate, previous, minimum):
    from datetime import timedelta
    from decimal import Decimal

    from app.kernel.money import to_fen
    from app.services.billing.late_fee import LateFeeRates, late_fee, late_fee_fen

    rates = LateFeeRates(Decimal(rate), Decimal(rate), Decimal(previous), Decimal(minimum))
    paid = due + timedelta(days=days)
    assert late_fee_fen(fen, due, paid, category, rates) == to_fen(late_fee(Decimal(fen) / 100, due, paid, category, rates))
