"""Start-up: the log-in window comes before the data layer, which loads in a thread while the clerk types."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from app.services import auth

ROOT = Path(__file__).resolve().parent.parent


def _store_with_clerk(db) -> str:
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    url = db.url
    db.dispose()
    return url


def _start(url: str, tmp_path, login: str, typing: str = "0.3") -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        COUNTERDESK_DATA_DIR=str(tmp_path / "data"),
        COUNTERDESK_EXIT_WHEN_READY="1",
        COUNTERDESK_BENCH_LOGIN=login,
        COUNTERDESK_BENCH_TYPING_S=typing,
        COUNTERDESK_STARTUP_TRACE="1",
    )
    env.pop("COUNTERDESK_AUTOLOGIN", None)
    return subprocess.run([sys.executable, "-m", "app.cli", "--db", url], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_log_in_window_needs_no_data_layer():
    code = (
        "import sys\n"
        "import app.main, app.views.login, app.views.startup\n"
        "print(sorted(m for m in ('sqlalchemy', 'app.models', 'app.services.auth', 'app.views.main_window') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_log_in_while_the_data_layer_loads_then_the_window_with_the_search_field(sqlite_db, tmp_path):
    url = _store_with_clerk(sqlite_db)
    out = _start(url, tmp_path, "zhangli:clerk123")
    lines = {line.split()[0]: line.split() for line in out.stdout.splitlines() if line.strip()}
    assert out.returncode == 0, out.stderr[-3000:]
    assert float(lines["login-ready"][1]) > 0
    ready = dict(p.split("=", 1) for p in lines["ready"][2:])
    assert ready["focus"] == "search"
    assert float(ready["after-login"]) > 0 and float(ready["data-layer"]) > 0
    # The window's modules are remembered for the next start's loader.
    remembered = (tmp_path / "data" / "window-modules.txt").read_text(encoding="utf-8").split()
    assert remembered and all(m.startswith("app.") for m in remembered)
    # The loader opened the log file (off the log-in window's path) ...
    assert "start: CounterDesk" in (tmp_path / "data" / "counterdesk.log").read_text(encoding="utf-8")
    # ... and COUNTERDESK_STARTUP_TRACE showed each step, in order, with its thread.
    steps = [line.split(None, 3)[2:] for line in out.stderr.splitlines() if line.startswith("startup-trace ")]
    names = [step for _, step in steps]
    for first, then in [
        ("main", "log-in window takes typing"),
        ("loader: log opened", "loader done"),
        ("loader: window's reads warmed", "loader done"),
        ("log-in confirmed", "main window ready"),
    ]:
        assert names.index(first) < names.index(then), names
    assert ["data-layer-loader", "loader: log opened"] in steps and ["MainThread", "log-in window takes typing"] in steps
    # No full garbage collection while the loader ran (it froze what start-up made at its end).
    loading = names[names.index("loader started") : names.index("loader done")]
    assert not [step for step in loading if step.startswith("full garbage collection")], loading


def test_a_wrong_password_is_said_at_the_field_while_loading(sqlite_db, qtbot):
    from app.cli import build_parser
    from app.views.login import LoginDialog
    from app.views.startup import DataLayerLoader, store_has_clerks

    url = _store_with_clerk(sqlite_db)
    args = build_parser().parse_args(["--db", url])
    assert store_has_clerks(args) is True
    loading = DataLayerLoader(args)
    dialog = LoginDialog(None, loading=loading)
    qtbot.addWidget(dialog)
    dialog.login.setText("zhangli")
    dialog.password.setText("wrong")
    dialog.try_login()  # before the loader has run: the log-in waits for it, the window stays alive
    assert not dialog.login_button.isEnabled() and dialog.actor is None
    gc.unfreeze()  # a loader of an earlier test may have frozen some already
    loading.start()
    qtbot.waitUntil(lambda: bool(dialog.form.errors["password"].text()), timeout=30000)
    assert dialog.actor is None and dialog.db is loading.db and not dialog.interrupted
    assert dialog.login_button.isEnabled()
    dialog.password.setText("clerk123")
    dialog.try_login()
    assert dialog.actor is not None and dialog.actor.clerk_name == "张丽"
    assert gc.get_freeze_count() > 0 and gc.isenabled()  # what the loading made is out of the collector's way
    loading.db.dispose()


def test_an_empty_or_missing_store_goes_to_the_wizard_without_the_log_in(tmp_path):
    from app.cli import build_parser
    from app.views.startup import store_has_clerks

    assert store_has_clerks(build_parser().parse_args(["--db", f"sqlite:///{tmp_path / 'none.sqlite'}"])) is False
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert store_has_clerks(build_parser().parse_args(["--db", f"sqlite:///{empty}"])) is False
    assert store_has_clerks(build_parser().parse_args(["--db", "postgresql+psycopg://u@127.0.0.1/x"])) is None


def test_the_loader_warms_every_read_the_window_makes_as_it_is_built(sqlite_db, qtbot):
    """warm_window_reads (in the loader's thread, before the log-in) compiles each statement the main
    window runs as it is built, so the window's first build after the log-in compiles none: a module
    of the window that adds such a read needs a warm_up(db, actor) (app.views.startup)."""
    from app.views.context import AppContext
    from app.views.startup import build_main_window, warm_window_reads

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    warm_window_reads(sqlite_db)
    cache = sqlite_db.engine._compiled_cache
    warmed = set(cache.keys())
    for login, password in (("zhangli", "clerk123"), ("admin", "admin123")):
        actor = auth.login(sqlite_db, login, password)
        window = build_main_window(AppContext(sqlite_db, actor, "zh_CN"))
        qtbot.addWidget(window)
        assert window.search_field.objectName() == "searchField"
    compiled_by_the_window = [" ".join(cache.get(key).string.split())[:160] for key in set(cache.keys()) - warmed]
    # auth.login's own statements are not the window's
    assert not [s for s in compiled_by_the_window if "clerks" not in s and "stations" not in s and "login" not in s], compiled_by_the_window


def test_the_queue_counts_arrive_from_a_thread_after_the_window_is_built(sqlite_db, qtbot):
    """The status bar's queue counts (50-80 ms on a large store) are read in a thread as the window is
    built: the window does not wait for them; they show when they arrive, and refresh() reads at once."""
    from app.views.context import AppContext
    from app.views.startup import build_main_window

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    window = build_main_window(AppContext(sqlite_db, admin, "en"))
    qtbot.addWidget(window)
    queues = window.findChild(object, "statusQueues")
    assert "…" in queues.text() and "0" not in queues.text()  # not read on the GUI thread while the window was built
    qtbot.waitUntil(lambda: "…" not in queues.text(), timeout=10_000)
    assert "0" in queues.text() and queues.toolTip()
    queues.setText("")
    queues.refresh()
    assert "0" in queues.text()
