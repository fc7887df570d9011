"""Satisfaction ratings kept with the contact record and the clerk, and queue tickets' wait and service
times — on SQLite and PostgreSQL; the counter.toml sections of the display and queue."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.kernel.errors import NotFound, UserError, ValidationError
from app.kernel.localtime import local_today, to_utc
from app.models import AuditEntry, ContactRecord
from app.models.counter import QueueTicket, ServiceRating
from app.services import auth
from app.services import customers as cs
from app.services.counter import service_quality as sq
from app.services.counter import settings as counter_settings
from app.services.handling import matters as mt
from app.services.payments import posting, printer_settings


@pytest.fixture
def served(db, clerk, supervisor):
    """Two payments by the clerk, one matter by the supervisor, each with its contact record."""
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号"))
    posting.open_shift(db, clerk, "0")
    p1 = posting.post_payment(db, clerk, aid, "50", "cash", "k1", "50").payment_id
    p2 = posting.post_payment(db, clerk, aid, "20", "qr", "k2", reference="QR1").payment_id
    p3 = posting.post_payment(db, clerk, aid, "30", "card", "k3", reference="C1").payment_id
    m = mt.register(db, supervisor, mt.MatterInput(type="inquiry", description="问电价", customer_id=cid, account_id=aid)).matter_id
    return p1, p2, p3, m


def test_a_rating_is_kept_with_the_contact_record_and_its_clerk(db, clerk, supervisor, served):
    p1, p2, p3, m = served
    sq.rate(db, clerk, p1, "very_satisfied", counter="3")
    sq.rate(db, clerk, p2, "dissatisfied", counter="3")
    sq.rate(db, clerk, p3, sq.NOT_RATED, counter="3")  # the pad timed out
    sq.rate(db, clerk, m, "satisfied", counter="3")  # registered by the supervisor at this counter
    with db.read() as s:
        rows = {
            r.ref_id: (rating, clerk_id, kind)
            for r, rating, clerk_id, kind in s.execute(
                select(ContactRecord, ServiceRating.rating, ServiceRating.clerk_id, ContactRecord.kind).join(
                    ServiceRating, ServiceRating.contact_id == ContactRecord.id
                )
            )
        }
        audited = s.execute(select(AuditEntry.after).where(AuditEntry.action == "rate")).scalars().all()
    assert rows[p1] == ("very_satisfied", clerk.clerk_id, "payment")
    assert rows[p2] == ("dissatisfied", clerk.clerk_id, "payment")
    assert rows[p3] == ("not_rated", clerk.clerk_id, "payment")
    assert rows[m][0] == "satisfied" and rows[m][1] == supervisor.clerk_id  # the clerk who served, not who was logged in
    assert len(audited) == 4 and json.loads(audited[0])["counter"] == "3"
    assert sq.rating_of(db, p3) == "not_rated" and sq.rating_of(db, p1) == "very_satisfied"

    with pytest.raises(UserError):
        sq.rate(db, clerk, p1, "satisfied")  # once per service
    with pytest.raises(ValidationError):
        sq.rate(db, clerk, p1, "great")
    with pytest.raises(NotFound):
        sq.rate(db, clerk, m.__class__(int=1), "satisfied")


def test_the_days_figure_and_the_report_by_clerk_and_kind(db, clerk, supervisor, served):
    p1, p2, p3, m = served
    for ref, rating in ((p1, "very_satisfied"), (p2, "satisfied"), (p3, "neutral"), (m, "dissatisfied")):
        sq.rate(db, clerk, ref, rating)
    day = sq.clerk_day(db, clerk.clerk_id)
    assert (day.rated, day.satisfied, day.not_rated, str(day.share_satisfied)) == (3, 2, 0, "66.7")
    assert sq.clerk_day(db, clerk.clerk_id, local_today() - timedelta(days=1)).rated == 0
    empty = sq.clerk_day(db, auth.get_actor(db, "admin").clerk_id)
    assert empty.rated == 0 and empty.share_satisfied is None

    report = sq.satisfaction_report(db, local_today(), local_today(), clerk.station_id)
    assert report.total.rated == 4 and report.total.satisfied == 2
    assert [(c.staff_no, c.satisfaction.rated, c.satisfaction.satisfied) for c in report.by_clerk] == [("1001", 3, 2), ("2001", 1, 0)]
    assert {k: (v.rated, v.satisfied) for k, v in report.by_kind.items()} == {"inquiry": (1, 0), "payment": (3, 2)}
    assert str(report.by_kind["payment"].share_satisfied) == "66.7"
    assert sq.satisfaction_report(db, local_today() + timedelta(days=1), local_today() + timedelta(days=2)).total.rated == 0
    with pytest.raises(ValidationError):
        sq.satisfaction_report(db, local_today(), local_today() - timedelta(days=1))


def _local(h, mi, s=0):
    return datetime.combine(local_today(), datetime.min.time()).replace(hour=h, minute=mi, second=s)


def test_tickets_from_the_machine_file_in_order_with_wait_and_service_times(db, clerk, supervisor, tmp_path):
    machine = tmp_path / "tickets.csv"
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    machine.write_text(
        "ticket_no,issued_at\n"
        f"A001,{_local(9, 0):%Y-%m-%d %H:%M:%S}\n"
        f"B001,{_local(9, 2):%Y-%m-%d %H:%M:%S}\n"
        "garbled line\n"
        f"A002,{_local(9, 5):%Y-%m-%d %H:%M:%S}\n"
        f"A009,{yesterday} 09:00:00\n",
        encoding="utf-8",
    )
    at = lambda h, mi: to_utc(_local(h, mi))  # noqa: E731
    first = sq.call_next(db, clerk, "3", "AB", machine, now=at(9, 10))
    assert (first.ticket_no, first.source, first.waited) == ("A001", "machine", timedelta(minutes=10))
    assert sq.current_ticket(db, clerk, "3") == "A001"
    only_a = sq.call_next(db, supervisor, "4", "A", machine, now=at(9, 11))  # counter 4 takes only A tickets
    assert only_a.ticket_no == "A002"
    second = sq.call_next(db, clerk, "3", "AB", machine, now=at(9, 16))  # A001 served 9:10 - 9:16
    assert second.ticket_no == "B001" and second.waited == timedelta(minutes=14)
    with pytest.raises(UserError) as err:
        sq.call_next(db, clerk, "3", "AB", machine, now=at(9, 20))
    assert "No one is waiting" in err.value.text()
    assert sq.finish_current(db, clerk, "3", now=at(9, 30)) == ["B001"]  # B001 served 9:16 - 9:30
    assert sq.current_ticket(db, clerk, "3") is None
    assert sq.finish_current(db, supervisor, "4", now=at(9, 12)) == ["A002"]

    rows = {(t.kind, t.staff_no): t for t in sq.ticket_times(db, local_today(), local_today(), clerk.station_id)}
    a_clerk, b_clerk, a_all = rows[("A", "1001")], rows[("B", "1001")], rows[("A", "")]
    assert (a_clerk.tickets, a_clerk.average_wait, a_clerk.average_service) == (1, timedelta(minutes=10), timedelta(minutes=6))
    assert (b_clerk.average_wait, b_clerk.average_service) == (timedelta(minutes=14), timedelta(minutes=14))
    assert (a_all.tickets, a_all.average_wait, a_all.average_service) == (2, timedelta(minutes=8), timedelta(minutes=3, seconds=30))
    assert rows[("A", "2001")].average_wait == timedelta(minutes=6)
    with db.read() as s:
        kept = s.execute(select(QueueTicket).order_by(QueueTicket.called_at)).scalars().all()
        assert [(t.ticket_no, t.counter, t.clerk_id) for t in kept] == [
            ("A001", "3", clerk.clerk_id),
            ("A002", "4", supervisor.clerk_id),
            ("B001", "3", clerk.clerk_id),
        ]
        assert kept[0].issued_at == at(9, 0) and kept[0].served_until == at(9, 16)


def test_typed_tickets_with_or_without_the_time_on_the_ticket(db, clerk, tmp_path):
    at = lambda h, mi: to_utc(_local(h, mi))  # noqa: E731
    assert sq.suggested_number(db, clerk, "A") == "A001"
    t = sq.call_next(db, clerk, "3", "AB", typed="a7", issued_at=_local(10, 0), now=at(10, 25))
    assert (t.ticket_no, t.kind, t.source, t.waited) == ("A007", "A", "typed", timedelta(minutes=25))
    assert sq.suggested_number(db, clerk, "A") == "A008"
    u = sq.call_next(db, clerk, "3", "AB", typed="B-12", now=at(10, 40))  # no time on the ticket: no wait known
    assert u.ticket_no == "B012" and u.waited is None
    with pytest.raises(ValidationError) as err:
        sq.call_next(db, clerk, "5", "AB", typed="A007", now=at(10, 45))
    assert err.value.field == "ticket" and "counter 3" in err.value.text()
    for bad in ("7A", "", "ABC1", "A12345"):
        with pytest.raises(ValidationError):
            sq.call_next(db, clerk, "3", "AB", typed=bad or " ", now=at(10, 50))
    with pytest.raises(ValidationError):
        sq.call_next(db, clerk, "3", "AB", typed="A020", issued_at=_local(11, 0), now=at(10, 50))  # issued after now
    sq.finish_current(db, clerk, "3", now=at(10, 50))
    rows = {(t.kind, t.clerk_id is None): t for t in sq.ticket_times(db, local_today(), local_today())}
    a, b = rows[("A", True)], rows[("B", True)]
    assert (a.average_wait, a.average_service) == (timedelta(minutes=25), timedelta(minutes=15))
    assert (b.waited, b.average_wait, b.average_service) == (0, None, timedelta(minutes=10))


def test_display_and_queue_settings_share_counter_toml_with_the_receipt_printer(db, clerk, _data_dir):
    assert counter_settings.load() == counter_settings.CounterDisplay()  # no file: no display
    printer_settings.save(db, clerk, printer_settings.ReceiptPrinter("pdf", "58mm"))
    counter_settings.save(db, clerk, counter_settings.CounterDisplay(screen="HDMI-2", pad_timeout=20, counter="3", kinds="a, b"))
    assert printer_settings.load().target == "pdf"  # kept
    loaded = counter_settings.load()
    assert (loaded.screen, loaded.pad_timeout, loaded.counter, loaded.kinds) == ("HDMI-2", 20, "3", "AB")
    assert loaded.machine_path == _data_dir / "tickets.csv"
    printer_settings.save(db, clerk, printer_settings.ReceiptPrinter("preview", "80mm"))
    assert counter_settings.load().screen == "HDMI-2"  # the printer's dialog keeps the display's sections
    with pytest.raises(ValidationError) as err:
        counter_settings.save(db, clerk, counter_settings.CounterDisplay(pad_timeout="ten", kinds="1"))
    assert set(err.value.errors) == {"pad_timeout", "kinds"}
    (_data_dir / "counter.toml").write_text("[customer_display]\nscreen = 3\npad_timeout = -1\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        counter_settings.load()
    assert "damaged" in err.value.text()


def test_the_demo_store_has_ratings_and_this_mornings_queue(sqlite_db, monkeypatch):
    from app.services import audit, demo
    from app.services.counter import demo_data

    # The demo's clock at 11:00 of the station's day: filled in the first hours after midnight (16:00 UTC
    # on), this morning's queue would be the last two hours, most of them yesterday's.
    eleven = datetime.combine(local_today(), time(11, 0))
    monkeypatch.setattr(demo_data, "local_now", lambda: eleven)
    db = sqlite_db
    assert demo.ensure_demo_store(db, customers=150, seed=3)
    today = local_today()
    report = sq.satisfaction_report(db, today - timedelta(days=40), today)
    assert report.total.rated >= 20 and report.total.not_rated >= 1 and report.by_clerk
    assert {"payment", "complaint"} <= set(report.by_kind)
    times = [t for t in sq.ticket_times(db, today, today) if t.clerk_id is None]
    assert {t.kind for t in times} <= {"A", "B"} and sum(t.tickets for t in times) >= 5
    assert all(t.average_wait is not None and t.average_service > timedelta(0) for t in times)
    with db.read() as s:
        assert audit.verify(s).ok
