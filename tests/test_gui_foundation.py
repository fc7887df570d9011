"""The window as a clerk uses it: set-up, log-in, scan, edit and save, conflict message, field errors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.services import customers as cs
from app.views.context import AppContext
from app.views.login import LoginDialog
from app.views.main_window import MainWindow
from app.views.plugins import load_registry
from app.views.search_model import RESULT_ROLE, SearchResultModel

pytestmark = pytest.mark.gui


@pytest.fixture
def store(sqlite_db):
    from app.services import auth

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(sqlite_db, "zhangli")
    cid = cs.create_customer(
        sqlite_db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678", id_number="11010519491231002X", address="幸福路18号")
    )
    aid = cs.create_account(sqlite_db, clerk, cid, cs.AccountInput(supply_address="幸福路18号"))
    cs.create_meter(sqlite_db, clerk, aid, cs.MeterInput(meter_no="3301990000001", multiplier="40"))
    return sqlite_db, clerk, cid


@pytest.fixture
def window(qtbot, store):
    db, clerk, _ = store
    w = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(w)
    w.show()
    return w


def test_login_wrong_password_shows_message_at_field(qtbot, store):
    db, _, _ = store
    dlg = LoginDialog(db)
    qtbot.addWidget(dlg)
    dlg.login.setText("zhangli")
    dlg.password.setText("nope")
    dlg.try_login()
    assert dlg.actor is None
    wrong = dlg.form.errors["password"].text()
    assert "Wrong login name or password" in wrong
    dlg.login.setText("nobody")
    dlg.try_login()
    assert dlg.form.errors["password"].text() == wrong  # an unknown login reads the same: no enumeration
    dlg.login.setText("zhangli")
    dlg.password.setText("clerk123")
    dlg.try_login()
    assert dlg.actor.clerk_name == "张丽"


def test_demo_login_lists_demo_users(qtbot, store):
    from app.services.demo import DEMO_USERS

    dlg = LoginDialog(store[0], DEMO_USERS)
    qtbot.addWidget(dlg)
    assert "zhangli / clerk123" in dlg.findChild(type(dlg.form.errors["login"]), "demoUsers").text()


def test_scan_account_opens_customer_and_esc_returns_to_search(qtbot, window):
    assert window.search_field.hasFocus() or QApplication.focusWidget() in (None, window.search_field)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 1
    assert window.customer.fields["name"].text() == "张三丰"
    assert window.customer.fields["id"].text().endswith("110105********002X")
    assert window.customer.meters.item(0, 0).text() == "3301990000001"
    assert window.customer.meters.item(0, 3).text() == "40"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentIndex() == 0
    assert window.focusWidget() is window.search_field


def test_typing_searches_as_you_type(qtbot, window):
    qtbot.keyClicks(window.search_field, "zsf")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    assert window.model.index(0, 1).data() == "张三丰"


def _edit_dialog(qtbot, window, change):
    from app.views.customer_dialogs import CustomerDialog

    seen = {}

    def fill():
        dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CustomerDialog) and w.isVisible())
        change(dlg)
        seen["dlg"] = dlg
        dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        if dlg.isVisible():
            seen["errors"] = {k: v.text() for k, v in dlg.form.errors.items() if v.text()}
            dlg.reject()

    return seen, fill


def test_edit_and_save_shows_the_change(qtbot, window, store):
    from PySide6.QtCore import QTimer

    window.open_customer(store[2])
    seen, fill = _edit_dialog(qtbot, window, lambda d: d.form.fields["address"].setText("和平路1号"))
    QTimer.singleShot(50, fill)
    window.edit_customer()
    assert window.customer.fields["address"].text() == "和平路1号"
    assert window.focusWidget() is window.search_field  # transaction finished: ready for the next scan


def test_bad_id_number_is_marked_at_the_field(qtbot, window, store):
    from PySide6.QtCore import QTimer

    window.open_customer(store[2])
    seen, fill = _edit_dialog(qtbot, window, lambda d: d.form.fields["id_number"].setText("110105194912310021"))
    QTimer.singleShot(50, fill)
    window.edit_customer()
    assert "check digit" in seen["errors"]["id_number"]
    assert window.customer.fields["id"].text().endswith("002X")  # nothing saved


def test_stale_edit_shows_conflict_and_keeps_first_edit(qtbot, window, store, monkeypatch):
    from PySide6.QtCore import QTimer

    db, clerk, cid = store
    window.open_customer(cid)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def other_clerk_saves_first(dlg):
        data = cs.load_customer_for_edit(db, clerk, cid)
        data.address = "另一位营业员的地址"
        cs.update_customer(db, clerk, cid, data)
        dlg.form.fields["address"].setText("我的地址")

    seen, fill = _edit_dialog(qtbot, window, other_clerk_saves_first)
    QTimer.singleShot(50, fill)
    window.edit_customer()
    assert shown and "Someone else changed this file" in shown[0]
    assert window.customer.fields["address"].text() == "另一位营业员的地址"


def test_search_model_fills_lazily_without_widgets():
    rows = [
        type("R", (), {"account_no": str(i), "name": f"n{i}", "phone_masked": "", "id_masked": "", "address": ""})() for i in range(120)
    ]
    model = SearchResultModel(lambda q: rows if q == "x" else [])
    model.set_query("x")
    assert model.total() == 120 and model.rowCount() == 50 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 120 and not model.canFetchMore()
    assert model.index(119, 0).data() == "119" and model.index(5, 0).data(RESULT_ROLE) is rows[5]
    model.set_query("")
    assert model.rowCount() == 0


def test_chinese_is_loaded_by_default_and_english_on_request(qtbot, store):
    """zh_CN (with Qt's own button texts) really comes from the .qm files; --lang en is the source."""
    from app import i18n

    def texts():
        dlg = LoginDialog(store[0])
        qtbot.addWidget(dlg)
        box = dlg.findChild(QDialogButtonBox)
        return dlg.windowTitle(), box.button(QDialogButtonBox.StandardButton.Cancel).text()

    try:
        loaded = i18n.install("zh_CN")
        assert "core_zh_CN.qm" in loaded and "qtbase_zh_CN.qm" in loaded
        zh_label, zh_cancel = texts()
        i18n.install("en")
        en_label, en_cancel = texts()
    finally:
        i18n.install("en")
    assert en_label.startswith("CounterDesk") and en_cancel.replace("&", "") == "Cancel"
    assert zh_label != en_label and any("\u4e00" <= ch <= "\u9fff" for ch in zh_label)
    assert zh_cancel.replace("&", "") != "Cancel" and "取消" in zh_cancel


def test_damaged_store_gives_a_message_box_not_a_traceback(qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from app.cli import build_parser
    from app.main import start_window

    bad = tmp_path / "counterdesk.sqlite"
    bad.write_bytes(b"this is not a database at all" * 200)
    args = build_parser().parse_args(["--db", f"sqlite:///{bad}"])
    seen = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    assert start_window(args, "en") is None
    assert start_window.failed
    assert seen and "damaged" in seen[0] and "Traceback" not in seen[0], seen


def test_store_from_a_newer_counterdesk_gives_a_message_box(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from sqlalchemy import text

    from app.cli import build_parser
    from app.db.engine import Database
    from app.db.migrate import current_revision, upgrade
    from app.main import start_window

    path = tmp_path / "newer.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042_future'"))
    args = build_parser().parse_args(["--db", f"sqlite:///{path}"])
    seen = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    assert start_window(args, "en") is None and start_window.failed
    assert seen and "newer CounterDesk (schema 0042_future)" in seen[0] and "Update this counter" in seen[0], seen
    assert current_revision(db.engine) == "0042_future"
    db.dispose()


@pytest.fixture
def crowd(store):
    """Three customers named 张…, accounts 3301000001-3301000004 (张三丰 has two accounts)."""
    db, clerk, cid = store
    cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路20号"))  # 3301000002
    others = {}
    for name, phone in (("张伟", "13900000001"), ("张敏", "13900000002")):
        other = cs.create_customer(db, clerk, cs.CustomerInput(name=name, phone=phone, address="和平路1号"))
        cs.create_account(db, clerk, other, cs.AccountInput(supply_address="和平路1号"))
        others[name] = other
    return db, clerk, cid, others


def _type(widget, text):
    """Key presses carrying `text` (QTest.keyClicks cannot type Chinese)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() else 0
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, ch))


def _type_and_enter(qtbot, window, text):
    window.search_field.clear()
    _type(window.search_field, text)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)


def test_enter_on_a_truncated_scan_goes_to_the_list_instead_of_opening(qtbot, window, crowd):
    db, clerk, cid, others = crowd
    _type_and_enter(qtbot, window, "330100000")  # 9 of 10 digits: four accounts start so
    assert window.ctx.current_customer_id is None and window.stack.currentIndex() == 0
    assert window.model.total() == 4
    assert window.focusWidget() is window.results and window.results.currentIndex().row() == 0
    first = window.model.result(0)
    qtbot.keyClick(window.results, Qt.Key.Key_Return)  # the second Enter opens the selected row
    assert window.stack.currentIndex() == 1 and window.ctx.current_customer_id == first.customer_id


def test_enter_on_a_name_with_several_customers_lets_the_clerk_choose(qtbot, window, crowd):
    db, clerk, cid, others = crowd
    _type_and_enter(qtbot, window, "张")
    assert window.ctx.current_customer_id is None
    assert window.focusWidget() is window.results and window.results.currentIndex().row() == 0
    qtbot.keyClick(window.results, Qt.Key.Key_Down)
    second = window.model.result(window.results.currentIndex().row())
    assert window.results.currentIndex().row() == 1
    qtbot.keyClick(window.results, Qt.Key.Key_Enter)
    assert window.ctx.current_customer_id == second.customer_id


def test_typing_in_the_list_goes_on_in_the_search_field(qtbot, window, crowd):
    _type_and_enter(qtbot, window, "张")
    assert window.focusWidget() is window.results
    _type(window.results, "伟")
    assert window.focusWidget() is window.search_field and window.search_field.text() == "张伟"
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)  # now one customer: opened at once
    assert window.ctx.current_customer_id == crowd[3]["张伟"]


def test_enter_opens_directly_for_an_exact_number_or_the_only_customer(qtbot, window, crowd):
    db, clerk, cid, others = crowd
    _type_and_enter(qtbot, window, "3301000003")  # exact account number (a scan)
    assert window.ctx.current_customer_id == others["张伟"]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    _type_and_enter(qtbot, window, "zsf")  # one customer, two accounts: no doubt who it is
    assert window.model.total() == 2 and window.ctx.current_customer_id == cid
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    _type_and_enter(qtbot, window, "张敏")
    assert window.ctx.current_customer_id == others["张敏"]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    _type_and_enter(qtbot, window, "nobody at all")
    assert window.ctx.current_customer_id is None and window.focusWidget() is window.search_field


def test_result_count_says_when_there_are_more_than_the_list_shows(qtbot, window, crowd, monkeypatch):
    monkeypatch.setattr(SearchResultModel, "LIMIT", 2)
    _type(window.search_field, "张")
    qtbot.waitUntil(lambda: window.model.total() == 2, timeout=2000)
    assert window.model.truncated and window.result_count.text() == "2+ matches — type more to narrow"
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)  # more customers than shown: never opened
    assert window.ctx.current_customer_id is None and window.focusWidget() is window.results
    monkeypatch.setattr(SearchResultModel, "LIMIT", 200)
    window.search_field.setText("张伟")
    window._run_search()
    assert not window.model.truncated and window.result_count.text() == "1 match"


def test_search_model_keeps_its_limit_and_says_it_was_cut():
    rows = [
        type("R", (), {"customer_id": i, "account_no": str(i), "name": "", "phone_masked": "", "id_masked": "", "address": ""})()
        for i in range(SearchResultModel.LIMIT + 1)
    ]
    model = SearchResultModel(lambda q: rows[: int(q)])
    model.set_query(str(SearchResultModel.LIMIT + 1))
    assert model.total() == SearchResultModel.LIMIT and model.truncated
    model.set_query(str(SearchResultModel.LIMIT))
    assert model.total() == SearchResultModel.LIMIT and not model.truncated
    assert len(model.customer_ids()) == SearchResultModel.LIMIT


def test_the_customer_screen_reads_everything_in_one_transaction(qtbot, window, store):
    """Opening a customer fills the file, every panel and the warnings from one read session: on
    PostgreSQL each session is a BEGIN and a ROLLBACK more on the wire."""
    from sqlalchemy import event

    db, _clerk, cid = store
    begins = []

    def count(conn) -> None:
        begins.append(conn)

    event.listen(db.engine, "begin", count)
    try:
        window.open_customer(cid)
    finally:
        event.remove(db.engine, "begin", count)
    assert window.customer.fields["name"].text() == "张三丰" and window.customer.accounts.rowCount() == 1
    assert len(begins) == 1


def test_a_scan_wins_over_the_search_its_digits_started(qtbot, window, crowd):
    """Digits + Enter at scanner speed: the customer opens and stays; the search the digits started
    never fires and switches back to the list (issue 11, item 2)."""
    from app.views.main_window import SEARCH_DELAY_MS

    db, clerk, cid, others = crowd
    qtbot.keyClicks(window.search_field, "3301000003")  # full speed, then Enter at once
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 1 and window.ctx.current_customer_id == others["张伟"]
    qtbot.wait(SEARCH_DELAY_MS * 3)  # past the search delay
    assert window.stack.currentIndex() == 1 and window.ctx.current_customer_id == others["张伟"]
    assert window.customer.fields["name"].text() == "张伟"
    assert window.findChild(object, "keyRecordContact").isEnabled() and window.findChild(object, "keyTakePayment").isEnabled()
    # Typing a new search shows the list again: the customer keys go off with the customer.
    _type(window.search_field, "张")
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 0, timeout=2000)
    assert window.ctx.current_customer_id is None
    assert not window.findChild(object, "keyRecordContact").isEnabled() and not window.findChild(object, "keyTakePayment").isEnabled()


def test_log_out_returns_to_the_log_in_screen_for_the_next_clerk(qtbot, store, monkeypatch):
    """Counter → Log out: the log-in screen comes back; the next clerk gets a window of their own, and
    only cancelling the log-in ends the program (issue 11, item 8)."""
    from PySide6.QtGui import QAction

    from app.main import Counter
    from app.services import auth

    db, clerk, _ = store
    auth.create_clerk(db, auth.get_actor(db, "admin"), "wangqiang", "王强", "super123", "supervisor", "2001")
    app = QApplication.instance()
    counter = Counter(app, db, "en", False)
    first = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(first)
    counter.show(first)
    logins = []

    def log_in(dialog):
        logins.append(dialog)
        if len(logins) == 1:
            dialog.login.setText("wangqiang")
            dialog.password.setText("super123")
            dialog.try_login()
            return dialog.result()
        return 0  # the second time nobody logs in: the program ends

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    quits = []
    monkeypatch.setattr(app, "quit", lambda: quits.append(True))
    first.findChild(QAction, "actionLogout").trigger()
    assert len(logins) == 1 and not quits
    second = counter.window
    assert second is not first and second.ctx.actor.clerk_name == "王强" and second.isVisible()
    assert not first.isVisible()
    qtbot.addWidget(second)
    assert "王强" in second.status_clerk.toolTip()
    second.findChild(QAction, "actionLogout").trigger()
    assert len(logins) == 2 and quits == [True] and counter.window is None


def test_the_window_opens_maximised_and_remembers_each_clerks_size(qtbot, store):
    from app.services import auth

    db, clerk, _ = store
    first = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(first)
    first.show_for_clerk()
    assert first.isMaximized()  # the first time: the whole screen, 1920x1080 included
    first.showNormal()
    first.resize(first.minimumSizeHint().width(), 650)  # the offscreen screen is small: its narrowest
    first.customer.splitter.setSizes([300, 800])
    QApplication.processEvents()
    sizes, size = first.customer.splitter.sizes(), first.size()
    assert not first.isMaximized() and size.height() == 650
    first.close()
    again = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(again)
    again.show_for_clerk()
    QApplication.processEvents()
    assert not again.isMaximized() and again.size() == size
    assert again.customer.splitter.sizes() == sizes
    other = MainWindow(AppContext(db, auth.get_actor(db, "admin")), load_registry())
    qtbot.addWidget(other)
    other.show_for_clerk()
    assert other.isMaximized()  # another clerk at the same counter: their own (none yet)


def test_f1_shows_the_guide_of_the_screen_in_the_clerks_language(qtbot, window, store, monkeypatch):
    from app import i18n
    from app.views import help as guide

    shown = []
    monkeypatch.setattr(guide.GuideDialog, "exec", lambda self: shown.append((self.windowTitle(), self.text.toPlainText())) or 0)
    qtbot.keyClick(window.search_field, Qt.Key.Key_F1)
    assert shown[-1][0] == "Finding a customer" and "pinyin initials" in shown[-1][1]
    window.open_customer(store[2])
    qtbot.keyClick(window.customer.accounts, Qt.Key.Key_F1)
    assert shown[-1][0] == "The customer screen" and "F4" in shown[-1][1]
    assert window.findChild(object, "helpMenu") is not None
    i18n.install("zh_CN")
    try:
        for screen in guide.GUIDES:
            title, text = guide.guide_text(screen)
            assert title != guide.TITLES[screen] and text != guide.GUIDES[screen]  # translated, every screen
        assert "拼音" in guide.guide_text("search")[1]
    finally:
        i18n.install("en")


def test_the_lock_out_message_shows_whole(qtbot, store):
    """Wrong passwords until the login locks: the message under the password is never cut (issue 11, item 12)."""
    db, _, _ = store
    dlg = LoginDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    for _ in range(6):
        dlg.login.setText("zhangli")
        dlg.password.setText("nope")
        dlg.try_login()
        QApplication.processEvents()
    err = dlg.form.errors["password"]
    assert err.isVisible() and len(err.text()) > 40
    assert err.height() >= err.heightForWidth(err.width())  # every wrapped line shows
    assert err.geometry().bottom() <= err.parentWidget().height()
    assert dlg.focusWidget() is dlg.password


def test_a_field_message_goes_when_the_field_is_changed_and_the_first_field_gets_the_keyboard(qtbot):
    from app.kernel.errors import UserError
    from app.views.forms import FieldForm

    form = FieldForm()
    qtbot.addWidget(form)
    first = form.line("first", "First")
    second = form.line("second", "Second")
    form.show()
    form.show_errors({"second": UserError("Wrong second."), "first": UserError("Wrong first.")})
    assert form.focusWidget() is first  # the first on the form, whatever the order of the errors
    assert form.errors["first"].text() == "Wrong first." and form.errors["second"].text() == "Wrong second."
    qtbot.keyClicks(first, "x")
    assert form.errors["first"].text() == "" and not first.property("invalid")
    assert form.errors["second"].text() == "Wrong second." and second.property("invalid")  # only the changed one
