"""The outbox screen (Tools → Customer notices…) driven by the keyboard against a real gateway on
127.0.0.1: queue a planned outage's notices and a receipt, send, see the failed ones first, try one
again, cancel one; at a station it says the centre sends. The window's background sender posts a
queued notice and only shows a failure in the status bar."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as time_of

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from sqlalchemy import select

from app.kernel.localtime import local_now
from app.models import AuditEntry, CustomerNotice, SyncIdentity
from app.services import settings
from app.services.billing import tariffs
from app.services.handling import outages
from app.services.interfaces import notices
from app.services.payments import posting
from app.views.context import AppContext
from app.views.interfaces.notices_dialog import NoticesDialog
from app.views.interfaces.notices_worker import NoticesStatusLabel
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.test_interfaces_notices import Gateway, _customer, use_gateway


def _statuses(db) -> dict[str, str]:
    with db.read() as s:
        return {n.kind: n.status for n in s.scalars(select(CustomerNotice))}


def _press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def _alt(qtbot, dialog, key) -> None:
    """A button's Alt+letter: the button clicks itself a moment later (as on screen)."""
    before = dialog.message.text()
    qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.message.text() != before, timeout=3_000)


def test_notices_screen_by_keyboard(qtbot, db, admin, clerk, supervisor):
    tariffs.ensure_default_tariffs(db)
    cid, aid, account_no = _customer(db, clerk, "张三丰", "13812345678", n=1)
    refusing = _customer(db, clerk, "李四", "13900001111", n=2)
    notices.set_refuses_messages(db, clerk, refusing[0], True)
    now = local_now().replace(second=0, microsecond=0)
    day = (now + timedelta(days=10)).date()
    outages.register_outage(
        db, supervisor, "R01", "", datetime.combine(day, time_of(8)), datetime.combine(day, time_of(17)), "线路检修", now_local=now
    )
    posting.open_shift(db, clerk, "0")
    paid = posting.post_payment(db, clerk, aid, "53.80", "cash", "pay-1", tendered_text="60")

    clerk_window = MainWindow(AppContext(db, clerk, lang="en"), load_registry())
    qtbot.addWidget(clerk_window)
    assert clerk_window.findChild(QAction, "actionNotices").text() == "Customer notices…"

    gateway = Gateway("refuse")
    try:
        use_gateway(db, admin, gateway.url)
        ctx = AppContext(db, supervisor, lang="en")
        ctx.current_customer_id = cid
        dialog = NoticesDialog(ctx)
        qtbot.addWidget(dialog)
        with qtbot.waitActive(dialog):
            dialog.show()
            dialog.activateWindow()
        assert dialog.table.rowCount() == 0 and dialog.send_button.isEnabled()
        assert dialog.outage.count() == 1 and paid.receipt_no in dialog.receipt.currentText()

        _alt(qtbot, dialog, Qt.Key.Key_Q)  # Queue outage notices
        assert dialog.message.text() == "1 queued; not queued: 1 refused messages, 0 without a mobile number, 0 queued before"
        _alt(qtbot, dialog, Qt.Key.Key_E)  # Queue receipt notice
        assert dialog.message.text().startswith("1 queued;")
        assert dialog.table.rowCount() == 2 and {dialog.table.cell(r, 0) for r in range(2)} == {"queued"}
        assert "【示范供电公司】" in dialog.text.text()

        _press(qtbot, dialog.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # send now, on the sender's thread
        assert dialog.sender_.busy
        qtbot.waitUntil(lambda: not dialog.sender_.busy, timeout=15_000)
        assert dialog.message.text() == "0 sent, 0 to retry later, 2 failed, 0 cancelled"
        assert [dialog.table.cell(r, 0) for r in range(2)] == ["failed", "failed"]
        assert dialog.table.cell(0, 7) == "HTTP 400: number on the blocked list"
        assert len(gateway.received) == 2

        # a sent one comes after the failed ones: the good gateway takes the receipt tried again
        gateway.mode = "ok"
        receipt_row = next(r for r in range(2) if dialog.table.cell(r, 1) == "receipt")
        dialog.table.selectRow(receipt_row)
        _press(qtbot, dialog.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # try again
        assert dialog.message.text().startswith("Queued again: receipt to 138****5678")
        _press(qtbot, dialog.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.sender_.busy, timeout=15_000)
        assert dialog.message.text().startswith("1 sent,")
        assert [dialog.table.cell(r, 0) for r in range(2)] == ["failed", "sent"]

        # the failed outage notice is cancelled; a sent one is not
        dialog.table.selectRow(0)
        _press(qtbot, dialog.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert dialog.message.text().startswith("Cancelled: planned outage")
        assert _statuses(db) == {"outage": "cancelled", "receipt": "sent"}
        dialog.table.selectRow(0)  # the sent one now comes first
        _press(qtbot, dialog.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert "a sent or cancelled one stays as it is" in dialog.message.text()
        assert dialog.table.cell(1, 7) == "cancelled at the counter"

        # the status filter, from the keyboard: Alt+S, then Down to "failed" (none left) and to "retrying"
        _press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        assert dialog.status_filter.hasFocus()
        _press(qtbot, dialog.status_filter, Qt.Key.Key_Down)
        assert dialog.status_filter.currentData() == "failed" and dialog.table.rowCount() == 0
        dialog.status_filter.setCurrentIndex(0)
        dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("receipt"))
        assert dialog.table.rowCount() == 1 and dialog.table.cell(0, 0) == "sent"
        with db.read() as s:
            actions = sorted(a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.entity == "notice")))
        assert actions == ["cancel", "queue", "queue", "retry", "send", "send", "send"]
    finally:
        gateway.close()

    # a clerk does not queue an outage's notices
    clerk_dialog = NoticesDialog(AppContext(db, clerk, lang="en"))
    qtbot.addWidget(clerk_dialog)
    assert not clerk_dialog.outage_button.isEnabled() and not clerk_dialog.receipt_button.isEnabled()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the screen and sender are the same on both
def test_at_a_station_the_screen_says_the_centre_sends(qtbot, db, admin, clerk):
    tariffs.ensure_default_tariffs(db)
    _customer(db, clerk, "张三丰", "13812345678", n=1, owing=False)
    from app.services.sync import keys

    private, public = keys.new_key_pair()
    with db.write() as s:
        s.add(
            SyncIdentity(
                id=1,
                role="station",
                centre_id=admin.station_id,
                station_id=admin.station_id,
                private_key=private,
                public_key=public,
                centre_public_key=public,
            )
        )
    dialog = NoticesDialog(AppContext(db, clerk, lang="en"))
    qtbot.addWidget(dialog)
    assert dialog.where.text().startswith("This is a station: its notices go to the centre")
    assert not dialog.send_button.isEnabled() and not dialog.retry_button.isEnabled() and not dialog.cancel_button.isEnabled()
    label = NoticesStatusLabel(AppContext(db, clerk, lang="en"))
    qtbot.addWidget(label)
    assert not label.active and label.isHidden()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the screen and sender are the same on both
def test_the_background_sender_posts_a_queued_notice(qtbot, db, admin, clerk):
    tariffs.ensure_default_tariffs(db)
    _cid, aid, _ = _customer(db, clerk, "张三丰", "13812345678", n=1)
    posting.open_shift(db, clerk, "0")
    paid = posting.post_payment(db, clerk, aid, "53.80", "cash", "pay-1", tendered_text="60")
    notices.queue_receipt(db, clerk, paid.receipt_no)
    settings.set_setting(db, admin, "notices.send_minutes", "2")

    # no gateway yet: the item stays hidden, the clerk is never bothered
    window = MainWindow(AppContext(db, clerk, lang="en"), load_registry())
    qtbot.addWidget(window)
    label = window.findChild(NoticesStatusLabel, "statusNotices")
    assert label is not None and label.active
    label.send_now()
    qtbot.waitUntil(lambda: label.rounds == 1 and not label.busy, timeout=15_000)
    assert label.isHidden() and label.last.state == "no_gateway" and _statuses(db) == {"receipt": "queued"}
    assert label._timer.isActive() and label._timer.interval() == 2 * 60_000

    # a gateway nobody answers at: shown in the status bar, tried again later
    dead = Gateway()
    dead_url = dead.url
    dead.close()
    use_gateway(db, admin, dead_url)
    label.send_now()
    qtbot.waitUntil(lambda: label.rounds == 2 and not label.busy, timeout=15_000)
    assert label.text() == "SMS: 0 sent, 1 not sent" and label.property("level") == "warn"
    assert "gateway not reachable" in notices.outbox(db)[0].reason

    gateway = Gateway()
    try:
        use_gateway(db, admin, gateway.url)
        with db.write() as s:  # its next attempt is due now
            s.get(CustomerNotice, notices.outbox(db)[0].id).next_attempt_at = None
        label.send_now()
        qtbot.waitUntil(lambda: label.rounds == 3 and not label.busy, timeout=15_000)
    finally:
        gateway.close()
    assert label.text() == "SMS: 1 sent" and label.isVisibleTo(window)
    assert [m["phone"] for m in gateway.received] == ["13812345678"] and _statuses(db) == {"receipt": "sent"}
    window.close()
    assert not label._timer.isActive()
