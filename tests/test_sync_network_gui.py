"""The window's side of sync over the network (docs/SYNC.md): the station's background exchange on
a thread of its own, online and offline in the status bar, an exchange soon after a payment; the
centre's screen of stations, the silent ones first. A real service on 127.0.0.1, real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import func, select

from app.models import SyncOutbox
from app.services import settings
from app.services.sync import manage, server
from app.views.context import AppContext
from app.views.sync_worker import StationsDialog, SyncLinkLabel
from tests.test_sync_network import _pay, _world

pytestmark = pytest.mark.gui


def _waiting(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(SyncOutbox))


def test_background_exchange_and_the_stations_screen(pg_db, tmp_path, qtbot):
    cadmin, stations = _world(pg_db, tmp_path, 2)
    st = stations[0]
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        with server.running(pg_db) as url:
            with st["db"].write() as s:
                settings.put(s, "sync.centre_url", url)
            ctx = AppContext(st["db"], st["clerk"])
            label = SyncLinkLabel(ctx, window.statusBar())
            window.statusBar().addWidget(label)
            assert label.active and label.online is None
            qtbot.waitUntil(lambda: label.online is True and not label.busy, timeout=20_000)
            assert label.last.ok and _waiting(st["db"]) == 0
            # A payment: exchanged shortly after, without anyone asking.
            _pay(st, 1, "gui")
            assert _waiting(st["db"]) == 1
            ctx.data_changed.emit("payments")
            qtbot.waitUntil(lambda: _waiting(st["db"]) == 0 and not label.busy, timeout=20_000)
        # The centre is gone: the item says offline, the counter goes on and keeps its changes.
        last = manage.status(st["db"]).last_exchange
        label.exchange_now()
        qtbot.waitUntil(lambda: label.online is False and not label.busy, timeout=20_000)
        assert manage.status(st["db"]).last_exchange == last  # a try that never reached the centre is no exchange
        assert label.property("level") == "danger" and label.toolTip()
        _pay(st, 1, "offline")
        assert _waiting(st["db"]) == 1
        window.close()
        assert label._stopped

        # The centre's screen: the station that never exchanged (silent) first, in red.
        dialog = StationsDialog(AppContext(pg_db, cadmin))
        qtbot.addWidget(dialog)
        codes = [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())]
        assert codes == [stations[1]["code"], st["code"]]
        assert dialog.table.item(0, 0).foreground().color().name() == "#b00020"
        assert int(dialog.table.item(1, 3).text()) >= 2  # applied: shift, setting, payment
        assert dialog.table.item(1, 4).text() == "0" and dialog.table.item(1, 5).text() == "0"  # none being applied, none waiting
        # At a station the screen says it is for the centre.
        other = StationsDialog(AppContext(st["db"], st["clerk"]))
        qtbot.addWidget(other)
        assert other.table.rowCount() == 0 and other.message.text()
    finally:
        for x in stations:
            x["db"].dispose()
