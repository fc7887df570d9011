"""Tools → Sync… and the status bar's sync item, with real widgets offscreen, and the conflict queue."""

from __future__ import annotations

import pytest

from app.db.engine import Database
from app.db.migrate import upgrade
from app.services import auth
from app.services import customers as cs
from app.services.sync import core, manage
from app.views.context import AppContext
from app.views.sync_dialog import ConflictsDialog, SyncDialog, SyncStatusLabel

pytestmark = pytest.mark.gui


@pytest.fixture
def pair(sqlite_db, tmp_path):
    centre = sqlite_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰", phone="13800000001"))
    from app.models import Station

    with centre.write() as s:
        s.add(Station(code="3501", name="北山站"))
    manage.assign_area(centre, cadmin, "3501", [cid])
    with centre.read() as s:
        from sqlalchemy import select

        sid = s.scalar(select(Station.id).where(Station.code == "3501"))
    auth.create_clerk(centre, cadmin, "sup", "站长", "super1234", "supervisor", "7001", station_id=sid)
    manage.provision(centre, cadmin, "3501", "北山站", tmp_path / "p.prov", "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(station.engine)
    manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
    sup = auth.login(station, "sup", "super1234")
    yield centre, cadmin, station, sup, cid
    station.dispose()


def _run(qtbot, dialog, action) -> tuple[str, bool]:
    with qtbot.waitSignal(dialog.finished_job, timeout=20000) as blocker:
        action()
    return blocker.args[0], blocker.args[1]


def test_export_and_import_through_the_dialog_and_the_status_item(qtbot, pair, tmp_path):
    centre, cadmin, station, sup, cid = pair
    form = cs.load_customer_for_edit(station, sup, cid)
    form.phone = "13900000002"
    cs.update_customer(station, sup, cid, form)
    ctx = AppContext(station, sup)
    label = SyncStatusLabel(ctx)
    qtbot.addWidget(label)
    assert "waiting" in label.text() and ", 1 waiting" in label.text() or "2 waiting" in label.text()
    stick = tmp_path / "usb"
    stick.mkdir()
    dialog = SyncDialog(ctx)
    qtbot.addWidget(dialog)
    text, ok = _run(qtbot, dialog, lambda: dialog.export_to(stick))
    assert ok and "units of work" in text
    (bundle_file,) = list(stick.glob("*.cdsync"))
    centre_ctx = AppContext(centre, cadmin)
    centre_dialog = SyncDialog(centre_ctx)
    qtbot.addWidget(centre_dialog)
    text, ok = _run(qtbot, centre_dialog, lambda: centre_dialog.import_from(bundle_file))
    assert ok and "Applied" in text
    text, ok = _run(qtbot, centre_dialog, lambda: centre_dialog.import_from(bundle_file))
    assert ok and "applied before" in text
    # A damaged copy is refused in plain words.
    damaged = tmp_path / "damaged.cdsync"
    damaged.write_bytes(bundle_file.read_bytes()[:-20])
    text, ok = _run(qtbot, centre_dialog, lambda: centre_dialog.import_from(damaged))
    assert not ok and "cut short" in text
    assert centre_dialog.station_box.currentData() == "3501"
    answer_dir = tmp_path / "answer"
    answer_dir.mkdir()
    text, ok = _run(qtbot, centre_dialog, lambda: centre_dialog.export_to(answer_dir))
    assert ok
    (answer,) = list(answer_dir.glob("*.cdsync"))
    text, ok = _run(qtbot, dialog, lambda: dialog.import_from(answer))
    assert ok and "confirmed" in text
    label.refresh()
    assert ", 0 waiting" in label.text()


def test_status_item_warns_when_not_synced_for_too_long(qtbot, pair):
    _centre, _cadmin, station, sup, _cid = pair
    from datetime import timedelta

    from sqlalchemy import update

    from app.models import SyncPeer, utcnow

    with station.write() as s:
        s.execute(update(SyncPeer).values(last_import_at=utcnow() - timedelta(days=8), last_export_at=None))
    label = SyncStatusLabel(AppContext(station, sup))
    qtbot.addWidget(label)
    assert "NOT SYNCED" in label.text() and label.property("level") == "danger"


def test_conflict_queue_decides_with_the_station_value(qtbot, pair, tmp_path):
    centre, cadmin, station, sup, cid = pair
    form = cs.load_customer_for_edit(centre, cadmin, cid)
    form.phone = "13700000003"
    cs.update_customer(centre, cadmin, cid, form)
    form = cs.load_customer_for_edit(station, sup, cid)
    form.phone = "13900000002"
    cs.update_customer(station, sup, cid, form)
    core.export_up(station, tmp_path / "up.cdsync")
    assert core.import_file(centre, tmp_path / "up.cdsync").conflicts == 1
    dialog = ConflictsDialog(AppContext(centre, cadmin))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "customers.phone"
    dialog.take_station.click()
    assert dialog.table.rowCount() == 0
    assert cs.load_customer_for_edit(centre, cadmin, cid).phone == "13900000002"
