"""The core subcommands run as a user would run them: init, clerk add/unlock, audit verify, backup."""

from __future__ import annotations

import sqlite3

import pytest

from app.cli import main
from tests.cliauth import as_, password_file


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["--db", url, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "3301"]) == 0
    return tmp_path / "cli.sqlite", url


def test_init_twice_is_refused_with_a_message(store, capsys):
    _, url = store
    assert main(["--db", url, "--lang", "en", "init", "--admin", "other", "--password-file", password_file("other123")]) == 2
    assert "already set up" in capsys.readouterr().err


def test_messages_are_chinese_by_default(store, capsys, monkeypatch):
    _, url = store
    monkeypatch.delenv("COUNTERDESK_LANG", raising=False)
    assert main(["--db", url, "clerk", "unlock", *as_("admin"), "nobody"]) == 2
    assert "没有登录名为“nobody”的营业员" in capsys.readouterr().err


def test_clerk_add_then_audit_verify(store, capsys):
    _, url = store
    assert (
        main(
            [
                "--db",
                url,
                "clerk",
                "add",
                *as_("admin"),
                "--login",
                "zhangli",
                "--name",
                "张丽",
                "--staff-no",
                "1001",
                "--new-password-file",
                password_file("clerk123"),
            ]
        )
        == 0
    )
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "intact: 4 entries" in capsys.readouterr().out  # setup, administrator, the administrator's log-in, the clerk


def test_audit_verify_names_tampered_entry(store, capsys):
    path, url = store
    con = sqlite3.connect(path)
    con.execute("UPDATE audit_log SET action = 'nothing' WHERE seq = 1")
    con.commit()
    con.close()
    assert main(["--db", url, "audit", "verify", "--json"]) == 1
    out = capsys.readouterr().out
    assert '"first_broken_seq": 1' in out and '"ok": false' in out


def test_backup_makes_a_usable_copy(store, tmp_path):
    _, url = store
    target = tmp_path / "copy.sqlite"
    assert main(["--db", url, "backup", str(target)]) == 0
    con = sqlite3.connect(target)
    assert con.execute("SELECT login FROM clerks").fetchall() == [("admin",)]
    con.close()


def _clerks(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT login FROM clerks").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_backup_never_writes_over_the_store_or_its_wal_files(store, capsys, suffix):
    path, url = store
    inode = path.stat().st_ino  # a copy renamed over the store would be another file
    target = path.parent / "sub" / ".." / (path.name + suffix)  # not the same string, the same file
    (path.parent / "sub").mkdir()
    assert main(["--db", url, "--lang", "en", "backup", str(target)]) == 2
    assert "is the store itself" in capsys.readouterr().err
    assert main(["--db", url, "--lang", "en", "backup", "--force", str(target)]) == 2  # not even with --force
    assert path.stat().st_ino == inode and _clerks(path) == [("admin",)]
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    assert not list(path.parent.glob(".*partial*"))


def test_backup_refuses_a_link_to_the_store_and_the_users_stores(store, capsys, tmp_path):
    from app import paths

    path, url = store
    link = tmp_path / "link.sqlite"
    link.symlink_to(path)
    hard = tmp_path / "hard.sqlite"
    hard.hardlink_to(path)
    for target in (link, hard, paths.default_db_path(), paths.demo_db_path()):
        assert main(["--db", url, "--lang", "en", "backup", "--force", str(target)]) == 2, target
        assert "is the store itself" in capsys.readouterr().err
    assert _clerks(path) == [("admin",)]
    assert not paths.default_db_path().exists()


def test_backup_keeps_an_existing_file_unless_forced(store, capsys, tmp_path):
    path, url = store
    target = tmp_path / "old-backup.sqlite"
    target.write_bytes(b"yesterday's backup")
    assert main(["--db", url, "--lang", "en", "backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and "Traceback" not in err
    assert target.read_bytes() == b"yesterday's backup"
    assert main(["--db", url, "backup", "--force", str(target)]) == 0
    assert _clerks(target) == [("admin",)]
    assert _clerks(path) == [("admin",)]


def test_backup_to_a_folder_or_a_missing_folder_says_so(store, capsys, tmp_path):
    _, url = store
    assert main(["--db", url, "--lang", "en", "backup", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["--db", url, "--lang", "en", "backup", str(tmp_path / "nowhere" / "b.sqlite")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_backup_leaves_no_file_behind(store, tmp_path, monkeypatch):
    import types

    from app.db import backup
    from app.kernel.errors import UserError

    path, _ = store
    out = tmp_path / "out"
    out.mkdir()
    real_connect = sqlite3.connect

    class FailingSource:
        def __init__(self, con):
            self.con = con

        def backup(self, dst):
            raise sqlite3.OperationalError("disk I/O error")

        def close(self):
            self.con.close()

    def connect(name):  # the store's copy fails after the target file was created
        con = real_connect(name)
        return FailingSource(con) if name == str(path) else con

    monkeypatch.setattr(backup, "sqlite3", types.SimpleNamespace(connect=connect, Error=sqlite3.Error))
    with pytest.raises(UserError) as err:
        backup.backup_to(path, out / "b.sqlite")
    assert "could not be written" in err.value.message and "disk I/O error" in err.value.params["reason"]
    assert list(out.iterdir()) == []
    assert _clerks(path) == [("admin",)]


def test_find_json_for_scripts(store, capsys):
    import json

    from app.db.engine import Database
    from app.services import auth
    from app.services import customers as cs

    path, url = store
    db = Database(url)
    admin = auth.get_actor(db, "admin")
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="张三丰", phone="13812345678"))
    cs.create_account(db, admin, cid, cs.AccountInput(supply_address="幸福路18号"))
    capsys.readouterr()
    assert main(["--db", url, "find", "zsf", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"account_no": "3301000001", "name": "张三丰", "phone": "138****5678", "address": "幸福路18号", "match": "initials"}
    ]
    assert main(["--db", url, "find", '" OR 1=1 --', "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_demo_command_fills_an_empty_store_deterministically(tmp_path, capsys):
    import sqlite3

    urls = [f"sqlite:///{tmp_path / f'd{i}.sqlite'}" for i in (1, 2)]
    for url in urls:
        assert main(["--db", url, "demo", "--customers", "300", "--seed", "5"]) == 0
    names = [
        sqlite3.connect(tmp_path / f"d{i}.sqlite").execute("SELECT name, phone, id_number FROM customers ORDER BY name, phone").fetchall()
        for i in (1, 2)
    ]
    assert names[0] == names[1] and len(names[0]) == 300
    assert main(["--lang", "en", "--db", urls[0], "demo", "--customers", "10"]) == 2
    assert "already has customers" in capsys.readouterr().err


def test_every_demo_entry_point_fills_the_demo_store_on_first_use(tmp_path, capsys):
    """`counterdesk --demo find 张 --json` on a fresh data folder finds the demo customers (README),
    and `--demo backup` onto the demo store itself is refused and leaves it whole."""
    import json

    data = tmp_path / "fresh"
    assert main(["--data-dir", str(data), "--demo", "find", "张", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) >= 10 and all(r["name"].startswith("张") for r in found)
    demo_store = data / "counterdesk-demo.sqlite"
    assert main(["--data-dir", str(data), "--demo", "--lang", "en", "backup", str(demo_store)]) == 2
    assert "is the store itself" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "--demo", "audit", "verify", "--json"]) == 0  # filled once, intact
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert main(["--data-dir", str(data), "--demo", "find", "张", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == found
    assert not (data / "counterdesk.sqlite").exists()  # the real store is never touched by --demo


def test_settings_list_and_set_from_the_command_line(store, capsys):
    import json

    _, url = store
    assert main(["--db", url, "settings", "list", "--json"]) == 0
    listed = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["late_fee.rate.residential"]["value"] == "0.001" and listed["late_fee.rate.residential"]["default"]
    assert main(["--db", url, "settings", "set", "late_fee.rate.residential", "0.0008", *as_("admin")]) == 0
    assert "0.001 -> 0.0008" in capsys.readouterr().out
    assert main(["--db", url, "--lang", "en", "settings", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("late_fee.rate.residential"))
    assert "0.0008" in line and "(default)" not in line
    assert main(["--db", url, "audit", "verify"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv, says",
    [
        (["settings", "set", "late_fee.rate.residential", "0.5", *as_("admin")], "from 0 to 0.01"),
        (["settings", "set", "late_fee.enabled.water", "perhaps", *as_("admin")], "not on or off"),
        (["settings", "set", "no.such.key", "1", *as_("admin")], "There is no setting “no.such.key”"),
        (["settings", "set", "matters.repeat_window_days", "10", *as_("nobody", "x")], "Wrong login name or password"),
    ],
)
def test_settings_set_refuses_bad_input_with_a_message(store, capsys, argv, says):
    import json

    _, url = store
    assert main(["--db", url, "--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert main(["--db", url, "settings", "list", "--json"]) == 0
    assert all(r["default"] for r in json.loads(capsys.readouterr().out))  # nothing saved


def test_settings_set_needs_an_administrator(store, capsys):
    _, url = store
    assert (
        main(
            [
                "--db",
                url,
                "clerk",
                "add",
                *as_("admin"),
                "--login",
                "zhangli",
                "--name",
                "张丽",
                "--staff-no",
                "1001",
                "--new-password-file",
                password_file("clerk123"),
            ]
        )
        == 0
    )
    assert main(["--db", url, "--lang", "en", "settings", "set", "late_fee.minimum", "2", *as_("zhangli")]) == 2
    assert "Only an administrator" in capsys.readouterr().err


def test_a_large_demo_load_made_in_a_second_process_is_the_same_data():
    """Above PRODUCER_FROM customers the rows are made in another process while this one writes."""
    import uuid

    from app.services import demo

    for hex_ids in (True, False):  # SQLite gets hex ids, PostgreSQL UUIDs
        args = (1200, 7, 0, uuid.UUID(int=1), uuid.UUID(int=2), hex_ids)
        assert [len(c[0]) for c in demo._chunks(*args, chunk=500)] == [500, 500, 200]
        produced = list(demo._produced(args))
        assert produced == list(demo._chunks(*args)) and sum(len(item[0]) for item in produced) == 1200
        assert all(item[1] and item[2] and item[3] for item in produced)  # accounts, meters, search rows
        assert isinstance(produced[0][0][0][0], str if hex_ids else uuid.UUID)


def test_clerk_renumber(store, capsys):
    """An administrator changes a staff number (a store joining the centre must: every store's first
    administrator has 0001); a number taken is refused with a message, exit 2; audited."""
    _, url = store
    args = ["--db", url, "--lang", "en", "clerk"]
    pw = password_file("clerk123")
    assert main([*args, "add", *as_("admin"), "--login", "zhangli", "--name", "张丽", "--staff-no", "1001", "--new-password-file", pw]) == 0
    assert main([*args, "renumber", *as_("admin"), "admin", "1001"]) == 2
    assert "“1001” is taken" in capsys.readouterr().err
    assert main([*args, "renumber", *as_("zhangli"), "admin", "3301-0001"]) == 2
    assert "Only an administrator" in capsys.readouterr().err
    assert main([*args, "renumber", *as_("admin"), "admin", "3301-0001"]) == 0
    assert "staff number 0001 -> 3301-0001" in capsys.readouterr().out
    assert main(["--db", url, "audit", "verify"]) == 0
