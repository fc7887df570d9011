"""Backups by themselves: the daily copy, its check, the rotation (7 daily, 4 weekly) with faked dates,
the status bar's warnings, and `restore` (never over a store, never a copy whose chain fails)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.cli import main
from app.kernel.errors import UserError, ValidationError
from app.services import audit, backups
from tests.cliauth import as_


def _store(db) -> Path:
    return Path(make_url(db.url).database)


@pytest.fixture
def admin(sqlite_db):
    """A set-up SQLite store (backups copy SQLite files only): station 3301 and admin / admin123."""
    from app.services import auth

    return auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅", "示范供电公司"), "admin", "系统管理员", "admin123")


@pytest.fixture
def usb(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_rotation_keeps_seven_daily_and_four_weekly_copies_by_hand():
    # Sunday 2026-11-29 and the 40 days before it, one good copy a day.
    days = [date(2026, 11, 29) - timedelta(days=n) for n in range(41)]
    kept = backups.to_keep(days)
    daily = {date(2026, 11, d) for d in range(23, 30)}  # Mon 23 .. Sun 29
    # the newest day of the four newest ISO weeks: weeks 48 (Sun 29 Nov), 47 (Sun 22), 46 (Sun 15), 45 (Sun 8)
    weekly = {date(2026, 11, 29), date(2026, 11, 22), date(2026, 11, 15), date(2026, 11, 8)}
    assert kept == daily | weekly and len(kept) == 10
    # Gaps: a week without copies is not a week kept; the dailies are the newest 7 days that have one.
    sparse = [date(2026, 11, 29), date(2026, 11, 27), date(2026, 11, 10), date(2026, 11, 9), date(2026, 10, 1), date(2026, 9, 1)]
    assert backups.to_keep(sparse, daily=2, weekly=3) == {date(2026, 11, 29), date(2026, 11, 27), date(2026, 11, 10), date(2026, 10, 1)}


def test_daily_runs_over_three_weeks_rotate_the_folder(sqlite_db, admin, usb):
    store = _store(sqlite_db)
    start = date(2026, 11, 2)  # a Monday
    for n in range(22):  # Mon 2 Nov .. Mon 23 Nov, one run a day (a second run on a day makes nothing new)
        today = start + timedelta(days=n)
        outcome = backups.run_daily(store, usb, today)
        assert outcome.ok and outcome.path == usb / f"counterdesk-{today.isoformat()}.sqlite"
        assert backups.run_daily(store, usb, today).path is None
    names = sorted(p.name for p in usb.iterdir())
    # dailies 17..23 Nov; weekly: the newest of weeks 48 (23), 47 (22), 46 (15), 45 (8)
    want = [17, 18, 19, 20, 21, 22, 23, 15, 8]
    expected = sorted(f"counterdesk-2026-11-{d:02d}.sqlite{suffix}" for d in want for suffix in ("", ".check.json"))
    assert names == expected
    check = json.loads((usb / "counterdesk-2026-11-23.sqlite.check.json").read_text(encoding="utf-8"))
    assert check["ok"] is True and check["anchors"] and check["anchors"][0]["station"] == "3301"
    st = backups.status(str(usb), date(2026, 11, 25))
    assert st.state == "ok" and st.last_good == date(2026, 11, 23)
    assert backups.status(str(usb), date(2026, 11, 26)).state == "old"  # three days: the status bar warns
    assert backups.status("", date(2026, 11, 25)).state == "no_folder"
    assert backups.status(str(usb / "unplugged"), date(2026, 11, 25)).state == "missing"


def test_a_copy_whose_chain_fails_is_not_a_good_backup(sqlite_db, admin, usb):
    store = _store(sqlite_db)
    today = date(2026, 11, 29)
    with sqlite3.connect(store) as con:
        con.execute("UPDATE audit_log SET after = after || ' ' WHERE seq = 2")
    outcome = backups.run_daily(store, usb, today)
    assert not outcome.ok and any("entry" in p or "hash" in p for p in outcome.problems), outcome.problems
    check = json.loads((usb / "counterdesk-2026-11-29.sqlite.check.json").read_text(encoding="utf-8"))
    assert check["ok"] is False and check["problems"]
    assert backups.status(str(usb), today).state == "never"
    # a failed copy is kept a week for support, then the rotation removes it
    assert (usb / "counterdesk-2026-11-29.sqlite").exists()
    backups.rotate(usb, today + timedelta(days=8))
    assert not (usb / "counterdesk-2026-11-29.sqlite").exists()


def test_the_folder_is_checked_where_it_is_typed(sqlite_db, admin, usb, _data_dir):
    for typed, needle in [
        ("", "Choose the folder"),
        ("relative/folder", "full path"),
        (str(usb / "nowhere"), "does not exist"),
        (str(_data_dir / "backups"), "does not exist"),
    ]:
        with pytest.raises(ValidationError) as err:
            backups.choose_folder(sqlite_db, admin, typed, _data_dir)
        assert err.value.field == "folder" and needle in err.value.text(), (typed, err.value.text())
    (_data_dir / "inside").mkdir()
    with pytest.raises(ValidationError, match="inside CounterDesk's data folder"):
        backups.choose_folder(sqlite_db, admin, str(_data_dir / "inside"), _data_dir)
    assert backups.configured_folder() == ""
    assert backups.choose_folder(sqlite_db, admin, str(usb), _data_dir) == usb.resolve()
    assert backups.configured_folder() == str(usb.resolve())
    with sqlite_db.read() as s:
        result = audit.verify(s)
    assert result.ok


def test_restore_refuses_a_store_and_a_broken_chain_and_restores_into_an_empty_folder(sqlite_db, admin, usb, tmp_path):
    store = _store(sqlite_db)
    good = backups.run_daily(store, usb, date(2026, 11, 29)).path
    with pytest.raises(UserError, match="already exists") as err:
        backups.restore(good, store)
    assert err.value.field == "store"
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(good.read_bytes())
    with sqlite3.connect(broken) as con:
        con.execute("UPDATE audit_log SET after = after || ' ' WHERE seq = 1")
    target = tmp_path / "empty" / "counterdesk.sqlite"
    with pytest.raises(UserError, match="fails its check") as err:
        backups.restore(broken, target)
    assert err.value.field == "file" and not target.exists()
    # a copy cut after its check file was written: the chain no longer reaches the anchor kept beside it
    cut = usb / "cut.sqlite"
    cut.write_bytes(good.read_bytes())
    Path(str(cut) + ".check.json").write_text(Path(str(good) + ".check.json").read_text(encoding="utf-8"), encoding="utf-8")
    with sqlite3.connect(cut) as con:
        con.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
        con.execute("UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)")
    with pytest.raises(UserError, match="fails its check"):
        backups.restore(cut, target)
    assert not target.exists()
    report = backups.restore(good, target)
    assert report.ok and target.exists() and report.chains.checked >= 2
    with pytest.raises(UserError, match="already exists"):
        backups.restore(good, target)


def test_the_command_line_backs_up_by_itself_and_restores(sqlite_db, admin, usb, tmp_path, capsys, monkeypatch):
    url = sqlite_db.url
    assert main(["--db", url, "backup", "--auto"]) == 2
    assert "no backup folder" in capsys.readouterr().err
    assert main(["--db", url, "backups", "folder", str(usb), *as_("admin")]) == 0
    assert main(["--db", url, "backup", "--auto"]) == 0
    today = date.today()
    made = usb / f"counterdesk-{today.isoformat()}.sqlite"
    assert made.exists() and "checked: no problems" in capsys.readouterr().out
    assert main(["--db", url, "backup", "--auto"]) == 0 and "already" in capsys.readouterr().out
    assert main(["backups", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["last_good"] == today.isoformat()
    assert main(["--db", url, "restore", str(made)]) == 2
    assert "already exists" in capsys.readouterr().err
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "restore", str(made)]) == 0
    assert (fresh / "counterdesk.sqlite").exists()
    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(fresh))
    assert main(["audit", "verify"]) == 0


@pytest.mark.gui
def test_the_window_backs_up_in_the_background_and_warns_on_the_status_bar(qtbot, sqlite_db, admin, usb, _data_dir):
    from app.views.backups_plugin import BackupsDialog, BackupStatus
    from app.views.context import AppContext

    ctx = AppContext(sqlite_db, admin)
    status = BackupStatus(ctx)
    qtbot.addWidget(status)
    assert status.text() == "NO BACKUP FOLDER" and status.property("level") == "danger"
    dialog = BackupsDialog(ctx, status)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(usb / "unplugged"))
    assert not dialog.save()
    assert "does not exist" in dialog.form.errors["folder"].text() and backups.configured_folder() == ""
    dialog.folder.setText(str(usb))
    assert dialog.save()  # saved, and today's copy started at once in a process of its own
    assert status.running and status.text() == "Backing up…"
    qtbot.waitUntil(lambda: not status.running, timeout=120000)
    today = date.today()
    assert status.text() == f"Backup {today.isoformat()}" and status.property("level") == ""
    assert backups.status(str(usb), today).last_good == today
    assert not status.run_if_due()  # today's good copy is there: nothing more today
    # The folder disappears (the USB stick is pulled): the status bar says so.
    usb.rename(usb.with_name("elsewhere"))
    status.refresh()
    assert status.text() == "BACKUP FOLDER MISSING" and str(usb) in status.toolTip()
