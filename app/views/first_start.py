"""The set-up wizard on an empty store (docs/OPERATIONS.md, "First start"): a new station, joining the
hall's PostgreSQL server, or a station file from the centre; then this counter's receipt printer.

Each way's fields are checked as they are left (the message under the field) and again when Next is
pressed; the services (app.services.first_start) do the work in one step each, so nothing is saved
half. Once a way has set the store up, Back no longer leads to the choice."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.services import first_start
from app.views.forms import FieldForm

CHOOSE, STATION, SERVER, FILE, PRINTER = range(5)
SERVER_FIELDS = ("host", "port", "database", "user", "password")


def _mark(form: FieldForm, name: str, err: UserError | None) -> None:
    """Show or clear one field's message without moving the keyboard (a check as the field is left)."""
    if err is None:
        form.clear_error(name)
        return
    label = form.errors[name]
    label.setText(error_text(err))
    label.show()
    form.fields[name].setProperty("invalid", True)
    FieldForm._restyle(form.fields[name])
    form.fit_window()


class FirstStartWizard(QDialog):
    """`db` is the empty store; after exec(), `db` is the store to use (the hall server's when joined)
    and `actor` the administrator when the wizard knows one (a new station, or the log-in on the printer page)."""

    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.set_up = False  # the store was set up: Back no longer returns to the choice
        self.setObjectName("firstStartWizard")
        self.setWindowTitle(self.tr("CounterDesk — first start"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)
        box = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("wizardHeading")
        self.heading.setProperty("role", "title")
        box.addWidget(self.heading)
        self.stack = QStackedWidget()
        self.stack.setObjectName("wizardPages")
        box.addWidget(self.stack, 1)
        self.message = QLabel()
        self.message.setObjectName("wizardMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        row = QHBoxLayout()
        self.back_button = QPushButton(self.tr("< Back"))
        self.back_button.setObjectName("backButton")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back)
        self.skip_button = QPushButton(self.tr("Skip"))
        self.skip_button.setObjectName("skipButton")
        self.skip_button.setAutoDefault(False)
        self.skip_button.setToolTip(self.tr("Keep the receipts on screen for now; choose the printer later under Tools > Receipt printer…"))
        self.skip_button.clicked.connect(self.accept)
        self.next_button = QPushButton(self.tr("Next >"))
        self.next_button.setObjectName("nextButton")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.back_button)
        row.addStretch(1)
        for b in (self.skip_button, self.next_button, self.cancel_button):
            row.addWidget(b)
        box.addLayout(row)
        for page in (self._choose_page(), self._station_page(), self._server_page(), self._file_page(), self._printer_page()):
            self.stack.addWidget(page)
        self.go(CHOOSE)

    # ------------------------------------------------------------------ pages
    def _page(self, intro: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        return page, layout

    def _choose_page(self) -> QWidget:
        page, layout = self._page(self.tr("This counter has no data yet. How is it set up?"))
        self.ways = QButtonGroup(self)
        choices = [
            (
                STATION,
                "wayNewStation",
                self.tr("A new station"),
                self.tr("This computer keeps the station's data itself. Enter the station and its administrator."),
            ),
            (
                SERVER,
                "wayJoinServer",
                self.tr("Join the hall's server"),
                self.tr("The hall's counters share one PostgreSQL server that is set up already. Enter its address."),
            ),
            (
                FILE,
                "wayStationFile",
                self.tr("A station file from the centre"),
                self.tr("The centre prepared this station (a file on a USB stick and its passphrase)."),
            ),
        ]
        for page_no, name, title, text in choices:
            button = QRadioButton(title)
            button.setObjectName(name)
            self.ways.addButton(button, page_no)
            layout.addWidget(button)
            hint = QLabel(text)
            hint.setWordWrap(True)
            hint.setIndent(28)
            layout.addWidget(hint)
        self.ways.button(STATION).setChecked(True)
        layout.addStretch(1)
        return page

    def _station_page(self) -> QWidget:
        page, layout = self._page(self.tr("The station and its administrator; clerks are added later (Administration menu)."))
        f = self.station_form = FieldForm(page)
        f.line("station_code", self.tr("Station code"), max_len=16).setPlaceholderText("3301")
        f.line("station_name", self.tr("Station name"), max_len=100)
        f.line("company", self.tr("Company"), max_len=100)
        f.line("hall_phone", self.tr("Service hotline"), "95598", max_len=40)
        f.line("login", self.tr("Administrator login"), "admin", max_len=40)
        f.line("name", self.tr("Administrator name"), max_len=60)
        f.line("password", self.tr("Password"), max_len=100).setEchoMode(QLineEdit.EchoMode.Password)
        f.line("password2", self.tr("Password again"), max_len=100).setEchoMode(QLineEdit.EchoMode.Password)
        self._touched: set[str] = set()
        for name, widget in f.fields.items():
            widget.editingFinished.connect(lambda n=name: self._station_field_left(n))
        layout.addWidget(f)
        layout.addStretch(1)
        return page

    def _server_page(self) -> QWidget:
        page, layout = self._page(
            self.tr(
                "The address of the hall's PostgreSQL server, as IT gave it: either whole, or part by part. "
                "The connection is tried before anything is saved."
            )
        )
        f = self.server_form = FieldForm(page)
        f.line("url", self.tr("Address (URL)"), max_len=300).setPlaceholderText("postgresql://USER:PASSWORD@HOST:5432/DATABASE")
        f.line("host", self.tr("Server"), max_len=200).setPlaceholderText("192.168.1.10")
        f.line("port", self.tr("Port"), "5432", max_len=5)
        f.line("database", self.tr("Database"), "counterdesk", max_len=63)
        f.line("user", self.tr("User"), "counterdesk", max_len=63)
        f.line("password", self.tr("Password"), max_len=200).setEchoMode(QLineEdit.EchoMode.Password)
        f.fields["url"].textChanged.connect(self._server_mode)
        for name in SERVER_FIELDS + ("url",):
            f.fields[name].editingFinished.connect(lambda n=name: self._server_field_left(n))
        layout.addWidget(f)
        test = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test the connection"))
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_server)
        test.addWidget(self.test_button)
        test.addStretch(1)
        layout.addLayout(test)
        layout.addStretch(1)
        return page

    def _file_page(self) -> QWidget:
        page, layout = self._page(
            self.tr("The station file the centre wrote for this station (counterdesk sync provision) and the passphrase given with it.")
        )
        f = self.file_form = FieldForm(page)
        self.file_field = f.line("file", self.tr("Station file"), max_len=1000)
        f.line("passphrase", self.tr("Passphrase"), max_len=200).setEchoMode(QLineEdit.EchoMode.Password)
        self.file_field.editingFinished.connect(self._file_field_left)
        layout.addWidget(f)
        row = QHBoxLayout()
        row.addStretch(1)
        browse = QPushButton(self.tr("Choose the file…"))
        browse.setObjectName("browseButton")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _printer_page(self) -> QWidget:
        from app.services.payments import printer_settings
        from app.views.payments.printer_dialog import MODES, PAPERS, TARGETS

        def tr(text: str) -> str:
            return QCoreApplication.translate("ReceiptPrinterDialog", text)

        page, layout = self._page(
            self.tr(
                "Where this counter's receipts go. These settings belong to this computer; "
                "print a test page later under Tools > Receipt printer…"
            )
        )
        current = printer_settings.ReceiptPrinter()
        f = self.printer_form = FieldForm(page)
        f.combo("target", self.tr("Receipts go to"), [(v, tr(t)) for v, t in TARGETS], "preview")
        f.combo("paper", self.tr("Paper"), [(v, tr(t)) for v, t in PAPERS], current.paper)
        f.line("device", self.tr("Printer device"), "", 200).setPlaceholderText("/dev/usb/lp0 · COM3 · tcp://192.168.1.50:9100")
        f.combo("mode", self.tr("Send receipts as"), [(v, tr(t)) for v, t in MODES], current.mode)
        f.line("admin_login", self.tr("Administrator login"), "", 40)
        f.line("admin_password", self.tr("Administrator password"), "", 100).setEchoMode(QLineEdit.EchoMode.Password)
        f.fields["target"].currentIndexChanged.connect(self._printer_enable)
        f.fields["device"].editingFinished.connect(self._printer_field_left)
        layout.addWidget(f)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ moving between pages
    def go(self, page: int) -> None:
        headings = {
            CHOOSE: self.tr("Welcome to CounterDesk"),
            STATION: self.tr("Step 2 of 3: the new station"),
            SERVER: self.tr("Step 2 of 3: the hall's server"),
            FILE: self.tr("Step 2 of 3: the station file"),
            PRINTER: self.tr("Step 3 of 3: the receipt printer"),
        }
        self.stack.setCurrentIndex(page)
        self.heading.setText(headings[page])
        self.back_button.setEnabled(page != CHOOSE and not self.set_up)
        self.skip_button.setVisible(page == PRINTER)
        self.cancel_button.setVisible(not self.set_up)
        self.next_button.setText(self.tr("Finish") if page == PRINTER else self.tr("Next >"))
        self._say("")
        if page == PRINTER:
            self._printer_enable()
            admin_known = self.actor is not None
            for name in ("admin_login", "admin_password"):
                self.printer_form.fields[name].parentWidget().setVisible(not admin_known)
                label = self.printer_form.layout_.labelForField(self.printer_form.fields[name].parentWidget())
                if label is not None:
                    label.setVisible(not admin_known)
        if page == SERVER:
            self._server_mode()
        first = {
            STATION: self.station_form.fields["station_code"],
            SERVER: self.server_form.fields["url"],
            FILE: self.file_field,
            PRINTER: self.printer_form.fields["target"],
        }.get(page)
        if first is not None:
            first.setFocus()
        else:
            self.ways.checkedButton().setFocus()
        self.stack.currentWidget().adjustSize()
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def back(self) -> None:
        if not self.set_up and self.stack.currentIndex() != CHOOSE:
            self.go(CHOOSE)

    def next(self) -> None:
        page = self.stack.currentIndex()
        if page == CHOOSE:
            self.go(self.ways.checkedId())
        elif page == STATION:
            self.make_station()
        elif page == SERVER:
            self.join_server()
        elif page == FILE:
            self.station_from_file()
        elif page == PRINTER:
            self.save_printer()

    def _say(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "fieldError" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def _done_setting_up(self) -> None:
        self.set_up = True
        self.go(PRINTER)

    # ------------------------------------------------------------------ a new station
    def _station_values(self) -> dict:
        return {name: self.station_form.value(name) for name in self.station_form.fields}

    def _station_field_left(self, name: str) -> None:
        self._touched.add(name)
        errors = first_start.new_station_errors(self._station_values())
        for touched in self._touched:
            if touched == "password2" and not self.station_form.value("password2"):
                continue
            _mark(self.station_form, touched, errors.get(touched))

    def make_station(self) -> None:
        try:
            self.actor = first_start.new_station(self.db, self._station_values())
        except ValidationError as err:
            self._touched.update(err.errors)
            self.station_form.show_errors(err.errors)
            return
        except UserError as err:
            self._say(error_text(err))
            return
        self._done_setting_up()

    # ------------------------------------------------------------------ the hall's server
    def _server_mode(self, *_args) -> None:
        whole = bool(self.server_form.value("url").strip())
        for name in SERVER_FIELDS:
            self.server_form.fields[name].setEnabled(not whole)

    def _server_url(self) -> str:
        """The URL from the form (whole, or from its parts); ValidationError at the field at fault."""
        f = self.server_form
        if f.value("url").strip():
            return first_start.check_server_url(f.value("url"))
        return first_start.server_url_from_fields(*(f.value(n) for n in SERVER_FIELDS))

    def _server_field_left(self, name: str) -> None:
        f = self.server_form
        whole = bool(f.value("url").strip())
        if name == "url":
            if whole:
                try:
                    first_start.check_server_url(f.value("url"))
                    _mark(f, "url", None)
                except ValidationError as err:
                    _mark(f, "url", err.errors["url"])
            else:
                _mark(f, "url", None)
            return
        if whole or name == "password":
            return
        try:
            first_start.server_url_from_fields(*(f.value(n) for n in SERVER_FIELDS))
            _mark(f, name, None)
        except ValidationError as err:
            _mark(f, name, err.errors.get(name))

    def _server_error(self, err: UserError) -> None:
        """A connection problem at its field (in the URL field when the address was typed whole)."""
        f = self.server_form
        if f.value("url").strip() and err.field:
            f.show_errors({"url": err})
        elif err.field in f.fields:
            f.show_errors({err.field: err})
        else:
            f.clear_errors()
            self._say(error_text(err))

    def _checked_url(self) -> str | None:
        self._say("")
        try:
            return self._server_url()
        except ValidationError as err:
            self.server_form.show_errors(err.errors)
            return None

    def test_server(self) -> bool:
        url = self._checked_url()
        if url is None:
            return False
        try:
            store = self._busy(lambda: first_start.try_server(url))
        except UserError as err:
            self._server_error(err)
            return False
        self.server_form.clear_errors()
        self._say(
            self.tr("The server answers: a CounterDesk store (schema %1) with %2 stations and %3 clerks.")
            .replace("%1", store.revision)
            .replace("%2", str(store.stations))
            .replace("%3", str(store.clerks)),
            error=False,
        )
        return True

    def join_server(self) -> None:
        from app.db.engine import Database

        url = self._checked_url()
        if url is None:
            return
        try:
            self._busy(lambda: first_start.join_server(url))
        except UserError as err:
            self._server_error(err)
            return
        old, self.db = self.db, Database(url)
        old.dispose()
        self._done_setting_up()

    def _busy(self, work):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QApplication.restoreOverrideCursor()

    # ------------------------------------------------------------------ a station file
    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("The station file from the centre"))
        if name:
            self.file_field.setText(name)
            self._file_field_left()
            self.file_form.fields["passphrase"].setFocus()

    def _file_field_left(self) -> None:
        if not self.file_field.text().strip():
            return
        try:
            first_start.read_station_file(self.file_field.text())
            _mark(self.file_form, "file", None)
        except UserError as err:
            _mark(self.file_form, "file", err)

    def station_from_file(self) -> None:
        try:
            result = self._busy(lambda: first_start.station_from_file(self.db, self.file_field.text(), self.file_form.value("passphrase")))
        except UserError as err:
            if err.field in self.file_form.fields:
                self.file_form.show_errors({err.field: err})
            else:
                self._say(error_text(err))
            return
        self._done_setting_up()
        from app.i18n import tr

        self._say(result.text(tr), error=False)

    # ------------------------------------------------------------------ the printer
    def _printer_enable(self, *_args) -> None:
        escpos = self.printer_form.value("target") == "escpos"
        for name in ("device", "mode"):
            self.printer_form.fields[name].setEnabled(escpos)

    def _printer_values(self):
        from app.services.payments import printer_settings

        f = self.printer_form
        return printer_settings.validate(*(f.value(k) for k in ("target", "paper", "device", "mode")))

    def _printer_field_left(self) -> None:
        try:
            self._printer_values()
            _mark(self.printer_form, "device", None)
        except ValidationError as err:
            _mark(self.printer_form, "device", err.errors.get("device"))

    def save_printer(self) -> None:
        from app.services import auth
        from app.services.payments import printer_settings

        f = self.printer_form
        try:
            config = self._printer_values()
        except ValidationError as err:
            f.show_errors(err.errors)
            return
        actor = self.actor
        if actor is None:
            try:
                actor = auth.login(self.db, f.value("admin_login"), f.value("admin_password"))
            except UserError as err:
                f.show_errors({"admin_password": err})
                return
            if not actor.is_admin:
                f.show_errors({"admin_login": UserError(first_start.NOT_ADMIN)})
                return
        try:
            printer_settings.save(self.db, actor, config)
        except ValidationError as err:
            f.show_errors(err.errors)
            return
        except UserError as err:
            self._say(error_text(err))
            return
        self.actor = actor
        self.accept()

    def reject(self) -> None:
        if self.set_up:  # the store is set up already: leaving now only skips the printer
            self.accept()
            return
        super().reject()
