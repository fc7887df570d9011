"""The customer screen's panels are Qt models of the services' row objects, refreshed by the area that
changed (issue 10): no parallel lists, no panel found through an attribute of the context."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.kernel.payment_methods import COUNTER_METHOD_CODES, METHOD_CODES, PAYMENT_METHODS
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from app.views.tables import ROW_ROLE, FitView, RowsModel

pytestmark = pytest.mark.gui


@pytest.fixture
def counter(qtbot, sqlite_db):
    from app.services import auth

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", due_days="60"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10")
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    window.show()
    window.open_customer(cid, aid)
    return db, clerk, cid, aid, window


def _resets(panel) -> list:
    seen = []
    panel.table.model().modelReset.connect(lambda: seen.append(True))
    return seen


def test_every_panel_is_a_model_of_the_services_rows(counter):
    db, clerk, cid, aid, window = counter
    screen = window.customer
    for name in ("billsPanel", "paymentsPanel", "balancePanel", "mattersPanel"):
        panel = screen.panel(name)
        assert isinstance(panel.table, FitView) and isinstance(panel.table.model(), RowsModel), name
    for table in (screen.accounts, screen.meters, screen.contacts):
        assert isinstance(table.model(), RowsModel)
    assert screen.accounts.model().index(0, 0).data(ROW_ROLE).id == aid  # the row object, not a copy of its text
    bills_panel = screen.panel("billsPanel")
    rows = [bills_panel.table.model().index(r, 0).data(ROW_ROLE) for r in range(bills_panel.table.rowCount())]
    assert [b.period for b in rows] == ["2026-10", "2026-09"] and all(isinstance(b, bills.BillRow) for b in rows)
    assert not hasattr(window.ctx, "bills_panel")  # F8 asks the screen for its panel


def test_f8_prints_the_bill_selected_in_the_panel(counter, monkeypatch):
    from app.views.billing import bills_panel as bp

    db, clerk, cid, aid, window = counter
    printed = []
    monkeypatch.setattr(bp, "print_bill", lambda ctx, w, bill_id, *a, **k: printed.append(bill_id))
    panel = window.customer.panel("billsPanel")
    panel.table.selectRow(1)
    assert panel.selected().period == "2026-09"
    window.findChild(object, "keyPrintBill").click()
    assert printed == [panel.table.rows()[1].id]


def test_panels_refresh_from_the_change_of_their_area(counter):
    db, clerk, cid, aid, window = counter
    screen = window.customer
    bills_panel, payments_panel, matters_panel = (screen.panel(n) for n in ("billsPanel", "paymentsPanel", "mattersPanel"))
    bills_resets, payments_resets, matters_resets = _resets(bills_panel), _resets(payments_panel), _resets(matters_panel)
    bills_panel.table.selectRow(1)  # the clerk looks at September
    window.ctx.data_changed.emit("matters")
    assert matters_resets and not bills_resets and not payments_resets  # a matter changes no bill
    posting.open_shift(db, clerk, "0")
    september = bills_panel.selected()
    posting.post_payment(db, clerk, aid, "10", "cash", "k1", "10")
    assert payments_panel.table.rowCount() == 0  # not read again by hand
    window.ctx.data_changed.emit("payments")
    assert payments_panel.table.rowCount() == 1 and payments_panel.table.rows()[0].amount_fen == 1000
    assert bills_resets and bills_panel.selected().id == september.id  # the selection stays on the same bill
    assert screen.accounts.selected().id == aid
    window.close_customer()
    bills_resets.clear()
    window.ctx.data_changed.emit("billing")
    assert not bills_resets  # nobody on screen: nothing read


def test_payment_methods_are_defined_once(counter):
    from app.commands import payments as payment_commands
    from app.printing.payments import methods as printed
    from app.views.payments.payment_dialog import PaymentDialog

    db, clerk, cid, aid, window = counter
    assert posting.METHODS == METHOD_CODES == tuple(m.code for m in PAYMENT_METHODS) == ("cash", "card", "qr", "transfer", "bank")
    assert COUNTER_METHOD_CODES == ("cash", "card", "qr", "transfer")  # a bank collection comes from the bank's file
    assert printed.METHODS == {m.code: m.label for m in PAYMENT_METHODS}
    dialog = PaymentDialog(window.ctx, window.customer.selected_account(), window, customer_name="张三丰")
    assert [dialog.method.itemData(i) for i in range(dialog.method.count())] == list(COUNTER_METHOD_CODES)
    assert dialog.method.itemText(2) == "3 QR code payment"
    import argparse

    parser = argparse.ArgumentParser()
    payment_commands.register(parser.add_subparsers())
    pay = parser._subparsers._group_actions[0].choices["pay"]
    assert next(a for a in pay._actions if a.dest == "method").choices == list(COUNTER_METHOD_CODES)
    dialog.deleteLater()
    QApplication.processEvents()


def test_f4_errors_are_said_at_the_field_and_go_when_it_is_fixed(qtbot, counter):
    from PySide6.QtCore import Qt

    from app.views.payments.payment_dialog import PaymentDialog

    db, clerk, cid, aid, window = counter
    posting.open_shift(db, clerk, "0")
    dialog = PaymentDialog(window.ctx, window.customer.selected_account(), window, customer_name="张三丰")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.amount.setText("12x")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 0 and "12x" in dialog.error.text()
    assert dialog.focusWidget() is dialog.amount and dialog.amount.property("invalid")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Backspace)
    assert dialog.error.text() == "" and not dialog.amount.property("invalid")  # fixed: the message goes
    dialog.amount.setText("50")
    dialog.tendered.setText("20")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.error.text() and dialog.focusWidget() is dialog.tendered  # the field at fault gets the keyboard
    dialog.tendered.setText("50")
    assert dialog.error.text() == ""
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1 and "张三丰" in dialog.summary.text()


def test_a_reversal_without_a_shift_offers_to_open_one_and_says_why(counter, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.kernel.errors import UserError
    from app.services.payments import queries
    from app.views.payments import reversal_dialog

    db, clerk, cid, aid, window = counter
    posting.open_shift(db, clerk, "0")
    paid = posting.post_payment(db, clerk, aid, "10", "cash", "k1", "10")
    posting.close_shift(db, clerk, {1000: 1}, {}, "")
    window.ctx.data_changed.emit("payments")
    asked, opened = [], []
    monkeypatch.setattr(
        "app.views.payments_plugin.QMessageBox.question", lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No
    )
    monkeypatch.setattr(reversal_dialog.ReversalDialog, "exec", lambda self: opened.append(self) or 0)
    panel = window.customer.panel("paymentsPanel")
    panel.table.selectRow(0)
    panel.findChild(object, "reverseButton").click()
    assert len(asked) == 1 and "reversal" in asked[0] and "Open your shift now?" in asked[0]
    assert not opened  # the clerk said no: no dialog that could only fail
    with pytest.raises(UserError) as err:  # the service says what needs the shift, not "before taking payments"
        from app.services import auth

        posting.reverse_payment(db, auth.get_actor(db, "admin"), clerk, paid.payment_id, "收错了", "r1")
    assert err.value.message == "Open your shift before reversing a payment."
    assert queries.customer_payments(db, cid)[0].kind == "payment"
