"""The counter's main window: search (typing or scanning), the customer screen, function keys, status bar."""

from __future__ import annotations

import re
import threading
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services import customers as cs
from app.services import search
from app.views.customer_dialogs import AccountDialog, ContactDialog, CustomerDialog, MeterDialog
from app.views.customer_screen import CustomerScreen
from app.views.elided_label import ElidedLabel
from app.views.labels import label
from app.views.plugins import Registry
from app.views.search_model import RESULT_ROLE, SearchResultModel

SEARCH_DELAY_MS = 150


class _Pinger(QObject):
    """Checks off the UI thread whether the hall's database server answers."""

    answered = Signal(bool)

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def ping(self) -> None:
        def work():
            try:
                with self.db.engine.connect() as conn:
                    conn.exec_driver_sql("SELECT 1")
                ok = True
            except Exception:  # noqa: BLE001  (any failure means offline)
                ok = False
            self.answered.emit(ok)

        threading.Thread(target=work, daemon=True).start()


class MainWindow(QMainWindow):
    # Log out: the clerk leaves the counter and the log-in screen comes back (app.main), not the end of the program.
    logged_out = Signal()

    def __init__(self, ctx, registry: Registry, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.registry = registry
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("CounterDesk — %1").replace("%1", ctx.actor.station_name))
        self.resize(1366, 768)  # when not maximised and nothing is remembered (see show_for_clerk)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)

        top = QHBoxLayout()
        search_label = QLabel(self.tr("Find (F2):"))
        search_label.setProperty("role", "searchLabel")
        top.addWidget(search_label)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(
            self.tr("Account no., name, pinyin (zsf), phone or its last 4 digits, ID tail, meter no., address; scan a barcode")
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaxLength(200)
        top.addWidget(self.search_field, 1)
        self.result_count = QLabel()
        self.result_count.setObjectName("resultCount")
        top.addWidget(self.result_count)
        layout.addLayout(top)

        self.stack = QStackedWidget()
        self.results = QTableView()
        self.results.setObjectName("resultsView")
        # One more than the list keeps, so the count can say when there are more than it shows.
        self.model = SearchResultModel(lambda q: search.search(ctx.db, q, limit=SearchResultModel.LIMIT + 1), self)
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.setAlternatingRowColors(True)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.activated.connect(self._open_index)  # Enter or double click on a row
        self.results.installEventFilter(self)
        self.empty_hint = QLabel(
            self.tr(
                "Type or scan to find a customer. Enter opens a scanned number or the only match; "
                "with several matches it goes to the list (↑↓, Enter). Esc clears."
            )
        )
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setProperty("role", "hint")
        self.empty_hint.setWordWrap(True)  # never wider than the screen, in any language
        results_page = QWidget()
        rv = QVBoxLayout(results_page)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.results, 1)
        rv.addWidget(self.empty_hint)
        self.stack.addWidget(results_page)
        self.customer = CustomerScreen(ctx, registry)
        self.stack.addWidget(self.customer)
        layout.addWidget(self.stack, 1)

        # The function keys in a tool bar: when a narrow screen (or a long language) has no room for all of
        # them, the last ones move behind its » button instead of making the window wider than the screen;
        # their keys work all the same.
        self.keys_bar = QToolBar()
        self.keys_bar.setObjectName("functionKeys")
        self.keys_bar.setMovable(False)
        self.keys_bar.setFloatable(False)
        layout.addWidget(self.keys_bar)
        self.setCentralWidget(central)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self.search_field.textEdited.connect(lambda _t: self._timer.start())
        self.search_field.returnPressed.connect(self._enter)

        self._wire_customer_screen()
        self._function_keys()
        self._menus()
        self._status_bar()
        self.ctx.data_changed.connect(self._data_changed)
        self.focus_search()

    # ------------------------------------------------------------- keys, menus, status
    def _key_button(self, key: str, text: str, object_name: str, handler, needs_customer: bool) -> QPushButton:
        b = QPushButton(f"{key} {text}" if key else text)
        b.setObjectName(object_name)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(handler)
        b.setProperty("needsCustomer", needs_customer)
        self.keys_bar.addWidget(b)
        if key and key != "Esc":
            # Dispatched from keyPressEvent: F-keys reach the window from any field that does not use them.
            self._keys[QKeySequence(key)[0].key()] = b
        return b

    def _function_keys(self) -> None:
        self._keys: dict = {}
        self.key_buttons = [
            self._key_button("F2", self.tr("Find"), "keyFind", self.focus_search, False),
            self._key_button("F5", self.tr("New customer"), "keyNewCustomer", self.new_customer, False),
            self._key_button("F7", self.tr("Record contact"), "keyRecordContact", self.record_contact, True),
            self._key_button("F9", self.tr("Edit customer"), "keyEditCustomer", self.edit_customer, True),
        ]

        def key_number(fk) -> int:
            return int(fk.key[1:]) if fk.key[1:].isdigit() else 99

        for fk in sorted(self.registry.function_keys, key=key_number):
            handler = partial(_run_key, fk, self)
            self.key_buttons.append(
                self._key_button(fk.key, QCoreApplication.translate(fk.context, fk.label), fk.object_name, handler, fk.needs_customer)
            )
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.keys_bar.addWidget(spacer)
        self.key_buttons.append(self._key_button("Esc", self.tr("Close customer"), "keyClose", self.close_customer, True))
        self._update_keys()

    def _menus(self) -> None:
        bar = self.menuBar()
        menus = {
            "counter": bar.addMenu(self.tr("&Counter")),
            "reports": bar.addMenu(self.tr("&Reports")),
            "tools": bar.addMenu(self.tr("&Tools")),
            "admin": bar.addMenu(self.tr("&Administration")),
        }
        logout_action = QAction(self.tr("Log out"), self)
        logout_action.setObjectName("actionLogout")
        logout_action.setToolTip(self.tr("Leave the counter to another clerk: the log-in screen comes back."))
        logout_action.triggered.connect(self.log_out)
        quit_action = QAction(self.tr("Quit CounterDesk"), self)
        quit_action.setObjectName("actionQuit")
        quit_action.triggered.connect(self.close)
        for item in self.registry.menu_actions:
            if self.ctx.actor.role not in item.roles:
                continue
            action = QAction(QCoreApplication.translate(item.context, item.label), self)
            action.setObjectName(item.object_name)
            if item.shortcut:
                action.setShortcut(QKeySequence(item.shortcut))
            action.triggered.connect(lambda _c=False, it=item: it.handler(self.ctx, self))
            menus.get(item.menu, menus["tools"]).addAction(action)
        if self.ctx.actor.is_admin:
            settings_action = QAction(self.tr("Company settings…"), self)
            settings_action.setObjectName("actionCompanySettings")
            settings_action.triggered.connect(self.company_settings)
            menus["admin"].addAction(settings_action)
        menus["counter"].addSeparator()
        menus["counter"].addAction(logout_action)
        menus["counter"].addAction(quit_action)
        for m in menus.values():
            m.menuAction().setVisible(not m.isEmpty())
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        guide = QAction(self.tr("Guide to this screen"), self)
        guide.setObjectName("actionHelp")
        guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        guide.triggered.connect(lambda: self.show_help())
        help_menu.addAction(guide)
        keys_guide = QAction(self.tr("Keys at the counter"), self)
        keys_guide.setObjectName("actionHelpKeys")
        keys_guide.triggered.connect(lambda: self.show_help("keys"))
        help_menu.addAction(keys_guide)
        help_menu.addSeparator()
        about = QAction(self.tr("About CounterDesk…"), self)
        about.setObjectName("actionAbout")
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def help_screen(self) -> str:
        """Which guide F1 shows: the customer screen's while a customer is open, else the search's."""
        return "customer" if self.stack.currentIndex() == 1 else "search"

    def show_help(self, screen: str | None = None) -> None:
        from app.views.help import show_guide

        show_guide(self, screen or self.help_screen())

    def show_about(self) -> None:
        from app.views.about import show_about

        show_about(self)

    def log_out(self) -> None:
        """Back to the log-in screen for the next clerk: the window is put away (its size remembered)
        and logged_out tells app.main to show the log-in and open the next clerk's window."""
        from app.views.window_state import save_window

        save_window(self)
        self.hide()
        self.logged_out.emit()

    def closeEvent(self, event) -> None:  # noqa: N802
        from app.views.window_state import save_window

        save_window(self)
        super().closeEvent(event)

    def show_for_clerk(self) -> None:
        """Show the window as this clerk left it (size, place, splitter), or maximised the first time."""
        from app.views.window_state import restore_window

        restore_window(self)

    def company_settings(self) -> None:
        from app.views.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def _status_bar(self) -> None:
        """Clerk, station, the areas' items, database, online, last sync: short texts (the full ones in
        the tooltips) so every item is readable at 1366 px in Chinese and English. The core items
        are ElidedLabels: if a row is still too narrow they shorten with "…", never the areas' items."""
        sb = self.statusBar()
        actor = self.ctx.actor
        role = label("role", actor.role)
        # Name and staff number; the role is in the tooltip (the name says who is at the counter).
        self.status_clerk = ElidedLabel(self.tr("%1 (%2)").replace("%1", actor.clerk_name).replace("%2", actor.staff_no))
        self.status_clerk.setObjectName("statusClerk")
        self.status_clerk.setToolTip(
            self.tr("Clerk: %1, staff no. %2, %3").replace("%1", actor.clerk_name).replace("%2", actor.staff_no).replace("%3", role)
        )
        self.status_station = ElidedLabel(f"{actor.station_code} {actor.station_name}")
        self.status_station.setObjectName("statusStation")
        self.status_station.setToolTip(self.tr("Station: %1 %2").replace("%1", actor.station_code).replace("%2", actor.station_name))
        db = self.ctx.db
        if db.is_sqlite:
            shown = self.tr("Demo file") if self.ctx.demo else self.tr("Local file")
            tip = self.tr("Database: local file %1").replace("%1", db.describe)
        else:
            # The host only: the database name and user are in the tooltip.
            shown = self.tr("Server %1").replace("%1", db.describe.split("/", 1)[0])
            tip = self.tr("Database: hall server %1").replace("%1", db.describe)
        self.status_db = ElidedLabel(shown)
        self.status_db.setObjectName("statusDatabase")
        self.status_db.setToolTip(tip)
        self.status_online = ElidedLabel(self.tr("Works offline") if db.is_sqlite else self.tr("Checking server…"))
        self.status_online.setObjectName("statusOnline")
        self.status_online.setToolTip(
            self.tr("The data is on this computer: the counter works without a network.")
            if db.is_sqlite
            else self.tr("Whether the hall's database server answers, checked every 15 seconds.")
        )
        from app.views.sync_dialog import SyncStatusLabel

        self.status_sync = SyncStatusLabel(self.ctx)  # last exchange, changes waiting, a warning when overdue
        for w in (self.status_clerk, self.status_station):
            sb.addWidget(w)
        self.status_items = []
        for item in self.registry.status_items:
            w = item.factory(self.ctx, sb)
            w.setObjectName(item.object_name)
            sb.addWidget(w)
            self.status_items.append(w)
        for w in (self.status_db, self.status_online, self.status_sync):
            sb.addPermanentWidget(w)
        if not db.is_sqlite:
            self._pinger = _Pinger(db)
            self._pinger.answered.connect(self._online)
            self._ping_timer = QTimer(self)
            self._ping_timer.setInterval(15000)
            self._ping_timer.timeout.connect(self._pinger.ping)
            self._ping_timer.start()
            QTimer.singleShot(0, self._pinger.ping)

    def _online(self, ok: bool) -> None:
        self.status_online.setText(self.tr("Online") if ok else self.tr("OFFLINE: server not answering"))
        self.status_online.setProperty("level", "" if ok else "danger")
        self.status_online.style().unpolish(self.status_online)
        self.status_online.style().polish(self.status_online)

    def refresh_status(self) -> None:
        for w in self.status_items:
            w.refresh()
        self.status_sync.refresh()

    # ------------------------------------------------------------- search and opening
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _count_text(self) -> str:
        total = self.model.total()
        if self.model.truncated:
            return self.tr("%1+ matches — type more to narrow").replace("%1", str(total))
        if total == 0:
            return self.tr("No match")
        if total == 1:
            return self.tr("1 match")
        return self.tr("%1 matches").replace("%1", str(total))

    def _run_search(self) -> None:
        self._timer.stop()
        if self.stack.currentIndex() == 1:
            self._leave_customer()  # the list replaces the customer: the customer keys go off with it
        text = self.search_field.text()
        self.model.set_query(text)
        total = self.model.total()
        self.result_count.setText(self._count_text() if text.strip() else "")
        self.result_count.setProperty("level", "warn" if self.model.truncated else "")
        self.result_count.style().unpolish(self.result_count)
        self.result_count.style().polish(self.result_count)
        self.empty_hint.setVisible(total == 0)
        if total:
            self.results.selectRow(0)
        self.stack.setCurrentIndex(0)
        self._update_keys()

    def _enter(self) -> None:
        """Enter in the search field. Opens a customer directly only when there is no doubt: the text
        is an exact account, meter, bill, receipt or work-order number (a scan), or exactly one
        customer matches. Otherwise the keyboard goes to the result list with the first row
        selected, and a second Enter opens the row the clerk chose; a wrong customer at a
        payment counter is worse than one more key."""
        text = self.search_field.text().strip()
        if not text:
            return
        compact = text.replace(" ", "")
        if re.fullmatch(r"[A-Za-z]{0,2}-?[\d-]{6,}", compact):  # scanned numbers: account, meter, bill, receipt, work order
            hit = search.resolve_scan(self.ctx.db, compact)
            if hit is None:
                for handler in self.registry.scan_handlers:
                    if handler(self.ctx, self, compact):
                        return
            if hit is not None:
                self.open_customer(hit.customer_id, hit.account_id)
                return
        if self.model.query != self.search_field.text() or self._timer.isActive():
            self._run_search()
        if self.model.total() == 0:
            return
        if len(self.model.customer_ids()) == 1 and not self.model.truncated:
            hit = self.model.result(0)
            self.open_customer(hit.customer_id, hit.account_id)
            return
        self.choose_in_list()

    def choose_in_list(self) -> None:
        """Several matches: the first row selected and focused; Enter opens it, ↑↓ move."""
        self.stack.setCurrentIndex(0)
        self.results.setFocus()
        self.results.selectRow(0)
        self.results.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # Typing while the result list has the keyboard goes on into the search field;
        # ↑ on the first row goes back to it.
        if obj is self.results and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
            if key == Qt.Key.Key_Up and self.results.currentIndex().row() <= 0:
                self.search_field.setFocus()
                return True
            if key == Qt.Key.Key_Backspace and not mods:
                self._edit_search(self.search_field.backspace)
                return True
            text = event.text()
            if text and text.isprintable() and not mods and key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._edit_search(lambda: self.search_field.insert(text))
                return True
        return super().eventFilter(obj, event)

    def _edit_search(self, edit) -> None:
        """Back to the search field, at the end of its text, `edit` it and search again as typing does."""
        self.search_field.setFocus()
        self.search_field.deselect()
        self.search_field.end(False)
        edit()
        self._timer.start()

    def _open_index(self, index) -> None:
        hit = index.data(RESULT_ROLE)
        if hit is not None:
            self.open_customer(hit.customer_id, hit.account_id)

    def open_customer(self, customer_id, account_id=None) -> None:
        # A scan (digits + Enter faster than the search delay) wins over the search its digits started.
        self._timer.stop()
        self.ctx.current_customer_id = customer_id
        self.ctx.current_account_id = account_id
        try:
            self.customer.load(customer_id, account_id)
        except UserError as err:
            QMessageBox.warning(self, self.tr("Cannot open"), error_text(err))
            return
        self.stack.setCurrentIndex(1)
        self._update_keys()
        self.ctx.customer_opened.emit(customer_id)
        self.customer.accounts.setFocus()

    def _leave_customer(self) -> None:
        self.ctx.current_customer_id = None
        self.ctx.current_account_id = None
        self.customer.clear()
        self.stack.setCurrentIndex(0)
        self._update_keys()
        self.ctx.customer_opened.emit(None)

    def close_customer(self) -> None:
        self._leave_customer()
        self.focus_search()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        button = self._keys.get(event.key())
        if button is not None and not event.modifiers():
            if button.isEnabled():
                button.click()
            return
        if event.key() == Qt.Key.Key_Escape:
            if self.stack.currentIndex() == 1:
                self.close_customer()
            else:
                self.search_field.clear()
                self.model.clear()
                self.result_count.clear()
                self.focus_search()
            return
        super().keyPressEvent(event)

    def _update_keys(self) -> None:
        open_ = self.ctx.current_customer_id is not None and self.stack.currentIndex() == 1
        for b in self.key_buttons:
            if b.property("needsCustomer"):
                b.setEnabled(open_)

    def _data_changed(self, _area: str) -> None:
        # The customer screen reads again the panels that show this area itself (CustomerScreen.refresh).
        self.refresh_status()
        # A finished transaction hands the keyboard back to search: the next scan or name
        # goes straight in (docs/ARCHITECTURE.md, The counter screen), while the customer stays on screen until then.
        self.focus_search()

    # ------------------------------------------------------------- edits
    def _wire_customer_screen(self) -> None:
        c = self.customer
        c.edit_customer.connect(self.edit_customer)
        c.new_account.connect(self.new_account)
        c.edit_account.connect(self.edit_account)
        c.new_meter.connect(self.new_meter)
        c.edit_meter.connect(self.edit_meter)
        c.record_contact.connect(self.record_contact)

    def _after_edit(self, customer_id) -> None:
        if customer_id != self.ctx.current_customer_id or self.stack.currentIndex() != 1:
            self.open_customer(customer_id, self.ctx.current_account_id)
        self.ctx.data_changed.emit("customers")  # the screen reads the file again (CustomerScreen.refresh)

    def new_customer(self) -> None:
        dlg = CustomerDialog(
            cs.CustomerInput(name=self.search_field.text().strip() if not self.search_field.text().strip().isdigit() else ""),
            lambda data: cs.create_customer(self.ctx.db, self.ctx.actor, data),
            True,
            self,
        )
        if dlg.exec():
            self._after_edit(dlg.result_value)

    def edit_customer(self) -> None:
        cid = self.ctx.current_customer_id
        if cid is None:
            return
        data = cs.load_customer_for_edit(self.ctx.db, self.ctx.actor, cid)
        dlg = CustomerDialog(data, lambda d: cs.update_customer(self.ctx.db, self.ctx.actor, cid, d), False, self)
        dlg.exec()
        self._after_edit(cid)  # after a conflict too: show what was saved by the other clerk

    def new_account(self) -> None:
        cid = self.ctx.current_customer_id
        if cid is None:
            return
        f = self.customer.file
        dlg = AccountDialog(
            cs.AccountInput(supply_address=f.address if f else "", account_name=f.name if f else ""),
            lambda d: cs.create_account(self.ctx.db, self.ctx.actor, cid, d),
            True,
            self,
        )
        if dlg.exec():
            self.ctx.current_account_id = dlg.result_value
            self._after_edit(cid)

    def edit_account(self, account) -> None:
        dlg = AccountDialog(cs.account_input(account), lambda d: cs.update_account(self.ctx.db, self.ctx.actor, account.id, d), False, self)
        dlg.exec()
        self._after_edit(self.ctx.current_customer_id)

    def new_meter(self, account) -> None:
        dlg = MeterDialog(cs.MeterInput(), lambda d: cs.create_meter(self.ctx.db, self.ctx.actor, account.id, d), True, self)
        if dlg.exec():
            self._after_edit(self.ctx.current_customer_id)

    def edit_meter(self, meter) -> None:
        dlg = MeterDialog(cs.meter_input(meter), lambda d: cs.update_meter(self.ctx.db, self.ctx.actor, meter.id, d), False, self)
        dlg.exec()
        self._after_edit(self.ctx.current_customer_id)

    def record_contact(self) -> None:
        cid = self.ctx.current_customer_id
        if cid is None:
            return
        acc = self.customer.selected_account()
        dlg = ContactDialog(
            lambda d: cs.record_contact(
                self.ctx.db,
                self.ctx.actor,
                cid,
                d["channel"],
                d["kind"],
                d["summary"],
                account_id=acc.id if acc else None,
                link=d.get("link"),
            ),
            self,
            cs.pending_contact_links(self.ctx.db, cid),
        )  # a complaint's pending first contact, offered in F7
        if dlg.exec():
            self._after_edit(cid)


def warm_up(db, actor) -> None:
    """The window's own reads as it is built (the sync status), once in the start-up loader's thread
    (app.views.startup.warm_window_reads)."""
    from app.services.sync import manage

    manage.status(db)


def _run_key(key, window, _checked: bool = False) -> None:
    """A function key's button or shortcut: its handler with the window's context."""
    key.handler(window.ctx, window)
