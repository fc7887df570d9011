"""Start-up of the window: arguments, translations, database, demo store or first-run setup, log-in."""

from __future__ import annotations

import os
import sys
import time


def seconds_since_process_start() -> float:
    """From the kernel's process start time (Linux), so interpreter start-up counts too."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


def _message(title: str, text: str) -> None:
    if os.environ.get("COUNTERDESK_EXIT_WHEN_READY"):  # a scripted start (bench, checks): nobody is there to click
        print(f"{title}: {text}", file=sys.stderr, flush=True)
        return
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, title, text)


def run_gui(args, lang: str) -> int:
    from app.kernel.startup_trace import mark

    mark("run_gui")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    mark("Qt imported")
    from app import i18n
    from app.paths import resource_path
    from app.views.startup import early_loader

    # The data layer starts loading now, while Qt starts and the clerk types; the loader opens the log
    # file first (off the log-in window's path).
    loading = early_loader(args, before=lambda: _open_log(args))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CounterDesk")
    # the icon of every window, and the menu entry the desktop matches the window to (docs/INSTALL.md)
    app.setWindowIcon(QIcon(str(resource_path("icons", "counterdesk.svg"))))
    app.setDesktopFileName("counterdesk")
    mark("QApplication made")
    font = QFont(app.font())
    font.setPointSizeF(max(11.0, font.pointSizeF()))
    app.setFont(font)
    from app.views import window_font

    window_font.apply(app)  # a family with digits and Chinese alike (issue 11: no digits with DroidSansFallback)
    mark("window font chosen")
    qss = resource_path("style.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    mark("style sheet set")
    i18n.install(lang)
    mark("translations loaded")
    _catch_unexpected_errors()
    if loading is None:
        _open_log(args)
        mark("log opened")
    import logging

    log = logging.getLogger("app.main")
    window = start_window(args, lang, loading)
    if window is None:
        log.info("stop: nobody logged in")
        return 0 if not getattr(start_window, "failed", False) else 2
    counter = Counter(app, window.ctx.db, lang, bool(args.demo), getattr(start_window, "demo_users", None))
    counter.show(window)
    window = counter.window
    opening = os.environ.get("COUNTERDESK_OPEN")  # for screenshots and scripted checks
    if opening:
        window.search_field.setText(opening)
        window._enter()
    if os.environ.get("COUNTERDESK_EXIT_WHEN_READY"):

        def ready() -> None:
            # Offscreen there is no active window, so ask the window which widget holds its focus.
            focused = counter.window.focusWidget() is counter.window.search_field
            from app.kernel.startup_trace import mark

            mark("main window ready")
            confirmed = getattr(start_window, "confirmed_at", None)  # set by _bench_log_in
            after = f" after-login={time.perf_counter() - confirmed:.3f}" if confirmed else ""
            if getattr(start_window, "loaded_in", None) is not None:
                after += f" data-layer={start_window.loaded_in:.3f}"
            print(f"ready {seconds_since_process_start():.3f} focus={'search' if focused else 'other'}{after}", flush=True)
            app.quit()

        QTimer.singleShot(0, ready)
    code = app.exec()
    log.info("stop (exit code %s)", code)
    return code


def _start_log(args):
    """The log file for support (app.kernel.logs) and the hook that keeps an unexpected error's detail
    there while the clerk reads a message (and the window keeps running)."""
    _catch_unexpected_errors()
    return _open_log(args)


def _open_log(args):
    """The log file and its first line (the version, read from the package metadata: 30-60 ms, so
    run_gui has the data layer's loader do this while the log-in window shows)."""
    import logging

    from app import paths, version
    from app.kernel import logs

    logs.setup(paths.data_dir())
    log = logging.getLogger("app.main")
    log.info("start: CounterDesk %s, pid %s, store %s%s", version(), os.getpid(), args.db or "default", " (demo)" if args.demo else "")
    return log


def _catch_unexpected_errors() -> None:
    """sys.excepthook: an unexpected error is logged with its detail and said to the clerk in a message
    that names the log file."""

    def unhandled(kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        import logging

        from app import paths
        from app.kernel import logs

        path = logs.setup(paths.data_dir())  # at once, if the loader has not opened it yet
        logging.getLogger("app.main").critical("unexpected error", exc_info=(kind, value, tb))
        try:
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(
                None,
                QCoreApplication.translate("Startup", "CounterDesk: unexpected error"),
                QCoreApplication.translate(
                    "Startup",
                    "Something went wrong that CounterDesk did not expect; what you were doing may not have been saved. Check it, then carry on. The details are in the log file %1 — give it to support.",
                ).replace("%1", str(path)),
            )
        except Exception:  # noqa: BLE001  (the message is best effort: the log has the detail)
            pass

    sys.excepthook = unhandled


class Counter:
    """The clerk at this counter and their window. Log out puts the window away and shows the log-in
    screen: the next clerk gets a window of their own; cancelling the log-in ends the program."""

    def __init__(self, app, db, lang: str, demo: bool, demo_users=None) -> None:
        self.app = app
        self.db = db
        self.lang = lang
        self.demo = demo
        self.demo_users = demo_users
        self.window = None

    def show(self, window) -> None:
        self.window = window
        window.logged_out.connect(self.next_clerk)
        window.show_for_clerk()
        window.activateWindow()
        window.focus_search()

    def next_clerk(self) -> None:
        from app.views.context import AppContext
        from app.views.login import LoginDialog
        from app.views.startup import build_main_window

        old = self.window
        quits = self.app.quitOnLastWindowClosed()
        self.app.setQuitOnLastWindowClosed(False)  # no window shows while the log-in waits
        try:
            dialog = LoginDialog(self.db, self.demo_users)
            accepted = dialog.exec()
        finally:
            self.app.setQuitOnLastWindowClosed(quits)
        self.window = None
        if old is not None:
            old.deleteLater()
        if not accepted:
            self.app.quit()
            return
        self.show(build_main_window(AppContext(self.db, dialog.actor, self.lang, demo=self.demo)))


def _log_in_while_loading(args, lang: str, loading=None):
    """The log-in window at once, the data layer loaded meanwhile in a thread (app.views.startup):
    (window or None, the loader). The window is None when the clerk gave up or when the store cannot
    be opened or needs setting up (then start_window carries on with the loader's result)."""
    from PySide6.QtCore import QTimer

    from app.kernel.startup_trace import mark
    from app.views.login import LoginDialog
    from app.views.startup import DataLayerLoader

    loading = loading or DataLayerLoader(args)
    dialog = LoginDialog(None, loading=loading)
    mark("log-in window made")
    _bench_log_in(dialog)
    QTimer.singleShot(0, loading.start)  # once the window is up, unless run_gui started it already
    accepted = dialog.exec()
    loading.wait()  # also when the clerk gave up: the thread ends before the program does
    mark("log-in accepted")
    start_window.loaded_in = loading.seconds
    if not accepted:
        return None, (loading if dialog.interrupted else None)
    from app.views.context import AppContext
    from app.views.startup import build_main_window, remember_window_modules

    before = set(sys.modules)
    window = build_main_window(AppContext(loading.db, dialog.actor, lang))
    remember_window_modules(before)
    mark("main window made")
    return window, loading


def _bench_log_in(dialog) -> None:
    """For `counterdesk bench startup`: COUNTERDESK_BENCH_LOGIN=LOGIN:PASSWORD prints when the log-in
    window takes typing, then types the log-in after COUNTERDESK_BENCH_TYPING_S seconds and confirms."""
    login = os.environ.get("COUNTERDESK_BENCH_LOGIN", "")
    if ":" not in login:
        return
    from PySide6.QtCore import QTimer

    def typed() -> None:
        name, password = login.split(":", 1)
        dialog.login.setText(name)
        dialog.password.setText(password)
        start_window.confirmed_at = time.perf_counter()
        from app.kernel.startup_trace import mark

        mark("log-in confirmed")
        dialog.try_login()

    def shown() -> None:
        from app.kernel.startup_trace import mark

        mark("log-in window takes typing")
        print(f"login-ready {seconds_since_process_start():.3f}", flush=True)
        QTimer.singleShot(int(float(os.environ.get("COUNTERDESK_BENCH_TYPING_S", "1")) * 1000), typed)

    QTimer.singleShot(0, shown)


def start_window(args, lang: str, loading=None):
    """Open the database, set up or fill it, log in; the main window, or None when the user gave up.
    `loading`: the data layer's loader when run_gui started it already (app.views.startup.early_loader)."""
    from PySide6.QtCore import QCoreApplication

    from app.i18n import error_text
    from app.kernel.errors import StorageError, UserError

    start_window.failed = False
    start_window.demo_users = None
    from app.views.startup import store_has_clerks

    if loading is not None or (not args.demo and not os.environ.get("COUNTERDESK_AUTOLOGIN") and store_has_clerks(args) is not False):
        window, loading = _log_in_while_loading(args, lang, loading)
        if window is not None or loading is None:
            return window
    from app.commands.common import open_database
    from app.services import auth
    from app.views.context import AppContext
    from app.views.login import LoginDialog

    try:
        if loading is not None and loading.error is not None:
            raise loading.error
        db = loading.db if loading is not None else open_database(args)  # with --demo this also fills the demo store on first use
    except StorageError as err:
        _message(QCoreApplication.translate("Startup", "CounterDesk cannot open its data"), error_text(err))
        start_window.failed = True
        return None
    except UserError as err:
        _message(QCoreApplication.translate("Startup", "CounterDesk cannot start"), error_text(err))
        start_window.failed = True
        return None
    demo_users = None
    try:
        if args.demo:
            from app.services import demo

            demo_users = start_window.demo_users = demo.DEMO_USERS
        elif auth.needs_setup(db):
            from app.views.first_start import FirstStartWizard

            wizard = FirstStartWizard(db)
            if not wizard.exec():
                return None
            db = wizard.db  # the hall's server, when the counter joined it
        actor = None
        auto = os.environ.get("COUNTERDESK_AUTOLOGIN")
        if auto and ":" in auto:
            name, password = auto.split(":", 1)
            actor = auth.login(db, name, password)
        if actor is None:
            dialog = LoginDialog(db, demo_users)
            if not dialog.exec():
                return None
            actor = dialog.actor
    except UserError as err:
        _message(QCoreApplication.translate("Startup", "CounterDesk cannot start"), error_text(err))
        start_window.failed = True
        return None
    from app.views.startup import build_main_window

    return build_main_window(AppContext(db, actor, lang, demo=bool(args.demo)))
