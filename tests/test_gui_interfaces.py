"""The readings import screen and the bank mandates panel, driven by keyboard and buttons on real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.views.context import AppContext
from app.views.interfaces.mandates_panel import MandateDialog, MandatesPanel
from app.views.interfaces.readings_import_dialog import CorrectRowDialog, ReadingsImportDialog
from tests.test_interfaces_readings import PLAIN
from tests.test_interfaces_readings import meters as meters  # noqa: F401  (the fixture)

pytestmark = pytest.mark.gui


@pytest.fixture
def db(sqlite_db):  # the GUI runs on SQLite only: the services under it are tested on both
    return sqlite_db


def test_import_accept_correct_and_post(qtbot, db, clerk, meters, tmp_path, monkeypatch):  # noqa: F811
    path = tmp_path / "route.csv"
    path.write_text(PLAIN, encoding="utf-8")
    ctx = AppContext(db, clerk, lang="en")
    dialog = ReadingsImportDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.post_button.isEnabled()
    qtbot.keyClicks(dialog.period, "2026-10")
    dialog.import_file(str(path))
    assert "accepted 2, warned 3, refused 5, posted 0" in dialog.summary.text()
    dialog.show_only.setCurrentIndex(dialog.show_only.findData("warned"))
    rows = dialog.table.rows()
    assert [r.line for r in rows] == [3, 4, 6]
    assert [dialog.table.model().index(i, 2).data() for i in range(3)] == ["Total", "Total", "Valley"]  # register names shown
    dialog.table.selectRow(1)  # the roll-over of line 4
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert [r.line for r in dialog.table.rows()] == [3, 6]
    dialog.table.selectRow(0)  # line 3: 2500 was mistyped, 1500 is right

    typed_day = {}

    def mistyped_date(dlg):
        typed_day["text"] = dlg.read_on.text()
        dlg.read_on.setText("2026-13-40")
        return QDialog.DialogCode.Accepted

    def correct(dlg):  # the same dialog again, the date refused under its own field
        assert "YYYY-MM-DD" in dlg.form.errors["read_on"].text() and dlg.form.errors["reading"].isHidden()
        dlg.read_on.setText(typed_day["text"])
        dlg.reading.selectAll()
        qtbot.keyClicks(dlg.reading, "1500")
        return QDialog.DialogCode.Accepted

    answers = iter([mistyped_date, correct])
    monkeypatch.setattr(CorrectRowDialog, "exec", lambda self: next(answers)(self))
    qtbot.mouseClick(dialog.correct_button, Qt.MouseButton.LeftButton)
    assert "Line 3 checked again: accepted" in dialog.message.text()
    dialog.route.setCurrentIndex(dialog.route.findData("R1"))
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "3 readings posted."
    assert "posted 3" in dialog.summary.text()
    again = ReadingsImportDialog(ctx)  # the same file again: nothing staged twice, its rows as they stand
    qtbot.addWidget(again)
    again.period.setText("2026-10")
    again.import_file(str(path))
    assert "imported before" in again.message.text() and "posted 3" in again.summary.text()
    bad = tmp_path / "bad.csv"
    bad.write_text("meter_no,reading\nM001,1\nM002", encoding="utf-8")
    again.import_file(str(bad))
    assert again.message.text() == "bad.csv, line 3: the last line has 1 of 2 cells and no line end; the file seems cut off."


def test_mandate_added_on_the_customer_screen_is_masked(qtbot, db, clerk, meters):  # noqa: F811
    from sqlalchemy import select

    from app.models import Customer

    with db.read() as s:
        cid = s.scalar(select(Customer.id))
    ctx = AppContext(db, clerk, lang="en")
    panel = MandatesPanel(ctx)
    qtbot.addWidget(panel)
    panel.load(cid)
    assert panel.table.rowCount() == 0
    dialog = MandateDialog(ctx, cid, panel)  # the panel owns it
    qtbot.keyClicks(dialog.bank_account, "6222 0212 3456 7890")
    dialog.save()
    errors = dialog.form.errors
    assert errors["holder"].text() == "Enter the account holder's name." and not errors["holder"].isHidden()
    assert errors["bank_account"].isHidden() and dialog.focusWidget() is dialog.holder  # the message at its own field
    dialog.holder.setText("李四")  # (QTest types ASCII only)
    dialog.start.setText("2026-13-01")
    dialog.save()
    assert "YYYY-MM-DD" in errors["start_date"].text() and errors["holder"].text() == ""
    dialog.start.setText("2026-11-01")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    panel.load(cid)
    assert panel.table.rowCount() == 1
    row = panel.table.rows()[0]
    assert row.bank_account_masked == "**** 7890" and "3456" not in panel.table.model().index(0, 2).data()


def test_a_mandate_is_ended_from_the_customer_screen_panel(qtbot, db, clerk, meters):  # noqa: F811
    """End mandate… on the selected mandate: the end date is checked at the field, saved and audited;
    an ended mandate cannot be ended again."""
    from datetime import date

    from sqlalchemy import select

    from app.models import Account, AuditEntry, Customer
    from app.services.interfaces import bank_collection as bc
    from app.views.interfaces.mandates_panel import EndMandateDialog

    with db.read() as s:
        cid = s.scalar(select(Customer.id))
        aid = s.scalar(select(Account.id).where(Account.customer_id == cid))
    bc.add_mandate(db, clerk, cid, bc.MandateInput(aid, "ICBC", "622202123456789012", "李四", "2026-03-01"))
    ctx = AppContext(db, clerk, lang="en")
    panel = MandatesPanel(ctx)
    qtbot.addWidget(panel)
    panel.load(cid)
    assert not panel.end_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.end_button.isEnabled()
    row = panel.table.selected()
    dialog = EndMandateDialog(ctx, row, panel)
    qtbot.addWidget(dialog)
    dialog.end_date.setText("2026-02-01")
    dialog.save()
    assert dialog.form.errors["end_date"].text() == "A mandate cannot end before it starts (2026-03-01)."
    dialog.end_date.setText("2026-11-30")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    panel.load(cid)
    panel.table.selectRow(0)
    assert panel.table.selected().end_date == date(2026, 11, 30) and not panel.end_button.isEnabled()
    assert panel.table.model().index(0, 5).data() == "2026-11-30"
    with db.read() as s:
        entry = s.execute(
            select(AuditEntry.action, AuditEntry.after).where(AuditEntry.entity == "bank_mandate").order_by(AuditEntry.seq.desc())
        ).first()
    assert entry.action == "end" and '"2026-11-30"' in entry.after and "**** 9012" in entry.after and "6222021234" not in entry.after
    again = EndMandateDialog(ctx, row, panel)
    qtbot.addWidget(again)
    again.save()
    assert again.form.errors["end_date"].text() == "This mandate has ended already (on 2026-11-30)."
