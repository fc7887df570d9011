"""The prepaid balance as a ledger: a payment's surplus goes in, new bills are settled from it at
once with the kWh behind each deduction, voiding gives it back, reversal takes a deposit back out —
on SQLite and PostgreSQL; and the migration gives existing balances an opening entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.kernel.errors import UserError
from app.models import Account, BalanceEntry, Bill
from app.services import audit, balance
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from tests.pdfcheck import pdf_text

TODAY = date(2026, 11, 20)


@pytest.fixture
def prepaid(db, clerk):
    """A new account (ZJ-RES-Y, 0.538/kWh in tier 1) whose customer prepaid 100.00 before any bill."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路20号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000002", initial_reading="1000"))
    posting.open_shift(db, clerk, "0")
    p = posting.post_payment(db, clerk, aid, "100", "cash", "prepay", "100", today=date(2026, 9, 1))
    assert p.balance_after_fen == 10000
    return cid, aid, mid


def _entries(db, aid):
    with db.read() as s:
        return s.execute(
            select(BalanceEntry.kind, BalanceEntry.amount_fen, BalanceEntry.balance_after_fen, BalanceEntry.quantity)
            .where(BalanceEntry.account_id == aid)
            .order_by(BalanceEntry.created_at)
        ).all()


def _ledger_adds_up(db, aid):
    with db.read() as s:
        total = s.scalar(select(func.sum(BalanceEntry.amount_fen)).where(BalanceEntry.account_id == aid))
        return total == s.get(Account, aid).balance_fen


def test_new_bills_are_settled_from_the_balance_with_the_kwh_behind_each_deduction(db, clerk, prepaid):
    cid, aid, mid = prepaid
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")  # 100 kWh x 0.538 = 53.80
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1300")  # 200 kWh = 107.60
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10", today=date(2026, 11, 4))
    # 100.00 in; 53.80 for all 100 kWh of September; the 46.20 left pays 200 x 4620/10760 = 85.873 kWh of October
    assert _entries(db, aid) == [("deposit", 10000, 10000, D(0)), ("deduction", -5380, 4620, D(100)), ("deduction", -4620, 0, D("85.873"))]
    assert _ledger_adds_up(db, aid)
    with db.read() as s:
        assert [(b.status, b.paid_fen) for b in s.scalars(select(Bill).order_by(Bill.period))] == [("paid", 5380), ("partly_paid", 4620)]
        assert audit.verify(s).ok
    assert [o.principal_fen for o in bills.account_arrears(db, aid, TODAY)] == [10760 - 4620]
    rows = balance.ledger(db, cid)
    assert [(r.kind, r.period, r.quantity, r.unit, r.amount_fen) for r in rows][:2] == [
        ("deduction", "2026-10", D("85.873"), "kWh", -4620),
        ("deduction", "2026-09", D(100), "kWh", -5380),
    ]
    assert rows[-1].kind == "deposit" and rows[-1].reference.startswith("R-3301-2026-")


def _september_bill(db, clerk, mid):
    """The account's 2026-09 bill (100 kWh, ¥53.80), issued on 5 October: settled from the prepaid balance."""
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    with db.read() as s:
        return s.scalar(select(Bill.id))


def test_bill_paper_shows_the_company_hotline_an_administrator_sets(db, admin, clerk, prepaid):
    from app.printing.billing.bill_pdf import render_bill
    from app.services import settings

    cid, aid, mid = prepaid
    bill_id = _september_bill(db, clerk, mid)
    assert "服务热线：95598" in pdf_text(render_bill(bills.bill_document(db, bill_id), "A5"))
    settings.set_setting(db, admin, "hall.phone", "0571-88886666")
    assert "服务热线：0571-88886666" in pdf_text(render_bill(bills.bill_document(db, bill_id), "A5"))
    assert next(bills.route_documents(db, [bill_id])).hotline == "0571-88886666"


def test_bill_paper_shows_the_deduction_with_its_kwh_and_what_is_left(db, clerk, prepaid):
    from app.printing.billing.bill_pdf import render_bill

    cid, aid, mid = prepaid
    bill_id = _september_bill(db, clerk, mid)
    doc = bills.bill_document(db, bill_id, today=date(2026, 10, 5))
    assert (doc.prepaid_used, doc.prepaid_quantity, doc.paid, doc.balance_left, doc.total_due) == (
        D("53.80"),
        D(100),
        D(0),
        D("46.20"),
        D(0),
    )
    # a route's bills print the same
    route_doc = next(bills.route_documents(db, [bill_id], today=date(2026, 10, 5)))
    assert (route_doc.prepaid_used, route_doc.prepaid_quantity, route_doc.paid, route_doc.balance_left, route_doc.total_due) == (
        doc.prepaid_used,
        doc.prepaid_quantity,
        doc.paid,
        doc.balance_left,
        doc.total_due,
    )
    text = pdf_text(render_bill(doc, "A4"))
    assert "预存余额抵扣(合100kWh)" in text.replace("（", "(").replace("）", ")")
    assert "-¥53.80" in text and "预存余额结余¥46.20" in text and "应缴合计：¥0.00" in text


def test_void_gives_the_deduction_back_and_the_reissued_bill_takes_it_again(db, clerk, supervisor, prepaid):
    cid, aid, mid = prepaid
    bill_id = _september_bill(db, clerk, mid)
    bills.void_bill(db, supervisor, bill_id, "读数录错")
    with db.read() as s:
        assert s.get(Account, aid).balance_fen == 10000 and s.get(Bill, bill_id).status == "void"
        assert s.get(Bill, bill_id).paid_fen == 0
    bills.reissue_bill(db, clerk, bill_id, today=date(2026, 10, 6))
    assert [k for k, *_ in _entries(db, aid)] == ["deposit", "deduction", "refund", "deduction"]
    assert _ledger_adds_up(db, aid)
    with db.read() as s:
        assert s.get(Account, aid).balance_fen == 10000 - 5380
        assert balance.deducted_from_balance(s, bill_id) == (0, 0, D(0))


def test_a_bill_paid_at_the_counter_still_cannot_be_voided(db, clerk, supervisor, prepaid):
    cid, aid, mid = prepaid
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1400")  # 400 kWh = 215.20, balance pays 100.00
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    posting.post_payment(db, clerk, aid, "20", "cash", "counter", "20", today=date(2026, 10, 6))
    with db.read() as s:
        bill_id = s.scalar(select(Bill.id))
    with pytest.raises(UserError) as err:
        bills.void_bill(db, supervisor, bill_id, "读数录错")
    assert "reverse" in err.value.message
    with db.read() as s:
        assert s.get(Bill, bill_id).paid_fen == 12000 and s.get(Account, aid).balance_fen == 0


def test_reversal_takes_an_unused_deposit_back_and_refuses_a_used_one(db, clerk, supervisor, prepaid):
    cid, aid, mid = prepaid
    extra = posting.post_payment(db, clerk, aid, "30", "card", "more", reference="POS-1", today=TODAY)
    r = posting.reverse_payment(db, supervisor, clerk, extra.payment_id, "刷错金额", "rev-1")
    assert r.balance_after_fen == 10000
    assert _entries(db, aid)[-1][:3] == ("reversal", -3000, 10000)
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    with db.read() as s:
        first = s.scalar(select(BalanceEntry.payment_id).where(BalanceEntry.kind == "deposit").order_by(BalanceEntry.created_at))
    with pytest.raises(UserError):  # 53.80 of its 100.00 already paid a bill
        posting.reverse_payment(db, supervisor, clerk, first, "收错户", "rev-2")
    assert _ledger_adds_up(db, aid)


def test_migration_gives_existing_balances_an_opening_entry(tmp_path):
    from alembic import command

    from app.db.engine import Database
    from app.db.migrate import alembic_config, upgrade
    from app.services import auth

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(db.engine, tmp_path / "backups")
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="王五"))
    aid = cs.create_account(db, admin, cid, cs.AccountInput(supply_address="路1号", tariff_code="ZJ-RES-Y"))
    # A store from before the ledger: the same data taken back to that schema.
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_handling")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE accounts SET balance_fen = 4321")
    upgrade(db.engine, tmp_path / "backups")
    with db.read() as s:
        entry = s.scalar(select(BalanceEntry))
        assert (entry.account_id, entry.kind, entry.amount_fen, entry.balance_after_fen) == (aid, "opening", 4321, 4321)
    db.dispose()


@pytest.mark.gui
def test_customer_screen_lists_each_deduction_with_its_kwh(qtbot, sqlite_db):
    from PySide6.QtCore import Qt

    from app.services import auth
    from app.views.context import AppContext
    from app.views.main_window import MainWindow
    from app.views.plugins import load_registry

    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路20号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000002", initial_reading="1000"))
    posting.open_shift(db, clerk, "0")
    posting.post_payment(db, clerk, aid, "100", "cash", "prepay", "100", today=date(2026, 9, 1))
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-09", today=date(2026, 10, 5))
    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    qtbot.keyClicks(window.search_field, "3301000001")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    table = window.customer.findChild(object, "balanceTable")
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [r[2:6] for r in rows] == [["Paid bill 2026-09", "100 kWh", "-¥53.80", "¥46.20"], ["Prepaid", "", "¥100.00", "¥100.00"]]
