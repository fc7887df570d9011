"""A clerk enters a route's readings with the keyboard, then prints a bill from the customer screen."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.kernel.localtime import local_today
from app.services import customers as cs
from app.services.billing import bills, tariffs
from app.views.billing.readings_screen import ReadingsScreen
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.gui


@pytest.fixture
def route(sqlite_db):
    from app.services import auth

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    for i, name in enumerate(["张三丰", "李四", "王五"], start=1):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=name))
        aid = cs.create_account(
            db, clerk, cid, cs.AccountInput(supply_address=f"幸福路{i}号", reading_route="R9", route_order=str(i), tariff_code="ZJ-RES-Y")
        )
        cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"330199000000{i}", initial_reading="1000"))
    return db, clerk


def test_route_entry_by_keyboard_with_rollover_question(qtbot, route):
    db, clerk = route
    from app.services import auth

    auth.create_clerk(db, auth.get_actor(db, "admin"), "wangqiang", "王强", "super123", "supervisor", "2001")
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    asked = []
    screen.confirm = lambda ask: asked.append(ask.kind) or True
    screen.approve = lambda ask: asked.append(ask.kind) or auth.get_actor(db, "wangqiang")
    assert screen.model.rowCount() == 3 and "first reading" in screen.current_label.text()
    for value in ["1180", "1250.5", "900"]:  # the third is below the previous: an implausible roll-over, a supervisor's
        qtbot.keyClicks(screen.entry, value)
        qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert asked == ["rollover_supervisor"]
    usages = [r.usage for r in screen.model.rows]
    assert usages == [180, 250.5, 999900]
    assert screen.model.index(2, 7).data() == "999,900"  # quantities are shown grouped
    assert "3 of 3" in screen.progress.text() or "3" in screen.progress.text()
    # a wrong entry stays on its row with a message
    screen2 = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-11")
    qtbot.addWidget(screen2)
    qtbot.keyClicks(screen2.entry, "abc")
    qtbot.keyClick(screen2.entry, Qt.Key.Key_Return)
    assert "not a meter reading" in screen2.message.text() and screen2.current_row() == 0


def test_issue_and_print_a_bill_from_the_customer_screen(qtbot, route, monkeypatch, _data_dir):
    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    for value in ["1180", "1250", "1100"]:
        qtbot.keyClicks(screen.entry, value)
        qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    result = bills.issue_route(db, clerk, "R9", "2026-10", today=date(2026, 11, 5))
    assert len(result.issued) == 3
    from app.views import pdf_preview

    shown = []

    def fake_exec(dialog):  # the clerk looks at the preview, then saves it as PDF
        shown.append(pdf_text(dialog.data))
        dialog._output()  # saved: the bill went out
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", fake_exec)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    panel = window.customer.findChild(object, "billsPanel")
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "¥96.84"  # 180 x 0.538
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert "¥96.84" in shown[0] and "REPRINT" not in shown[0] and "重打" not in shown[0]
    archived = sorted((_data_dir / "archive" / "bill").rglob("*.pdf"))
    assert [p.name for p in archived] == ["B330100000120261001.pdf"]
    text = pdf_text(archived[0].read_bytes())
    assert "3301000001" in text and "1180" in text and "¥96.84" in text
    qtbot.keyClick(window, Qt.Key.Key_F8)  # a reprint is archived beside it and marked
    again = sorted((_data_dir / "archive" / "bill").rglob("*reprint-1.pdf"))
    assert again
    reprint_text = pdf_text(again[0].read_bytes())
    assert "REPRINT(1)" in reprint_text or "重打（第1次）" in reprint_text


def test_clerk_needs_supervisor_login_to_waive(qtbot, route, monkeypatch):
    from app.services import auth
    from app.views import supervisor
    from app.views.billing import bills_panel

    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    for value in ["1180", "1250", "1100"]:
        qtbot.keyClicks(screen.entry, value)
        qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    bills.issue_route(db, clerk, "R9", "2026-10", today=date(2026, 11, 5))
    admin = auth.get_actor(db, "admin")
    auth.create_clerk(db, admin, "wangqiang", "王强", "super123", "supervisor", "2001")
    ctx = AppContext(db, clerk)
    window = MainWindow(ctx, load_registry())
    qtbot.addWidget(window)
    from app.services import search

    hit = search.exact_account(db, "3301000001")
    window.open_customer(hit.customer_id, hit.account_id)
    monkeypatch.setattr(bills_panel, "_reason", lambda w, t: "停电补偿")

    def approve(dialog):
        dialog.login.setText("wangqiang")
        dialog.password.setText("super123")
        dialog.check()
        return dialog.result()

    monkeypatch.setattr(supervisor.SupervisorDialog, "exec", approve)
    window.customer.findChild(object, "waiveLateFeeButton").click()
    bill_id = bills.find_bill(db, "B330100000120261001")
    with db.read() as s:
        from app.models import AuditEntry, Bill

        bill = s.get(Bill, bill_id)
        assert bill.late_fee_waived and bill.late_fee_waive_reason == "停电补偿"
        entry = s.query(AuditEntry).filter(AuditEntry.action == "waive_late_fee").one()
        assert entry.clerk_id == auth.get_actor(db, "wangqiang").clerk_id


def test_price_calculator_live(qtbot, route):
    from app.views.billing.quote_dialog import QuoteDialog

    db, clerk = route
    dlg = QuoteDialog(AppContext(db, clerk))
    qtbot.addWidget(dlg)
    dlg.tariff.setCurrentIndex(dlg.tariff.findData("ZJ-RES-Y"))
    dlg.ytd.setText("2700")
    qtbot.keyClicks(dlg.usage, "200")
    assert "¥114.60" in dlg.total.text() and dlg.table.rowCount() == 2
    dlg.usage.setText("abc")
    assert dlg.message.text() and dlg.table.rowCount() == 0


@pytest.mark.parametrize("workers", [False, True])
def test_issue_route_off_the_ui_thread_reports_what_failed(qtbot, route, monkeypatch, workers):
    """Also with the bills computed by worker processes, started from the window the way it starts
    them (forkserver, from its issuing thread; a route this small only because the test says so)."""
    from app.services.billing import issuing
    from app.views.billing.issue_dialog import IssueBillsDialog

    if workers:
        monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
        monkeypatch.setattr(issuing, "PIPELINE_MIN_CLEAN_START", 1)
        monkeypatch.setattr(issuing, "PART", 1)
        started, written = [], []
        monkeypatch.setattr(issuing, "_context", lambda ctx, _c=issuing._context: started.append(ctx) or _c(ctx))
        monkeypatch.setattr(issuing, "_write_part", lambda s, actor, part, _w=issuing._write_part: written.append(1) or _w(s, actor, part))
    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    for value in ["1180", "1250"]:  # the third meter has no reading
        qtbot.keyClicks(screen.entry, value)
        qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    dialog = IssueBillsDialog(AppContext(db, clerk))
    qtbot.addWidget(dialog)
    dialog.route.setCurrentText("R9")
    dialog.period.setText("2026-10")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert len(dialog.result.issued) == 2 and dialog.bar.value() == dialog.bar.maximum() == 3
    assert "3301000003" in dialog.report.toPlainText() and dialog.start_button.isEnabled()
    if workers:
        assert "forkserver" in started and len(written) == 3  # each account's part came from a worker


def test_tariff_import_dialog_refuses_a_bad_file_whole(qtbot, route, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from app.views.billing.issue_dialog import TariffImportDialog

    db, clerk = route
    bad = tmp_path / "bad.toml"
    bad.write_text('[[tariff]]\ncode = "X"\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    from app.services import auth

    dialog = TariffImportDialog(AppContext(db, auth.get_actor(db, "admin")))
    qtbot.addWidget(dialog)
    assert "bad.toml" in dialog.label.text() and "name" in dialog.label.text()
    # a clerk (who has no menu entry for it) is refused by the service too
    good = tmp_path / "good.toml"
    good.write_text(
        '[[tariff]]\ncode = "NEW-1"\nname = "新"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        'effective_from = 2027-01-01\nprice = "0.5"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog = TariffImportDialog(AppContext(db, clerk))
    qtbot.addWidget(dialog)
    assert "nothing was imported" in dialog.label.text() and "Only an administrator" in dialog.label.text()
    assert "NEW-1" not in tariffs.load_book(db).by_code


def _enter(qtbot, screen, values):
    for value in values:
        qtbot.keyClicks(screen.entry, value)
        qtbot.keyClick(screen.entry, Qt.Key.Key_Return)


def _stored(db, period):
    from sqlalchemy import select

    from app.models import Reading

    with db.read() as s:
        return [
            (r.current_reading, r.usage, r.read_on, r.source)
            for r in s.scalars(select(Reading).where(Reading.period == period).order_by(Reading.current_reading))
        ]


def test_reading_date_and_source_apply_to_the_rows_entered(qtbot, route):
    from PySide6.QtCore import QDate

    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    today = local_today()
    assert screen.read_on.date() == QDate(today.year, today.month, today.day) and screen.source.currentData() == "read"
    _enter(qtbot, screen, ["1180"])
    screen.read_on.setDate(QDate(2026, 10, 26))
    screen.source.setCurrentIndex(screen.source.findData("estimated"))
    _enter(qtbot, screen, ["1250"])
    screen.source.setCurrentIndex(screen.source.findData("customer"))
    _enter(qtbot, screen, ["1300"])
    assert _stored(db, "2026-10") == [
        (1180, 180, today, "read"),
        (1250, 250, date(2026, 10, 26), "estimated"),
        (1300, 300, date(2026, 10, 26), "customer"),
    ]
    model = screen.model
    assert [model.index(i, 8).data() for i in range(3)] == [today.isoformat(), "2026-10-26", "2026-10-26"]
    assert [model.index(i, 9).data() for i in range(3)] == ["Read on site", "Estimated", "Reported by the customer"]
    again = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")  # shown as stored when the route is opened again
    qtbot.addWidget(again)
    assert again.model.index(1, 8).data() == "2026-10-26" and again.model.index(2, 9).data() == "Reported by the customer"


def test_a_reading_is_corrected_on_the_screen_with_a_reason(qtbot, route):
    from sqlalchemy import select

    from app.models import AuditEntry

    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    _enter(qtbot, screen, ["1180", "1250", "1300"])
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    reasons = []
    screen.ask_reason = lambda r: reasons.append(r.meter_no) or "抄表员看错"
    screen.table.selectRow(1)
    assert screen.entry.text() == "1250" and not screen.entry.isReadOnly() and "correct" in screen.current_label.text()
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)  # unchanged: just moves on, nothing asked
    assert reasons == [] and screen.current_row() == 2
    screen.table.selectRow(1)
    screen.entry.setText("1205")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert reasons == ["3301990000002"] and screen.current_row() == 2 and screen.message.text() == ""
    assert screen.model.rows[1].usage == 205 and screen.model.index(1, 10).data() == "corrected"
    assert [v for v, *_ in _stored(db, "2026-10")] == [1180, 1205, 1300]
    with db.read() as s:
        assert "抄表员看错" in s.scalars(select(AuditEntry).where(AuditEntry.action == "correct")).one().after
    # cancelled reason: nothing changes
    screen.ask_reason = lambda r: None
    screen.table.selectRow(0)
    screen.entry.setText("1170")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert screen.current_row() == 0 and "1180" in screen.message.text() and screen.entry.text() == "1180"
    # billed while the screen was open: the service says to void the bill first and keeps the reading
    bills.issue_route(db, clerk, "R9", "2026-10")
    screen.ask_reason = lambda r: "再改"
    screen.entry.setText("1170")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert "B330100000120261001" in screen.message.text() and "void" in screen.message.text() and screen.current_row() == 0
    assert [v for v, *_ in _stored(db, "2026-10")] == [1180, 1205, 1300]
    # opened after billing: the row says so up front and takes no typing
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    screen.table.selectRow(0)
    assert screen.entry.isReadOnly() and "B330100000120261001" in screen.current_label.text() and "void" in screen.current_label.text()


def test_an_earlier_period_cannot_be_entered_on_the_screen(qtbot, route):
    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    _enter(qtbot, screen, ["1180", "1250", "1300"])
    old = ReadingsScreen(AppContext(db, clerk), route="R9", period="2025-03")
    qtbot.addWidget(old)
    assert old.entry.isReadOnly() and "2026-10" in old.current_label.text()
    assert old.model.index(0, 10).data() == "read up to 2026-10: closed"
    qtbot.keyClick(old.entry, Qt.Key.Key_Return)  # Enter just moves on
    assert old.current_row() == 1 and _stored(db, "2025-03") == []
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-09")  # the service refuses it too
    qtbot.addWidget(screen)
    screen.model.rows[0].latest_period = None  # as if the screen had been opened before the 2026-10 readings
    screen._show_row(0)
    qtbot.keyClicks(screen.entry, "1100")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert "up to 2026-10" in screen.message.text() and _stored(db, "2026-09") == []


def test_issue_dialog_prints_the_bills_it_issued(qtbot, route, tmp_path, _data_dir):
    from app.views.billing.issue_dialog import IssueBillsDialog
    from tests.pdfcheck import pdf_pages

    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    _enter(qtbot, screen, ["1180", "1250", "1300"])
    dialog = IssueBillsDialog(AppContext(db, clerk))
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    dialog.route.setCurrentText("R9")
    dialog.period.setText("2026-10")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.print_button.isEnabled() and len(dialog.result.bill_ids) == 3
    out = tmp_path / "R9"
    dialog.ask_path = lambda: str(out)
    dialog.print_button.click()
    assert not dialog.print_button.isEnabled() and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.printed is not None, timeout=60_000)
    assert dialog.printed.count == 3 and dialog.bar.value() == dialog.bar.maximum() == 3
    pdf = tmp_path / "R9.pdf"
    pages = pdf_pages(pdf.read_bytes())
    assert [p.count("330100000") > 0 for p in pages] == [True] * 3 and "3301000002" in pages[1]
    archived = sorted((_data_dir / "archive" / "bill-route").rglob("*.pdf"))
    assert len(archived) == 1 and archived[0].read_bytes() == pdf.read_bytes()
    assert "Printed 3 bills" in dialog.report.toPlainText() and str(pdf) in dialog.report.toPlainText()
    from sqlalchemy import func, select

    from app.models import Bill
    from app.services import documents

    with db.read() as s:
        assert (
            set(documents.copies_in(s, "bill", list(s.scalars(select(Bill.bill_no)))).values()) == {1}
            and s.scalar(select(func.count()).select_from(Bill)) == 3
        )
    # so F8 at the counter afterwards is a reprint
    assert bills.bill_document(db, bills.find_bill(db, "B330100000120261001")).reprint == 1


def _answer_modal(qtbot, answer, seen):
    """When the next modal dialog opens, record its text and let `answer(dialog)` act on it (a real key or click)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        answer(dialog)

    QTimer.singleShot(20, poll)


def _shown(qtbot, screen):
    screen.show()
    qtbot.waitExposed(screen)
    screen.entry.setFocus()


def test_enter_saves_moves_to_the_next_row_and_never_reloads_the_route(qtbot, route):
    db, clerk = route
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    _shown(qtbot, screen)
    assert not screen.findChild(object, "loadRouteButton").autoDefault()
    screen.table.selectRow(1)  # the clerk starts on the second meter
    _enter(qtbot, screen, ["1250"])
    assert screen.current_row() == 2 and screen.model.rows[0].current is None  # the next row, not the first unentered one
    qtbot.keyClicks(screen.entry, "x12")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    # the mistake stays in the box with the reason beside it; the route was not reloaded under it
    assert "“x12” is not a meter reading" in screen.message.text() and screen.entry.text() == "x12" and screen.current_row() == 2
    screen.entry.setText("1300")
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert screen.message.text() == "" and [r.current for r in screen.model.rows] == [None, 1250, 1300]
    assert [v for v, *_ in _stored(db, "2026-10")] == [1250, 1300]


def test_a_doubtful_reading_is_not_saved_by_enter(qtbot, route):
    from app.services.billing import readings

    db, clerk = route
    first = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-09")
    qtbot.addWidget(first)
    _enter(qtbot, first, ["999950"])  # the first meter now stands just below the top of its dial
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    _shown(qtbot, screen)
    seen = []
    _answer_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return), seen)  # typing on: Enter
    _enter(qtbot, screen, ["30"])
    qtbot.waitUntil(lambda: bool(seen))
    assert "999,950" in seen[0].text() and "80 kWh" in seen[0].text() and ".000" not in seen[0].text()
    assert _stored(db, "2026-10") == [] and screen.current_row() == 0 and "roll over" in screen.message.text()
    _answer_modal(qtbot, lambda box: box.button(box.StandardButton.Yes).click(), seen)  # the clerk says it did roll over
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert [(v, u) for v, u, *_ in _stored(db, "2026-10")] == [(30, 80)] and screen.current_row() == 1
    # an implausible one (1,000 -> 900 on the second meter): Enter in the approval dialog never accepts it
    screen.table.selectRow(1)
    screen.entry.setText("900")

    def just_enter(dialog):
        qtbot.keyClick(dialog.login, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # no password: refused at its field, the dialog stays
        assert "password" in dialog.form.errors["supervisor_password"].text() and dialog.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _answer_modal(qtbot, just_enter, seen)
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert seen[-1].objectName() == "rolloverApprovalDialog" and "999,900 kWh" in seen[-1].findChild(object, "rolloverQuestion").text()
    assert len(_stored(db, "2026-10")) == 1 and screen.current_row() == 1

    def supervisor_logs_in(dialog):
        dialog.login.setText("wangqiang")
        dialog.password.setText("super123")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    from app.services import auth

    auth.create_clerk(db, auth.get_actor(db, "admin"), "wangqiang", "王强", "super123", "supervisor", "2001")
    _answer_modal(qtbot, supervisor_logs_in, seen)
    qtbot.keyClick(screen.entry, Qt.Key.Key_Return)
    assert sorted(u for _, u, *_ in _stored(db, "2026-10")) == [80, 999900] and screen.current_row() == 2
    assert readings.HIGH_USAGE_FACTOR  # the rule lives in the service


def test_the_reading_date_defaults_to_the_stations_day(qtbot, route, monkeypatch):
    from datetime import timedelta

    from PySide6.QtCore import QDate

    from app.views.billing import readings_screen

    db, clerk = route
    station_day = date.today() + timedelta(days=1)  # e.g. 07:00 in Shanghai on a machine whose clock runs on UTC
    monkeypatch.setattr(readings_screen, "local_today", lambda: station_day)
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period="2026-10")
    qtbot.addWidget(screen)
    assert screen.read_on.date() == QDate(station_day.year, station_day.month, station_day.day)
    assert screen.read_on.maximumDate() == screen.read_on.date()


def test_price_calculator_reads_peak_and_valley_as_it_shows_them(qtbot, route):
    from app import i18n
    from app.views.billing.quote_dialog import QuoteDialog

    db, clerk = route
    i18n.install("zh_CN")
    try:
        dlg = QuoteDialog(AppContext(db, clerk))
        qtbot.addWidget(dlg)
        dlg.tariff.setCurrentIndex(dlg.tariff.findData("ZJ-RES-TOU"))
        assert "峰=200" in dlg.usage.placeholderText() and "谷=150" in dlg.usage.placeholderText()
        dlg.usage.insert("峰=200 谷=150")  # (QTest types Latin-1 only)
        assert dlg.message.text() == "" and dlg.table.rowCount() == 2 and "¥156.80" in dlg.total.text()
        assert [dlg.table.item(r, 0).text() for r in range(2)] == ["峰", "谷"]  # what it shows is what it reads
        assert dlg.windowTitle() == "电费试算"
        dlg.usage.setText("峰=200 阴=150")
        assert "阴" in dlg.message.text() and dlg.table.rowCount() == 0
    finally:
        i18n.install("en")
    dlg.usage.setText("peak=200, valley=150")
    assert "¥156.80" in dlg.total.text()


def test_price_calculator_starts_from_the_open_account(qtbot, route):
    from app import i18n
    from app.services import search
    from app.views.billing.quote_dialog import QuoteDialog

    db, clerk = route
    period = local_today().strftime("%Y-%m")
    screen = ReadingsScreen(AppContext(db, clerk), route="R9", period=period)
    qtbot.addWidget(screen)
    _enter(qtbot, screen, ["1180"])
    bills.issue_accounts(db, clerk, ["3301000001"], period)
    hit = search.exact_account(db, "3301000001")
    ctx = AppContext(db, clerk)
    ctx.current_customer_id, ctx.current_account_id = hit.customer_id, hit.account_id
    dlg = QuoteDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.tariff.currentData() == "ZJ-RES-Y" and dlg.ytd.text() == "180"
    assert "3301000001" in dlg.account.text() and "180 kWh" in dlg.account.text()
    qtbot.keyClicks(dlg.usage, "2700")  # 2,580 left in tier 1 after the 180 already used, 120 in tier 2
    assert [dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())] == ["2,580", "120"]
    # a water account: the calculator is the water one, in m³
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="赵六"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="自来水路1号", service="water", tariff_code="LA-WATER-RES"))
    ctx.current_customer_id, ctx.current_account_id = cid, aid
    i18n.install("zh_CN")
    try:
        water = QuoteDialog(ctx)
        qtbot.addWidget(water)
        assert water.tariff.currentData() == "LA-WATER-RES" and water.windowTitle() == "水费试算" and "m³" in water.usage_label.text()
        assert (
            "电"
            not in water.windowTitle()
            + water.usage_label.text()
            + water.ytd_label.text()
            + water.tariff_label.text()
            + water.account.text()
        )
        assert water.tariff_label.text() == "水价"
    finally:
        i18n.install("en")
    ctx.current_customer_id = ctx.current_account_id = None  # no customer open: nothing is assumed
    plain = QuoteDialog(ctx)
    qtbot.addWidget(plain)
    assert plain.ytd.text() == "0" and "No customer" in plain.account.text()
