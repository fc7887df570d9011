"""No money record vanishes unnoticed: tampering with the store's rows or file is named by `audit verify`
(chains, cross-checks of payments, allocations, bills, balances and number sequences, anchors kept
outside the store) and by `counterdesk check` (also the database's own integrity check)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date

import pytest
from sqlalchemy import select, text, update

from app.models import AuditEntry, AuditHead, Bill, Payment
from app.services import audit, integrity
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting

TODAY = date(2026, 11, 20)


@pytest.fixture
def ledger(db, clerk, supervisor):
    """Two bills; a payment of both with 100.00 more to the prepaid balance; a second payment reversed; the
    next bill settled from the balance: every kind of money record, audited."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", id_number="330102199001011234", phone="13800138000"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1300")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10", today=date(2026, 11, 4))
    posting.open_shift(db, clerk, "200")
    first = posting.post_payment(db, clerk, aid, "300", "cash", "k1", "300")
    second = posting.post_payment(db, clerk, aid, "20", "qr", "k2", reference="QR-1")
    posting.reverse_payment(db, supervisor, clerk, second.payment_id, "收错户", "r1")
    readings.record_reading(db, clerk, mid, "total", "2026-11", "1400")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-11", today=date(2026, 12, 4))
    return {"account": aid, "first": first, "second": second}


def _check(db, anchors=()):
    with db.read() as s:
        return integrity.check(s, anchors, database=False)


def _texts(report) -> list[str]:
    return [p.text() for p in report.problems]


def _anchor(db, actor) -> integrity.Anchor:
    with db.read() as s:
        return integrity.read_anchors(integrity.station_anchor(s, actor.station_id))[0]


def test_an_untouched_store_passes_every_check(db, ledger):
    report = _check(db)
    assert report.ok, _texts(report)
    assert report.coverage.payments == 3 and report.coverage.bills == 3 and report.coverage.numbers == 3
    with db.read() as s:
        deducted = s.scalar(select(Bill.paid_fen).where(Bill.period == "2026-11"))
    assert deducted > 0  # the third bill was paid from the balance: deductions were checked too


def test_deleting_a_payment_with_its_allocations_is_named(db, ledger):
    receipt = ledger["first"].receipt_no
    pid = ledger["first"].payment_id
    with db.write() as s:  # what a dishonest insider with the database would do
        for table in ("payment_allocations", "balance_entries", "contact_records"):
            column = "ref_id" if table == "contact_records" else "payment_id"
            s.execute(text(f"DELETE FROM {table} WHERE {column} = :p"), {"p": _key(db, pid)})
        s.execute(text("DELETE FROM payments WHERE id = :p"), {"p": _key(db, pid)})
    report = _check(db)
    texts = _texts(report)
    assert not report.ok and report.chains.ok  # the chain itself still holds: the cross-checks find it
    assert any(f"payment {receipt} of audit entry" in t and "missing from the store" in t for t in texts), texts
    assert any("receipt numbers of station 3301 in 2026" in t and receipt in t for t in texts), texts
    assert any("its ledger adds up to" in t for t in texts), texts


def test_editing_a_payments_amount_is_named(db, ledger):
    receipt = ledger["second"].receipt_no
    with db.write() as s:
        s.execute(update(Payment).where(Payment.receipt_no == receipt).values(amount_fen=200))
    texts = _texts(_check(db))
    assert any(f"payment {receipt}: its amount is 2.00 in the store but 20.00 in audit entry" in t for t in texts), texts


def test_editing_a_bills_paid_amount_or_an_allocation_is_named(db, ledger):
    with db.write() as s:
        s.execute(update(Bill).where(Bill.period == "2026-09").values(paid_fen=Bill.paid_fen + 1000))
        s.execute(
            text("UPDATE payment_allocations SET principal_fen = principal_fen - 1 WHERE payment_id = :p AND bill_id IS NOT NULL"),
            {"p": _key(db, ledger["first"].payment_id)},
        )
    texts = _texts(_check(db))
    assert any("its paid amount is" in t and "add up to" in t for t in texts), texts
    assert any(f"payment {ledger['first'].receipt_no}: its allocations" in t for t in texts), texts


def test_moving_a_receipt_sequence_back_is_named(db, ledger):
    with db.write() as s:
        s.execute(text("UPDATE number_sequences SET last_value = 1 WHERE kind = 'receipt'"))
    texts = _texts(_check(db))
    assert any("is in use but the sequence is at 1" in t for t in texts), texts


def test_cutting_off_the_newest_entries_with_the_head_moved_back_is_named_by_an_anchor(db, clerk, ledger):
    anchor = _anchor(db, clerk)  # as printed on the shift report
    assert _check(db, [anchor]).ok
    with db.read() as s:
        keep = s.execute(
            select(AuditEntry.seq, AuditEntry.hash)
            .where(AuditEntry.station_id == clerk.station_id)
            .order_by(AuditEntry.seq.desc())
            .offset(2)
            .limit(1)
        ).one()
    with db.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq > :seq AND station_id = :st"), {"seq": keep.seq, "st": _key(db, clerk.station_id)})
        s.execute(update(AuditHead).where(AuditHead.station_id == clerk.station_id).values(seq=keep.seq, hash=keep.hash))
    with db.read() as s:
        assert audit.verify(s).ok  # the chain alone cannot tell: it ends where its head says
    report = _check(db, [anchor])
    texts = _texts(report)
    assert not report.ok
    assert any(f"the chain of station 3301 ends at entry {keep.seq}; entries were cut off" in t for t in texts), texts


def test_rewriting_the_chain_end_to_end_is_named_by_an_anchor(db, clerk, ledger):
    anchor = _anchor(db, clerk)
    with db.read() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.station_id == clerk.station_id).order_by(AuditEntry.seq)).all()
    prev = audit.GENESIS
    with db.write() as s:  # change an old entry and re-hash everything after it, head included
        for e in rows:
            after = e.after.replace("张三丰", "李四") if e.entity == "customer" else e.after
            digest = audit.hash_of(e.seq, e.at, e.station_id, e.clerk_id, e.action, e.entity, e.entity_id, e.before, after, prev)
            s.execute(update(AuditEntry).where(AuditEntry.id == e.id).values(after=after, prev_hash=prev, hash=digest))
            prev = digest
        s.execute(update(AuditHead).where(AuditHead.station_id == clerk.station_id).values(hash=prev))
    with db.read() as s:
        assert audit.verify(s).ok
    texts = _texts(_check(db, [anchor]))
    assert any(f"entry {anchor.seq} of station 3301 has another hash; the chain was rewritten" in t for t in texts), texts


def test_verify_on_the_command_line_with_anchors(tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import password_file

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["--db", url, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "3301"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--json"]) == 0
    chain = json.loads(capsys.readouterr().out)["chains"][0]
    value = f"3301:{chain['seq']}:{chain['hash']}"
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--anchor", value]) == 0
    assert "no problems found" in capsys.readouterr().out
    wrong = f"3301:{chain['seq']}:{'ab' * 32}"
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--anchor", wrong]) == 1
    assert f"entry {chain['seq']} of station 3301 has another hash" in capsys.readouterr().out
    ahead = tmp_path / "anchors.txt"
    ahead.write_text(f"Audit anchor 3301:{chain['seq'] + 5}:{chain['hash']}\n", encoding="utf-8")
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--anchor", str(ahead)]) == 1
    assert f"ends at entry {chain['seq']}; entries were cut off" in capsys.readouterr().out
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--anchor", "nonsense"]) == 2


def _key(db, value: uuid.UUID):
    """A UUID as the database keeps it (32 hex digits on SQLite)."""
    return value.hex if db.is_sqlite else value


# --- damage to the file --------------------------------------------------------------------------


def _flip(path, marker: bytes, replacement: bytes) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = path.read_bytes()
    assert data.count(marker) == 1
    path.write_bytes(data.replace(marker, replacement))


def _admin(db):
    from app.services import auth

    return auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")


def test_a_bit_flip_in_an_entry_is_named_not_a_traceback(sqlite_db, tmp_path):
    admin = _admin(sqlite_db)
    with sqlite_db.write() as s:
        audit.record(s, admin, "note", "test", "1", after={"note": "MARKER-4711"})
        seq, entry_id = s.execute(select(AuditEntry.seq, AuditEntry.id).where(AuditEntry.action == "note")).one()
    auth_more(sqlite_db, admin)
    path = tmp_path / "counterdesk.sqlite"
    sqlite_db.dispose()
    _flip(path, b"MARKER-4711", b"MARK\xffR-4711")  # one byte: no longer UTF-8
    with sqlite_db.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken_seq == seq and result.first_broken_id == str(entry_id)
    assert "cannot be read (damaged after" in result.reason and result.station_code == "3301"


def auth_more(db, admin) -> None:
    from app.services import auth

    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")


def test_a_bit_flip_in_a_number_is_named(sqlite_db, tmp_path):
    from app.services import auth

    admin = _admin(sqlite_db)
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    path = tmp_path / "counterdesk.sqlite"
    sqlite_db.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE audit_log SET at = 'not a time' WHERE seq = 2")  # what a flipped type byte reads as
    con.commit()
    con.close()
    with sqlite_db.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken_seq == 2 and "damaged at" in result.reason


def test_check_runs_the_databases_own_check_and_exits_non_zero_on_damage(tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import password_file

    path = tmp_path / "cli.sqlite"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "3301"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "--lang", "en", "check"]) == 0
    out = capsys.readouterr().out
    assert "database: its own integrity check passed" in out and "audit log intact" in out and "no problems found" in out
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clerks'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page] = 0x0D  # the clerks index's root page now claims to be a table page
    path.write_bytes(bytes(data))
    code = main(["--db", url, "--lang", "en", "check"])
    out = capsys.readouterr()
    assert code == 1, out
    assert "database: DAMAGED" in out.out and "integrity check failed" in out.out


def test_a_backup_keeps_its_chains_anchors_in_a_check_file_that_later_finds_a_rewritten_chain(tmp_path, capsys):
    from app.cli import main
    from app.db.engine import Database
    from tests.cliauth import password_file

    path = tmp_path / "cli.sqlite"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "3301"]) == 0
    (tmp_path / "usb").mkdir()
    backup = tmp_path / "usb" / "monday.sqlite"
    assert main(["--db", url, "--lang", "en", "backup", str(backup)]) == 0
    assert "the copy was checked: no problems" in capsys.readouterr().out
    check = json.loads((tmp_path / "usb" / "monday.sqlite.check.json").read_text(encoding="utf-8"))
    assert check["ok"] is True and check["anchors"][0]["station"] == "3301" and check["anchors"][0]["seq"] == 2
    db = Database(url)
    with db.read() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    prev = audit.GENESIS
    with db.write() as s:  # the whole chain rewritten, head included
        for e in rows:
            digest = audit.hash_of(
                e.seq, e.at, e.station_id, e.clerk_id, e.action, e.entity, e.entity_id, e.before, e.after.replace("admin", "mallory"), prev
            )
            s.execute(
                update(AuditEntry)
                .where(AuditEntry.id == e.id)
                .values(after=e.after.replace("admin", "mallory"), prev_hash=prev, hash=digest)
            )
            prev = digest
        s.execute(update(AuditHead).values(hash=prev))
    db.dispose()
    assert main(["--db", url, "--lang", "en", "audit", "verify"]) == 0  # alone it cannot tell
    capsys.readouterr()
    assert main(["--db", url, "--lang", "en", "audit", "verify", "--anchor", str(tmp_path / "usb" / "monday.sqlite.check.json")]) == 1
    out = capsys.readouterr().out
    assert "monday.sqlite.check.json" in out and "entry 2 of station 3301 has another hash; the chain was rewritten" in out


def test_a_backup_of_a_damaged_store_says_so(tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import password_file

    path = tmp_path / "cli.sqlite"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "3301"]) == 0
    con = sqlite3.connect(path)
    con.execute("UPDATE audit_log SET after = 'x' WHERE seq = 2")
    con.commit()
    con.close()
    target = tmp_path / "copy.sqlite"
    assert main(["--db", url, "--lang", "en", "backup", str(target)]) == 1
    out = capsys.readouterr().out
    assert "has PROBLEMS (1)" in out and "content does not match its hash" in out
    assert target.exists()  # the copy is kept: it is what the store holds
    assert json.loads((tmp_path / "copy.sqlite.check.json").read_text(encoding="utf-8"))["ok"] is False


def test_shift_and_day_reports_print_the_chains_head_and_it_anchors_verify(db, clerk, supervisor, ledger, tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import as_
    from tests.pdfcheck import pdf_text

    shift = tmp_path / "shift.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("zhangli"), "--shift-of", "zhangli", "--out", str(shift)]) == 0
    day = tmp_path / "day.pdf"
    assert main(["--lang", "en", "--db", db.url, "shift", "report", *as_("wangqiang"), "--out", str(day)]) == 0
    printed = []
    for pdf in (shift, day):
        import re

        found = re.search(r"3301:(\d+):([0-9a-f]{64})", pdf_text(pdf.read_bytes()))  # (the extracted text has no spaces)
        assert found, pdf
        printed.append(found.group(0))
        assert int(found.group(1)) > 10
    capsys.readouterr()
    assert main(["--lang", "en", "--db", db.url, "audit", "verify", "--anchor", printed[0], "--anchor", printed[1]]) == 0
    with db.write() as s:  # an entry before the printed head changed and everything after it re-hashed
        rows = s.scalars(select(AuditEntry).where(AuditEntry.station_id == clerk.station_id).order_by(AuditEntry.seq)).all()
        prev = audit.GENESIS
        for e in rows:
            after = e.after.replace("幸福路18号", "幸福路81号")
            digest = audit.hash_of(e.seq, e.at, e.station_id, e.clerk_id, e.action, e.entity, e.entity_id, e.before, after, prev)
            s.execute(update(AuditEntry).where(AuditEntry.id == e.id).values(after=after, prev_hash=prev, hash=digest))
            prev = digest
        s.execute(update(AuditHead).where(AuditHead.station_id == clerk.station_id).values(hash=prev))
    assert main(["--lang", "en", "--db", db.url, "audit", "verify", "--anchor", printed[0]]) == 1
    assert "the chain was rewritten" in capsys.readouterr().out


def test_check_with_the_databases_own_check_on_both_and_a_changed_row(db, ledger):
    """SQLite: PRAGMA integrity_check; PostgreSQL: every table read through (and amcheck where installed)."""
    with db.read() as s:
        report = integrity.check(s)
    assert report.ok and not report.store, _texts(report)
    with db.write() as s:  # a row that no longer says what was written
        s.execute(text("UPDATE audit_log SET after = after || ' ' WHERE seq = 3"))
    with db.read() as s:
        report = integrity.check(s)
    assert not report.ok  # (seq 3 of both chains: the store's own, of the tariffs imported, and station 3301's)
    assert {(p.station_code, p.seq) for p in report.chains.problems} == {("-", 3), ("3301", 3)}
