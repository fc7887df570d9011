"""A route's bills issued before are printed again from the window (Counter > Print a route's bills…), as the
command line's `bill --print` does: each bill marked 重打 with its count from the database, archived, counted."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QAction

from app.services import documents
from app.services.billing import bills, readings
from app.views.billing.issue_dialog import IssueBillsDialog
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from tests.pdfcheck import pdf_pages
from tests.test_gui_billing import route  # noqa: F401  (three accounts on route R9)

pytestmark = pytest.mark.gui


@pytest.fixture
def chinese():
    from app import i18n

    i18n.install("zh_CN")
    yield
    i18n.install("en")


def test_a_route_issued_before_is_reprinted_from_the_window(qtbot, route, tmp_path, _data_dir, monkeypatch, chinese):
    db, clerk = route
    for i, value in enumerate(["1180", "1250", "1300"], start=1):
        readings.record_reading(db, clerk, readings.meter_by_no(db, f"330199000000{i}"), "total", "2026-10", value)
    issued = bills.issue_route(db, clerk, "R9", "2026-10", today=date(2026, 11, 5))
    bills.mark_printed(db, clerk, issued.bill_ids[1])  # one was printed at the counter already
    seen = {}

    def run(dialog):  # the clerk types the route and the period and presses the button
        seen["title"] = dialog.windowTitle()
        dialog.route.setCurrentText("R9")
        dialog.period.setText("2026-09")
        dialog.ask_path = lambda: str(tmp_path / "R9-again")
        dialog.print_route_button.click()  # nothing issued for September: said, nothing written
        seen["none"] = dialog.report.toPlainText()
        dialog.period.setText("2026-10")
        dialog.print_route_button.click()
        qtbot.waitUntil(lambda: dialog.printed is not None, timeout=60_000)
        seen["report"] = dialog.report.toPlainText()
        return 0

    monkeypatch.setattr(IssueBillsDialog, "exec", run)
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    action = window.findChild(QAction, "actionPrintRoute")
    assert action is not None and action.text() == "打印线路账单…"
    action.trigger()
    assert seen["title"] == "打印线路账单" and "R9" in seen["none"] and "2026-09" in seen["none"]
    pages = pdf_pages((tmp_path / "R9-again.pdf").read_bytes())
    assert len(pages) == 3 and ["重打" in p for p in pages] == [False, True, False]
    assert "3" in seen["report"] and "重打" in seen["report"]  # three printed, one of them before
    with db.read() as s:
        counts = documents.copies_in(s, "bill", ["B330100000120261001", "B330100000220261001", "B330100000320261001"])
    assert counts == {"B330100000120261001": 1, "B330100000220261001": 2, "B330100000320261001": 1}
    assert len(list((_data_dir / "archive" / "bill-route").rglob("*.pdf"))) == 1
