"""Exporting a bundle to a folder that is full (a real, tiny tmpfs mounted in a private mount
namespace) fails cleanly: a plain message, no bundle and no half bundle left there, the station's
outbox intact; the next export to a folder with room succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import ContactRecord, SyncOutbox, SyncPeer, utcnow
from app.services import auth
from app.services import customers as cs
from app.services.sync import core
from bench.sync import make_station

ROOT = Path(__file__).resolve().parent.parent


def _can_mount(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$1"', "sh", str(folder)], capture_output=True, timeout=30
    )
    return probe.returncode == 0


def _outbox(db: Database) -> tuple:
    with db.read() as s:
        units = s.scalar(select(func.count()).select_from(SyncOutbox))
        peer = s.execute(select(SyncPeer.out_seq, SyncPeer.acked_seq, SyncPeer.last_export_at)).one()
    return units, tuple(peer)


def test_export_to_a_full_folder_fails_cleanly_and_keeps_the_outbox(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    if not _can_mount(stick):
        pytest.skip("needs unshare -rm to mount a small tmpfs (a full USB stick)")
    db = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(db.engine)
    admin = auth.initialize(db, auth.StationInput("3701", "北岭站", "示范供电公司", "", ""), "admin", "管理员", "admin1234")
    make_station(db, admin.station_id)
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="李四"))
    with db.write() as s:  # a unit of work bigger than the stick's 64 KB
        s.execute(
            insert(ContactRecord.__table__),
            [
                dict(id=uuid.uuid4(), customer_id=cid, at=utcnow(), channel="visit", kind="inquiry", summary=f"来访 {i} {uuid.uuid4()}")
                for i in range(3000)
            ],
        )
    before = _outbox(db)
    assert before[0] >= 2
    db.dispose()

    script = 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 90; "$2" -m app.cli --db "$3" sync export --out "$1/station.cdsync"; echo "rc=$?"; ls -A "$1"'
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COUNTERDESK_LANG="en")
    run = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", str(stick), sys.executable, db.url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = run.stdout.strip().splitlines()
    assert lines and lines[0].startswith("rc=") and lines[0] != "rc=0", run.stdout + run.stderr
    assert lines[1:] == []  # nothing left on the stick: no bundle, no .part
    assert "full" in run.stderr and "outbox is intact" in run.stderr
    assert "Traceback" not in run.stderr

    db = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    assert _outbox(db) == before  # the outbox and the peer's positions untouched
    result = core.export_up(db, tmp_path / "roomy.cdsync")  # a folder with room: the same units
    assert result.units == before[0] and (tmp_path / "roomy.cdsync").stat().st_size > 64 * 1024
    db.dispose()
