"""The Reports screen and the reminders dialog, offscreen, on the hand-built store of test_reports."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from app.views import pdf_preview
from app.views.context import AppContext
from tests.test_reports import TODAY, build_store


@pytest.fixture
def setup(sqlite_db):
    """The hand-built store of test_reports on a SQLite file (the screen reads through the services
    tested on both databases there): (db, clerk, supervisor, store)."""
    from app.services import auth

    admin = auth.initialize(
        sqlite_db, auth.StationInput("3301", "城东营业厅", "示范供电公司", "0571-95598", "城东路1号"), "admin", "系统管理员", "admin123"
    )
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    auth.create_clerk(sqlite_db, admin, "wangqiang", "王强", "super123", "supervisor", "2001")
    clerk, supervisor = auth.get_actor(sqlite_db, "zhangli"), auth.get_actor(sqlite_db, "wangqiang")
    return sqlite_db, clerk, supervisor, build_store(sqlite_db, clerk, supervisor)


@pytest.fixture
def chinese():
    from app import i18n

    i18n.install("zh_CN")
    yield
    i18n.install("en")


def _cells(model, row):
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_report_screen_shows_the_figures_in_chinese_with_totals_and_a_chart(qtbot, setup, chinese):
    db, clerk, supervisor, store = setup
    from app.views.reports.report_screen import ReportScreen

    screen = ReportScreen(AppContext(db, supervisor), None, "collections")
    qtbot.addWidget(screen)
    screen.start.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    screen.end.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert screen.run()
    model = screen.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["日期", "收费员", "收费方式"]
    rows = [_cells(model, r) for r in range(model.rowCount())]
    assert any("现金" in r and "100.00" in r for r in rows) and any("扫码支付" in r and "-30.00" in r for r in rows)
    assert rows[-1][0] == "合计" and rows[-1][-1] == "100.00"
    assert screen.chart.values == [100.0]  # one day: the net
    assert screen.chart.kind == "money" and screen.chart.value_text(100.0) == "100.00"  # over the bar, to the fen
    assert not screen.chart.grab().isNull()
    assert screen.export_button.isEnabled() and not screen.dunning_button.isEnabled()
    screen.part.setCurrentIndex(1)  # the shifts behind it
    assert screen.table.model().rowCount() == 2  # one open shift and the totals row


def test_a_bad_period_is_said_at_the_field_and_nothing_is_shown(qtbot, setup):
    db, clerk, supervisor, store = setup
    from app.views.reports.report_screen import ReportScreen

    screen = ReportScreen(AppContext(db, supervisor), None, "sales")
    qtbot.addWidget(screen)
    screen.start.setDate(QDate(2026, 10, 1))
    screen.end.setDate(QDate(2026, 9, 1))
    assert not screen.run()
    assert screen.error.isVisibleTo(screen) and "ends before" in screen.error.text()
    assert not screen.export_button.isEnabled() and screen.table.model().rowCount() == 0


def test_ageing_exports_a_workbook_and_prints_route_reminders(qtbot, setup, tmp_path, monkeypatch):
    db, clerk, supervisor, store = setup
    import openpyxl

    from app.services import documents
    from app.services.reports.dunning import last_reminder
    from app.views.reports.report_screen import ReportScreen

    screen = ReportScreen(AppContext(db, supervisor), None, "ageing")
    qtbot.addWidget(screen)
    screen.start.setDate(QDate(2026, 11, 1))
    screen.end.setDate(QDate(2026, 11, 20))
    assert screen.run() and screen.dunning_button.isEnabled()
    target = tmp_path / "ageing.xlsx"
    monkeypatch.setattr("app.views.reports.report_screen.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr("app.views.reports.report_screen.QMessageBox.information", lambda *a, **k: None)
    screen.export()
    assert openpyxl.load_workbook(target).worksheets[0].cell(5, 1).value == "R01"

    shown = []

    def printed_from_preview(self):  # the supervisor presses Print in the preview
        shown.append(self)
        self.on_delivered("system")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", printed_from_preview)
    screen.table.setCurrentIndex(screen.table.model().index(1, 0))  # route R02
    screen.print_reminders()
    assert shown
    number = f"R02-{date(2026, 11, 20).isoformat()}"
    assert documents.copies(db, "dunning", number) == 1
    with db.read() as s:
        from app.models import Account

        cid = s.get(Account, store["R02"][0]).customer_id
    assert last_reminder(db, cid) is not None

    # drill-down: a route's row opens the accounts behind it, the list made only then and for that route
    screen.route.setText("")
    assert screen.run() and not screen.report.details["accounts"].loaded
    screen._drill_down(screen.table.model().index(1, 0))  # route R02
    assert screen.route.text() == "R02" and screen.part.currentData() == "accounts"
    listed = [screen.table.model().index(r, 0).data() for r in range(screen.table.model().rowCount())]
    assert "3301000002" in listed and "3301000001" not in listed


def test_ageing_bucket_cell_opens_its_accounts_with_workbook_and_reminders(qtbot, setup, tmp_path, monkeypatch):
    """A double-click on a route's bucket cell opens the accounts behind that cell (masked), the totals
    row's cell those of every route; the list goes to .xlsx and its accounts' reminders print."""
    db, clerk, supervisor, store = setup
    import openpyxl

    from app.services import documents
    from app.views.reports.report_screen import ArrearsListDialog, ReportScreen

    screen = ReportScreen(AppContext(db, supervisor), None, "ageing")
    qtbot.addWidget(screen)
    screen.start.setDate(QDate(2026, 11, 1))
    screen.end.setDate(QDate(2026, 11, 20))
    assert screen.run()
    model = screen.table.model()
    column = {c.key: i for i, c in enumerate(screen.report.columns)}
    screen.table.doubleClicked.emit(model.index(1, column["d1_30"]))  # route R02, 1-30 days
    (dialog,) = screen.findChildren(ArrearsListDialog)
    qtbot.addWidget(dialog)
    rows = [_cells(dialog.table.model(), r) for r in range(dialog.table.model().rowCount())]
    assert rows[0][:4] == ["3301000002", "李*", "138****5678", "R02"] and "295.90" in rows[0]
    assert rows[-1][0] == "Total" and len(rows) == 2 and "R02" in dialog.windowTitle()
    assert screen.route.text() == "" and not screen.report.details["accounts"].loaded  # the report stays as it was
    target = tmp_path / "bucket.xlsx"
    monkeypatch.setattr("app.views.reports.report_screen.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr("app.views.reports.report_screen.QMessageBox.information", lambda *a, **k: None)
    dialog.export()
    cells = [c for row in openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True) for c in row]
    assert "3301000002" in cells and "李*" in cells and "3301000001" not in cells and "李四" not in cells

    def printed_from_preview(self):
        self.on_delivered("system")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", printed_from_preview)
    assert dialog.dunning_button.isEnabled() and dialog.print_reminders()
    assert documents.copies(db, "dunning", "R02-d1_30-2026-11-20") == 1
    from app.models import Account
    from app.services.reports.dunning import last_reminder

    with db.read() as s:
        a, b = (s.get(Account, store[route][0]).customer_id for route in ("R01", "R02"))
    assert last_reminder(db, b) is not None and last_reminder(db, a) is None  # only the accounts listed
    dialog.close()

    # the totals row: every route's accounts in that bucket
    screen.table.doubleClicked.emit(model.index(model.rowCount() - 1, column["d1_30"]))
    dialog = next(d for d in screen.findChildren(ArrearsListDialog) if d.isVisible())
    qtbot.addWidget(dialog)
    listed = [dialog.table.model().index(r, 0).data() for r in range(dialog.table.model().rowCount() - 1)]
    assert listed == ["3301000001", "3301000002"] and dialog.route is None


def test_reminder_dialog_says_an_unknown_account_at_the_field(qtbot, setup):
    db, clerk, supervisor, store = setup
    from app.views.reports.report_screen import DunningDialog

    dialog = DunningDialog(AppContext(db, clerk), None, "3309999999")
    qtbot.addWidget(dialog)
    assert not dialog.print_now()
    assert dialog.error.isVisibleTo(dialog) and "3309999999" in dialog.error.text()


def test_reports_menu_is_for_supervisors_and_the_last_reminder_shows_on_the_customer(qtbot, setup):
    db, clerk, supervisor, store = setup
    from app.services import documents
    from app.services.reports.dunning import DunningRequest
    from app.views.main_window import MainWindow
    from app.views.plugins import load_registry
    from app.views.reports_plugin import last_reminder_warning

    for actor, visible in ((clerk, False), (supervisor, True)):
        window = MainWindow(AppContext(db, actor), load_registry())
        qtbot.addWidget(window)
        assert (window.findChild(type(window.menuBar().actions()[0]), "actionReportAgeing") is not None) == visible
    ctx = AppContext(db, clerk)
    with db.read() as s:
        from app.models import Account

        cid = s.get(Account, store["R01"][0]).customer_id
    assert last_reminder_warning(ctx, cid) == []
    documents.print_document(
        db, clerk, "dunning", DunningRequest(clerk, account_no="3301000001", as_of=date(2026, 12, 1)), documents.Delivery("pdf")
    )
    [(level, text)] = last_reminder_warning(ctx, cid)
    assert level == "info" and "2026-12-01" in text


def test_reports_by_billing_period_open_on_the_last_month(qtbot, setup):
    """This month's bills come after its readings: collection rate and sales open on the last whole
    month (which has bills), the other reports on this month so far."""
    from app.kernel.localtime import local_today
    from app.services import reports
    from app.views.reports.report_screen import ReportScreen

    assert reports.opening_period("collection-rate", date(2026, 3, 17)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert reports.opening_period("sales", date(2026, 1, 2)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert reports.opening_period("collections", date(2026, 3, 17)) == (date(2026, 3, 1), date(2026, 3, 17))
    db, _clerk, supervisor, _store = setup
    today = local_today()
    for name in ("collection-rate", "ageing"):
        screen = ReportScreen(AppContext(db, supervisor), None, name)
        qtbot.addWidget(screen)
        first, last = reports.opening_period(name, today)
        assert screen.start.date() == QDate(first.year, first.month, first.day)
        assert screen.end.date() == QDate(last.year, last.month, last.day)
        rate = name == "collection-rate"  # the cut-off (default today) is the collection rate's alone
        assert screen.cutoff.isHidden() is not rate and screen.cutoff_label.isHidden() is not rate
        assert screen.filters().cutoff == (today if rate else None)
        if rate:  # a rate is drawn against 100 % and says its value
            assert screen.run() and screen.chart.kind == "percent" and screen.chart.value_text(3.5) == "3.50%"
            assert not screen.chart.grab().isNull()
    assert (screen.start.date().month(), screen.end.date().day()) == (today.month, today.day)  # ageing: this month so far
