"""Days and times are the station's (Asia/Shanghai), not the machine's: a counter whose clock runs on UTC
names its archived prints by the station's time."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.kernel.localtime import local_now
from app.printing.archive import archive_stamp
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs


@pytest.fixture
def utc_machine(monkeypatch):
    """The machine's own zone is UTC (eight hours behind the station)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _stamps_around(call):
    before = local_now()
    result = call()
    after = local_now()
    return result, {f"{t:%Y%m%d-%H%M}" for t in (before, after)}


def test_archive_stamp_is_station_time(utc_machine):
    stamp, expected = _stamps_around(archive_stamp)
    assert stamp[:13] in expected


def test_a_printed_route_is_archived_under_the_stations_time(utc_machine, db, clerk, tmp_path):
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(
        db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1", route_order="1", tariff_code="ZJ-RES-Y")
    )
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    issued = bills.issue_route(db, clerk, "R1", "2026-10")
    result, expected = _stamps_around(lambda: bills.print_bills(db, clerk, issued.bill_ids, tmp_path / "r1.pdf", label="R1"))
    [archived] = result.archived
    # archive/bill-route/<year>/R1_<YYYYmmdd-HHMMSS-ffffff>.pdf in Shanghai time (a UTC clock would be 8 hours earlier)
    assert archived.name[3:16] in expected, archived.name
    utc = {f"{t - timedelta(hours=8):%Y%m%d-%H%M}" for t in (local_now(),)}
    assert archived.name[3:16] not in utc
