"""冲正 from the customer screen in one dialog: reason and the supervisor's password together, errors at
the field, nothing reversed until both are right, the reversal receipt printed after."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services import auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting, queries
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.gui


def test_clerk_reverses_with_the_supervisor_password_in_the_same_dialog(qtbot, sqlite_db, monkeypatch):
    from app.views import pdf_preview
    from app.views.payments import reversal_dialog

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    auth.create_clerk(db, admin, "wangqiang", "王强", "super123", "supervisor", "2001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", due_days="60"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10")
    posting.open_shift(db, clerk, "0")
    paid = posting.post_payment(db, clerk, aid, "96.84", "cash", "k1", "100")
    printed = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog, "exec", lambda self: printed.append(pdf_text(self.data)) or QDialog.DialogCode.Accepted
    )
    warnings = []
    monkeypatch.setattr(reversal_dialog.QMessageBox, "warning", lambda *a: warnings.append(a[2]))

    def fill(dialog):
        assert "R-3301-2026-000001" in dialog.findChild(object, "reversalSummary").text()
        ok = dialog.findChild(object, "reverseOk")
        ok.click()  # nothing typed
        assert dialog.form.errors["reason"].text()
        dialog.reason.setText("错")  # the service's rule: two characters at least, told before the password
        ok.click()
        assert dialog.form.errors["reason"].text() and not dialog.form.errors["supervisor_password"].text()
        dialog.reason.setText("收错户号")  # keyClicks types ASCII only
        qtbot.keyClicks(dialog.login, "wangqiang")
        qtbot.keyClicks(dialog.password, "wrong")
        ok.click()
        assert dialog.form.errors["supervisor_password"].text() and dialog.posted is None
        assert queries.customer_payments(db, cid)[0].reversed is False
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, "super123")
        ok.click()
        ok.click()  # a second click reverses nothing more
        return dialog.result()

    monkeypatch.setattr(reversal_dialog.ReversalDialog, "exec", fill)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    panel = window.customer.findChild(object, "paymentsPanel")
    panel.table.selectRow(0)
    panel.findChild(object, "reverseButton").click()
    rows = queries.customer_payments(db, cid)
    assert [(r.kind, r.amount_fen, r.reversed) for r in rows] == [("reversal", -9684, False), ("payment", 9684, True)]
    assert not warnings
    assert printed and "R-3301-2026-000002" in printed[0] and "R-3301-2026-000001" in printed[0]
    assert bills.account_arrears(db, aid)[0].principal_fen == paid.amount_fen
