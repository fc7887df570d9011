"""Bank collection (代扣): mandates on the customer file, the collection file, the bank's return posted as
payments with method bank and their own receipts — and every file that does not add up posting nothing.
On SQLite and PostgreSQL, and from the command line."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.kernel.errors import UserError, ValidationError
from app.models import Account, BankBatch, Bill, Payment, Shift
from app.services import customers as cs
from app.services import integrity
from app.services.billing import bills, readings, tariffs
from app.services.interfaces import bank_collection as bc
from app.services.interfaces.tabular import TabularError
from app.services.payments import posting
from tests.cliauth import as_

TODAY = date(2026, 11, 20)


@pytest.fixture
def mandated(db, clerk):
    """Four accounts billed for 2026-10; three with an ICBC mandate, one with a CCB mandate."""
    tariffs.ensure_default_tariffs(db)
    out = []
    for n in range(4):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"王{'一二三四'[n]}", phone=f"1381234567{n}"))
        aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address=f"幸福路{n}号", tariff_code="ZJ-RES-Y"))
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"33019900000{n:02d}", initial_reading="1000"))
        readings.record_reading(db, clerk, mid, "total", "2026-10", str(1100 + 50 * n), read_on=date(2026, 10, 25))
        bank = "CCB" if n == 3 else "ICBC"
        bc.add_mandate(db, clerk, cid, bc.MandateInput(aid, bank, f"62220200000000{n:04d}", f"王{'一二三四'[n]}", "2026-01-01"))
        out.append((cid, aid))
    with db.read() as s:
        numbers = [a.account_no for a in s.scalars(select(Account).order_by(Account.account_no))]
    bills.issue_accounts(db, clerk, numbers, "2026-10", today=date(2026, 11, 4))
    return out


def _owed(db) -> dict[str, int]:
    with db.read() as s:
        return dict(
            s.execute(
                select(Account.account_no, func.sum(Bill.amount_fen - Bill.paid_fen))
                .join(Bill, Bill.account_id == Account.id)
                .group_by(Account.account_no)
            ).all()
        )


def _payments(db) -> list[tuple[str, int, str]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Payment.method, Payment.amount_fen, Payment.receipt_no).order_by(Payment.receipt_no))]


def _export(db, clerk, tmp_path, bank="ICBC", period="2026-10"):
    target = tmp_path / f"{bank}-{period}.txt"
    result = bc.export_collection(db, clerk, bank, period, target, today=TODAY)
    return result, bc.collection_lines(db, result.batch_id)


def test_mandate_fields_are_checked_and_masked(db, clerk, mandated):
    cid, aid = mandated[0]
    with pytest.raises(ValidationError) as err:
        bc.add_mandate(db, clerk, cid, bc.MandateInput(aid, "NOPE", "12ab", "", "2026-13-01"))
    assert set(err.value.errors) == {"bank", "bank_account", "holder", "start_date"}
    rows = bc.customer_mandates(db, cid)
    assert len(rows) == 1 and rows[0].bank_account_masked == "**** 0000" and rows[0].bank_name == "中国工商银行"
    bc.add_mandate(db, clerk, cid, bc.MandateInput(aid, "CCB", "6217 0000 1111 2222", "王一", "2026-12-01"))
    rows = bc.customer_mandates(db, cid)
    assert [(r.bank, r.end_date) for r in rows] == [("CCB", None), ("ICBC", date(2026, 11, 30))]


def test_export_return_and_posting(db, clerk, supervisor, mandated, tmp_path):
    result, lines = _export(db, clerk, tmp_path)
    assert result.lines == 3 and result.total_fen == sum(line["amount"] for line in lines)
    owed = [sum(i.total_fen for i in bills.account_arrears(db, aid, TODAY)) for _cid, aid in mandated[:3]]
    assert [line["amount"] for line in lines] == owed and all(owed)  # principal and the late fee to the day
    text = result.path.read_bytes().decode("gb18030")
    assert text.startswith("HICBC    202610") and "王一" in text and len(text.splitlines()) == 4
    profile = bc.load_profile("ICBC")
    answers = [line | {"code": code} for line, code in zip(lines, ["0000", "1001", "1002"])]
    ret = tmp_path / "ICBC_RET_202610.txt"
    ret.write_bytes(bc.return_bytes(profile, "2026-10", answers))
    applied = bc.apply_return(db, clerk, ret)
    assert (applied.collected_count, applied.collected_fen) == (1, lines[0]["amount"])
    assert applied.refused_count == 2 and [r.result for r in applied.refusals] == ["insufficient_funds", "closed_account"]
    assert applied.refusals[0].reason == "Insufficient funds"
    pays = _payments(db)
    assert pays == [("bank", lines[0]["amount"], applied.first_receipt)] and applied.first_receipt == applied.last_receipt
    assert _owed(db)[lines[0]["account_no"]] == 0
    with db.read() as s:  # posted in a shift of its own, closed at the file's total
        shift = s.scalar(select(Shift).where(Shift.clerk_id == clerk.clerk_id))
        assert shift.status == "closed" and json.loads(shift.expected)["bank"] == lines[0]["amount"] and shift.difference_fen == 0
    assert [r.account_no for _b, _p, r in bc.refusals(db, "2026-10")] == [lines[1]["account_no"], lines[2]["account_no"]]
    with db.read() as s:  # the set-based posting left what one-by-one posting leaves: chains, allocations, summaries agree
        report = integrity.check(s, database=False)
    assert report.problems == []
    with pytest.raises(UserError) as err:  # the same file twice
        bc.apply_return(db, clerk, ret)
    assert "applied already" in err.value.text()
    assert len(_payments(db)) == 1


def test_returns_that_do_not_add_up_post_nothing(db, clerk, mandated, tmp_path):
    result, lines = _export(db, clerk, tmp_path)
    profile = bc.load_profile("ICBC")
    answers = [line | {"code": "0000"} for line in lines]
    good = bc.return_bytes(profile, "2026-10", answers)
    cases = {
        "cut.txt": (good[: len(good) - 30], "seems cut off"),  # cut inside the last line
        "short.txt": (b"".join(good.splitlines(keepends=True)[:-1]), "the file has 2; the file seems cut off"),  # a whole line missing
        "period.txt": (bc.return_bytes(profile, "2026-09", answers), "no collection file was sent to ICBC for 2026-09"),
        "amount.txt": (bc.return_bytes(profile, "2026-10", [answers[0] | {"amount": answers[0]["amount"] + 1}, *answers[1:]]), "was asked"),
        "stranger.txt": (
            bc.return_bytes(profile, "2026-10", [*answers[:2], answers[2] | {"account_no": "9999999999"}]),
            "was not in the collection file",
        ),
        "twice.txt": (bc.return_bytes(profile, "2026-10", [answers[0], answers[0], answers[2]]), "answered twice"),
        "missing.txt": (bc.return_bytes(profile, "2026-10", answers[:2]), "have no answer"),
        "bank.txt": (bc.return_bytes(bc.load_profile("CCB"), "2026-10", answers), "no collection file was sent to CCB for 2026-10"),
    }
    head = good.splitlines(keepends=True)
    total_line = head[0].decode("gb18030")
    cases["total.txt"] = (total_line[:23].encode() + b"9" * 15 + total_line[38:].encode() + b"".join(head[1:]), "the lines add up to")
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UserError) as err:
            bc.apply_return(db, clerk, path)
        assert words in err.value.text(), name
        assert err.value.params["file"] == name
        assert _payments(db) == [], name
    with pytest.raises(TabularError) as err:
        bc.apply_return(db, clerk, tmp_path / "cut.txt")
    assert err.value.params["line"] == 4
    posting.open_shift(db, clerk, "0")  # a counter shift is open: the return waits
    ok = tmp_path / "ok.txt"
    ok.write_bytes(good)
    with pytest.raises(UserError) as err:
        bc.apply_return(db, clerk, ok)
    assert "Close your counter shift first" in err.value.text() and _payments(db) == []


def test_csv_profile_and_cli(db, clerk, mandated, tmp_path, capsys):
    out = tmp_path / "ccb.csv"
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                db.url,
                "bank",
                "export",
                "--period",
                "2026-10",
                "--bank",
                "CCB",
                "--out",
                str(out),
                *as_("zhangli"),
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["accounts"] == 1 and out.read_text(encoding="utf-8").splitlines()[1].startswith("H,CCB,202610,1,")
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                db.url,
                "bank",
                "export",
                "--period",
                "2026-10",
                "--bank",
                "XYZ",
                "--out",
                str(tmp_path / "x"),
                *as_("zhangli"),
            ]
        )
        == 2
    )
    assert "no bank profile XYZ" in capsys.readouterr().err
    with db.read() as s:
        batch_id = s.scalar(select(BankBatch.id).where(BankBatch.bank == "CCB"))
    lines = bc.collection_lines(db, batch_id)
    ret = tmp_path / "ccb_ret.csv"
    ret.write_bytes(bc.return_bytes(bc.load_profile("CCB"), "2026-10", [lines[0] | {"code": "S"}]))
    assert main(["--lang", "en", "--db", db.url, "bank", "import", str(ret), *as_("zhangli")]) == 0
    printed = capsys.readouterr().out
    assert "1 collected" in printed and "0 refused" in printed
    assert main(["--lang", "en", "--db", db.url, "bank", "import", str(ret), *as_("zhangli")]) == 2
    assert "applied already" in capsys.readouterr().err
    assert [m for m, _a, _r in _payments(db)] == ["bank"]


def test_a_batch_of_payments_posts_all_or_none_and_nothing_twice(db, clerk, mandated):
    posting.open_shift(db, clerk, "0")
    items = [posting.BatchPayment(aid, "10.00", f"batch-test:{n}", f"ref {n}") for n, (_cid, aid) in enumerate(mandated)]
    first = posting.post_payments(db, clerk, items, "bank")
    assert [p.duplicate for p in first] == [False] * 4
    numbers = sorted(int(p.receipt_no.rsplit("-", 1)[1]) for p in first)
    assert numbers == list(range(numbers[0], numbers[0] + 4))  # gap-free
    again = posting.post_payments(db, clerk, items, "bank")
    assert [p.duplicate for p in again] == [True] * 4 and [p.receipt_no for p in again] == [p.receipt_no for p in first]
    broken = [
        posting.BatchPayment(mandated[0][1], "5.00", "batch-test:new", "ref"),
        posting.BatchPayment(mandated[1][1], "5.00", "", "ref"),
    ]
    with pytest.raises(ValueError):
        posting.post_payments(db, clerk, broken, "bank")
    with db.write() as s:
        s.get(Account, mandated[1][1]).status = "closed"
    closing = [
        posting.BatchPayment(mandated[0][1], "5.00", "batch-test:a", "ref"),
        posting.BatchPayment(mandated[1][1], "5.00", "batch-test:b", "ref"),
    ]
    with pytest.raises(UserError):
        posting.post_payments(db, clerk, closing, "bank")
    assert len(_payments(db)) == 4  # the first of that batch is not posted either
    twice = [
        posting.BatchPayment(mandated[0][1], "1.00", "batch-test:c", "ref"),
        posting.BatchPayment(mandated[0][1], "2.00", "batch-test:d", "ref"),
    ]
    done = posting.post_payments(db, clerk, twice, "bank")  # the same account twice in one batch: the second sees the first
    assert [p.amount_fen for p in done] == [100, 200] and sum(a.principal_fen + a.late_fee_fen for a in done[1].allocations) == 200
    with db.read() as s:
        report = integrity.check(s, database=False)
    assert report.problems == []


def test_a_mandate_added_at_a_station_reaches_the_centre(sqlite_db, tmp_path):
    """Bank mandates are part of the customer file: one added at a station goes up in the bundle; one
    added (and one ended) at the centre for the station's customer comes down."""
    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import BankMandate, Station
    from app.services import auth
    from app.services.sync import core, manage

    centre = sqlite_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰", phone="13800000001"))
    aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address="幸福路1号"))
    other = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address="幸福路2号"))
    with centre.write() as s:
        s.add(Station(code="3501", name="北山站"))
    manage.assign_area(centre, cadmin, "3501", [cid])
    with centre.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3501"))
    auth.create_clerk(centre, cadmin, "sup", "站长", "super1234", "supervisor", "7001", station_id=sid)
    manage.provision(centre, cadmin, "3501", "北山站", tmp_path / "p.prov", "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")

    def mandates(db):
        with db.read() as s:
            return sorted((m.account_id, m.bank_account, m.end_date) for m in s.scalars(select(BankMandate)))

    try:
        upgrade(station.engine)
        manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
        sup = auth.login(station, "sup", "super1234")
        bc.add_mandate(station, sup, cid, bc.MandateInput(aid, "ICBC", "622202000000001234", "张三丰", "2026-01-01"))
        core.export_up(station, tmp_path / "up.cdsync")
        core.import_file(centre, tmp_path / "up.cdsync")
        assert mandates(centre) == mandates(station) == [(aid, "622202000000001234", None)]

        bc.add_mandate(centre, cadmin, cid, bc.MandateInput(other, "CCB", "622700000000005678", "张三丰", "2026-02-01"))
        core.export_down(centre, "3501", tmp_path / "down.cdsync")
        core.import_file(station, tmp_path / "down.cdsync")
        assert mandates(station) == mandates(centre) and len(mandates(station)) == 2
    finally:
        station.dispose()
