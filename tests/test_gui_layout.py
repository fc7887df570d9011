"""At 1366x768 (the counter's monitor) every status-bar item and every column title on the customer
screen is readable in Chinese and in English, and money columns are as wide as their contents."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from app import i18n
from app.paths import resource_path
from app.services import auth
from app.services import customers as cs
from app.views.context import AppContext
from app.views.elided_label import ElidedLabel
from app.views.main_window import MainWindow
from app.views.plugins import load_registry

pytestmark = pytest.mark.gui


@pytest.fixture(params=["zh_CN", "en"])
def lang(request, qapp):
    qapp.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    font = qapp.font()
    font.setPointSizeF(max(11.0, font.pointSizeF()))  # as app.main does
    qapp.setFont(font)
    i18n.install(request.param)
    yield request.param
    i18n.install("en")
    qapp.setStyleSheet("")


@pytest.fixture
def counter(sqlite_db):
    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅", "示范供电公司"), "admin", "系统管理员", "admin123")
    supervisor = admin  # the longest status bar: a long name and the hall queue too
    cid = cs.create_customer(
        sqlite_db, supervisor, cs.CustomerInput(name="欧阳建华", phone="13812345678", address="太湖源镇月亮桥村12组108号")
    )
    cs.create_account(
        sqlite_db,
        supervisor,
        cid,
        cs.AccountInput(
            supply_address="太湖源镇月亮桥村12组108号东侧厂房",
            reading_route="D18007",
            transformer_area="太湖源镇月亮桥村3号公变台区",
            usage_category="residential",
        ),
    )
    return sqlite_db, supervisor, cid


def _window(qtbot, db, actor, demo=False):
    w = MainWindow(AppContext(db, actor, demo=demo), load_registry())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    return w


def test_every_status_bar_item_is_readable_at_1366(qtbot, lang, counter):
    db, supervisor, _ = counter
    w = _window(qtbot, db, supervisor, demo=True)
    labels = [x for x in w.statusBar().findChildren(QLabel) if x.isVisible() and x.text()]
    assert len(labels) >= 6
    for x in labels:
        if isinstance(x, ElidedLabel):
            assert not x.is_elided(), (lang, x.objectName(), x.text(), x.contentsRect().width())
        else:  # an area's item
            assert x.fontMetrics().horizontalAdvance(x.text()) <= x.contentsRect().width() + 1, (lang, x.objectName(), x.text())
    assert w.status_db.toolTip().endswith(db.describe)  # the whole path is one hover away
    assert db.describe not in w.status_db.text()


def test_core_items_give_way_first_when_the_bar_is_too_narrow(qtbot, lang, counter):
    """An area's item that needs more room keeps its whole text; the core items end in "…" instead."""
    from app.views.plugins import StatusItem

    db, supervisor, _ = counter
    registry = load_registry()
    # One more area item than the bar has room for at 1366 px beside the real ones (shift, queues,
    # satisfaction); the window is no wider than the screen, so someone has to give way.
    long_text = "Waiting 12 · Called 34"  # (shorter since the backup item joined the bar)
    registry.add_status_item(StatusItem("statusLong", lambda ctx, parent: QLabel(long_text, parent), order=999))
    w = MainWindow(AppContext(db, supervisor), registry)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(
        lambda: w.findChild(QLabel, "statusQueues") is None or w.findChild(QLabel, "statusQueues").text().count("…") == 0
    )  # read in a thread
    qtbot.wait(100)
    QApplication.processEvents()
    assert w.width() == 1366
    for name in ("statusLong", "statusQueues", "statusShift", "statusSatisfaction"):
        item = w.findChild(QLabel, name)
        if item is not None:
            assert item.fontMetrics().horizontalAdvance(item.text()) <= item.contentsRect().width() + 1, (lang, name)
    elided = [x for x in w.statusBar().findChildren(ElidedLabel) if x.is_elided()]
    assert elided and all(x.toolTip() for x in elided)
    assert all(x.contentsRect().width() > 0 for x in w.statusBar().findChildren(ElidedLabel))


def test_customer_screen_columns_fit_with_money_whole(qtbot, lang, counter):
    db, supervisor, cid = counter
    w = _window(qtbot, db, supervisor)
    w.open_customer(cid)
    QApplication.processEvents()
    t = w.customer.accounts
    assert not t.horizontalScrollBar().isVisible()
    header = t.horizontalHeader()
    for c in range(t.columnCount()):
        assert header.sectionSize(c) >= t.sizeHintForColumn(c) or c in t.elastic, (lang, c, t.headers[c])
        if c not in t.elastic:  # the free-text column's title may end in "…" (whole in its tooltip)
            assert t.shown_header(c) == t.headers[c], (lang, c)
        assert t.header_tooltip(c) == t.headers[c]
    assert t.cell(0, 4) == "¥0.00"
    assert "D18007" in w.customer.account_detail.text() and "3号公变台区" in w.customer.account_detail.text()
    for table in (w.customer.meters, w.customer.contacts):
        assert not table.horizontalScrollBar().isVisible()


def test_the_window_fits_a_1366x768_screen_with_a_taskbar(qtbot, lang, counter):
    """1366x768 less a 40 px taskbar and a 32 px title bar leaves 1366x696: the window's minimum fits
    in it, and at that size the status bar is on screen and the money columns whole (issue 11, item 9)."""
    db, supervisor, cid = counter
    w = _window(qtbot, db, supervisor)
    w.open_customer(cid)
    QApplication.processEvents()
    hint = w.minimumSizeHint()
    assert hint.height() <= 696 and hint.width() <= 1366, (lang, hint)
    w.resize(1366, 696)
    QApplication.processEvents()
    assert w.height() == 696
    bar = w.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < w.height()
    assert w.status_clerk.isVisible() and w.status_clerk.contentsRect().width() > 0
    t = w.customer.accounts
    assert t.horizontalHeader().sectionSize(4) >= t.sizeHintForColumn(4)  # the balance stays whole
