"""From F4 to a printed receipt with the keyboard only, and a shift close with a blind count."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting, queries
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.gui


@pytest.fixture
def store(sqlite_db):
    from app.services import auth

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", due_days="60"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10")
    return db, clerk


def test_f4_to_printed_receipt_by_keyboard(qtbot, store, monkeypatch, _data_dir):
    from app.views import pdf_preview
    from app.views.payments import payment_dialog, shift_dialogs

    db, clerk = store
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: shown.append(pdf_text(self.data)) or QDialog.DialogCode.Accepted)
    monkeypatch.setattr(shift_dialogs.QInputDialog, "getText", staticmethod(lambda *a, **k: ("200", True)))
    monkeypatch.setattr("app.views.payments_plugin.QMessageBox.information", lambda *a, **k: None)

    def keyboard(dialog):
        assert dialog.amount.text() == "96.84"  # the bill, prefilled
        qtbot.keyClicks(dialog.tendered, "100")
        assert "3.16" in dialog.change.text()
        qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # to the summary
        assert dialog.pages.currentIndex() == 1 and "96.84" in dialog.summary.text()
        dialog.next.click()  # confirm
        dialog.next.click()  # a second click posts nothing more
        return dialog.result()

    monkeypatch.setattr(payment_dialog.PaymentDialog, "exec", keyboard)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F4)  # no shift yet: opened with a float of 200, then the payment
    assert shown and "R-3301-2026-000001" in shown[0] and "¥96.84" in shown[0] and "¥3.16" in shown[0]
    assert [p.name for p in (_data_dir / "archive" / "receipt").rglob("*.pdf")] == ["R-3301-2026-000001.pdf"]
    rows = queries.customer_payments(db, cs.load_customer_file(db, clerk, window.ctx.current_customer_id).id)
    assert len(rows) == 1 and rows[0].printed
    assert window.customer.findChild(object, "paymentsPanel").table.rowCount() == 1
    assert "Shift open" in window.findChild(object, "statusShift").text()
    assert bills.customer_bills(db, window.ctx.current_customer_id)[0].status == "paid"


def test_unprinted_receipts_are_kept_for_printing(store):
    db, clerk = store
    posting.open_shift(db, clerk, "0")
    from app.services import search

    account = cs.load_customer_file(db, clerk, search.exact_account(db, "3301000001").customer_id).accounts[0]
    p = posting.post_payment(db, clerk, account.id, "10", "cash", "k", "10")  # the program dies before printing
    assert [r.receipt_no for r in queries.unprinted(db, clerk)] == [p.receipt_no]
    queries.mark_printed(db, clerk, p.payment_id)
    assert queries.unprinted(db, clerk) == []


def test_shift_close_dialog_shows_expected_only_after_the_count(qtbot, store):
    from app.views.payments.shift_dialogs import ShiftCloseDialog

    db, clerk = store
    posting.open_shift(db, clerk, "100")
    dialog = ShiftCloseDialog(AppContext(db, clerk))
    qtbot.addWidget(dialog)
    assert dialog.result_label.text() == ""  # blind: nothing expected is shown before the count
    dialog.pieces[10000].setValue(1)
    dialog.submit()
    assert "cash" in dialog.result_label.text() and "¥100.00" in dialog.result_label.text()
    assert queries.open_shift_of(db, clerk) is None
