"""Company settings: only an administrator changes them, each value checked for its key, stored and
audited (before/after) in one transaction; the readers (late fees, matters) see the new value."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.models import AuditEntry, Setting, Station
from app.services import audit, settings


def _audit_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def _value(db, key):
    with db.read() as s:
        return settings.get(s, key)


def test_every_setting_is_listed_with_its_default(db, admin):
    views = {v.key: v for v in settings.list_settings(db)}
    assert set(views) == set(settings.DEFAULTS)
    assert views["late_fee.rate.residential"].text == "0.001" and views["late_fee.rate.residential"].is_default
    assert views["late_fee.enabled.water"].value is False and views["late_fee.enabled.water"].text == "false"


@pytest.mark.parametrize(
    "key, typed, stored",
    [
        ("late_fee.rate.residential", " 0.0015 ", "0.0015"),
        ("late_fee.rate.other_current_year", "0.0100", "0.01"),
        ("late_fee.rate.other_previous_years", "0", "0"),
        ("late_fee.minimum", "2.5", "2.50"),
        ("late_fee.minimum", "0", "0.00"),
        ("late_fee.enabled.water", "on", True),
        ("late_fee.enabled.electricity", "FALSE", False),
        ("payments.reverse_same_day_only", "否", False),
        ("matters.repeat_window_days", "45", 45),
        ("matters.warn_before_hours", "48", 48),
        ("company.name", "  临安供电公司 ", "临安供电公司"),
        ("hall.phone", "0571-95598", "0571-95598"),
    ],
)
def test_admin_changes_a_setting_and_it_is_audited(db, admin, key, typed, stored):
    before = _value(db, key)
    view = settings.set_setting(db, admin, key, typed)
    assert view.value == stored and type(view.value) is type(stored) and not view.is_default
    assert _value(db, key) == stored
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        if key == "company.name":  # the stations' names follow, audited too
            entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "setting")).one()
        assert entry.action == "update" and entry.entity == "setting" and entry.entity_id == key
        assert json.loads(entry.before) == {"value": before, "default": True}
        assert json.loads(entry.after) == {"value": stored}
        assert audit.verify(s).ok


def test_readers_see_the_new_values(db, admin):
    from app.services.billing.late_fee import LateFeeRates

    settings.set_setting(db, admin, "late_fee.rate.residential", "0.0005")
    settings.set_setting(db, admin, "late_fee.minimum", "3")
    settings.set_setting(db, admin, "late_fee.enabled.water", "true")
    with db.read() as s:
        rates = LateFeeRates.from_settings(s, "water")
    assert rates.residential == Decimal("0.0005") and rates.minimum == Decimal("3.00") and rates.enabled is True
    settings.set_setting(db, admin, "matters.repeat_window_days", "7")
    with db.read() as s:
        assert int(settings.get(s, "matters.repeat_window_days")) == 7


def test_company_name_reaches_every_station(db, admin):
    settings.set_setting(db, admin, "company.name", "国网临安供电公司")
    with db.read() as s:
        assert set(s.scalars(select(Station.company_name))) == {"国网临安供电公司"}
        assert audit.verify(s).ok


@pytest.mark.parametrize(
    "key, typed, says",
    [
        ("late_fee.rate.residential", "0.02", "from 0 to 0.01"),
        ("late_fee.rate.residential", "-0.001", "not a decimal"),
        ("late_fee.rate.residential", "1e-3", "not a decimal"),
        ("late_fee.rate.residential", "abc", "not a decimal"),
        ("late_fee.rate.residential", "", "not a decimal"),
        ("late_fee.rate.residential", "0.0000001", "6 decimals"),
        ("late_fee.minimum", "abc", "not an amount"),
        ("late_fee.minimum", "-1", "not an amount"),
        ("late_fee.minimum", "1.234", "two decimals"),
        ("late_fee.minimum", "100.01", "from 0.00 to 100.00"),
        ("late_fee.enabled.water", "maybe", "not on or off"),
        ("payments.reverse_same_day_only", "", "not on or off"),
        ("matters.repeat_window_days", "0", "from 1 to 365"),
        ("matters.repeat_window_days", "366", "from 1 to 365"),
        ("matters.repeat_window_days", "1.5", "not a whole number"),
        ("matters.warn_before_hours", "-3", "not a whole number"),
        ("matters.warn_before_hours", "３０", "not a whole number"),
        ("company.name", "   ", "cannot be empty"),
        ("company.name", "公" * 101, "At most 100"),
        ("company.name", "a\x00b", "control characters"),
        ("hall.phone", "call us", "service phone"),
    ],
)
def test_bad_values_are_refused_at_the_field_and_nothing_is_saved(db, admin, key, typed, says):
    count = _audit_count(db)
    before = _value(db, key)
    with pytest.raises(ValidationError) as err:
        settings.set_setting(db, admin, key, typed)
    assert err.value.field == "value" and says.lower() in err.value.text().lower(), err.value.text()
    assert _value(db, key) == before and _audit_count(db) == count
    with db.read() as s:
        assert s.get(Setting, key) is None


def test_unknown_key_names_the_known_ones(db, admin):
    with pytest.raises(NotFound) as err:
        settings.set_setting(db, admin, "receipt_printer.target", "escpos")
    assert err.value.field == "key" and "late_fee.minimum" in err.value.text()


def test_only_an_administrator_changes_settings(db, clerk, supervisor):
    count = _audit_count(db)
    for actor in (clerk, supervisor):
        with pytest.raises(PermissionDenied):
            settings.set_setting(db, actor, "late_fee.rate.residential", "0.002")
    assert _value(db, "late_fee.rate.residential") == "0.001" and _audit_count(db) == count


def test_same_value_again_changes_nothing(db, admin):
    settings.set_setting(db, admin, "matters.warn_before_hours", "12")
    count = _audit_count(db)
    assert settings.set_setting(db, admin, "matters.warn_before_hours", " 12").value == 12
    assert _audit_count(db) == count
