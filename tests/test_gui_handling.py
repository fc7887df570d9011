"""A clerk scans an account, registers a complaint with F6, the receipt prints, and it is in "my matters"."""

from __future__ import annotations

from datetime import timedelta

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
    auth.create_clerk(sqlite_db, admin, "wangqiang", "王强", "super123", "supervisor", "2001")
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

    def names():
        return sorted(
            b.objectName()
            for b in dialog.findChildren(type(dialog.findChild(object, "printReceiptButton")))
            if b.objectName().startswith("action_")
        )

    assert names() == ["action_contact", "action_remind", "action_start", "action_transfer"]
    assert "not yet recorded" in dialog.head.text()
    dialog.ask = lambda title, label: "已电话联系客户"
    dialog.findChild(object, "action_contact").click()
    assert names() == ["action_remind", "action_start", "action_transfer"] and ": done" in dialog.head.text()
    dialog.findChild(object, "action_start").click()
    dialog.ask = lambda title, label: "已核实读数无误"
    dialog.findChild(object, "action_resolve").click()
    assert "action_reply" in names() and "action_close" not in names()
    assert dialog.history.rowCount() == 4
    assert dialog.history.item(0, 4).text() == "5 working days"  # the registration note in the clerk's words


@pytest.fixture
def preview(monkeypatch):
    """PDF previews are not shown; their text is kept."""
    from app.views import pdf_preview

    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda self: shown.append(pdf_text(self.data)) or QDialog.DialogCode.Accepted)
    return shown


def test_outages_list_prints_and_reprints_a_notice_later(qtbot, store, preview, _data_dir):
    from app.services import auth
    from app.services.handling import matters as mt
    from app.services.handling import outages
    from app.views.handling.outage_dialog import OutagesWindow

    db, clerk = store
    supervisor = auth.get_actor(db, "wangqiang")
    now = mt.local_now()
    oid = outages.register_outage(db, supervisor, "R1", "", now + timedelta(days=7), now + timedelta(days=7, hours=8), "10kV线路检修")
    window = OutagesWindow(AppContext(db, clerk))
    qtbot.addWidget(window)
    assert window.table.rowCount() == 1 and window.table.item(0, 4).text() == "R1" and window.table.item(0, 5).text() == "1"
    assert window.table.item(0, 3).text() == "7 days"  # announced as far ahead as pledged
    assert window.findChild(object, "registerOutage") is None  # a clerk prints, a supervisor registers
    window.findChild(object, "printNoticeButton").click()
    qtbot.keyClick(window.table, Qt.Key.Key_F8)
    assert len(preview) == 2 and "3301000001" in preview[0] and "0571-95598" in preview[0]
    assert "REPRINT" not in preview[0] and "REPRINT(1)" in preview[1]
    archived = sorted(p.name for p in (_data_dir / "archive" / "outage").rglob("*.pdf"))
    assert len(archived) == 2 and any("-reprint-1" in n for n in archived)
    boss = OutagesWindow(AppContext(db, supervisor))
    qtbot.addWidget(boss)
    assert boss.findChild(object, "registerOutage") is not None
    assert oid in [boss.selected_id()]


def test_outage_dialog_marks_an_unknown_route_and_a_past_outage_at_their_fields(qtbot, store):
    from app.services import auth
    from app.views.handling.outage_dialog import OutageDialog

    db, _clerk = store
    dialog = OutageDialog(AppContext(db, auth.get_actor(db, "wangqiang")))
    qtbot.addWidget(dialog)
    f = dialog.form
    f.fields["routes"].setText("D99999")
    f.fields["starts_at"].setText("2020-01-01 08:00")
    f.fields["ends_at"].setText("2020-01-01 17:00")
    f.fields["reason"].setPlainText("检修")
    dialog.submit()
    assert dialog.outage_id is None and dialog.result() != QDialog.DialogCode.Accepted
    assert not f.errors["routes"].isHidden() and "D99999" in f.errors["routes"].text()
    assert not f.errors["ends_at"].isHidden() and "2020-01-01 17:00" in f.errors["ends_at"].text()
    f.fields["starts_at"].setText("tomorrow")
    dialog.submit()
    assert not f.errors["starts_at"].isHidden() and f.errors["routes"].isHidden()


def test_an_outage_sooner_than_the_pledged_notice_needs_short_notice_ticked_and_is_listed_so(qtbot, store, preview):
    from app.services import auth
    from app.services.handling import matters as mt
    from app.services.handling import outages
    from app.views.handling.outage_dialog import OutageDialog, OutagesWindow

    db, _clerk = store
    boss = AppContext(db, auth.get_actor(db, "wangqiang"))
    dialog = OutageDialog(boss)
    qtbot.addWidget(dialog)
    f = dialog.form
    start = mt.local_now().replace(second=0, microsecond=0) + timedelta(days=2)
    f.fields["routes"].setText("R1")
    f.fields["starts_at"].setText(start.strftime("%Y-%m-%d %H:%M"))
    f.fields["ends_at"].setText((start + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M"))
    f.fields["reason"].setPlainText("变压器故障抢修")
    assert "7 days" in dialog.short_notice.text()
    dialog.submit()
    earliest = (mt.local_now() + timedelta(days=7)).strftime("%Y-%m-%d")
    assert dialog.outage_id is None and not f.errors["starts_at"].isHidden() and earliest in f.errors["starts_at"].text()
    assert outages.current_outages(db) == []
    dialog.short_notice.setChecked(True)
    dialog.submit()
    assert dialog.outage_id is not None and f.errors["starts_at"].isHidden()
    window = OutagesWindow(boss)
    qtbot.addWidget(window)
    assert window.table.item(0, 3).text() == "2 days (short notice)"


def test_register_dialog_offers_scopes_with_the_accounts_suggestion(qtbot, store):
    from app.services import customers as cs2
    from app.views.handling.register_dialog import RegisterMatterDialog

    db, clerk = store
    cid = cs2.create_customer(db, clerk, cs2.CustomerInput(name="城东机械厂", phone="057188886666", kind="enterprise"))
    aid = cs2.create_account(
        db, clerk, cid, cs2.AccountInput(supply_address="桃源村工业园", usage_category="large_industry", voltage_level="10kV")
    )
    dialog = RegisterMatterDialog(AppContext(db, clerk), None, cid, aid)
    qtbot.addWidget(dialog)
    f = dialog.form
    scope = f.fields["scope"]
    assert not scope.isEnabled()
    f.fields["type"].setCurrentIndex(f.fields["type"].findData("new_connection"))
    assert scope.isEnabled() and scope.currentData() == "hv_single" and scope.count() == 4
    assert "22" in dialog.promise.text()
    scope.setCurrentIndex(scope.findData("hv_dual"))
    assert "32" in dialog.promise.text()
    f.fields["type"].setCurrentIndex(f.fields["type"].findData("fault"))
    assert scope.currentData() == "rural" and "90" in dialog.promise.text()
    f.fields["description"].setPlainText("整片停电")
    dialog.submit()
    assert dialog.registered is not None and dialog.registered.scope == "rural"


def test_one_time_notice_prints_the_hall_phone_and_is_archived(qtbot, store, preview, monkeypatch, _data_dir):
    from PySide6.QtWidgets import QInputDialog, QWidget

    from app.views.handling.labels import type_name
    from app.views.handling.outage_dialog import print_checklist

    db, clerk = store
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (type_name("name_transfer"), True)))
    parent = QWidget()
    qtbot.addWidget(parent)
    print_checklist(AppContext(db, clerk), parent)
    assert preview and "0571-95598" in preview[0] and "城东营业厅" in preview[0]
    assert len(list((_data_dir / "archive" / "checklist").rglob("name_transfer-3301-*.pdf"))) == 1
