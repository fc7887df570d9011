"""Loading the data layer while the clerk types the password.

The log-in window shows as soon as Qt has started; the store is opened (SQLAlchemy, the models,
the schema check), the log-in's first query asked, and the main window's and the plug-ins' modules
imported in a background thread meanwhile, so the main window is built at once when the log-in is
confirmed (docs/ARCHITECTURE.md, Start-up). Nothing here touches a widget: Qt widgets are made on
the GUI thread only.
"""

from __future__ import annotations

import gc
import sys
import threading
import time

from PySide6.QtCore import QObject, Signal


class DataLayerLoader(QObject):
    """Runs `open_database(args)` and the imports in a thread. `done` is emitted when it has finished
    (received on the GUI thread); then `db` and `needs_setup`, or `error`, are set. `before`, when
    given, is called first in the thread (app.main opens the log file there); its failure is printed
    and the loading goes on."""

    done = Signal()

    def __init__(self, args, before=None) -> None:
        super().__init__()
        self.args = args
        self.before = before
        self.db = None
        self.needs_setup = False
        self.error: BaseException | None = None
        self.seconds: float | None = None  # how long the loading took
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="data-layer-loader", daemon=True)

    def start(self) -> DataLayerLoader:
        if not self._thread.is_alive() and not self._finished.is_set():
            self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self) -> None:
        """Block until the loading has finished (the clerk confirmed before it was done)."""
        self.start()
        self._finished.wait()

    def _run(self) -> None:
        from app.kernel.startup_trace import mark

        started = time.perf_counter()
        mark("loader started")
        # No garbage collection while the modules load (they make hundreds of thousands of objects and
        # next to no garbage: a few hundred objects); at the end what start-up made is frozen out of
        # the collector's reach (gc.freeze), so no later full collection walks it: one took 50-110 ms
        # while the main window was built after the log-in, and a collection here as much again.
        collecting = gc.isenabled()
        gc.disable()
        if self.before is not None:
            try:
                self.before()
                mark("loader: log opened")
            except Exception as exc:  # noqa: BLE001  (the log is for support: the window starts without it)
                print(f"counterdesk: the log file cannot be opened: {exc}", file=sys.stderr, flush=True)
        try:
            from app.commands.common import open_database
            from app.services import auth

            mark("loader: data layer imported")
            self.db = open_database(self.args)
            mark("loader: store opened")
            self.needs_setup = auth.needs_setup(self.db)  # the first query: mappers configured, the file opened
            mark("loader: first query asked")
            if not self.needs_setup:
                # Imported now, so the window is built at once after the log-in. The plug-ins' modules
                # only: their contribute() runs on the GUI thread (load_registry), as it may make QObjects.
                import importlib

                import app.views.main_window  # noqa: F401
                from app.views.plugins import PLUGIN_MODULES

                for name in PLUGIN_MODULES:
                    try:
                        importlib.import_module(name)
                    except ModuleNotFoundError as exc:
                        if exc.name != name:
                            raise
                from app.models.base import Base

                Base.registry.configure()  # the ORM's mappers, else configured by the log-in's first query
                mark("loader: window's modules imported, mappers configured")
                for name in remembered_modules():
                    try:
                        importlib.import_module(name)
                    except Exception:  # noqa: BLE001  (a module gone since: the window imports what it needs itself)
                        pass
                mark("loader: remembered modules imported")
                warm_window_reads(self.db)
                mark("loader: window's reads warmed")
        except BaseException as exc:  # noqa: BLE001  (handed to the GUI thread, which says what went wrong)
            self.error = exc
        finally:
            if collecting:
                gc.freeze()
                gc.enable()
            self.seconds = time.perf_counter() - started
            mark("loader done")
            self._finished.set()
            self.done.emit()


def warm_window_reads(db) -> None:
    """The reads the main window makes as it is built (its status bar: queue counts, shift, sync ...),
    done once in the loader's thread with stand-in clerks (a clerk and a supervisor, ids that match
    nothing), and the results thrown away. SQLAlchemy compiles each statement the first time it runs
    (and generates its visitors' code), 100-150 ms of the window's first build after the log-in; the
    real reads then find the compiled statements in the engine's cache. Each module of the window
    (app.views.main_window and the plug-ins) with such reads has `warm_up(db, actor)`; a failure
    there is ignored (the window reads again anyway)."""
    import importlib
    import uuid

    from app.kernel.context import Actor
    from app.views.plugins import PLUGIN_MODULES

    nobody = uuid.UUID(int=0)
    stand_ins = [Actor(nobody, "", "", role, nobody, "", "") for role in ("clerk", "supervisor")]
    for name in ["app.views.main_window", *PLUGIN_MODULES]:
        try:
            module = importlib.import_module(name)  # imported by the loader already
        except ModuleNotFoundError:
            continue
        warm = getattr(module, "warm_up", None)
        if warm is None:
            continue
        for actor in stand_ins:
            try:
                warm(db, actor)
            except Exception:  # noqa: BLE001  (best effort: the window makes the same reads itself)
                pass


def build_main_window(ctx, registry=None):
    """The main window for `ctx`, built with the application's style sheet held back: Qt polishes a
    widget with the style sheet again each time it (or a parent) is put into another widget, and the
    window is built bottom-up (panels, boxes, then the window), so with the sheet in force most of its
    widgets were polished several times (the window's build took 180-250 ms of CPU against 110-130
    without the sheet). Set again at the end, the sheet polishes every widget once: 100-170 ms in all,
    the same look (docs/ARCHITECTURE.md, Start-up)."""
    from PySide6.QtWidgets import QApplication

    from app.views.main_window import MainWindow
    from app.views.plugins import load_registry

    app = QApplication.instance()
    sheet = app.styleSheet() if app is not None else ""
    if sheet:
        app.setStyleSheet("")
    try:
        window = MainWindow(ctx, registry if registry is not None else load_registry())
    finally:
        if sheet:
            app.setStyleSheet(sheet)
    window.ctx = ctx
    return window


def early_loader(args, before=None) -> DataLayerLoader | None:
    """The loader, started at once, when the log-in window will come next (not for the demo store,
    COUNTERDESK_AUTOLOGIN, or a store without clerks); None otherwise. `before`: DataLayerLoader's."""
    import os

    if getattr(args, "demo", False) or os.environ.get("COUNTERDESK_AUTOLOGIN") or store_has_clerks(args) is False:
        return None
    return DataLayerLoader(args, before).start()


def store_has_clerks(args) -> bool | None:
    """Whether the store already has clerks (so the log-in comes next), asked before the data layer is
    loaded: True or False for a SQLite file, read with the standard library's sqlite3 (a missing,
    unreadable or empty file is False: the usual, synchronous start says what is wrong or runs the
    first-start wizard); None for a database server, which the loader asks."""
    import sqlite3
    from pathlib import Path

    from app import paths

    url = args.db
    if not url:
        from app.services.first_start import configured_url

        url = configured_url() or paths.sqlite_url(paths.default_db_path())
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :].split("?", 1)[0]
    if not path or path == ":memory:" or not Path(path).is_file():
        return False
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM clerks)").fetchone()[0] == 1
        finally:
            conn.close()
    except sqlite3.Error:
        return False


# The modules the main window's panels and status items import as it is built (lazily, in their
# factories), remembered in the data folder after a start so the next start imports them in the
# loader's thread too. Only the program's own modules are listed; the file is rewritten when the
# list changes.
MODULES_FILE = "window-modules.txt"


def remembered_modules() -> list[str]:
    from app.paths import data_dir

    try:
        text = (data_dir() / MODULES_FILE).read_text(encoding="utf-8")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip().startswith("app.")]


def remember_window_modules(before: set[str]) -> None:
    """Called after the main window was built: `before` is sys.modules' names before building it."""
    import sys

    from app.paths import data_dir

    names = sorted(set(remembered_modules()) | {m for m in sys.modules if m.startswith("app.") and m not in before})
    if names == remembered_modules():
        return
    path = data_dir() / MODULES_FILE
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(names) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only data folder: the next start imports them as the window is built
