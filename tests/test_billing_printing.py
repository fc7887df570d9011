"""Printing many bills: counted as printed, archived per volume, split into volumes, cancellable."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.kernel.errors import UserError
from app.models import AuditEntry, Bill
from app.services import customers as cs
from app.services.billing import bills, readings
from tests.test_billing_bills import home, read  # noqa: F401  (the fixture and helper of the billing tests)


def bill_prints(s) -> list[int]:
    """Every bill's print count (document_prints), in bill-number order."""
    from app.services import documents

    nos = list(s.scalars(select(Bill.bill_no).order_by(Bill.bill_no)))
    counted = documents.copies_in(s, "bill", nos)
    return [counted.get(no, 0) for no in nos]


def test_print_bills_counts_archives_and_splits_volumes(db, clerk, home, _data_dir):
    from tests.pdfcheck import pdf_pages

    nos = [home["account_no"]]
    for i in range(2, 6):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"客户{i}"))
        aid = cs.create_account(
            db, clerk, cid, cs.AccountInput(supply_address=f"{i}号", reading_route="R1", route_order=str(i), tariff_code="ZJ-RES-Y")
        )
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"33019900001{i}", initial_reading="0"))
        readings.record_reading(db, clerk, mid, "total", "2026-01", "100")
        nos.append(f"330100000{i}")
    read(db, clerk, home, "2026-01", "1100")
    issued = bills.issue_route(db, clerk, "R1", "2026-01", today=date(2026, 2, 1))
    assert issued.issued == [f"B{no}20260101" for no in nos] and len(issued.bill_ids) == 5
    bills.mark_printed(db, clerk, issued.bill_ids[3])  # one was printed at the counter already
    seen = []
    out = _data_dir.parent / "route.pdf"
    result = bills.print_bills(db, clerk, issued.bill_ids, out, label="R1-2026-01", progress=seen.append, volume=2, chunk=1)
    assert result.count == 5 and result.reprints == 1 and seen[-1] == 5
    assert [f.name for f in result.files] == ["route-v001.pdf", "route-v002.pdf", "route-v003.pdf"]
    assert [len(pdf_pages(f.read_bytes())) for f in result.files] == [2, 2, 1]
    assert [a.read_bytes() for a in result.archived] == [f.read_bytes() for f in result.files]
    assert [a.name.rsplit("_", 1)[1] for a in result.archived] == ["v001.pdf", "v002.pdf", "v003.pdf"]
    assert "重打" in pdf_pages(result.files[1].read_bytes())[1] and "重打" not in pdf_pages(result.files[1].read_bytes())[0]
    with db.read() as s:
        assert bill_prints(s) == [1, 1, 1, 2, 1]
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "bill", AuditEntry.action.in_(("print", "reprint"))).order_by(AuditEntry.seq)
        ).all()
        assert [e.action for e in entries] == ["print", "print", "print", "print", "reprint", "print"]
        assert result.archived[2].name in entries[-1].after
    from app.services import audit as audit_log

    with db.read() as s:
        assert audit_log.verify(s).ok
    with pytest.raises(UserError):
        bills.print_bills(db, clerk, [], out)


def test_a_route_is_read_by_the_workers_in_the_words_asked_for_as_one_process_reads_it(db, clerk, home, _data_dir):
    """print_bills hands the workers bill ids and a RouteLoader: they read the bills themselves, in the
    caller's words, and print what route_documents reads in this process."""
    from app.printing.billing.bill_pdf import render_many
    from app.printing.labels import identity
    from tests.pdfcheck import pdf_pages

    read(db, clerk, home, "2026-01", "1100")
    read(db, clerk, home, "2026-02", "1250")
    ids = [bills.issue_accounts(db, clerk, [home["account_no"]], p).bill_ids[0] for p in ("2026-01", "2026-02")]
    here = pdf_pages(render_many(list(bills.route_documents(db, ids, today=date(2026, 3, 20), tr=identity)), "A5", identity))
    out = _data_dir.parent / "en.pdf"
    result = bills.print_bills(db, clerk, ids, out, tr=identity, chunk=1, workers=2, today=date(2026, 3, 20))
    pages = pdf_pages(result.files[0].read_bytes())
    assert len(pages) == 2 and "Tier 1" in pages[0] and "第一档" not in pages[0] + pages[1]  # the item labels, from the worker
    assert pages == here  # read before they were counted as printed: no reprint mark on either
    assert "Arrears brought forward" in pages[1]  # the older bill, unpaid, read by the worker as owed
    with db.read() as s:
        assert bill_prints(s) == [1, 1]


def test_cancelled_route_print_counts_only_what_was_written(db, clerk, home, _data_dir):
    read(db, clerk, home, "2026-01", "1100")
    for i in (2, 3, 4):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"客户{i}"))
        aid = cs.create_account(
            db, clerk, cid, cs.AccountInput(supply_address=f"{i}号", reading_route="R1", route_order=str(i), tariff_code="ZJ-RES-Y")
        )
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"330199000010{i}", initial_reading="0"))
        readings.record_reading(db, clerk, mid, "total", "2026-01", "100")
    issued = bills.issue_route(db, clerk, "R1", "2026-01")
    stop = []
    # one worker, two chunks in flight: the first finished chunk says stop, the one in flight is kept
    result = bills.print_bills(
        db, clerk, issued.bill_ids, _data_dir.parent / "r.pdf", chunk=1, workers=1, progress=stop.append, cancelled=lambda: bool(stop)
    )
    assert result.cancelled and result.count == 2 and len(result.archived) == 1
    from tests.pdfcheck import pdf_pages

    assert len(pdf_pages(result.files[0].read_bytes())) == 2
    with db.read() as s:
        assert bill_prints(s) == [1, 1, 0, 0]
