"""Payments core: allocation (hypothesis), one-transaction posting, idempotency, gap-free receipts under
concurrency, reversal, shift close arithmetic — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.kernel.errors import NotFound as NotFoundError
from app.kernel.errors import PermissionDenied, UserError, ValidationError
from app.models import Bill, Payment, PaymentAllocation
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting, queries
from app.services.payments.allocation import Owed, allocate

TODAY = date(2026, 11, 20)


@given(st.integers(0, 10_000_000), st.lists(st.tuples(st.integers(0, 50_000), st.integers(1, 5_000_000)), max_size=8))
def test_allocation_conserves_every_fen_oldest_first_nothing_negative(amount, bills_spec):
    owed = [Owed(uuid.uuid4(), fee, principal, D(100), principal) for fee, principal in bills_spec]
    result = allocate(amount, owed)
    total = sum(a.late_fee_fen + a.principal_fen + a.to_balance_fen for a in result)
    assert total == amount
    assert all(min(a.late_fee_fen, a.principal_fen, a.to_balance_fen) >= 0 for a in result)
    paid = {a.bill_id: a for a in result if a.bill_id}
    for i, o in enumerate(owed):  # a later bill gets money only when every earlier one is fully paid
        if o.bill_id in paid and i:
            for earlier in owed[:i]:
                e = paid.get(earlier.bill_id)
                assert e is not None and e.late_fee_fen == earlier.late_fee_fen and e.principal_fen == earlier.principal_fen
        a = paid.get(o.bill_id)
        if a and a.principal_fen:
            assert a.late_fee_fen == o.late_fee_fen  # late fee before principal of the same bill


@pytest.fixture
def owing(db, clerk):
    """An account with two unpaid bills: 2026-09 (53.80, due 10-20) and 2026-10 (107.60, due 11-19)."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1300")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10", today=date(2026, 11, 4))
    posting.open_shift(db, clerk, "200")
    return aid


def test_payment_without_open_shift_is_refused(db, supervisor, owing):
    with pytest.raises(UserError) as err:
        posting.post_payment(db, supervisor, owing, "10", "cash", "k1", "10", today=TODAY)
    assert "shift" in err.value.message


def test_full_payment_pays_oldest_late_fee_first_then_surplus_to_balance(db, clerk, owing):
    # 2026-09 bill: 53.80 principal, 31 late days to 11-20 -> 1.67 late fee; 2026-10: 107.60, 1 late day -> 0.11 -> 1.00 minimum
    owed = bills.account_arrears(db, owing, TODAY)
    assert [(o.principal_fen, o.late_fee_fen) for o in owed] == [(5380, 167), (10760, 100)]
    p = posting.post_payment(db, clerk, owing, "200", "cash", "key-1", "300", today=TODAY)
    assert p.receipt_no == "R-3301-2026-000001" and p.change_fen == 10000
    assert [(a.late_fee_fen, a.principal_fen, a.to_balance_fen) for a in p.allocations] == [(167, 5380, 0), (100, 10760, 0), (0, 0, 3593)]
    assert p.allocations[0].quantity == 100 and p.balance_after_fen == 3593
    with db.read() as s:
        assert sorted(s.scalars(select(Bill.status))) == ["paid", "paid"]
    assert bills.account_arrears(db, owing, TODAY) == []


def test_partial_payment_leaves_arrears_and_enter_twice_posts_once(db, clerk, owing):
    p1 = posting.post_payment(db, clerk, owing, "30", "qr", "same-key", reference="QR123", today=TODAY)
    p2 = posting.post_payment(db, clerk, owing, "30", "qr", "same-key", reference="QR123", today=TODAY)
    assert p2.duplicate and p2.receipt_no == p1.receipt_no
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
    left = bills.account_arrears(db, owing, TODAY)
    assert left[0].principal_fen == 5380 - (3000 - 167) and left[0].late_fee_fen == 0


@pytest.mark.parametrize(
    "amount, method, tendered, ref, field",
    [
        ("abc", "cash", "", "", "amount"),
        ("1.234", "cash", "", "", "amount"),
        ("0", "cash", "", "", "amount"),
        ("-5", "cash", "", "", "amount"),
        ("10000000.01", "cash", "", "", "amount"),
        ("50", "cash", "40", "", "tendered"),
        ("50", "card", "", "", "reference"),
        ("50", "cheque", "", "", "method"),
    ],
)
def test_bad_input_records_nothing(db, clerk, owing, amount, method, tendered, ref, field):
    with pytest.raises(ValidationError) as err:
        posting.post_payment(db, clerk, owing, amount, method, str(uuid.uuid4()), tendered, ref, today=TODAY)
    assert err.value.field == field
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0


def test_reversal_reopens_bills_and_cannot_repeat(db, clerk, supervisor, owing):
    p = posting.post_payment(db, clerk, owing, "200", "cash", "k", "200", today=TODAY)
    with pytest.raises(PermissionDenied):
        posting.reverse_payment(db, clerk, clerk, p.payment_id, "收错户", "r0")
    r = posting.reverse_payment(db, supervisor, clerk, p.payment_id, "收错户", "r1")
    assert r.amount_fen == -20000 and r.receipt_no == "R-3301-2026-000002" and r.balance_after_fen == 0
    assert [o.principal_fen for o in bills.account_arrears(db, owing, TODAY)] == [5380, 10760]
    with pytest.raises(UserError):
        posting.reverse_payment(db, supervisor, clerk, p.payment_id, "again", "r2")
    with pytest.raises(UserError):
        posting.reverse_payment(db, supervisor, clerk, r.payment_id, "reverse the reversal", "r3")
    with db.read() as s:
        assert s.scalar(select(func.sum(PaymentAllocation.principal_fen))) == 0
    with pytest.raises(UserError) as err:  # an older payment, with the same-day setting on
        q = posting.post_payment(db, clerk, owing, "5", "cash", "k2", "5", today=TODAY)
        posting.reverse_payment(db, supervisor, clerk, q.payment_id, "晚了", "r4", today=date(2030, 1, 1))
    assert "today" in err.value.message


def test_shift_close_blind_count_and_sign_off(db, clerk, supervisor, owing):
    posting.post_payment(db, clerk, owing, "100", "cash", "a", "100", today=TODAY)
    posting.post_payment(db, clerk, owing, "50", "card", "b", reference="T1", today=TODAY)
    result = posting.close_shift(db, clerk, {10000: 2, 5000: 1, 1000: 4, 10: 3}, {"card": "50"}, "少收3角")
    # expected cash = float 200 + 100 = 300.00; counted 200 + 50 + 40 + 0.30 = 290.30
    assert result.expected["cash"] == 30000 and result.counted["cash"] == 29030 and result.difference["cash"] == -970
    assert result.difference["card"] == 0
    with pytest.raises(UserError):
        posting.post_payment(db, clerk, owing, "1", "cash", "c", "1", today=TODAY)  # the shift is closed
    with pytest.raises(PermissionDenied):
        posting.sign_off(db, clerk, posting.current_shift(db, clerk) or uuid.uuid4())
    from app.models import Shift

    with db.read() as s:
        shift_id = s.scalar(select(Shift.id))
    posting.sign_off(db, supervisor, shift_id)


def test_concurrent_counters_get_gap_free_unique_receipts(db, clerk, supervisor, owing):
    posting.open_shift(db, supervisor, "0")
    errors = []

    def counter(actor, key):
        for i in range(15):
            try:
                posting.post_payment(db, actor, owing, "1", "cash", f"{key}-{i}", "1", today=TODAY)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=counter, args=(a, k)) for k, a in enumerate((clerk, supervisor, clerk, supervisor))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.read() as s:
        numbers = sorted(int(n.rsplit("-", 1)[1]) for n in s.scalars(select(Payment.receipt_no)))
    assert numbers == list(range(1, 61))


def test_receipt_pdf_on_every_paper(db, clerk, owing):
    from app.printing.payments.receipt import render_receipt
    from tests.pdfcheck import cjk_font_embedded, pdf_text

    p = posting.post_payment(db, clerk, owing, "200", "cash", "rk", "300", today=TODAY)
    doc = posting.receipt_document(db, p.payment_id)
    for paper in ("80mm", "58mm", "A5"):
        data = render_receipt(doc, paper)
        text = pdf_text(data)
        for needle in [
            "R-3301-2026-000001",
            "3301000001",
            "张*丰",
            "张丽",
            "2026-09",
            "1000→1100×1",
            "100kWh",
            "¥1.67",
            "¥53.80",
            "2026-10",
            "¥107.60",
            "¥35.93",
            "¥200.00",
            "贰佰元整",
            "现金",
            "¥300.00",
            "¥100.00",
            doc.verification,
        ]:
            assert needle in text, (paper, needle)
        assert cjk_font_embedded(data)


def test_a_bill_changed_after_it_was_read_fails_the_payment_whole(db, clerk, owing, monkeypatch):
    """The bills are written by id and the version they were read at: one changed in between (here by
    the same unit of work, as another counter's commit would) matches no row, and nothing is kept."""
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    real = posting.owed_in

    def read_then_changed(s, account, today, plain=False):
        owed = real(s, account, today, plain)
        s.execute(update(Bill).where(Bill.period == "2026-09").values(version=Bill.version + 1))
        return owed

    monkeypatch.setattr(posting, "owed_in", read_then_changed)
    with pytest.raises(StaleDataError):
        posting.post_payment(db, clerk, owing, "60", "cash", "stale", "60", today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
        assert set(s.scalars(select(Bill.paid_fen))) == {0} and set(s.scalars(select(Bill.version))) == {1}


def test_a_payment_over_more_bills_than_one_statement_takes_settles_them_all(db, clerk):
    """Nine open bills: more than the built statements take at once (posting._MAX_TOGETHER), so the ORM
    settles them; every bill is paid, oldest first, and the rest goes to the balance."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路20号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000009", initial_reading="0"))
    periods = [f"2026-{m:02d}" for m in range(1, 10)]
    for n, period in enumerate(periods, 1):
        readings.record_reading(db, clerk, mid, "total", period, str(100 * n))
        bills.issue_accounts(db, clerk, ["3301000001"], period, today=date(2026, n + 1, 1))
    arrears = bills.account_arrears(db, aid, TODAY)
    assert len(arrears) == 9 > posting._MAX_TOGETHER
    posting.open_shift(db, clerk, "0")
    owed = sum(a.principal_fen + a.late_fee_fen for a in arrears)
    p = posting.post_payment(db, clerk, aid, str(D(owed + 1000) / 100), "cash", "nine", today=TODAY)
    assert [a.bill_id is not None for a in p.allocations] == [True] * 9 + [False] and p.balance_after_fen == 1000
    with db.read() as s:
        assert set(s.scalars(select(Bill.status))) == {"paid"}
    assert bills.account_arrears(db, aid, TODAY) == []


def test_a_route_prints_each_bill_as_it_prints_alone(db, clerk, owing):
    """route_documents reads plain rows in bulk; bill_document reads one bill's objects: the same papers."""
    posting.post_payment(db, clerk, owing, "20", "cash", "part", "20", today=TODAY)  # the older bill partly paid
    with db.read() as s:
        ids = list(s.scalars(select(Bill.id).order_by(Bill.period)))
    route = list(bills.route_documents(db, ids, today=TODAY))
    alone = [bills.bill_document(db, bill_id, today=TODAY) for bill_id in ids]
    assert route == alone
    assert route[1].arrears > 0 and route[1].late_fee > 0 and route[0].paid == D("20.00") - D("1.67")  # its late fee paid first
    assert [len(d.lines) for d in route] == [len(d.lines) for d in alone] and all(d.lines and d.meters for d in route)


def test_receipt_document_reads_what_was_paid_oldest_first_and_the_reversed_number(db, clerk, supervisor, owing):
    part = posting.post_payment(db, clerk, owing, "60", "cash", "rd1", "60", today=TODAY)
    doc = posting.receipt_document(db, part.payment_id)
    assert (doc.receipt_no, doc.account_no, doc.account_name, doc.clerk, doc.reversal_of) == (
        "R-3301-2026-000001",
        "3301000001",
        "张*丰",
        "张丽",
        "",
    )
    first, second = doc.bills  # the older bill first, whole with its late fee, the rest on the newer
    assert (first.period, first.principal, first.late_fee, second.period) == ("2026-09", D("53.80"), D("1.67"), "2026-10")
    assert sum(b.late_fee + b.principal for b in doc.bills) == D("60.00") and doc.to_balance == 0
    assert first.readings == "1000→1100 ×1" and second.principal > 0
    assert doc.still_owed == D("161.40") - D("53.80") - second.principal  # both bills' charges less the principal paid
    rest = posting.post_payment(db, clerk, owing, "200", "cash", "rd2", "200", today=TODAY)
    doc = posting.receipt_document(db, rest.payment_id)
    assert [b.period for b in doc.bills] == ["2026-10"] and doc.to_balance > 0 and doc.still_owed == 0
    back = posting.reverse_payment(db, supervisor, clerk, part.payment_id, "收错户", "rd3")
    doc = posting.receipt_document(db, back.payment_id)
    assert doc.reversal_of == "R-3301-2026-000001" and doc.total == D("-60.00") and doc.still_owed == 0
    assert [(b.period, b.principal) for b in doc.bills] == [("2026-09", -first.principal), ("2026-10", -second.principal)]
    assert posting.receipt_document(db, rest.payment_id).still_owed == 0  # a reprint says what the first paper said
    with pytest.raises(NotFoundError):
        posting.receipt_document(db, uuid.uuid4())


@pytest.mark.parametrize("mode", ["text", "raster"])
def test_escpos_bytes(db, clerk, owing, mode):
    from escpos.printer import Dummy

    from app.printing.payments.escpos_backend import send_receipt

    p = posting.post_payment(db, clerk, owing, "200", "cash", "esc", "300", today=TODAY)
    doc = posting.receipt_document(db, p.payment_id)
    printer = Dummy()
    send_receipt(printer, doc, "58mm", mode)
    out = printer.output
    assert out.endswith(b"\x1dVA\x00") or b"\x1dV" in out[-8:]  # cut
    assert b"{BR-3301-2026-000001" in out  # the barcode scans back as the receipt number
    if mode == "text":
        text = out.decode("gb18030", errors="replace")
        assert "R-3301-2026-000001" in text and "¥200.00" in text and "贰佰元整" in text and "张*丰" in text
    else:
        assert b"\x1dv0" in out  # GS v 0: a raster bit image


def test_day_report_and_receipt_verification_by_command(db, clerk, supervisor, owing, tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import as_
    from tests.pdfcheck import pdf_text

    url = db.url
    assert main(["--db", url, "pay", *as_("zhangli"), "--account", "3301000001", "--amount", "100", "--tendered", "100", "--json"]) == 0
    import json

    paid = json.loads(capsys.readouterr().out)
    assert main(["--db", url, "receipt", "verify", paid["receipt_no"], paid["verification"]]) == 0
    assert main(["--db", url, "receipt", "verify", paid["receipt_no"], "BADC0DE1"]) == 1
    posting.close_shift(db, clerk, {10000: 3}, {}, "")
    out = tmp_path / "day.pdf"
    from datetime import timedelta

    from app.models import utcnow

    today = (utcnow() + timedelta(hours=8)).date().isoformat()
    assert main(["--db", url, "shift", "report", *as_("wangqiang"), "--day", today, "--out", str(out)]) == 0
    text = pdf_text(out.read_bytes())
    assert "张丽" in text and "现金¥300.00¥300.00¥0.00" in text and "收费1笔，冲正0笔" in text  # float 200 + payment 100


def _local_year() -> int:
    from datetime import timedelta

    from app.models import utcnow

    return (utcnow() + timedelta(hours=8)).year


def test_receipt_register_newest_first_with_void_receipts_found_by_number_account_and_date(db, clerk, supervisor, owing):
    from datetime import timedelta

    from app.models import Account, utcnow
    from app.services.payments import queries

    y = _local_year()
    a = posting.post_payment(db, clerk, owing, "100", "cash", "ra", "100")
    posting.post_payment(db, clerk, owing, "50", "card", "rb", reference="T1")
    other_customer = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    other = cs.create_account(db, clerk, other_customer, cs.AccountInput(supply_address="幸福路20号", tariff_code="ZJ-RES-Y"))
    c = posting.post_payment(db, clerk, other, "20", "qr", "rc", reference="Q1")
    r = posting.reverse_payment(db, supervisor, clerk, a.payment_id, "收错户", "rr")
    queries.mark_printed(db, clerk, c.payment_id)

    rows = queries.register(db, clerk)
    assert [x.receipt_no for x in rows] == [f"R-3301-{y}-00000{n}" for n in (4, 3, 2, 1)]  # gap-free, newest first, void ones kept
    by_no = {x.receipt_no: x for x in rows}
    assert by_no[a.receipt_no].reversed and by_no[r.receipt_no].kind == "reversal" and by_no[r.receipt_no].amount_fen == -10000
    assert by_no[c.receipt_no].printed and by_no[c.receipt_no].print_count == 1 and not by_no[a.receipt_no].printed
    assert {x.customer_name for x in rows} == {"张*丰", "李*"}  # masked on the screen list

    assert [x.receipt_no for x in queries.register(db, clerk, c.receipt_no.lower())] == [c.receipt_no]  # a typed or scanned number
    assert [x.receipt_no for x in queries.register(db, clerk, " 2 ")] == [f"R-3301-{y}-000002"]  # the sequence alone
    assert [x.receipt_no for x in queries.register(db, clerk, "3301000001")] == [r.receipt_no, f"R-3301-{y}-000002", a.receipt_no]
    with db.read() as s:
        other_no = s.scalar(select(Account.account_no).where(Account.id == other))
    assert [x.receipt_no for x in queries.register(db, clerk, other_no)] == [c.receipt_no]
    today = (utcnow() + timedelta(hours=8)).date()
    assert len(queries.register(db, clerk, today.isoformat())) == 4
    assert queries.register(db, clerk, (today - timedelta(days=1)).isoformat()) == []
    assert queries.register(db, clerk, "R-3301-1999-000001") == [] and queries.register(db, clerk, "nobody") == []
    assert [x.receipt_no for x in queries.register(db, clerk, limit=2)] == [r.receipt_no, c.receipt_no]


def test_shifts_for_review_sign_off_and_the_shift_report_pdf(db, clerk, supervisor, owing, tmp_path, _data_dir):
    from app.cli import main
    from app.printing.payments.reports import render_shift_report
    from app.services.payments import queries
    from tests.cliauth import as_
    from tests.pdfcheck import cjk_font_embedded, pdf_text

    y = _local_year()
    posting.post_payment(db, clerk, owing, "100", "cash", "a", "100")
    posting.post_payment(db, clerk, owing, "50", "card", "b", reference="T1")
    wrong = posting.post_payment(db, clerk, owing, "20", "cash", "c", "20")
    posting.reverse_payment(db, supervisor, clerk, wrong.payment_id, "收错户", "r")
    assert queries.shifts_for_review(db, supervisor) == []  # still open: nothing to sign off
    open_report = queries.shift_report(db, supervisor, queries.newest_shift_of(db, supervisor, "zhangli"))
    assert open_report.status == "open" and open_report.expected["cash"] == 30000 and open_report.counted == {}
    posting.close_shift(db, clerk, {10000: 2, 5000: 1, 1000: 4, 10: 3}, {"card": "50"}, "少收3角")

    [row] = queries.shifts_for_review(db, clerk)
    assert (row.clerk_name, row.status, row.payments, row.reversals, row.note) == ("张丽", "closed", 3, 1, "少收3角")
    assert (
        row.expected["cash"] == 30000
        and row.counted["cash"] == 29030
        and row.difference == {"cash": -970, "card": 0, "qr": 0, "transfer": 0, "bank": 0}
    )
    assert row.cash_pieces == {10000: 2, 5000: 1, 2000: 0, 1000: 4, 500: 0, 100: 0, 50: 0, 10: 3, 5: 0, 2: 0, 1: 0}
    with pytest.raises(PermissionDenied):
        posting.sign_off(db, clerk, row.id)
    posting.sign_off(db, supervisor, row.id)
    assert queries.shifts_for_review(db, clerk) == []
    [signed] = queries.shifts_for_review(db, clerk, signed_within_days=7)
    assert signed.status == "signed_off" and signed.signed_off_by == "王强"

    data = render_shift_report(queries.shift_report(db, clerk, row.id))
    text = pdf_text(data)
    for needle in [
        "城东营业厅",
        "交班报表",
        "张丽(1001)",
        "¥200.00",  # float
        "现金¥300.00¥290.30-¥9.70",
        "银行卡¥50.00¥50.00¥0.00",  # expected, counted, difference
        "¥100.002¥200.00",
        "¥50.001¥50.00",
        "¥20.000¥0.00",
        "¥10.004¥40.00",
        "¥0.103¥0.30",
        "¥290.30",  # cash by denomination
        f"收费3¥170.00R-3301-{y}-000001–R-3301-{y}-000003",
        "冲正1-¥20.00",
        f"R-3301-{y}-000004冲正R-3301-{y}-000003：收错户",
        "少收3角",
        "王强",
    ]:
        assert needle in text, needle
    assert cjk_font_embedded(data)

    out = tmp_path / "shift.pdf"
    assert main(["--db", db.url, "shift", "report", *as_("wangqiang"), "--shift-of", "zhangli", "--out", str(out)]) == 0
    assert "现金¥300.00¥290.30-¥9.70" in pdf_text(out.read_bytes())
    assert main(["--db", db.url, "shift", "report", *as_("wangqiang"), "--shift-of", "zhangli", "--out", str(out), "--force"]) == 0
    archived = {p.name for p in (_data_dir / "archive" / "shift").rglob("*.pdf")}
    first = next(n for n in archived if not n.endswith("-reprint-1.pdf"))
    assert first.startswith("3301-") and first.endswith("-1001.pdf") and archived == {first, first.replace(".pdf", "-reprint-1.pdf")}
    assert "重打（第1次）" in pdf_text(out.read_bytes())
    assert main(["--db", db.url, "shift", "report", *as_("wangqiang"), "--shift-of", "nobody", "--out", str(out)]) != 0


def test_a_supervisors_own_shift_is_signed_off_by_another_supervisor(db, admin, supervisor, owing):
    from app.services import auth

    posting.open_shift(db, supervisor, "100")
    posting.post_payment(db, supervisor, owing, "10", "cash", "s1", "10", today=TODAY)
    posting.close_shift(db, supervisor, {10000: 1, 1000: 1}, {}, "")
    own = next(r for r in queries.shifts_for_review(db, supervisor) if r.clerk_id == supervisor.clerk_id)
    with pytest.raises(PermissionDenied) as err:
        posting.sign_off(db, supervisor, own.id)
    assert "another supervisor" in err.value.message
    assert next(r for r in queries.shifts_for_review(db, supervisor) if r.id == own.id).status == "closed"
    auth.create_clerk(db, admin, "lihua", "李华", "super456", "supervisor", "2002")
    posting.sign_off(db, auth.get_actor(db, "lihua"), own.id)
    assert all(r.id != own.id for r in queries.shifts_for_review(db, supervisor))
