"""Closing a shift to the fen, the supervisor's note on a sign-off, open shifts on the day report, and the
close dialog (running total, method names in the clerk's language) — services on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.kernel.localtime import local_today
from app.models import AuditEntry
from app.printing.payments.reports import render_day_report, render_shift_report
from app.services.payments import posting, queries
from tests.pdfcheck import pdf_text
from tests.test_payments_core import owing  # noqa: F401  (an account with two unpaid bills; the clerk's shift is open, float 200)


def test_a_drawer_is_counted_to_the_fen(db, clerk, owing):
    posting.post_payment(db, clerk, owing, "161.40", "cash", "a", "161.40")  # both bills
    posting.post_payment(db, clerk, owing, "259.01", "cash", "b", "259.01")  # the rest to the prepaid balance
    # float 200 + 161.40 + 259.01 = 620.41: six ¥100, two ¥10, four ¥0.10 and one ¥0.01 coin
    result = posting.close_shift(db, clerk, {10000: 6, 1000: 2, 10: 4, 1: 1}, {}, "")
    assert result.expected["cash"] == 62041 and result.counted["cash"] == 62041 and result.difference["cash"] == 0
    [row] = queries.shifts_for_review(db, clerk)
    assert row.cash_pieces[1] == 1 and row.cash_pieces[5] == 0 and row.cash_pieces[2] == 0 and row.difference["cash"] == 0


def test_the_supervisors_note_is_kept_audited_and_printed(db, clerk, supervisor, owing):
    posting.post_payment(db, clerk, owing, "100", "cash", "a", "100")
    posting.close_shift(db, clerk, {10000: 2, 5000: 1, 2000: 1, 1000: 1, 500: 1, 100: 3, 50: 1, 10: 1, 5: 1, 2: 1, 1: 1}, {}, "找错零钱")
    [row] = queries.shifts_for_review(db, clerk)
    assert row.counted["cash"] == 28868 and row.difference["cash"] == -1132  # 288.68 counted against 300.00
    posting.sign_off(db, supervisor, row.id, "  顾客少付11.32元，已电话联系补交  ")
    [signed] = queries.shifts_for_review(db, clerk, signed_within_days=1)
    assert signed.sign_off_note == "顾客少付11.32元，已电话联系补交"
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off")).one()
    assert json.loads(entry.after)["note"] == "顾客少付11.32元，已电话联系补交"
    shift_text = pdf_text(render_shift_report(queries.shift_report(db, clerk, row.id)))
    assert "主管说明：顾客少付11.32元，已电话联系补交" in shift_text and "¥0.05" in shift_text and "¥0.01" in shift_text
    day_text = pdf_text(render_day_report(posting.day_report(db, supervisor, local_today())))
    assert "主管说明：顾客少付11.32元，已电话联系补交" in day_text


def test_an_open_shift_is_listed_as_open_and_kept_out_of_the_days_totals(db, clerk, supervisor, owing):
    posting.post_payment(db, clerk, owing, "100", "cash", "a", "100")
    posting.close_shift(db, clerk, {10000: 3}, {}, "")  # float 200 + 100, counted 300: no difference
    posting.open_shift(db, supervisor, "50")
    posting.post_payment(db, supervisor, owing, "20", "cash", "s", "20")
    posting.post_payment(db, supervisor, owing, "30", "card", "t", reference="T9")
    report = posting.day_report(db, supervisor, local_today())
    assert [(s.clerk, s.status) for s in report.shifts] == [("张丽", "closed"), ("王强", "open")]
    assert report.closed_totals["cash"] == (30000, 30000) and report.closed_totals["card"] == (0, 0)
    text = pdf_text(render_day_report(report))
    # the day's totals are the closed shift's alone: no shortage of the open shift's ¥70.00 cash or ¥30.00 card
    assert "现金¥300.00¥300.00¥0.00" in text and "银行卡¥0.00¥0.00¥0.00" in text
    assert "-¥70.00" not in text and "-¥30.00" not in text and "-¥370.00" not in text
    assert "尚未交班的班次（未清点现金，不计入当日合计）" in text and "王强" in text
    assert "现金¥70.00——" in text and "银行卡¥30.00——" in text  # taken so far (float 50 + 20), nothing counted, no difference
    assert text.index("当日已交班合计") < text.index("尚未交班的班次")


@pytest.mark.gui
def test_close_dialog_counts_coins_shows_a_running_total_and_names_methods(qtbot, sqlite_db, monkeypatch):
    from PySide6.QtCore import Qt

    from app import i18n
    from app.services import auth
    from app.views.context import AppContext
    from app.views.payments.shift_dialogs import ShiftCloseDialog

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    posting.open_shift(db, clerk, "620.41")
    i18n.install("zh_CN")
    try:
        dialog = ShiftCloseDialog(AppContext(db, clerk))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert set(dialog.pieces) >= {5, 2, 1} and "¥0.00" in dialog.cash_total.text()
        for fen, n in ((10000, 6), (1000, 2), (10, 4), (1, 1)):
            spin = dialog.pieces[fen]
            spin.setFocus()
            spin.selectAll()
            qtbot.keyClicks(spin, str(n))
            qtbot.keyClick(spin, Qt.Key.Key_Return)  # Enter moves on; it does not close the shift half counted
            assert queries.open_shift_of(db, clerk) is not None
        assert "¥620.41" in dialog.cash_total.text() and "13" in dialog.cash_total.text()
        dialog.submit()
        text = dialog.result_label.text()
        assert "现金：应收 ¥620.41，实点 ¥620.41，差额 ¥0.00" in text
        for raw in ("cash:", "card:", "qr:", "transfer:"):
            assert raw not in text
        assert "银行卡" in text and "-¥0.01" not in text
    finally:
        i18n.install("en")
