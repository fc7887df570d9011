"""The print protocol (app.services.documents) and what printed documents say.

Prepare takes the copy number from the database; a print is counted and audited once, and only after
it went out; a failed delivery counts nothing; the shift report's copy number is the database's, not
the files of one machine's archive; the work-order receipt is counted after it is rendered. Then the
receipt's content (still owed, card/QR reference, the clerk's staff number, whole kWh) and the bill's
(tariff name, year-to-date tier position, units). Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.kernel.errors import UserError
from app.models import AuditEntry
from app.printing.payments.output import PrinterProblem
from app.services import documents
from app.services.payments import posting, queries
from tests.pdfcheck import pdf_text
from tests.test_billing_bills import home, read  # noqa: F401  (the billing tests' fixture and helper)
from tests.test_payments_printing import RECEIPT, _owing_account, paid  # noqa: F401  (the fixture of the printing tests)


def _prints(db, entity: str) -> list[tuple[str, str]]:
    """(action, after) of the print and reprint audit entries of `entity`, oldest first."""
    with db.read() as s:
        return [
            (e.action, e.after)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.action.in_(("print", "reprint"))).order_by(AuditEntry.seq)
            )
        ]


def test_a_print_is_counted_once_and_only_after_it_went_out(db, clerk, paid, tmp_path, _data_dir):
    first = documents.prepare(db, clerk, "receipt", paid, "80mm")
    assert first.copy == 0 and first.number == RECEIPT and first.archived.is_file()
    assert queries.next_print(db, paid) == 0 and _prints(db, "payment") == []  # prepared and archived, not counted
    documents.deliver(first, documents.Delivery("pdf", file=tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes() == first.pdf and queries.next_print(db, paid) == 0
    assert documents.mark_printed(db, clerk, first) == 1
    assert queries.next_print(db, paid) == 1 and [a for a, _ in _prints(db, "payment")] == ["print"]
    assert queries.unprinted(db, clerk) == []  # out of the unprinted queue

    again = documents.prepare(db, clerk, "receipt", paid, "58mm")
    assert again.copy == 1 and "重打" in pdf_text(again.pdf) and again.archived.name == f"{RECEIPT}-reprint-1.pdf"
    with pytest.raises(PrinterProblem):  # the printer is off: nothing is counted or audited
        documents.deliver(again, documents.Delivery("escpos", device=str(tmp_path / "no-printer")))
    with pytest.raises((OSError, UserError)):  # the file cannot be written: the same
        documents.deliver(again, documents.Delivery("pdf", file=tmp_path / "no-folder" / "r.pdf"))
    assert queries.next_print(db, paid) == 1 and len(_prints(db, "payment")) == 1
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    documents.deliver(again, documents.Delivery("escpos", device=str(device)))
    assert device.stat().st_size > 0
    assert documents.mark_printed(db, clerk, again) == 2
    entries = _prints(db, "payment")
    assert [a for a, _ in entries] == ["print", "reprint"] and '"reprint":1' in entries[1][1] and '"delivered":"escpos"' in entries[1][1]
    assert next(r for r in queries.register(db, clerk, RECEIPT)).print_count == 2


def test_print_document_leaves_a_failed_receipt_unprinted(db, clerk, paid, tmp_path):
    from app.services.payments import receipt_output
    from app.services.payments.printer_settings import ReceiptPrinter

    with pytest.raises(PrinterProblem):
        receipt_output.print_receipt(db, clerk, paid, ReceiptPrinter("escpos", "80mm", str(tmp_path / "gone"), "text"))
    assert [p.receipt_no for p in queries.unprinted(db, clerk)] == [RECEIPT] and documents.copies(db, "receipt", RECEIPT) == 0
    job = receipt_output.print_receipt(db, clerk, paid, ReceiptPrinter("pdf", "58mm"), file=tmp_path / "out.pdf")
    assert job.copy == 0 and (tmp_path / "out.pdf").is_file() and queries.unprinted(db, clerk) == []


def test_shift_report_copies_come_from_the_database_and_are_audited(db, clerk, paid, tmp_path, _data_dir):
    shift_id = queries.newest_shift_of(db, clerk, "zhangli")
    first = documents.prepare(db, clerk, "shift", shift_id)
    assert first.copy == 0 and "重打" not in pdf_text(first.pdf)
    documents.deliver(first, documents.Delivery("pdf", file=tmp_path / "shift.pdf"))
    documents.mark_printed(db, clerk, first)
    assert [a for a, _ in _prints(db, "shift")] == ["print"] and f'"number":"{first.number}"' in _prints(db, "shift")[0][1]
    # Another counter of the hall (its own archive folder, the same database) prints it next: a reprint.
    shutil.rmtree(_data_dir / "archive")
    second = documents.prepare(db, clerk, "shift", shift_id)
    assert second.copy == 1 and "重打" in pdf_text(second.pdf)
    documents.mark_printed(db, clerk, second)
    assert [a for a, _ in _prints(db, "shift")] == ["print", "reprint"]
    assert documents.copies(db, "shift", first.number) == 2


def test_day_report_is_counted_and_audited(db, clerk, supervisor, paid, tmp_path):
    from app.kernel.localtime import local_today

    job = documents.print_document(db, supervisor, "day", local_today(), documents.Delivery("pdf", file=tmp_path / "day.pdf"))
    assert job.number == f"3301-{local_today().isoformat()}" and (tmp_path / "day.pdf").read_bytes() == job.pdf
    assert [a for a, _ in _prints(db, "day_report")] == ["print"]
    assert documents.prepare(db, supervisor, "day", local_today()).copy == 1


def test_work_order_receipt_is_counted_after_it_is_rendered(db, clerk, monkeypatch):
    from app.services import customers as cs
    from app.services.handling import matters as mt
    from tests.test_handling_matters import reg

    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13900001234"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1"))
    r = reg(db, clerk, (cid, aid))
    kind = documents.KINDS["matter"]

    def broken(doc, paper, tr):
        raise RuntimeError("renderer failed")

    monkeypatch.setitem(documents.KINDS, "matter", documents.Kind(**{**kind.__dict__, "render": broken}))
    with pytest.raises(RuntimeError):
        mt.print_receipt(db, clerk, r.matter_id)
    assert documents.copies(db, "matter", "W-3301-2026-000001") == 0 and _prints(db, "matter") == []  # not rendered: not counted
    monkeypatch.setitem(documents.KINDS, "matter", kind)
    data, path = mt.print_receipt(db, clerk, r.matter_id)
    assert "W-3301-2026-000001" in pdf_text(data) and path.endswith("W-3301-2026-000001.pdf")
    assert documents.copies(db, "matter", "W-3301-2026-000001") == 1 and [a for a, _ in _prints(db, "matter")] == ["print"]


# ------------------------------------------------------------------ what the receipt says


def test_receipt_says_still_owed_reference_staff_number_and_whole_kwh(db, clerk):
    aid = _owing_account(db, clerk)  # one bill of 180 kWh, ¥96.84
    part = posting.post_payment(db, clerk, aid, "30", "card", "part-1", "", "POS-889911", today=date(2026, 11, 20))
    doc = posting.receipt_document(db, part.payment_id)
    text = pdf_text(documents.prepare(db, clerk, "receipt", part.payment_id, "80mm").pdf)
    assert "张丽(1001)" in text and "(3301)" not in text  # the clerk's staff number, not the station code
    assert "POS-889911" in text and ("参考号" in text or "Reference" in text)  # the card slip's reference
    assert doc.still_owed == Decimal("66.84") and "¥66.84" in text  # ¥96.84 less the ¥30.00 paid
    assert "尚欠" in text or "Stillowed" in text
    assert doc.bills[0].quantity != doc.bills[0].quantity.to_integral_value()  # the share of a part payment is fractional
    line = doc.bills[0]
    from app.printing.payments.receipt import quantity_text

    assert f"{quantity_text(line.quantity)}kWh" in text and f"{line.quantity}kWh" not in text  # whole kWh as on the bill
    rest = posting.post_payment(db, clerk, aid, "66.84", "qr", "part-2", "", "WX20261120", today=date(2026, 11, 20))
    text = pdf_text(documents.prepare(db, clerk, "receipt", rest.payment_id, "58mm").pdf)
    assert "WX20261120" in text and "尚欠" not in text and "Stillowed" not in text  # paid up: no such line
    # A reprint of the first receipt still says what was owed then.
    assert "尚欠" in pdf_text(documents.prepare(db, clerk, "receipt", part.payment_id, "58mm").pdf)


# ------------------------------------------------------------------ what the bill says


def test_bill_names_its_tariff_the_year_to_date_tier_position_and_units(db, clerk, home):
    from app.services.billing import bills

    read(db, clerk, home, "2026-01", "3000")  # 2,000 kWh
    bills.issue_accounts(db, clerk, [home["account_no"]], "2026-01", today=date(2026, 2, 1))
    read(db, clerk, home, "2026-02", "3600")  # 600 kWh more: 2,600 of the year's first 2,760
    bills.issue_accounts(db, clerk, [home["account_no"]], "2026-02", today=date(2026, 3, 1))
    feb = bills.find_bill(db, "B330100000120260201")
    doc = bills.bill_document(db, feb)
    assert doc.tariff == "居民生活用电（一户一表，年阶梯）" and doc.tier_bounds == (2760, 4800) and doc.ytd_after == 2600
    for paper in ("A4", "A5"):
        text = pdf_text(documents.prepare(db, clerk, "bill", feb, paper).pdf)
        assert "居民生活用电（一户一表，年阶梯）" in text and "ZJ-RES-Y" not in text, paper
        assert "年累计：2600kWh" in text and "第一档剩余：160kWh" in text, paper
        assert "电量（kWh）" in text and "单价（元/kWh）" in text and "金额（元）" in text, paper
    read(db, clerk, home, "2026-03", "4000")  # 400 more: 3,000, into the second tier
    bills.issue_accounts(db, clerk, [home["account_no"]], "2026-03", today=date(2026, 4, 1))
    text = pdf_text(documents.prepare(db, clerk, "bill", bills.find_bill(db, "B330100000120260301"), "A5").pdf)
    assert "年累计：3000kWh" in text and "第二档剩余：1800kWh" in text
