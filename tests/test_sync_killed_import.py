"""An import killed with SIGKILL half-way applies nothing; the retry applies everything once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import ContactRecord, Station, SyncPeer, utcnow
from app.services import auth
from app.services import customers as cs
from app.services.sync import core, manage

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10000


def test_import_killed_half_way_applies_nothing_and_the_retry_succeeds(pg_db, tmp_path):
    centre = pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰"))
    with centre.write() as s:
        s.add(Station(code="3601", name="南山站"))
    manage.assign_area(centre, cadmin, "3601", [cid])
    manage.provision(centre, cadmin, "3601", "南山站", tmp_path / "p.prov", "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(station.engine)
    manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
    with station.write() as s:  # a big unit of work: many contact records at once
        s.execute(
            insert(ContactRecord.__table__),
            [
                dict(id=uuid.uuid4(), customer_id=cid, at=utcnow(), channel="visit", kind="inquiry", summary=f"visit {i}")
                for i in range(ROWS)
            ],
        )
    core.export_up(station, tmp_path / "big.cdsync")
    station.dispose()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COUNTERDESK_LANG="en")
    err_file = tmp_path / "stderr.txt"
    with open(err_file, "wb") as err_out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--db", centre.url, "sync", "import", str(tmp_path / "big.cdsync")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err_out,
        )
    watcher = create_engine(centre.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = centre.engine.url.database
    killed = False
    deadline = time.monotonic() + 120
    with watcher.connect() as conn:
        while time.monotonic() < deadline and proc.poll() is None:
            busy = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND xact_start IS NOT NULL "
                    "AND (query ILIKE 'COPY \"_sync_in_%' OR query ILIKE 'COPY \"contact_records\"%' "
                    "OR query ILIKE 'INSERT INTO \"contact_records\"%')"
                ),
                {"d": name},
            ).scalar()
            if busy:
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.01)
    proc.wait()
    watcher.dispose()
    assert killed, err_file.read_text()[-2000:]
    time.sleep(0.5)  # the server ends the dead client's transaction
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(ContactRecord).where(ContactRecord.summary.like("visit %"))) == 0
        assert s.scalar(select(SyncPeer.in_seq).join(Station, Station.id == SyncPeer.station_id).where(Station.code == "3601")) == 0
    result = core.import_file(centre, tmp_path / "big.cdsync")
    assert result.status == "applied"
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(ContactRecord).where(ContactRecord.summary.like("visit %"))) == ROWS
    assert core.import_file(centre, tmp_path / "big.cdsync").status == "duplicate"
