"""Route printing: chunks rendered by worker processes, joined into one file or into volumes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from app.printing.billing.bill_pdf import BillDocument, MeterRow, PrintedLine, render_route
from tests.pdfcheck import pdf_pages


def _doc(i: int) -> BillDocument:
    return BillDocument(company="示范供电公司", hall="城东营业厅", hall_phone="95598", bill_no=f"B{i:010d}", account_no=f"{3301000000 + i}",
                        account_name="张*丰", supply_address="幸福路", period="2026-10", period_start=date(2026, 10, 1),
                        period_end=date(2026, 10, 31), tariff="SD-RES-M", unit="kWh",
                        meters=[MeterRow("3301990000001", "total", D(100), D(200), D(1), D(100))],
                        lines=[PrintedLine("第一档", D(100), D("0.5469"), D("54.69"))], amount=D("54.69"), total_due=D("54.69"),
                        due_date=date(2026, 11, 20))


def test_route_in_one_file_keeps_order(tmp_path):
    out = render_route((_doc(i) for i in range(7)), tmp_path / "r.pdf", chunk=2, workers=2)
    assert out.count == 7 and out.files == [tmp_path / "r.pdf"]
    pages = pdf_pages((tmp_path / "r.pdf").read_bytes())
    assert [p.split("户号：")[1][:10] if "户号：" in p else p for p in pages] == [f"{3301000000 + i}" for i in range(7)]


def test_large_route_is_split_into_volumes(tmp_path):
    out = render_route((_doc(i) for i in range(9)), tmp_path / "r.pdf", chunk=2, workers=2, volume=4)
    assert out.count == 9 and [f.name for f in out.files] == ["r-v001.pdf", "r-v002.pdf", "r-v003.pdf"]
    assert [len(pdf_pages(f.read_bytes())) for f in out.files] == [4, 4, 1]
