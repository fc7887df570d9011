"""On screen: F7 records a complaint's first contact, the matter list and warnings follow the company's
warning window, and F6 offers a kind added to the vocabulary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.paths import resource_path
from app.services import customers as cs
from app.services import search, settings
from app.services.handling import kinds
from app.services.handling import matters as mt
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry

pytestmark = pytest.mark.gui


@pytest.fixture
def store(sqlite_db):
    from app.services import auth

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅", hall_phone="0571-95598"), "admin", "管理员", "admin123")
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(sqlite_db, "zhangli")
    cid = cs.create_customer(sqlite_db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    cs.create_account(sqlite_db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1"))
    return sqlite_db, admin, clerk, cid


def open_customer(qtbot, db, clerk) -> MainWindow:
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 1
    return window


def strip(window) -> str:
    """What the warnings strip says (nothing when it is hidden)."""
    w = window.customer.warnings
    return "" if w.isHidden() else w.text()


def panel_cells(window, matter_no: str) -> dict[str, str]:
    """The matters panel's row of a matter, by column title (the panel may be a table widget or a model view)."""
    table = window.customer.findChild(object, "mattersPanel").table
    model = table.model()
    titles = {c: model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())}
    for r in range(model.rowCount()):
        cells = {titles[c]: model.index(r, c).data() for c in range(model.columnCount())}
        if cells.get("Matter no.") == matter_no:
            return cells
    raise AssertionError(f"{matter_no} is not in the matters panel")


def test_f7_offers_the_pending_first_contact_and_the_warning_goes(qtbot, store, monkeypatch):
    from app.views import customer_dialogs

    db, _admin, clerk, cid = store
    r = mt.register(db, clerk, mt.MatterInput(type="complaint", complaint_type="business", description="电费疑问", customer_id=cid))
    window = open_customer(qtbot, db, clerk)
    assert f"Contact the customer about {r.matter_no}" in strip(window)
    seen = {}

    def record_as_first_contact(dialog):
        f = dialog.form
        link = f.fields["link"]
        seen["options"] = [link.itemText(i) for i in range(link.count())]
        assert link.currentData() == ""  # never assumed: the clerk says so
        link.setCurrentIndex(1)
        seen["kind"] = (f.value("kind"), f.fields["kind"].isEnabled())
        f.fields["summary"].setPlainText("已电话联系客户，五个工作日内答复")
        dialog._save()
        seen["message"] = dialog.message.text()
        return dialog.result()

    monkeypatch.setattr(customer_dialogs.ContactDialog, "exec", record_as_first_contact)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert seen["options"][0] == "No" and seen["options"][1].startswith(f"Yes: this is the first contact of {r.matter_no}")
    assert seen["kind"] == ("complaint", False) and seen["message"] == ""
    d = mt.detail(db, r.matter_id)
    assert d.contacted and d.history[-1].action == "contact" and d.history[-1].note == "已电话联系客户，五个工作日内答复"
    assert "Contact the customer about" not in strip(window)
    # the matter window says the registration's fields (5 working days) and shows the contact
    from app.views.handling.matter_views import MatterDialog

    dialog = MatterDialog(window.ctx, r.matter_id, window)
    qtbot.addWidget(dialog)
    history = dialog.history.model()
    rows = [[history.index(i, c).data() for c in range(history.columnCount())] for i in range(history.rowCount())]
    assert rows[0][4] == "5 working days" and rows[-1][4] == "已电话联系客户，五个工作日内答复"
    assert dialog.findChild(object, "action_contact") is None  # nothing left to record


def test_f7_without_a_pending_first_contact_has_no_such_field(qtbot, store, monkeypatch):
    from app.views import customer_dialogs

    db, _admin, clerk, cid = store
    mt.register(db, clerk, mt.MatterInput(type="inquiry", description="咨询电价", customer_id=cid))
    window = open_customer(qtbot, db, clerk)
    fields = {}

    def look(dialog):
        fields.update(dialog.form.fields)
        dialog.form.fields["summary"].setPlainText("询问电价")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(customer_dialogs.ContactDialog, "exec", look)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert "link" not in fields and "summary" in fields
    assert [c.summary for c in cs.list_contacts(db, cid)][0] == "询问电价"


def test_the_matter_list_and_warnings_follow_the_warning_setting(qtbot, store):
    db, admin, clerk, cid = store
    now = mt.local_now()
    # due 40 hours from now (24 h after a registration 16 h ahead); its first contact 34 hours from now
    reconnection = mt.register(
        db,
        clerk,
        mt.MatterInput(type="reconnection", description="缴费后复电", customer_id=cid),
        registered_local=now + timedelta(hours=16),
    )
    complaint = mt.register(
        db,
        clerk,
        mt.MatterInput(type="complaint", complaint_type="service", description="态度差", customer_id=cid),
        registered_local=now + timedelta(hours=10),
    )
    window = open_customer(qtbot, db, clerk)
    assert panel_cells(window, reconnection.matter_no)["Timing"] == "On time"
    assert f"Contact the customer about {complaint.matter_no}" not in strip(window)
    settings.set_setting(db, admin, "matters.warn_before_hours", "48")
    window.open_customer(cid)
    assert panel_cells(window, reconnection.matter_no)["Timing"] == "Due soon"  # as in the Due soon queue
    assert panel_cells(window, complaint.matter_no)["Timing"] == "Contact customer"
    assert f"Contact the customer about {complaint.matter_no}" in strip(window)
    assert reconnection.matter_no in [m.matter_no for m in mt.queue(db, clerk, "due_soon")]


def test_f6_offers_a_kind_added_in_one_entry(qtbot, store, monkeypatch, _data_dir):
    from app.views.handling.register_dialog import RegisterMatterDialog

    db, _admin, clerk, cid = store
    monkeypatch.setitem(kinds.KINDS, "meter_relocation", kinds.MatterKind("meter_relocation", "Meter relocation", "application"))
    shipped = resource_path("handling", "time_limits.toml").read_text(encoding="utf-8")
    (_data_dir / "handling").mkdir()
    (_data_dir / "handling" / "time_limits.toml").write_text(
        shipped.replace("[types]\n", "[types]\nmeter_relocation = { hours = 30 }\n", 1), encoding="utf-8"
    )
    aid = search.exact_account(db, "3301000001").account_id
    dialog = RegisterMatterDialog(AppContext(db, clerk), None, cid, aid)
    qtbot.addWidget(dialog)
    f = dialog.form
    kind = f.fields["type"]
    assert kind.itemText(kind.findData("meter_relocation")) == "Meter relocation"
    kind.setCurrentIndex(kind.findData("meter_relocation"))
    assert not f.fields["complaint_type"].isEnabled() and not f.fields["severity"].isEnabled() and not f.fields["scope"].isEnabled()
    assert "30 hours" in dialog.promise.text()
    kind.setCurrentIndex(kind.findData("complaint"))
    assert f.fields["complaint_type"].isEnabled() and f.fields["complaint_type"].currentData() == "business"
    f.fields["type"].setCurrentIndex(kind.findData("meter_relocation"))
    f.fields["description"].setPlainText("电表移位")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.registered is not None
    assert mt.detail(dialog.ctx.db, dialog.registered.matter_id).row.type == "meter_relocation"
