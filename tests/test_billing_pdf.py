"""Route printing: chunks rendered by worker processes, joined into one file or into volumes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.printing.billing.bill_pdf import BillDocument, MeterRow, PrintedLine, render_bill, render_many, render_route
from tests.pdfcheck import cjk_font_embedded, pdf_pages, pdf_text


def _doc(i: int) -> BillDocument:
    return BillDocument(
        company="示范供电公司",
        hall="城东营业厅",
        hall_phone="95598",
        bill_no=f"B{i:010d}",
        account_no=f"{3301000000 + i}",
        account_name="张*丰",
        supply_address="幸福路",
        period="2026-10",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        tariff="SD-RES-M",
        unit="kWh",
        meters=[MeterRow("3301990000001", "total", D(100), D(200), D(1), D(100))],
        lines=[PrintedLine("第一档", D(100), D("0.5469"), D("54.69"))],
        amount=D("54.69"),
        total_due=D("54.69"),
        due_date=date(2026, 11, 20),
    )


def test_route_in_one_file_keeps_order(tmp_path):
    out = render_route((_doc(i) for i in range(7)), tmp_path / "r.pdf", chunk=2, workers=2)
    assert out.count == 7 and out.files == [tmp_path / "r.pdf"]
    pages = pdf_pages((tmp_path / "r.pdf").read_bytes())
    assert [p.split("户号：")[1][:10] if "户号：" in p else p for p in pages] == [f"{3301000000 + i}" for i in range(7)]


def test_route_is_printed_in_the_language_asked_for(tmp_path):
    """The workers load no Qt translations: the words the caller's `tr` gives are fixed for them."""
    from app.printing.labels import identity

    render_route((_doc(i) for i in range(3)), tmp_path / "en.pdf", chunk=1, workers=2, tr=identity)
    english = pdf_text((tmp_path / "en.pdf").read_bytes())
    render_route((_doc(i) for i in range(3)), tmp_path / "zh.pdf", chunk=1, workers=2)
    chinese = pdf_text((tmp_path / "zh.pdf").read_bytes())
    assert "Account" in english and "户号" not in english
    assert "户号" in chinese and "Account" not in chinese


def test_large_route_is_split_into_volumes(tmp_path):
    out = render_route((_doc(i) for i in range(9)), tmp_path / "r.pdf", chunk=2, workers=2, volume=4)
    assert out.count == 9 and [f.name for f in out.files] == ["r-v001.pdf", "r-v002.pdf", "r-v003.pdf"]
    assert [len(pdf_pages(f.read_bytes())) for f in out.files] == [4, 4, 1]


def _frozen_objects() -> int:
    import gc

    return gc.get_freeze_count()


def test_printing_workers_leave_what_they_inherited_out_of_garbage_collection(tmp_path):
    """A forked worker's copy of its parent's objects is frozen (gc.freeze): rendering's collections
    never walk them (a tenth of a page's time after issuing a month in the same process)."""
    from app.printing import parallel

    inherited = [[i] for i in range(50_000)]  # a parent holding many objects
    with parallel.pool(2, tmp_path, "fork") as pool:
        frozen = pool.submit(_frozen_objects).result()
    assert frozen >= len(inherited)


def _varied_doc(i: int) -> BillDocument:
    """Bills that differ in length: water or electricity, one to three meters, with or without arrears."""
    meters = [MeterRow(f"33019900{i:05d}", reg, D(100 + i), D(200 + i), D(1), D(100)) for reg in ("total", "peak", "valley")[: 1 + i % 3]]
    return BillDocument(
        **{
            **_doc(i).__dict__,
            "unit": "m3" if i % 4 == 0 else "kWh",
            "meters": meters,
            "arrears": D(i % 5),
            "reprint": 1 if i % 7 == 0 else 0,
        }
    )


def test_a_route_rendered_on_every_core_has_every_bill_in_order_as_one_process_prints_it(tmp_path):
    """Small chunks on two workers, joined into volumes: every page is the same text, in the same
    order, as the whole route rendered in one process into one PDF."""
    docs = [_varied_doc(i) for i in range(23)]
    volumes: list[list[str]] = []
    out = render_route(
        iter(docs),
        tmp_path / "r.pdf",
        chunk=3,
        workers=2,
        volume=9,
        on_volume=lambda files, bills: volumes.append([b.bill_no for b in bills]),
    )
    assert out.count == 23 and [f.name for f in out.files] == ["r-v001.pdf", "r-v002.pdf", "r-v003.pdf"]
    pages = [page for f in out.files for page in pdf_pages(f.read_bytes())]
    assert [p.split("账单号：")[1][:11] for p in pages] == [d.bill_no for d in docs]
    assert [no for v in volumes for no in v] == [d.bill_no for d in docs]
    assert pages == pdf_pages(render_many(docs, "A5"))
    assert all(cjk_font_embedded(f.read_bytes()) for f in out.files)


def _full_doc(reprint: int = 0) -> BillDocument:
    # Hand-computed from docs/TARIFFS.md: ZJ-RES-Y, ytd 2700, usage 200 -> 32.28 + 82.32 = 114.60.
    return BillDocument(
        company="示范供电公司",
        hall="城东营业厅",
        hall_phone="0571-88886666",
        bill_no="B3301202611000123",
        account_no="3301000456",
        account_name="欧阳*锋",
        supply_address="浙江省杭州市临安区锦城街道幸福路一百二十八号望湖花园小区东区十七幢二单元一千二百零三室",
        period="2026-10",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        tariff="ZJ-RES-Y",
        unit="kWh",
        meters=[MeterRow("3301990000001", "total", D("12345.6"), D("12350.6"), D(40), D(200))],
        lines=[PrintedLine("第一档", D(60), D("0.538"), D("32.28")), PrintedLine("第二档", D(140), D("0.588"), D("82.32"))],
        amount=D("114.60"),
        arrears=D("50.00"),
        late_fee=D("1.00"),
        prepaid_used=D("20.00"),
        total_due=D("145.60"),
        due_date=date(2026, 11, 20),
        issue_date=date(2026, 11, 5),
        ytd_before=D(2700),
        reprint=reprint,
    )


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_bill_shows_every_number_behind_the_money(paper):
    data = render_bill(_full_doc(), paper)
    text = pdf_text(data)
    for piece in [
        "示范供电公司",
        "3301000456",
        "B3301202611000123",
        "欧阳*锋",
        "望湖花园小区东区十七幢二单元一千二百零三室",
        "3301990000001",
        "12345.6",
        "12350.6",
        "第一档",
        "0.538",
        "32.28",
        "第二档",
        "0.588",
        "82.32",
        "¥114.60",
        "¥50.00",
        "¥1.00",
        "-¥20.00",
        "应缴合计：¥145.60",
        "壹佰肆拾伍元陆角整",
        "2026-11-20",
        "0571-88886666",
    ]:
        assert piece in text, piece
    assert "重打" not in text
    assert cjk_font_embedded(data)
    assert len(pdf_pages(data)) == 1


def test_reprint_is_marked_with_its_count():
    text = pdf_text(render_bill(_full_doc(reprint=2), "A5"))
    assert "重打" in text and "2" in text.split("重打")[1][:4]


def test_a_water_bill_names_water_not_electricity(db, clerk):
    from app.services import customers as cs
    from app.services.billing import bills, readings, tariffs

    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="赵六"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(service="water", supply_address="锦城街道1号", tariff_code="LA-WATER-RES"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301880000001", initial_reading="0"))
    readings.record_reading(db, clerk, mid, "total", "2026-01", "20")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-01")
    doc = bills.bill_document(db, bills.find_bill(db, "B330100000120260101"))
    text = pdf_text(render_bill(doc, "A5"))
    assert "水费账单" in text and "用水地址：锦城街道1号" in text and "用水量（m3）" in text
    assert (
        "水价：居民生活用水（年阶梯）" in text
        and "LA-WATER-RES" not in text
        and "用电" not in text
        and "电费" not in text
        and "电价" not in text
    )
    electric = pdf_text(render_bill(BillDocument(**{**doc.__dict__, "unit": "kWh"}), "A5"))
    assert (
        "用电地址" in electric
        and "用电量（kWh）" in electric
        and "电价：居民生活用水（年阶梯）" in electric
        and "用水地址" not in electric
        and "用水量" not in electric
    )
