"""Issue 12, no command destroys anything: every file a command writes follows one rule (never the store,
its companions, another database, a device or the data folder; an existing file only with --force), is
written beside its target and renamed, leaves nothing behind when it fails; a committed payment is always
reported as saved; `pay --key` posts once; printing workers end with a killed command."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import Payment
from tests.cliauth import as_
from tests.test_payments_core import owing  # noqa: F401  (fixture: an account with two unpaid bills, zhangli's shift open)


def _payments(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Payment))


def _pay(db, *extra, amount="10"):
    return main(
        [
            "--lang",
            "en",
            "--db",
            db.url,
            "pay",
            *as_("zhangli"),
            "--account",
            "3301000001",
            "--amount",
            amount,
            "--tendered",
            amount,
            *extra,
        ]
    )


def _intact(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM clerks").fetchone()[0] >= 1
    finally:
        con.close()


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 320 KB file system: writing more than that fails with ENOSPC, as on a full disk."""
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode(errors='replace').strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path, leave: int = 4096) -> None:
    """Fill the small disk but `leave` bytes."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_no_output_ever_overwrites_the_store(db, clerk, owing, tmp_path, capsys, suffix):  # noqa: F811
    if not db.is_sqlite:
        pytest.skip("a SQLite store's own files")
    sqlite_db = db
    store = Path(sqlite_db.url.split("///", 1)[1])
    target = str(store) + suffix
    inode = store.stat().st_ino
    for argv in (
        ["pay", *as_("zhangli"), "--account", "3301000001", "--amount", "10", "--tendered", "10", "--receipt", target, "--force"],
        ["shift", "report", *as_("zhangli"), "--shift-of", "zhangli", "--out", target, "--force"],
        ["bill", *as_("zhangli"), "--account", "3301000001", "--period", "2026-10", "--print", target, "--force"],
        ["backup", target, "--force"],
    ):
        assert main(["--lang", "en", "--db", sqlite_db.url, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert "is the store itself" in err and "Traceback" not in err, (argv, err)
    assert store.stat().st_ino == inode
    _intact(store)
    assert _payments(sqlite_db) == 0  # refused before any money moved


def test_outputs_never_go_into_the_data_folder_or_onto_a_device(db, clerk, owing, _data_dir, tmp_path, capsys):  # noqa: F811
    (_data_dir / "counter.toml").write_text('[receipt_printer]\ntarget = "pdf"\n', encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, says in (
        (_data_dir / "counter.toml", "inside CounterDesk's data folder"),
        (_data_dir / "archive" / "x.pdf", "inside CounterDesk's data folder"),
        (Path("/dev/null"), "not an ordinary file"),
        (fifo, "not an ordinary file"),
        (tmp_path, "is a folder"),
        (tmp_path / "nowhere" / "r.pdf", "does not exist"),
    ):
        assert _pay(db, "--receipt", str(target), "--force") == 2, target
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, (target, err)
    assert (_data_dir / "counter.toml").read_text(encoding="utf-8") == '[receipt_printer]\ntarget = "pdf"\n'
    assert not (tmp_path / "nowhere").exists()
    assert _payments(db) == 0


def test_another_database_is_never_replaced_but_an_earlier_backup_is(db, admin, tmp_path, capsys):
    if not db.is_sqlite:
        pytest.skip("backup copies a SQLite store")
    sqlite_db = db
    other_store = tmp_path / "other-hall.sqlite"
    con = sqlite3.connect(other_store)
    con.execute("CREATE TABLE clerks (login TEXT)")
    con.execute("INSERT INTO clerks VALUES ('someone')")
    con.commit()
    con.close()
    assert main(["--lang", "en", "--db", sqlite_db.url, "backup", str(other_store), "--force"]) == 2
    assert "is a database" in capsys.readouterr().err
    assert sqlite3.connect(other_store).execute("SELECT login FROM clerks").fetchall() == [("someone",)]
    backup = tmp_path / "monday.sqlite"
    assert main(["--db", sqlite_db.url, "backup", str(backup)]) == 0
    assert main(["--lang", "en", "--db", sqlite_db.url, "backup", str(backup)]) == 2  # exists: only with --force
    assert "already exists" in capsys.readouterr().err
    assert main(["--db", sqlite_db.url, "backup", str(backup), "--force"]) == 0  # an earlier backup: replaced
    _intact(backup)
    shift = tmp_path / "report.pdf"
    assert main(["--lang", "en", "--db", sqlite_db.url, "shift", "report", *as_("admin"), "--out", str(backup), "--force"]) == 2
    assert "is a database" in capsys.readouterr().err  # a document never replaces a backup
    _intact(backup)
    assert not shift.exists()


def test_an_existing_file_only_with_force(db, clerk, owing, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "receipt.pdf"
    target.write_bytes(b"yesterday")
    assert _pay(db, "--receipt", str(target)) == 2
    assert "already exists" in capsys.readouterr().err and target.read_bytes() == b"yesterday"
    assert _payments(db) == 0
    assert _pay(db, "--receipt", str(target), "--force") == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_a_report_on_a_full_disk_says_so_and_leaves_nothing(db, clerk, supervisor, owing, small_disk, capsys):  # noqa: F811
    _fill(small_disk)
    out = small_disk / "day.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("wangqiang"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is full" in err and "Traceback" not in err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no partial file, no file under the good name


def test_a_backup_cut_short_by_a_full_disk_leaves_no_file(db, admin, small_disk, capsys):
    if not db.is_sqlite:
        pytest.skip("backup copies a SQLite store")
    sqlite_db = db
    from app.services import customers as cs

    for i in range(40):  # a store bigger than the small disk
        cs.create_customer(sqlite_db, admin, cs.CustomerInput(name=f"客户{i}", address="幸福路" * 60))
    target = small_disk / "backup.sqlite"
    assert main(["--lang", "en", "--db", sqlite_db.url, "backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert "is full" in err and "Traceback" not in err
    assert list(small_disk.iterdir()) == []


def test_a_committed_payment_is_saved_whatever_happens_to_its_receipt(db, clerk, owing, small_disk, _data_dir, capsys):  # noqa: F811
    from app.services.payments import queries

    _fill(small_disk, leave=0)
    assert _pay(db, "--receipt", str(small_disk / "r.pdf"), "--json") == 0  # the receipt's disk is full
    out, err = capsys.readouterr()
    first = json.loads(out)
    assert first["receipt_no"].startswith("R-3301-") and "is saved" in err and "unprinted" in err and "Traceback" not in err
    assert not [p for p in small_disk.iterdir() if p.name != "filler"]
    # the archive cannot be written either (its folder is a file): still saved, still waiting to be printed
    import shutil

    shutil.rmtree(_data_dir / "archive", ignore_errors=True)
    (_data_dir / "archive").write_bytes(b"not a folder")
    assert _pay(db) == 0
    out, err = capsys.readouterr()
    assert "is saved" in err and "failed" not in (out + err).lower() and "Traceback" not in err
    assert _payments(db) == 2
    assert len(queries.unprinted(db, clerk)) == 2


def test_pay_with_a_key_posts_once_and_prints_the_first_result(db, clerk, owing, tmp_path, capsys):  # noqa: F811
    receipt = tmp_path / "r.pdf"
    assert _pay(db, "--key", "till7-0001", "--receipt", str(receipt), "--json") == 0
    first = capsys.readouterr().out
    assert _pay(db, "--key", "till7-0001", "--receipt", str(receipt), "--json") == 0  # a retry: the file exists, no --force needed
    again, err = capsys.readouterr()
    assert json.loads(again) == json.loads(first) and "nothing new was recorded" in err
    assert _payments(db) == 1
    assert _pay(db, "--key", "till7-0001", amount="20") == 2  # the same key for another payment
    assert "was used for payment" in capsys.readouterr().err
    assert _pay(db, "--key", "bad key!") == 2
    assert _payments(db) == 1


WORKER_SCRIPT = textwrap.dedent("""
    import os, sys, time, types
    from pathlib import Path
    from app.kernel import process
    from app.printing.billing import bill_pdf

    def slow(args):  # a chunk that takes long: the workers are busy when their parent is killed
        time.sleep(60)
        return args[2], len(args[0])

    bill_pdf._render_chunk = slow
    out = Path(sys.argv[1])
    staging = out.parent / ".staging"
    staging.mkdir()
    docs = [types.SimpleNamespace(bill_no=f"B{i}", reprint=0) for i in range(4)]
    with process.removed_if_killed(staging):
        print("started", flush=True)
        bill_pdf.render_route(docs, staging / out.name, chunk=1, workers=2, mp_context="fork")
""")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Still a live process (a zombie waiting for init to reap it has ended)."""
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_printing_workers_end_with_a_killed_command_and_take_its_temporary_folders(tmp_path):
    out = tmp_path / "route.pdf"
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, str(out)], cwd=str(Path(__file__).resolve().parent.parent), stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 20
        workers = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(parent.pid)
            time.sleep(0.1)
        assert len(workers) == 2, workers
        assert list(tmp_path.glob(".staging/route-*"))  # the route's parts folder, inside the staging folder
        os.kill(parent.pid, signal.SIGKILL)  # kill -9: no finally runs in the parent
        parent.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and [w for w in workers if _running(w)]:
            time.sleep(0.1)
        assert [w for w in workers if _running(w)] == []
        assert not (tmp_path / ".staging").exists() and not out.exists()
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        parent.stdout.close()
        for w in _children(parent.pid):
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass
