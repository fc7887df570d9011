"""From F4 to a printed receipt with the keyboard only, and a shift close with a blind count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

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
    asked = []

    def offer(_parent, _title, text, *a, **k):  # F4 without a shift offers to open one
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("app.views.payments_plugin.QMessageBox.question", offer)

    def float_dialog(dialog):
        qtbot.keyClicks(dialog.float_field, "2x0")  # a bad float: said at the field, the dialog stays open
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.isVisible() or dialog.result() == 0
        assert not dialog.opened and "not an amount" in dialog.form.errors["float"].text()
        assert queries.open_shift_of(db, clerk) is None
        dialog.float_field.clear()
        qtbot.keyClicks(dialog.float_field, "200")
        assert dialog.form.errors["float"].text() == ""  # the message goes once the value is changed
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(shift_dialogs.OpenShiftDialog, "exec", float_dialog)

    def keyboard(dialog):
        assert dialog.amount.text() == "96.84"  # the bill, prefilled
        qtbot.keyClicks(dialog.tendered, "100")
        assert "3.16" in dialog.change.text()
        qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # to the summary
        assert dialog.pages.currentIndex() == 1 and "96.84" in dialog.summary.text()
        assert "张三丰" in dialog.summary.text() and "3301000001" in dialog.summary.text()  # who pays, named
        dialog.next.click()  # confirm
        dialog.next.click()  # a second click posts nothing more
        return dialog.result()

    monkeypatch.setattr(payment_dialog.PaymentDialog, "exec", keyboard)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F4)  # no shift yet: offered, opened with a float of 200, then the payment
    assert len(asked) == 1 and "shift" in asked[0] and "Open your shift now?" in asked[0]
    assert queries.open_shift_of(db, clerk) is not None
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
    assert "Cash: expected ¥100.00" in dialog.result_label.text() and "cash:" not in dialog.result_label.text()
    assert queries.open_shift_of(db, clerk) is None


def _run_dialog(qtbot, kind, drive, trigger):
    """Open a dialog through `trigger()` (its real exec loop); `drive(dialog)` works it, then it is closed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen = {}

    def work():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())
        try:
            drive(dialog)
            seen["done"] = True
        finally:
            dialog.reject()

    QTimer.singleShot(50, work)
    trigger()
    assert seen.get("done"), "the dialog was not worked through"


@pytest.fixture
def chinese():
    from app import i18n

    i18n.install("zh_CN")
    yield
    i18n.install("en")


def test_receipt_register_finds_by_number_and_account_and_reprints(qtbot, store, monkeypatch, _data_dir, chinese):
    from PySide6.QtGui import QAction

    from app.services import search
    from app.views import pdf_preview
    from app.views.payments.register_dialog import ReceiptRegisterDialog

    db, clerk = store
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: shown.append(pdf_text(self.data)) or QDialog.DialogCode.Accepted)
    posting.open_shift(db, clerk, "0")
    first = search.exact_account(db, "3301000001")
    account = cs.load_customer_file(db, clerk, first.customer_id).accounts[0]
    other_customer = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    other = cs.create_account(db, clerk, other_customer, cs.AccountInput(supply_address="幸福路20号", tariff_code="ZJ-RES-Y"))
    other_no = next(a.account_no for a in cs.load_customer_file(db, clerk, other_customer).accounts)
    p1 = posting.post_payment(db, clerk, account.id, "96.84", "cash", "k1", "100")
    queries.mark_printed(db, clerk, p1.payment_id)  # printed at the counter when it was paid
    p2 = posting.post_payment(db, clerk, other, "30", "qr", "k2", reference="QR1")

    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    window.show()
    action = window.findChild(QAction, "actionReceiptRegister")
    assert action.text() == "收据登记簿…" and action.shortcut().toString() == "Ctrl+L"

    def receipts(dialog):
        return [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]

    def drive(dialog):
        assert receipts(dialog) == [p2.receipt_no, p1.receipt_no]  # newest first
        assert [dialog.table.item(0, c).text() for c in (2, 3, 4, 5, 6)] == [other_no, "李*", "扫码支付", "¥30.00", "未打印"]
        assert dialog.table.item(1, 5).textAlignment() & Qt.AlignmentFlag.AlignRight
        qtbot.keyClicks(dialog.search, other_no)  # filtered as the clerk types
        qtbot.waitUntil(lambda: receipts(dialog) == [p2.receipt_no], timeout=2000)
        dialog.search.clear()
        qtbot.keyClicks(dialog.search, p1.receipt_no)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # a scanned receipt: found at once, the list takes the keys
        assert receipts(dialog) == [p1.receipt_no] and dialog.table.hasFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter reprints it
        assert dialog.table.item(0, 7).text() == "2"
        dialog.search.clear()
        qtbot.keyClicks(dialog.search, "nothing-like-this")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert receipts(dialog) == [] and "nothing-like-this" in dialog.hint.text() and not dialog.reprint_button.isEnabled()

    _run_dialog(qtbot, ReceiptRegisterDialog, drive, action.trigger)
    assert len(shown) == 1 and p1.receipt_no in shown[0] and "重打（第1次）" in shown[0]
    archived = [p for p in (_data_dir / "archive" / "receipt").rglob("*.pdf")]
    assert [p.name for p in archived] == [f"{p1.receipt_no}-reprint-1.pdf"]
    assert "重打（第1次）" in pdf_text(archived[0].read_bytes()) and "¥96.84" in pdf_text(archived[0].read_bytes())
    assert next(r for r in queries.register(db, clerk, p1.receipt_no)).print_count == 2
    assert window.focusWidget() is window.search_field  # back to the search field for the next customer


def _closed_shift(db, clerk):
    from app.services import auth, search

    auth.create_clerk(db, auth.get_actor(db, "admin"), "wangqiang", "王强", "super123", "supervisor", "2001")
    posting.open_shift(db, clerk, "200")
    account = cs.load_customer_file(db, clerk, search.exact_account(db, "3301000001").customer_id).accounts[0]
    posting.post_payment(db, clerk, account.id, "96.84", "cash", "k1", "100")
    posting.close_shift(db, clerk, {10000: 2, 5000: 1, 2000: 1, 1000: 2, 100: 6, 10: 4}, {}, "少了4角")  # 296.40 of 296.84
    [row] = queries.shifts_for_review(db, clerk)
    return row


def test_shift_sign_off_needs_a_supervisor_and_prints_the_shift_report(qtbot, store, monkeypatch, _data_dir, chinese):
    from PySide6.QtGui import QAction

    from app.views import pdf_preview
    from app.views.payments.shift_review import ShiftReviewDialog
    from app.views.supervisor import SupervisorDialog

    db, clerk = store
    _closed_shift(db, clerk)
    previews = []

    def preview(self):
        previews.append(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", preview)
    warnings = []
    monkeypatch.setattr("app.views.supervisor.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    login = {}

    def supervisor_types(self):
        self.login.setText(login["name"])
        self.password.setText(login["password"])
        self.check()  # a wrong password keeps the dialog open: the clerk can only cancel
        return self.result()

    monkeypatch.setattr(SupervisorDialog, "exec", supervisor_types)
    window = MainWindow(AppContext(db, clerk), load_registry())  # the clerk is logged in, not a supervisor
    qtbot.addWidget(window)
    window.show()
    action = window.findChild(QAction, "actionShiftReview")
    assert action.text() == "待签核班次…"

    def drive(dialog):
        t = dialog.table
        assert t.rowCount() == 1 and t.item(0, 0).text() == "张丽 (1001)"
        assert [t.item(0, c).text() for c in (3, 4, 5)] == ["¥296.84", "¥296.40", "-¥0.44"]
        assert t.item(0, 9).text() == "少了4角" and "少了4角" in dialog.note.text()
        methods = {
            dialog.methods.item(r, 0).text(): [dialog.methods.item(r, c).text() for c in (1, 2, 3)]
            for r in range(dialog.methods.rowCount())
        }
        assert methods["现金"] == ["¥296.84", "¥296.40", "-¥0.44"] and methods["银行卡"] == ["¥0.00", "¥0.00", "¥0.00"]
        cash = {dialog.cash.item(r, 0).text(): dialog.cash.item(r, 1).text() for r in range(dialog.cash.rowCount())}
        assert cash["¥100.00"] == "2" and cash["¥20.00"] == "1" and cash["¥1.00"] == "6" and cash["¥0.10"] == "4" and cash["¥5.00"] == "0"

        login.update(name="wangqiang", password="wrong")
        dialog.sign_button.click()  # refused: no supervisor approved
        assert queries.shifts_for_review(db, clerk)[0].status == "closed" and t.rowCount() == 1 and not previews
        login.update(name="zhangli", password="clerk123")
        dialog.sign_button.click()  # a clerk cannot approve
        assert queries.shifts_for_review(db, clerk)[0].status == "closed" and not previews

        login.update(name="wangqiang", password="super123")
        dialog.sign_button.click()
        assert queries.shifts_for_review(db, clerk) == [] and t.rowCount() == 0 and "没有待签核" in dialog.summary.text()
        assert len(previews) == 1  # the signed report, ready to print for the file
        text = pdf_text(previews[0].data)
        for needle in [
            "交班报表",
            "现金¥296.84¥296.40-¥0.44",
            "¥100.002¥200.00",
            "¥20.001¥20.00",
            "¥1.006¥6.00",
            "¥0.104¥0.40",
            "少了4角",
            "签核：王强",
        ]:
            assert needle in text, needle
        assert not list((_data_dir / "archive").rglob("shift/*/*.pdf"))  # only looked at so far
        previews[0]._output()  # printed (or saved): archived
        dialog.show_signed.setChecked(True)
        assert t.rowCount() == 1 and t.item(0, 8).text() == "王强" and not dialog.sign_button.isEnabled()
        qtbot.keyClick(t, Qt.Key.Key_F8)  # the report again: a second copy is marked
        previews[1]._output()

    _run_dialog(qtbot, ShiftReviewDialog, drive, action.trigger)
    assert warnings == []  # the refusals were the supervisor dialog's, not errors
    archived = sorted((_data_dir / "archive" / "shift").rglob("*.pdf"))
    assert len(archived) == 2
    texts = {p.name: pdf_text(p.read_bytes()) for p in archived}
    copy = next(n for n in texts if n.endswith("-reprint-1.pdf"))
    assert "重打（第1次）" in texts[copy] and all("现金¥296.84¥296.40-¥0.44" in x for x in texts.values())
    assert queries.shifts_for_review(db, clerk, signed_within_days=1)[0].signed_off_by == "王强"
    assert window.focusWidget() is window.search_field


def test_a_supervisor_signs_off_after_confirming_without_a_password(qtbot, store, monkeypatch):
    from app.services import auth
    from app.views import pdf_preview
    from app.views.payments.shift_review import ShiftReviewDialog
    from app.views.supervisor import SupervisorDialog

    db, clerk = store
    row = _closed_shift(db, clerk)
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(SupervisorDialog, "exec", lambda self: pytest.fail("a supervisor is not asked for a password"))
    dialog = ShiftReviewDialog(AppContext(db, auth.get_actor(db, "wangqiang")))
    qtbot.addWidget(dialog)
    asked = []
    monkeypatch.setattr(dialog, "confirm", lambda s: asked.append(s.id) or False)
    dialog.sign_button.click()
    assert asked == [row.id] and queries.shifts_for_review(db, clerk)[0].status == "closed"
    monkeypatch.setattr(dialog, "confirm", lambda s: True)
    dialog.sign_button.click()
    assert queries.shifts_for_review(db, clerk) == [] and dialog.table.rowCount() == 0


def test_a_supervisors_own_shift_asks_another_supervisor_to_log_in(qtbot, store, monkeypatch, chinese):
    from app.services import auth
    from app.views import pdf_preview
    from app.views.payments.shift_review import ShiftReviewDialog
    from app.views.supervisor import SupervisorDialog

    db, clerk = store
    _closed_shift(db, clerk)  # the clerk's shift (and the supervisor 王强)
    boss = auth.get_actor(db, "wangqiang")
    auth.create_clerk(db, auth.get_actor(db, "admin"), "lihua", "李华", "super456", "supervisor", "2002")
    posting.open_shift(db, boss, "100")
    posting.close_shift(db, boss, {10000: 1}, {}, "")
    own = next(r for r in queries.shifts_for_review(db, boss) if r.clerk_id == boss.clerk_id)
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    warnings = []
    monkeypatch.setattr("app.views.supervisor.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    login = {}

    def supervisor_types(self):
        login.setdefault("asked", 0)
        login["asked"] += 1
        self.login.setText(login["name"])
        self.password.setText(login["password"])
        self.check()
        return self.result()

    monkeypatch.setattr(SupervisorDialog, "exec", supervisor_types)
    dialog = ShiftReviewDialog(AppContext(db, boss))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "confirm", lambda s: pytest.fail("one's own shift is not confirmed alone"))
    dialog.table.selectRow(next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text().startswith("王强")))
    login.update(name="wangqiang", password="super123")  # signing off one's own shift: refused
    dialog.sign_button.click()
    assert login["asked"] == 1 and len(warnings) == 1 and "另一位主管" in warnings[0]
    assert next(r for r in queries.shifts_for_review(db, boss) if r.id == own.id).status == "closed"
    login.update(name="lihua", password="super456")
    dialog.sign_button.click()
    assert login["asked"] == 2 and all(r.id != own.id for r in queries.shifts_for_review(db, boss))
