"""A clerk scans an account, registers a complaint with F6, the receipt prints, and it is in "my matters"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services import customers as cs
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.gui


@pytest.fixture
def store(sqlite_db):
    from app.services import auth

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅", hall_phone="0571-95598"), "admin", "管理员", "admin123")
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(sqlite_db, "zhangli")
    cid = cs.create_customer(sqlite_db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678", vip_level="first"))
    cs.create_account(sqlite_db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1"))
    return sqlite_db, clerk


def test_scan_register_complaint_print_receipt_and_see_it_in_my_matters(qtbot, store, monkeypatch, _data_dir):
    from app.views import pdf_preview
    from app.views.handling import matter_views, register_dialog

    db, clerk = store
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: shown.append(pdf_text(self.data)) or QDialog.DialogCode.Accepted)

    def fill_and_register(dialog):
        f = dialog.form
        f.fields["type"].setCurrentIndex(f.fields["type"].findData("complaint"))
        f.fields["complaint_type"].setCurrentIndex(f.fields["complaint_type"].findData("service"))
        f.fields["description"].setPlainText("营业员态度差，要求道歉")  # QTest types ASCII only
        assert "Promised by" in dialog.promise.text() or "承诺" in dialog.promise.text()
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(register_dialog.RegisterMatterDialog, "exec", fill_and_register)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 1
    assert "First-level important customer" in window.customer.warnings.text()  # VIP warning at a glance
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert shown and "W-3301-2026-000001" in shown[0] and "营业员态度差，要求道歉" in shown[0] and "张丽(1001)" in shown[0]
    archived = sorted((_data_dir / "archive" / "matter").rglob("*.pdf"))
    assert [p.name for p in archived] == ["W-3301-2026-000001.pdf"]
    panel = window.customer.findChild(object, "mattersPanel")
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "W-3301-2026-000001"
    queues = matter_views.QueuesWindow(window.ctx, window)
    qtbot.addWidget(queues)
    mine = queues.tables["mine"]
    assert mine.rowCount() == 1 and mine.item(0, 0).text() == "W-3301-2026-000001"
    assert "(1)" in queues.tabs.tabText(0)
    status = window.findChild(object, "statusQueues")
    assert "1" in status.text()


def test_matter_dialog_offers_only_allowed_actions(qtbot, store):
    from app.services.handling import matters as mt
    from app.views.handling.matter_views import MatterDialog

    db, clerk = store
    from app.services import search

    cid = search.exact_account(db, "3301000001").customer_id
    r = mt.register(db, clerk, mt.MatterInput(type="complaint", complaint_type="business", description="电费疑问", customer_id=cid))
    dialog = MatterDialog(AppContext(db, clerk), r.matter_id)
    qtbot.addWidget(dialog)
    names = lambda: sorted(b.objectName() for b in dialog.findChildren(type(dialog.findChild(object, "printReceiptButton"))) if b.objectName().startswith("action_"))  # noqa: E731
    assert names() == ["action_remind", "action_start", "action_transfer"]
    dialog.findChild(object, "action_start").click()
    dialog.ask = lambda title, label: "已核实读数无误"
    dialog.findChild(object, "action_resolve").click()
    assert "action_reply" in names() and "action_close" not in names()
    assert dialog.history.rowCount() == 3
