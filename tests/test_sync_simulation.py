"""A seeded simulation of stations and the centre (bench/sync_sim.py, docs/SYNC.md): SQLite stations
working offline, a PostgreSQL centre, and a courier that loses, duplicates, reorders, truncates,
bit-flips and replays bundles. Here small and quick (a seed and a size: COUNTERDESK_SIM_SEED,
COUNTERDESK_SIM_DAYS); the long run of several weeks is `counterdesk bench sync --simulate`. After
final delivery every rule holds (sync_sim.check), re-applying changes nothing; a station restored
from an old backup is quarantined."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.kernel.localtime import local_today
from app.models import Customer
from app.services.payments import posting
from app.services.sync import core, manage
from app.services.sync.bundle import SyncRefused
from bench import sync_sim

STATIONS = 20
DAYS = int(os.environ.get("COUNTERDESK_SIM_DAYS", "4"))
SEED = int(os.environ.get("COUNTERDESK_SIM_SEED", "1313"))


@pytest.fixture
def world(pg_db, tmp_path):
    start = sync_sim.start_for(DAYS, local_today())
    made = sync_sim.build_world(pg_db, tmp_path, STATIONS, SEED, start)
    yield made, start
    sync_sim.dispose(made)


@pytest.fixture
def small_world(pg_db, tmp_path):
    start = sync_sim.start_for(2, local_today())
    made = sync_sim.build_world(pg_db, tmp_path, 6, SEED, start)
    yield made, start
    sync_sim.dispose(made)


def test_stations_and_centre_converge_through_a_bad_courier(world):
    w, start = world
    sync_sim.run_days(w, DAYS, start)
    sync_sim.final_delivery(w)
    assert w.tampered > 0 and w.edits and w.billed_periods  # the run had tampering, a concurrent edit, a month billed
    assert sync_sim.check(w) == []
    unchanged, odd = sync_sim.reapply(w)
    assert odd == [] and unchanged  # every bundle again: "applied before", the centre's tables unchanged

    # A supervisor decides a conflict for the station; the value taken reaches the station.
    customer, _field, code = w.edits[0]
    conflict = next(c for c in manage.conflicts(w.centre) if c.kind == "field" and c.entity_id == str(customer))
    manage.resolve(w.centre, w.admin, conflict.no, "station")
    st = next(x for x in w.stations if x["code"] == code)
    core.export_down(w.centre, code, w.folder / "resolved.cdsync")
    core.import_file(st["db"], w.folder / "resolved.cdsync")
    with st["db"].read() as s:
        here = s.scalar(select(Customer.phone).where(Customer.id == customer))
    with w.centre.read() as s:
        assert s.scalar(select(Customer.phone).where(Customer.id == customer)) == here == conflict.station_value.strip('"')


def _copy_store(src: Path, dst: Path) -> None:
    import sqlite3

    for extra in ("-wal", "-shm"):
        Path(str(dst) + extra).unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_restored_station_is_quarantined_and_other_keys_refused(small_world, tmp_path):
    w, start = small_world
    centre, cadmin, stations = w.centre, w.admin, w.stations
    st = stations[3]
    db, clerk = st["db"], st["clerk"]
    posting.post_payment(db, clerk, st["accounts"][0], "10", "cash", "a1", "10", today=start)
    backup = tmp_path / "backup.sqlite"
    _copy_store(Path(db.engine.url.database), backup)
    posting.post_payment(db, clerk, st["accounts"][0], "11", "cash", "a2", "11", today=start)
    core.export_up(db, tmp_path / "a.cdsync")
    assert core.import_file(centre, tmp_path / "a.cdsync").status == "applied"
    db.dispose()
    _copy_store(backup, Path(db.engine.url.database))
    restored = Database(f"sqlite:///{db.engine.url.database}")
    posting.post_payment(restored, clerk, st["accounts"][1], "12", "cash", "a3", "12", today=start)
    core.export_up(restored, tmp_path / "b.cdsync")
    with pytest.raises(SyncRefused) as err:
        core.import_file(centre, tmp_path / "b.cdsync")
    assert err.value.reason == "quarantined"
    with pytest.raises(SyncRefused) as err:  # and later ones too, until a supervisor looks
        core.import_file(centre, tmp_path / "a.cdsync")
    assert err.value.reason == "quarantined"
    restored.dispose()
    assert manage.release(centre, cadmin, st["code"]) == 1  # a supervisor looked: lifted, audited
    assert core.import_file(centre, tmp_path / "a.cdsync").status == "duplicate"

    # Another station's bundle signed with station 4's key claims station 5: refused, named.
    other = stations[4]
    core.export_up(other["db"], tmp_path / "c.cdsync")
    raw = (tmp_path / "c.cdsync").read_bytes()
    forged = raw.replace(str(other["id"]).encode(), str(stations[5]["id"]).encode())
    with pytest.raises(SyncRefused) as err:
        core.import_bytes(centre, forged, "c.cdsync")
    assert err.value.reason in ("damaged", "other_key", "forged")
    # A downlink for station 4 imported at station 5: refused.
    core.export_down(centre, other["code"], tmp_path / "d.cdsync")
    with pytest.raises(SyncRefused) as err:
        core.import_file(stations[5]["db"], tmp_path / "d.cdsync")
    assert err.value.reason == "other_station"
