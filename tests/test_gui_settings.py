"""Administration > Company settings…: administrators only; a bad value is refused at the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import auth, settings
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from app.views.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def admin_ctx(sqlite_db):
    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    return AppContext(sqlite_db, admin)


def _row(dlg, key):
    return next(i for i, v in enumerate(dlg.views) if v.key == key)


def _stored(db, key):
    with db.read() as s:
        return settings.get(s, key)


def test_only_administrators_get_the_menu_entry(qtbot, admin_ctx):
    db = admin_ctx.db
    w = MainWindow(admin_ctx, load_registry())
    qtbot.addWidget(w)
    action = w.findChild(type(w.menuBar().actions()[0]), "actionCompanySettings")
    assert action is not None and action.isVisible()
    auth.create_clerk(db, admin_ctx.actor, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk_window = MainWindow(AppContext(db, auth.get_actor(db, "zhangli")), load_registry())
    qtbot.addWidget(clerk_window)
    assert clerk_window.findChild(type(action), "actionCompanySettings") is None


def test_bad_value_is_shown_at_the_field_and_a_good_one_is_saved(qtbot, admin_ctx):
    db = admin_ctx.db
    dlg = SettingsDialog(admin_ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == len(settings.SPECS)
    dlg.table.selectRow(_row(dlg, "late_fee.rate.residential"))
    assert dlg.line.isVisible() and not dlg.switch.isVisible() and dlg.line.text() == "0.001"
    dlg.line.setText("0.05")
    qtbot.keyClick(dlg.line, Qt.Key.Key_Return)
    assert dlg.error.isVisible() and "0.01" in dlg.error.text()
    assert dlg.line.property("invalid") is True
    assert _stored(db, "late_fee.rate.residential") == "0.001"  # nothing saved
    dlg.line.setText("0.0012")
    dlg.save_button.click()
    assert not dlg.error.isVisible() and not dlg.line.property("invalid")
    assert _stored(db, "late_fee.rate.residential") == "0.0012"
    row = _row(dlg, "late_fee.rate.residential")
    assert dlg.table.item(row, dlg.COL_VALUE).text().startswith("0.0012")
    assert "0.0012" in dlg.saved.text()


def test_on_off_settings_use_a_switch(qtbot, admin_ctx):
    db = admin_ctx.db
    dlg = SettingsDialog(admin_ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.table.selectRow(_row(dlg, "late_fee.enabled.water"))
    assert dlg.switch.isVisible() and not dlg.line.isVisible()
    assert dlg.switch.currentData() == "false"
    dlg.switch.setCurrentIndex(dlg.switch.findData("true"))
    dlg.save_button.click()
    assert _stored(db, "late_fee.enabled.water") is True
    assert dlg.table.item(_row(dlg, "late_fee.enabled.water"), dlg.COL_VALUE).text().startswith("On")


def test_a_clerk_cannot_save(qtbot, admin_ctx):
    db = admin_ctx.db
    auth.create_clerk(db, admin_ctx.actor, "zhangli", "张丽", "clerk123", "clerk", "1001")
    dlg = SettingsDialog(AppContext(db, auth.get_actor(db, "zhangli")))
    qtbot.addWidget(dlg)
    assert not dlg.save_button.isEnabled()
    dlg.save()  # even when called directly, the service refuses
    assert not dlg.error.isHidden() and "administrator" in dlg.error.text()
    assert _stored(db, "late_fee.rate.residential") == "0.001"
