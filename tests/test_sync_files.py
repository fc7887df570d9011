"""The centre's calendar and time-limit files reach its stations (docs/SYNC.md, The downlink): an
answer carries the files in the centre's data folder and the station writes each one that differs
into its own, so its deadlines count with the company's calendar; a file under any other path, or
changed on the way, is not written."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import Station
from app.paths import resource_path
from app.services import auth
from app.services.handling.calendar import default_calendar
from app.services.sync import core, files, manage

PASS = "files-passphrase"
CALENDAR = "year = 2027\nholidays = [2027-03-03]\nworkdays = []\n"


def test_calendar_and_time_limit_files_go_down_with_the_answer(pg_db, tmp_path, monkeypatch):
    centre_dir, station_dir = tmp_path / "centre-data", tmp_path / "station-data"
    centre_dir.mkdir()
    station_dir.mkdir()
    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(centre_dir))
    centre = pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    with centre.write() as s:
        s.add(Station(code="3601", name="南山站"))
    manage.provision(centre, cadmin, "3601", "", tmp_path / "p.prov", PASS)
    with centre.read() as s:
        assert s.scalar(select(Station.id).where(Station.code == "3601")) is not None

    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(station_dir))
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(station.engine)
    manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), PASS)
    assert default_calendar().is_workday(date(2027, 3, 3))  # a Wednesday; the centre has no file yet

    # The administrator at the centre adds a calendar correction and changes the time limits.
    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(centre_dir))
    (centre_dir / "calendar").mkdir()
    (centre_dir / "calendar" / "2027.toml").write_text(CALENDAR, encoding="utf-8")
    (centre_dir / "handling").mkdir()
    text = resource_path("handling", "time_limits.toml").read_text(encoding="utf-8") + "\n# the centre's copy\n"
    (centre_dir / "handling" / "time_limits.toml").write_text(text, encoding="utf-8")
    core.export_down(centre, "3601", tmp_path / "down.cdsync")

    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(station_dir))
    core.import_file(station, tmp_path / "down.cdsync")
    assert (station_dir / "calendar" / "2027.toml").read_text(encoding="utf-8") == CALENDAR
    assert (station_dir / "handling" / "time_limits.toml").read_text(encoding="utf-8") == text
    assert not default_calendar().is_workday(date(2027, 3, 3))  # the station's deadlines now skip it
    assert not list(station_dir.rglob("*.part"))

    # Anything else is never written: another path, a changed text, a file that is not TOML.
    bad = [
        {"path": "../outside.toml", "sha256": "", "text": "a = 1\n"},
        {"path": "calendar/2028.toml", "sha256": "0" * 64, "text": "year = 2028\n"},
        {"path": "calendar/2029.toml", "text": "year = [", "sha256": hashlib.sha256(b"year = [").hexdigest()},
    ]
    assert files.write(bad) == 0
    assert not (tmp_path / "outside.toml").exists() and not (station_dir / "calendar" / "2028.toml").exists()
    assert not (station_dir / "calendar" / "2029.toml").exists()
    assert files.write(files.collect()) == 0  # the same again: nothing to write
    station.dispose()
