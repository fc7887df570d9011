"""Tariff files: the shipped ones load, bad files are refused whole, imports into the store are idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.kernel.errors import PermissionDenied, UserError
from app.models import TariffRecord
from app.models.core import AuditEntry
from app.services import auth
from app.services.billing.tariffs import (
    TariffBook,
    TariffError,
    ensure_default_tariffs,
    import_file,
    load_book,
    load_tariff_file,
    shipped_files,
)

GOOD = """
[[tariff]]
code = "T-RES"
name = "测试居民"
service = "electricity"
unit = "kWh"
usage_category = "residential"
effective_from = 2026-01-01
price = "0.5"
[tariff.tiers]
period = "month"
bounds = [100]
increments = ["0", "0.1"]
"""


def _count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(TariffRecord))


def test_every_shipped_file_loads_with_the_required_tariffs():
    codes = {t.code for f in shipped_files() for t in load_tariff_file(f)}
    assert {"ZJ-RES-Y", "SD-RES-M", "ZJ-RES-TOU", "ZJ-COM", "ZJ-COM-TOU", "ZJ-AGR", "LA-WATER-RES"} <= codes
    book = TariffBook.from_files(*shipped_files())
    water = book.in_force("LA-WATER-RES", date(2026, 5, 1))
    assert water.unit == "m3" and {s.name for s in water.surcharges} == {"污水处理费", "水资源费"}
    assert book.in_force("ZJ-RES-Y", date(2026, 5, 1)).tiers.bounds == (D(2760), D(4800))


def test_versions_between_splits_at_the_price_change():
    book = TariffBook.from_files(*shipped_files())
    parts = book.versions_between("ZJ-COM", date(2026, 6, 16), date(2026, 7, 15))
    assert [(a, b) for _, a, b in parts] == [(date(2026, 6, 16), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 7, 15))]
    assert parts[0][0].effective_from != parts[1][0].effective_from


def test_no_version_in_force_is_a_user_error():
    book = TariffBook.from_files(*shipped_files())
    with pytest.raises(UserError):
        book.versions_between("ZJ-RES-Y", date(2023, 12, 20), date(2024, 1, 10))


@pytest.mark.parametrize(
    "old,new,key",
    [
        ("bounds = [100]", "bounds = [100, 50]\n", "bounds"),
        ('increments = ["0", "0.1"]', 'increments = ["0"]', "increments"),
        ('price = "0.5"', "price = 0.5", "price"),
        ('unit = "kWh"', 'unit = "kW"', "unit"),
        ('service = "electricity"', 'service = "gas"', "service"),
        ('period = "month"', 'period = "week"', "period"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_file_code_and_key(tmp_path, sqlite_db, old, new, key):
    # The first tariff is fine, the second is broken: nothing at all may be stored.
    bad = GOOD.replace('code = "T-RES"', 'code = "T-OK"') + GOOD.replace(old, new).replace('code = "T-RES"', 'code = "T-BAD"')
    f = tmp_path / "broken.toml"
    f.write_text(bad, encoding="utf-8")
    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    with pytest.raises(TariffError) as err:
        import_file(sqlite_db, admin, f)
    text = err.value.text()
    assert "broken.toml" in text and "T-BAD" in text and key in text
    assert _count(sqlite_db) == 0


def test_dates_and_duplicates_are_checked(tmp_path):
    f = tmp_path / "d.toml"
    f.write_text(GOOD.replace("effective_from = 2026-01-01", "effective_from = 2026-01-01\neffective_to = 2025-12-31"), encoding="utf-8")
    with pytest.raises(TariffError) as err:
        load_tariff_file(f)
    assert "effective_to" in err.value.text()
    f.write_text(GOOD + GOOD, encoding="utf-8")
    with pytest.raises(TariffError) as err:
        load_tariff_file(f)
    assert "T-RES" in err.value.text() and "effective_from" in err.value.text()


def test_import_twice_changes_nothing_and_a_conflict_is_refused(tmp_path, db, admin):
    f = tmp_path / "t.toml"
    f.write_text(GOOD, encoding="utf-8")
    first = import_file(db, admin, f)
    assert first.added == ["T-RES@2026-01-01"]
    with db.read() as s:
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    again = import_file(db, admin, f)
    assert again.added == [] and again.unchanged == ["T-RES@2026-01-01"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits
    f.write_text(GOOD.replace('price = "0.5"', 'price = "0.6"'), encoding="utf-8")
    with pytest.raises(TariffError):
        import_file(db, admin, f)
    assert _count(db) == 1
    assert load_book(db).in_force("T-RES", date(2026, 3, 1)).price == D("0.5")


def test_default_tariffs_are_imported_once(db):
    added = ensure_default_tariffs(db)
    assert added == sum(len(load_tariff_file(f)) for f in shipped_files())
    assert ensure_default_tariffs(db) == 0
    assert _count(db) == added
    assert load_book(db).in_force("SD-RES-M", date(2026, 11, 1)).tiers.bounds == (D(210), D(400))


def test_only_an_administrator_imports_a_tariff_file(tmp_path, db, admin, clerk, supervisor):
    f = tmp_path / "t.toml"
    f.write_text(GOOD, encoding="utf-8")
    for actor in (None, clerk, supervisor):
        with pytest.raises(PermissionDenied) as err:
            import_file(db, actor, f)
        assert "administrator" in err.value.text()
    assert _count(db) == 0
    assert import_file(db, admin, f).added == ["T-RES@2026-01-01"]
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "tariff")).one()
        assert entry.clerk_id == admin.clerk_id


def test_shipped_tariffs_still_import_on_first_use_for_anyone(db, clerk):
    assert ensure_default_tariffs(db, clerk) > 0  # a clerk's price calculator is a first use too
    assert load_book(db).in_force("ZJ-RES-Y", date(2026, 5, 1)).price == D("0.538")


def test_trailing_zeros_do_not_count_as_decimals(tmp_path):
    f = tmp_path / "z.toml"
    f.write_text(GOOD.replace('price = "0.5"', 'price = "0.5380000000"'), encoding="utf-8")
    assert load_tariff_file(f)[0].price == D("0.538")
    f.write_text(GOOD.replace('price = "0.5"', 'price = "0.5380001"'), encoding="utf-8")
    with pytest.raises(TariffError) as err:
        load_tariff_file(f)
    assert "6 decimals" in err.value.text()
