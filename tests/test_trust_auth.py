"""Issue 12, who is acting: a command acts for a clerk only once that clerk's password is right, with the
window's lock-out and deactivation; one message for a wrong password and an unknown login; a clerk prints
only their own shift report."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select, update

from app.cli import main
from app.kernel.errors import AuthError
from app.models import AuditEntry, Clerk, Payment
from app.services import auth
from tests.cliauth import as_, password_file
from tests.test_payments_core import owing  # noqa: F401  (fixture: an account with two unpaid bills, zhangli's shift open)


def _payments(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Payment))


def _pay(db, *who):
    return main(["--lang", "en", "--db", db.url, "pay", *who, "--account", "3301000001", "--amount", "10", "--tendered", "10"])


def test_a_command_without_the_password_acts_for_no_one(db, clerk, owing, capsys):  # noqa: F811
    assert _pay(db, "--as", "zhangli") == 2  # no terminal to ask at, no file, no standard input
    err = capsys.readouterr().err
    assert "zhangli must give a password" in err and "Traceback" not in err
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                db.url,
                "clerk",
                "add",
                "--as",
                "admin",
                "--login",
                "evil",
                "--name",
                "坏人",
                "--staff-no",
                "6666",
                "--role",
                "admin",
                "--new-password-file",
                password_file("evil123"),
            ]
        )
        == 2
    )
    with db.read() as s:
        assert s.scalar(select(Clerk.id).where(Clerk.login == "evil")) is None
    assert _payments(db) == 0
    assert _pay(db, *as_("zhangli")) == 0 and _payments(db) == 1


def test_a_password_in_the_argument_list_is_refused_before_anything_runs(db, clerk, owing, capsys):  # noqa: F811
    assert _pay(db, "--as", "zhangli", "--password", "clerk123") == 2
    assert "never given in the argument list" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", db.url, "init", "--admin", "x", "--password", "secret99"]) == 2
    assert _payments(db) == 0


def test_password_file_must_be_readable_only_by_its_owner(db, clerk, owing, capsys, tmp_path):  # noqa: F811
    name = password_file("clerk123", tmp_path)
    os.chmod(name, 0o644)
    assert _pay(db, "--as", "zhangli", "--password-file", name) == 2
    assert "readable by other users" in capsys.readouterr().err
    os.chmod(name, 0o640)
    assert _pay(db, "--as", "zhangli", "--password-file", name) == 2
    assert _payments(db) == 0
    os.chmod(name, 0o600)
    assert _pay(db, "--as", "zhangli", "--password-file", name) == 0
    assert _payments(db) == 1


def test_password_from_standard_input(db, clerk, owing, monkeypatch):  # noqa: F811
    from app.commands import common

    monkeypatch.setattr("sys.stdin", io.StringIO("clerk123\n"))
    common.reset_stdin()
    assert _pay(db, "--as", "zhangli", "--password-stdin") == 0
    common.reset_stdin()
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert _pay(db, "--as", "zhangli", "--password-stdin") == 2
    common.reset_stdin()
    assert _payments(db) == 1


def test_wrong_password_and_unknown_login_read_the_same_and_lock_like_the_window(db, clerk, owing, capsys):  # noqa: F811
    assert _pay(db, *as_("nobody", "clerk123")) == 2
    unknown = capsys.readouterr().err
    for _ in range(5):
        assert _pay(db, *as_("zhangli", "guess99")) == 2
        assert capsys.readouterr().err == unknown  # no count of tries left, nothing that says the login exists
    assert _pay(db, *as_("zhangli")) == 2  # locked: now even the right password is refused, and said so
    assert "locked after 5 wrong passwords" in capsys.readouterr().err
    assert _payments(db) == 0
    with pytest.raises(AuthError):
        auth.login(db, "zhangli", "clerk123")  # the window's log-in is locked too: one lock-out
    assert main(["--db", db.url, "clerk", "unlock", *as_("admin"), "zhangli"]) == 0
    assert _pay(db, *as_("zhangli")) == 0 and _payments(db) == 1


def test_a_deactivated_clerk_acts_no_more(db, clerk, owing, capsys):  # noqa: F811
    with db.write() as s:
        s.execute(update(Clerk).where(Clerk.login == "zhangli").values(active=False))
    assert _pay(db, *as_("zhangli")) == 2
    assert "deactivated" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", db.url, "shift", "open", *as_("zhangli")]) == 2
    assert _pay(db, *as_("zhangli", "wrong")) == 2
    assert "Wrong login name or password" in capsys.readouterr().err  # without the password, not even that is said
    assert _payments(db) == 0


def test_command_line_log_ins_are_audited_as_such(db, clerk, owing):  # noqa: F811
    assert _pay(db, *as_("zhangli")) == 0
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "login").order_by(AuditEntry.seq.desc())).first()
    assert entry.clerk_id == clerk.clerk_id and "command line" in entry.after


def test_a_clerk_prints_only_their_own_shift_report(db, clerk, supervisor, owing, tmp_path, capsys):  # noqa: F811
    from app.kernel.errors import PermissionDenied
    from app.services.payments import posting, queries

    auth.create_clerk(db, auth.first_admin(db), "lina", "李娜", "clerk456", "clerk", "1002")
    lina = auth.get_actor(db, "lina")
    posting.open_shift(db, lina, "100")
    own = tmp_path / "own.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("zhangli"), "--shift-of", "zhangli", "--out", str(own)]) == 0
    assert own.exists()
    other = tmp_path / "other.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("zhangli"), "--shift-of", "lina", "--out", str(other)]) == 2
    assert "Only a supervisor" in capsys.readouterr().err and not other.exists()
    day = tmp_path / "day.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("zhangli"), "--out", str(day)]) == 2
    assert "Only a supervisor" in capsys.readouterr().err and not day.exists()
    # the rule is the service's, so the window follows it too
    with pytest.raises(PermissionDenied):
        queries.shift_report(db, clerk, queries.newest_shift_of(db, supervisor, "lina"))
    with pytest.raises(PermissionDenied):
        posting.day_report(db, clerk, posting.local_today())
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("wangqiang"), "--shift-of", "lina", "--out", str(other)]) == 0
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("wangqiang"), "--out", str(day)]) == 0
    assert other.exists() and day.exists()


def test_bill_and_tariff_import_need_the_password_too(db, admin, capsys, tmp_path):
    from app.paths import resource_path

    with pytest.raises(SystemExit) as stop:  # --as is required: it no longer acts as the first administrator
        main(["--lang", "en", "--db", db.url, "bill", "--route", "R1", "--period", "2026-10"])
    assert stop.value.code == 2 and "--as" in capsys.readouterr().err
    zj = str(resource_path("tariffs", "electricity-zhejiang.toml"))
    assert main(["--lang", "en", "--db", db.url, "tariffs", "import", zj, *as_("admin", "wrong")]) == 2
    assert "Wrong login name or password" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", db.url, "tariffs", "import", zj, *as_("admin")]) == 0
