"""The core subcommands run as a user would run them: init, clerk add/unlock, audit verify, backup."""

from __future__ import annotations

import sqlite3

import pytest

from app.cli import main


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["--db", url, "init", "--admin", "admin", "--password", "admin123", "--station-code", "3301"]) == 0
    return tmp_path / "cli.sqlite", url


def test_init_twice_is_refused_with_a_message(store, capsys):
    _, url = store
    assert main(["--db", url, "--lang", "en", "init", "--admin", "other", "--password", "other123"]) == 2
    assert "already set up" in capsys.readouterr().err


def test_messages_are_chinese_by_default(store, capsys, monkeypatch):
    _, url = store
    monkeypatch.delenv("COUNTERDESK_LANG", raising=False)
    assert main(["--db", url, "clerk", "unlock", "--as", "admin", "nobody"]) == 2
    assert "没有登录名为“nobody”的营业员" in capsys.readouterr().err


def test_clerk_add_then_audit_verify(store, capsys):
    _, url = store
    assert main(["--db", url, "clerk", "add", "--as", "admin", "--login", "zhangli", "--name", "张丽",
                 "--staff-no", "1001", "--password", "clerk123"]) == 0
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "intact: 3 entries" in capsys.readouterr().out


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
