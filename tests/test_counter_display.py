"""The customer display with real Qt widgets offscreen: idle, mirroring F4, a registered matter, the
satisfaction pad (button, key, timeout, next customer), queue calls with F12; masked values only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.kernel.localtime import local_now
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.counter import service_quality as sq
from app.services.counter import settings as cset
from app.services.payments import posting
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry

pytestmark = pytest.mark.gui

PHONE = "13812345678"
ID_NO = "330102199001011234"


@pytest.fixture
def store(sqlite_db):
    from app.services import auth

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone=PHONE, id_number=ID_NO))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", due_days="60"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10")
    posting.open_shift(db, clerk, "200")
    return db, clerk, cid, aid


def texts(widget) -> str:
    return (
        "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))
        + "\n"
        + "\n".join(b.text() for b in widget.pad_buttons.values())
    )


def window_with_display(qtbot, db, clerk, monkeypatch, pad_timeout=30):
    cset.save(db, clerk, cset.CounterDisplay(screen="", pad_timeout=pad_timeout, counter="3", kinds="AB"))
    monkeypatch.setenv("COUNTERDESK_CUSTOMER_DISPLAY", "window")  # asked explicitly: a normal window on the one screen
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    side = window.findChild(object, "counterSide")
    return window, side, side.display


def open_account(qtbot, window):
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)


def test_with_one_screen_or_none_chosen_the_display_does_not_open(qtbot, store):
    db, clerk, *_ = store
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    side = window.findChild(object, "counterSide")
    assert side.display is None and window.findChild(QWidget, "customerDisplay") is None
    assert "No customer display chosen" in side.problem
    cset.save(db, clerk, cset.CounterDisplay(screen="offscreen", counter="3"))
    side.reconfigure()
    assert side.display is None and "Only one screen" in side.problem  # the offscreen platform has one screen
    satisfaction = window.findChild(QLabel, "statusSatisfaction")
    assert satisfaction.text() == "Sat. — (0)" and satisfaction.isVisibleTo(window)
    assert window.findChild(object, "keyCallNext").isEnabled()  # the queue works without a display


def test_idle_then_a_payment_mirrored_and_rated_on_the_pad(qtbot, store, monkeypatch):
    from app.views import pdf_preview
    from app.views.payments import payment_dialog

    db, clerk, cid, _aid = store
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window, side, display = window_with_display(qtbot, db, clerk, monkeypatch)
    idle = texts(display)
    assert "城东营业厅" in idle and "张丽" in idle and "1001" in idle and display.pages.currentIndex() == 0
    seen = {}

    def keyboard(dialog):
        assert display.pages.currentIndex() == 1  # the display mirrors the F4 dialog while it is open
        qtbot.keyClicks(dialog.tendered, "100")
        seen["during"] = texts(display)
        qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
        dialog.next.click()
        return dialog.result()

    monkeypatch.setattr(payment_dialog.PaymentDialog, "exec", keyboard)
    open_account(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    during = seen["during"]
    for shown in ("2026-10", "180 kWh", "¥96.84", "¥100.00", "¥3.16", "3301000001", "张*丰"):
        assert shown in during, shown
    assert display.pay_change.text() == "¥3.16" and display.pay_amount.text() == "¥96.84"
    assert "张三丰" not in during and PHONE not in during and ID_NO not in during

    assert display.pages.currentIndex() == 2 and display.pending is not None  # after the payment: the pad asks
    done = texts(display)
    assert "Paid ¥96.84" in done and "Change ¥3.16" in done and "Very satisfied" in done
    payment_id = display.pending[0]
    display.pad_buttons["satisfied"].click()
    assert sq.rating_of(db, payment_id) == "satisfied" and display.pending is None
    status = window.findChild(QLabel, "statusSatisfaction").text()
    assert status == "Sat. 100% (1)" and window.findChild(QLabel, "statusSatisfaction").isVisibleTo(window)
    qtbot.waitUntil(lambda: display.pages.currentIndex() == 0, timeout=5000)  # thanks, then idle


def test_a_registered_matter_with_owner_and_date_and_the_pad_timing_out(qtbot, store, monkeypatch):
    from app.views.handling.register_dialog import RegisterMatterDialog

    db, clerk, cid, aid = store
    window, side, display = window_with_display(qtbot, db, clerk, monkeypatch, pad_timeout=1)
    open_account(qtbot, window)
    dialog = RegisterMatterDialog(window.ctx, window, cid, aid)
    qtbot.addWidget(dialog)
    dialog.form.fields["description"].setPlainText("询问峰谷电价")
    dialog.submit()
    assert dialog.registered is not None
    shown = texts(display)
    assert dialog.registered.matter_no in shown and "张丽" in shown and "1001" in shown
    assert dialog.registered.deadline.strftime("%Y-%m-%d %H:%M") in shown
    assert "138****5678" in shown and PHONE not in shown and ID_NO not in shown and "张三丰" not in shown
    qtbot.waitUntil(lambda: sq.rating_of(db, dialog.registered.matter_id) == "not_rated", timeout=4000)
    assert display.pending is None and display.pages.currentIndex() == 0
    assert window.findChild(QLabel, "statusSatisfaction").text() == "Sat. — (0)"  # not rated is not counted as rated


def test_key_on_the_display_and_the_next_customer_before_rating(qtbot, store, monkeypatch):
    db, clerk, cid, aid = store
    window, side, display = window_with_display(qtbot, db, clerk, monkeypatch)
    p1 = posting.post_payment(db, clerk, aid, "10", "cash", "a", "10")
    p2 = posting.post_payment(db, clerk, aid, "20", "cash", "b", "20")

    class Finished:  # what the display reads of a finished F4 dialog
        def __init__(self, posted):
            self.posted = posted

    display.payment_finished(Finished(p1), 1)
    qtbot.keyClick(display, Qt.Key.Key_1)  # key 1 on the display: very satisfied
    assert sq.rating_of(db, p1.payment_id) == "very_satisfied"
    display.payment_finished(Finished(p2), 1)
    from app.views.payments.payment_dialog import PaymentDialog

    account = cs.load_customer_file(db, clerk, cid).accounts[0]
    next_payment = PaymentDialog(window.ctx, account, window)  # the next customer's F4 before anyone rated
    qtbot.addWidget(next_payment)
    assert sq.rating_of(db, p2.payment_id) == "not_rated" and display.pages.currentIndex() == 1
    next_payment.reject()
    assert display.pages.currentIndex() == 0  # cancelled: back to idle, nothing asked


def test_f12_calls_tickets_from_the_machine_file_and_the_display_shows_them(qtbot, store, monkeypatch, _data_dir):
    db, clerk, *_ = store
    now = local_now()
    (_data_dir / "tickets.csv").write_text(
        f"A001,{(now - timedelta(minutes=9)):%Y-%m-%d %H:%M:%S}\nB001,{(now - timedelta(minutes=5)):%Y-%m-%d %H:%M:%S}\n", encoding="utf-8"
    )
    window, side, display = window_with_display(qtbot, db, clerk, monkeypatch)
    status = window.findChild(QLabel, "statusTicket")
    assert status.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert status.text() == "No. A001" and "A001" in texts(display) and "counter 3" in texts(display)
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert status.text() == "No. B001" and "B001" in display.header_ticket.text()

    from app.views.counter import dialogs

    asked = {}

    def typed(dialog):  # nobody left in the file: F12 asks for the number on the ticket
        asked["note"] = dialog.findChild(QLabel, "callTicketNote").text()
        asked["suggested"] = dialog.ticket.text()
        dialog.ticket.setText("A5")
        dialog.issued.setText("x")
        dialog.submit()
        asked["error"] = dialog.form.errors["issued_at"].text()
        dialog.issued.setText("")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(dialogs.CallTicketDialog, "exec", typed)
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert "No one is waiting" in asked["note"] and asked["suggested"] == "A002" and "HH:MM" in asked["error"]
    assert status.text() == "No. A005"
    rows = {(t.kind, t.clerk_id is None): t for t in sq.ticket_times(db, now.date(), now.date())}
    assert rows[("A", True)].tickets == 2 and rows[("A", True)].waited == 1 and rows[("B", True)].served == 1
    window.show()
    window.hide()  # log out puts the window away: the service of A005 ends and the display goes
    assert sq.current_ticket(db, clerk, "3") is None and side.display is None


def test_screens_are_named_in_counter_toml_and_the_dialog_saves_them(qtbot, store):
    from PySide6.QtGui import QGuiApplication

    from app.views.counter.dialogs import CounterDisplayDialog, find_screen, screen_key

    class Screen:
        def __init__(self, name):
            self._name = name

        def name(self):
            return self._name

    two_alike = [Screen("screen"), Screen("screen")]  # Xvfb names every screen alike; real ones are HDMI-1, DP-2, ...
    assert [screen_key(two_alike, i) for i in range(2)] == ["screen#1", "screen#2"]
    assert find_screen(two_alike, "screen#2") is two_alike[1] and find_screen(two_alike, "screen") is None
    named = [Screen("eDP-1"), Screen("HDMI-2")]
    assert screen_key(named, 1) == "HDMI-2" and find_screen(named, "HDMI-2") is named[1] and find_screen(named, "DP-3") is None

    db, clerk, *_ = store
    dialog = CounterDisplayDialog(AppContext(db, clerk))
    qtbot.addWidget(dialog)
    combo = dialog.form.fields["screen"]
    assert combo.count() == 1 + len(QGuiApplication.screens()) and combo.currentData() == ""
    combo.setCurrentIndex(1)
    dialog.form.fields["pad_timeout"].setText("abc")
    dialog.submit()
    assert dialog.saved is None and dialog.form.errors["pad_timeout"].isVisibleTo(dialog)
    dialog.form.fields["pad_timeout"].setText("15")
    dialog.form.fields["counter"].setText("5")
    dialog.submit()
    saved = cset.load()
    assert (saved.screen, saved.pad_timeout, saved.counter) == (QGuiApplication.screens()[0].name(), 15, "5")
