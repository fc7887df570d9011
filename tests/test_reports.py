"""Reports: every figure of a small store built by hand, checked against what was entered; totals
equal the sums of the rows for any store (hypothesis); clerks are refused. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.kernel.errors import PermissionDenied, ValidationError
from app.kernel.localtime import local_today
from app.services import customers as cs
from app.services import reports
from app.services.billing import bills, readings, tariffs
from app.services.handling import matters
from app.services.payments import posting
from app.services.reports import Filters
from app.services.reports.finance import bucket_of

TODAY = local_today()


@pytest.fixture
def store(db, clerk, supervisor):
    return build_store(db, clerk, supervisor)


def build_store(db, clerk, supervisor):
    """Two residential accounts on ZJ-RES-Y (0.538/kWh in tier 1):
    A 3301000001, route R01: 2026-09 100 kWh = 53.80 (due 10-20), 2026-10 200 kWh = 107.60 (due 11-19);
    B 3301000002, route R02: 2026-09 50 kWh = 26.90, 2026-10 550 kWh = 295.90 (same due dates).
    Today: A pays 100.00 cash (no late fees counted: paid 'on' 10-10), B pays 30.00 by QR and that
    payment is reversed."""
    tariffs.ensure_default_tariffs(db)
    ids = {}
    for name, route, first, second, meter in (
        ("张三丰", "R01", "1100", "1300", "3301990000001"),
        ("李四", "R02", "50", "600", "3301990000002"),
    ):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=name, phone="13812345678"))
        aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", reading_route=route))
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=meter, initial_reading="1000" if route == "R01" else "0"))
        readings.record_reading(db, clerk, mid, "total", "2026-09", first)
        ids[route] = aid, mid
    bills.issue_accounts(db, clerk, ["3301000001", "3301000002"], "2026-09", today=date(2026, 10, 5))
    for route, second in (("R01", "1300"), ("R02", "600")):
        readings.record_reading(db, clerk, ids[route][1], "total", "2026-10", second, confirm_high=True)
    bills.issue_accounts(db, clerk, ["3301000001", "3301000002"], "2026-10", today=date(2026, 11, 4))
    posting.open_shift(db, clerk, "200")
    posting.post_payment(db, clerk, ids["R01"][0], "100", "cash", "pay-a", "100", today=date(2026, 10, 10))
    b = posting.post_payment(db, clerk, ids["R02"][0], "30", "qr", "pay-b", reference="QR1", today=date(2026, 10, 10))
    posting.reverse_payment(db, supervisor, clerk, b.payment_id, "keyed wrong", "rev-b")
    return ids


def _run(db, actor, name, start=date(2026, 9, 1), end=date(2026, 10, 31), **kw):
    return reports.run(db, actor, name, Filters(start, end, **kw))


def test_collections_by_day_clerk_and_method(db, supervisor, store):
    r = _run(db, supervisor, "collections", TODAY, TODAY)
    got = {(row["method"], row["count"], row["payments"], row["reversals"], row["net"]) for row in r.rows}
    assert got == {("cash", 1, 10000, 0, 10000), ("qr", 1, 3000, -3000, 0)}
    assert all(row["day"] == TODAY and row["clerk"] == "张丽 (1001)" for row in r.rows)
    assert r.totals == {"count": 2, "payments": 13000, "reversals": -3000, "net": 10000}
    out = r.as_json()
    assert out["totals"] == {"count": 2, "payments": "130.00", "reversals": "-30.00", "net": "100.00"}
    shifts = r.details["shifts"].rows
    assert len(shifts) == 1 and shifts[0]["status"] == "open" and shifts[0]["difference"] is None
    # another day has nothing
    assert _run(db, supervisor, "collections", TODAY - timedelta(days=3), TODAY - timedelta(days=1)).rows == []


def test_collection_rate_per_period_route_and_category(db, supervisor, store):
    r = _run(db, supervisor, "collection-rate", date(2026, 9, 1), TODAY)
    rows = {(row["period"], row["route"]): (row["billed"], row["collected"], row["rate"]) for row in r.rows}
    # A's 100.00 paid 53.80 of 2026-09 and 46.20 of 2026-10; B's payment was reversed (net 0)
    assert rows == {
        ("2026-09", "R01"): (5380, 5380, D("100.00")),
        ("2026-10", "R01"): (10760, 4620, D("42.94")),
        ("2026-09", "R02"): (2690, 0, D("0.00")),
        ("2026-10", "R02"): (29590, 0, D("0.00")),
    }
    assert r.totals["billed"] == 5380 + 10760 + 2690 + 29590 and r.totals["collected"] == 10000
    assert [row["period"] for row in r.details["by_period"].rows][:2] == ["2026-09", "2026-10"]
    # the chart's bar for a period is that period's rate over every route, not one route's
    from app.printing.labels import identity
    from app.services.reports.output import chart_of, document_of

    assert document_of(r, identity, "hall").chart_kind == "percent"  # on paper a rate runs to 100 %
    _, labels, values = chart_of(r, identity)
    assert labels[:2] == ["2026-09", "2026-10"] and values[:2] == [
        round(5380 * 100 / (5380 + 2690), 2),
        round(4620 * 100 / (10760 + 29590), 2),
    ]
    # a cut-off before the payment: nothing collected; the cut-off, not the period's end, decides
    early = reports.run(db, supervisor, "collection-rate", reports.Filters(date(2026, 9, 1), TODAY, cutoff=TODAY - timedelta(days=1)))
    assert early.totals["collected"] == 0 and early.as_json()["cutoff"] == (TODAY - timedelta(days=1)).isoformat()
    # bills of a period are issued after it ends: a period that ended before the payment still counts it
    september = _run(db, supervisor, "collection-rate", date(2026, 9, 1), date(2026, 9, 30))
    assert september.totals["collected"] == 5380 and september.filters.cutoff == local_today()
    with pytest.raises(ValidationError) as before:
        reports.run(db, supervisor, "collection-rate", reports.Filters(date(2026, 9, 1), TODAY, cutoff=date(2026, 8, 31)))
    assert before.value.field == "cutoff"


def test_ageing_buckets_late_fees_and_masked_accounts(db, supervisor, store):
    r = _run(db, supervisor, "ageing", date(2026, 11, 1), date(2026, 11, 20))
    # on 11-20: A owes 61.40 of 2026-10 (1 day past due); B owes 26.90 (31 days) and 295.90 (1 day)
    by_route = {row["route"]: row for row in r.rows}
    assert by_route["R01"]["principal"] == 6140 and by_route["R01"]["d1_30"] == 6140
    assert by_route["R02"]["d31_90"] == 2690 and by_route["R02"]["d1_30"] == 29590
    # late fees: A 61.40 x 0.001 x 1 -> minimum 1.00; B 26.90 x 0.001 x 31 = 0.83 -> 1.00, 295.90 x 0.001 -> 1.00
    assert by_route["R01"]["late_fee"] == 100 and by_route["R02"]["late_fee"] == 200
    assert r.totals["principal"] == 6140 + 2690 + 29590 and r.totals["accounts"] == 2
    accounts = {a["account_no"]: a for a in r.details["accounts"].rows}
    assert accounts["3301000002"]["bucket"] == "d31_90" and accounts["3301000002"]["bills"] == 2
    assert "三丰" not in accounts["3301000001"]["name"] and accounts["3301000001"]["phone"] == "138****5678"


def test_sales_by_tariff_and_tier(db, supervisor, store):
    r = _run(db, supervisor, "sales")
    assert {(row["period"], row["tariff"], row["item"], row["quantity"], row["amount"]) for row in r.rows} == {
        ("2026-09", "ZJ-RES-Y", "tier1", D(150), 5380 + 2690),
        ("2026-10", "ZJ-RES-Y", "tier1", D(750), 10760 + 29590),
    }
    assert r.totals == {"quantity": D(900), "amount": 5380 + 2690 + 10760 + 29590}
    assert _run(db, supervisor, "sales", route="R01").totals["amount"] == 5380 + 10760


def test_readings_done_and_anomalies(db, supervisor, store):
    r = _run(db, supervisor, "readings")
    rows = {(row["period"], row["route"]): row for row in r.rows}
    assert rows[("2026-10", "R02")]["due"] == 1 and rows[("2026-10", "R02")]["read"] == 1
    # B: 50 kWh, then 550 kWh: more than three times its usual
    assert rows[("2026-10", "R02")]["high"] == 1 and rows[("2026-10", "R01")]["high"] == 0
    assert [a["account_no"] for a in r.details["anomalies"].rows] == ["3301000002"]
    assert r.totals["read"] == 4 and r.totals["rate"] == D("100.00")


def test_meters_due_leave_out_closed_accounts_and_removed_meters(db, clerk, supervisor):
    """Meters due: the active meters of the accounts not closed, by route and service; the same whichever
    way it is counted (every route and one service through the due indexes on SQLite, one route or a
    station through the planner's choice)."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="王五", phone="13812345678"))

    def account(route, service="electricity", status="normal", meters=("active",)):
        tariff = "LA-WATER-RES" if service == "water" else "ZJ-RES-Y"
        aid = cs.create_account(
            db,
            clerk,
            cid,
            cs.AccountInput(supply_address="幸福路1号", reading_route=route, service=service, status=status, tariff_code=tariff),
        )
        for meter_status in meters:
            account.n += 1
            cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"DUE{account.n:05d}", status=meter_status))

    account.n = 0
    account("D1", meters=("active", "removed", "active"))  # two due
    account("D1", service="water")
    account("D2", status="closed")  # none due
    account("D2", status="changing", meters=("removed",))  # none due
    account("D2", status="new")
    with db.read() as s:
        from sqlalchemy import select

        from app.models import Station

        code = s.scalar(select(Station.code))
    start, end = date(2026, 10, 1), date(2026, 10, 31)

    def due(**kw):
        return {row["route"]: row["due"] for row in _run(db, supervisor, "readings", start, end, **kw).rows}

    assert due() == {"D1": 3, "D2": 1} == due(station=code)
    assert due(service="electricity") == {"D1": 2, "D2": 1} == due(service="electricity", station=code)
    assert due(service="water") == {"D1": 1} == due(service="water", station=code)
    assert due(route="D2") == {"D2": 1} and due(route="D1", service="water") == {"D1": 1}


def test_requests_time_limits_and_satisfaction(db, clerk, supervisor, store):
    aid = store["R01"][0]
    with db.read() as s:
        from app.models import Account

        cid = s.get(Account, aid).customer_id
    m1 = matters.register(db, clerk, matters.MatterInput(customer_id=cid, account_id=aid, type="inquiry", description="电价咨询"))
    matters.answer_and_close(db, clerk, m1.matter_id, "已答复电价标准")
    matters.register(
        db,
        clerk,
        matters.MatterInput(customer_id=cid, account_id=aid, type="complaint", complaint_type="service", description="服务态度差"),
    )
    r = _run(db, supervisor, "requests", TODAY, TODAY)
    kinds = {row["type"]: row for row in r.rows}
    assert kinds["inquiry"]["closed"] == 1 and kinds["inquiry"]["closed_in_time"] == 1 and kinds["inquiry"]["compliance"] == D("100.00")
    assert kinds["complaint"]["open"] == 1 and kinds["complaint"]["contact_due"] == 1 and kinds["complaint"]["contacted_in_time"] == 0
    assert r.totals["registered"] == 2
    assert r.details["by_owner"].rows[0]["owner"] == "张丽 (1001)"


def test_clerks_bad_periods_and_unknown_reports_are_refused(db, clerk, supervisor, store):
    with pytest.raises(PermissionDenied):
        _run(db, clerk, "collections")
    with pytest.raises(ValidationError) as err:
        _run(db, supervisor, "collections", date(2026, 10, 1), date(2026, 9, 1))
    assert err.value.field == "end"
    with pytest.raises(ValidationError):
        _run(db, supervisor, "collections", date(2016, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValidationError):
        _run(db, supervisor, "nonsense")
    assert _run(db, supervisor, "sales", route="NO-SUCH-ROUTE").rows == []


def test_bucket_bounds():
    assert [bucket_of(d) for d in (-5, 0, 1, 30, 31, 90, 91, 180, 181)] == [
        "not_due",
        "not_due",
        "d1_30",
        "d1_30",
        "d31_90",
        "d31_90",
        "d91_180",
        "d91_180",
        "d180_plus",
    ]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["R01", "R02"]), st.integers(1, 400)), min_size=1, max_size=5))
def test_totals_are_the_sums_of_the_rows(sqlite_db, payments):
    """Any store: every report's money totals equal the sum of its rows."""
    from app.services import auth

    db = sqlite_db
    if auth.needs_setup(db):
        admin = auth.initialize(
            db, auth.StationInput("3301", "城东营业厅", "示范供电公司", "0571-95598", "城东路1号"), "admin", "系统管理员", "admin123"
        )
        tariffs.ensure_default_tariffs(db)
        for i, route in enumerate(("R01", "R02")):
            cid = cs.create_customer(db, admin, cs.CustomerInput(name=f"客户{i}"))
            aid = cs.create_account(db, admin, cid, cs.AccountInput(supply_address="路", tariff_code="ZJ-RES-Y", reading_route=route))
            mid = cs.create_meter(db, admin, aid, cs.MeterInput(meter_no=f"99000{i}", initial_reading="0"))
            readings.record_reading(db, admin, mid, "total", "2026-10", str(100 * (i + 1)))
        bills.issue_accounts(db, admin, ["3301000001", "3301000002"], "2026-10", today=date(2026, 11, 4))
        posting.open_shift(db, admin, "0")
    admin = auth.get_actor(db, "admin")
    from app.services.search import search

    for i, (route, yuan) in enumerate(payments):
        account_no = "3301000001" if route == "R01" else "3301000002"
        aid = search(db, account_no)[0].account_id
        posting.post_payment(db, admin, aid, str(yuan), "cash", f"k-{route}-{yuan}-{i}-{id(payments)}", str(yuan), today=date(2026, 11, 10))
    for name in reports.NAMES:
        r = reports.run(db, admin, name, Filters(date(2026, 10, 1), TODAY))
        for col in r.columns:
            if col.kind in ("money", "count") and col.key in r.totals:
                assert r.totals[col.key] == sum(row[col.key] or 0 for row in r.rows), (name, col.key)


# ---------------------------------------------------------------- exports, paper, dunning, command line


def test_xlsx_has_chinese_headers_numbers_totals_and_a_frozen_header(db, supervisor, store, tmp_path):
    import openpyxl

    from app.printing.labels import ts_translator
    from app.services.reports.output import export_xlsx

    r = _run(db, supervisor, "ageing", date(2026, 11, 1), date(2026, 11, 20))
    path = export_xlsx(db, supervisor, r, tmp_path / "ageing.xlsx", ts_translator("zh_CN"), "城东营业厅")
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws.title == "欠费账龄" and ws.freeze_panes == "A5"
    header = [c.value for c in ws[4]]
    assert header[:4] == ["抄表段", "户数", "欠费本金", "违约金"]
    r01 = [c.value for c in ws[5]]
    assert r01[0] == "R01" and r01[2] == 61.4 and ws.cell(5, 3).number_format == "#,##0.00"
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and last[2] == pytest.approx((6140 + 2690 + 29590) / 100)
    accounts = book.worksheets[1]
    assert accounts.title == "欠费户清单" and accounts.max_row == 2 + 1 + 2 + 1  # title and period, header, two accounts, totals
    assert not list(tmp_path.glob("*.part"))


def test_report_pdf_has_the_figures_and_is_archived_and_counted(db, supervisor, store):
    from app.printing.labels import ts_translator
    from app.services import documents
    from app.services.reports.output import ReportRequest
    from tests.pdfcheck import pdf_text

    request = ReportRequest("collections", Filters(TODAY, TODAY))
    prepared = documents.print_document(db, supervisor, "report", request, documents.Delivery("pdf"), tr=ts_translator("zh_CN"))
    text = pdf_text(prepared.pdf)
    assert "收费日报" in text and "合计" in text and "130.00" in text and "-30.00" in text and "张丽(1001)" in text
    assert prepared.archived.is_file() and documents.copies(db, "report", request.number) == 1
    again = documents.print_document(db, supervisor, "report", request, documents.Delivery("pdf"), tr=ts_translator("zh_CN"))
    assert again.copy == 1 and "重打" in pdf_text(again.pdf)


def test_dunning_prints_reminders_with_suspension_notice_and_files_contacts(db, clerk, supervisor, store):
    from app.printing.labels import ts_translator
    from app.services import documents
    from app.services.reports.dunning import DunningRequest, last_reminder
    from app.services.settings import set_setting
    from tests.pdfcheck import pdf_pages

    tr = ts_translator("zh_CN")
    # on 12-01: B's 2026-09 bill is 42 days past due (> 30): notice of suspension 7 days ahead; A's oldest is 12 days
    request = DunningRequest(supervisor, route="R02", as_of=date(2026, 12, 1))
    prepared = documents.print_document(db, supervisor, "dunning", request, documents.Delivery("pdf"), tr=tr)
    pages = pdf_pages(prepared.pdf)
    assert len(pages) == 1 and "3301000002" in pages[0] and "2026-12-08" in pages[0].replace(" ", "")
    a = documents.print_document(
        db, supervisor, "dunning", DunningRequest(clerk, account_no="3301000001", as_of=date(2026, 12, 1)), documents.Delivery("pdf"), tr=tr
    )
    assert "2026-12-08" not in a.pdf.decode("latin-1") and len(pdf_pages(a.pdf)) == 1
    with db.read() as s:
        from app.models import Account

        cid = s.get(Account, store["R02"][0]).customer_id
    last = last_reminder(db, cid)
    assert last is not None and "2026-12-08" in last.summary
    # a clerk may not print a whole route; nothing owed is said, not printed
    with pytest.raises(PermissionDenied):
        documents.prepare(db, clerk, "dunning", DunningRequest(clerk, route="R02"))
    with pytest.raises(Exception) as err:
        documents.prepare(db, supervisor, "dunning", DunningRequest(supervisor, route="R02", as_of=date(2026, 9, 1)))
    assert "Nothing is owed" in str(err.value)
    set_setting(db, auth_admin(db), "dunning.suspension_after_days", "60")
    later = documents.prepare(db, supervisor, "dunning", DunningRequest(supervisor, route="R02", as_of=date(2026, 12, 1)))
    assert later.doc.reminders[0].suspension_on is None


def auth_admin(db):
    from app.services import auth

    return auth.get_actor(db, "admin")


def test_a_large_batch_of_reminders_is_rendered_on_every_core_in_order():
    from app.printing.labels import ts_translator
    from app.printing.reports.dunning import DunningDocument, OwedBill, Reminder, render_dunning
    from tests.pdfcheck import pdf_pages

    reminders = [
        Reminder(f"33{i:08d}", "张*丰", "幸福路18号", "kWh", [OwedBill("2026-09", date(2026, 10, 20), D("213"), 11459, 120)])
        for i in range(120)
    ]
    doc = DunningDocument("示范供电公司", "城东营业厅", "城东路1号", "95598", date(2026, 12, 1), reminders)
    pages = pdf_pages(render_dunning(doc, ts_translator("zh_CN"), workers=2, chunk=50))
    assert len(pages) == 120
    assert "3300000000" in pages[0] and "3300000119" in pages[-1] and "户号" in pages[0] and "催费通知单" in pages[0]


def test_a_workbook_that_cannot_be_written_is_said_and_leaves_nothing(db, supervisor, store, tmp_path):
    from app.kernel.errors import UserError
    from app.printing.labels import ts_translator
    from app.services.reports.output import export_xlsx

    r = _run(db, supervisor, "sales")
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(UserError) as err:
        export_xlsx(db, supervisor, r, out / "gone" / "sales.xlsx", ts_translator("zh_CN"), "城东营业厅")
    assert err.value.field == "xlsx" and "gone" in err.value.text()
    assert list(out.rglob("*")) == []


def test_service_report_rates_by_clerk_and_kind_and_times_the_queue(db, clerk, supervisor, store):
    from datetime import datetime, time, timedelta

    from app.kernel.localtime import to_utc
    from app.services.counter import service_quality as sq
    from app.services.payments import posting

    p = posting.post_payment(db, clerk, store["R01"][0], "10", "cash", "rate-1", "10")
    sq.rate(db, clerk, p.payment_id, "very_satisfied", counter="1")
    q = posting.post_payment(db, clerk, store["R01"][0], "5", "cash", "rate-2", "5")
    sq.rate(db, clerk, q.payment_id, "not_rated", counter="1")
    nine = datetime.combine(TODAY, time(9, 0))  # station-local: issued 9:00, called 9:12, served until the next call at 9:20
    sq.call_next(db, clerk, "1", typed="A001", issued_at=nine, now=to_utc(nine + timedelta(minutes=12)))
    sq.finish_current(db, clerk, "1", now=to_utc(nine + timedelta(minutes=20)))
    r = _run(db, supervisor, "service", TODAY, TODAY)
    assert r.rows == [
        {
            "clerk": "张丽 (1001)",
            "rated": 1,
            "very_satisfied": 1,
            "satisfied": 0,
            "neutral": 0,
            "dissatisfied": 0,
            "not_rated": 1,
            "share": D("100.00"),
        }
    ]
    assert [k["contact_kind"] for k in r.details["by_kind"].rows] == ["payment"] and r.totals["rated"] == 1
    queue = r.details["queue"].rows
    assert {(row["ticket_kind"], row["tickets"], row["wait_min"], row["service_min"]) for row in queue} == {("A", 1, D("12.0"), D("8.0"))}


def test_a_rate_chart_reads_against_100_percent_on_paper_and_bars_read_as_the_table(db, supervisor, store):
    """The printed collection rate's axis runs to 100 (a rate of 11 % is not a full bar), and a bar's
    value is written as the table writes the same figure."""
    from app.printing.labels import ts_translator
    from app.services import documents
    from app.services.reports.output import ReportRequest, chart_value_text
    from tests.pdfcheck import pdf_pages

    request = ReportRequest("collection-rate", Filters(date(2026, 9, 1), TODAY))
    prepared = documents.print_document(db, supervisor, "report", request, documents.Delivery("pdf"), tr=ts_translator("zh_CN"))
    axis = {line.strip() for page in pdf_pages(prepared.pdf) for line in page.splitlines()}
    assert {"0", "20", "40", "60", "80", "100"} <= axis  # the rates here are 66.67 % and 11.49 %
    assert chart_value_text(7712.56, "money") == "7,712.56" and chart_value_text(1.49, "percent") == "1.49%"
    assert chart_value_text(37479.0, "quantity") == "37,479" and chart_value_text(12.0, "count") == "12"
