"""Matters: registration and ownership, every legal and illegal transition, transfers, repeats, queues,
outages, the receipt — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.kernel.errors import PermissionDenied, UserError, ValidationError
from app.models import ContactRecord, Matter, MatterEvent
from app.services import customers as cs
from app.services.handling import matters as mt
from app.services.handling import outages
from tests.pdfcheck import pdf_text

NOW = datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def cust(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    aid = cs.create_account(
        db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1", transformer_area="幸福1号台区")
    )
    return cid, aid


def reg(db, actor, cust, kind="complaint", **kw):
    data = mt.MatterInput(
        type=kind,
        description=kw.pop("description", "电费单看不懂，要求说明"),
        customer_id=cust[0],
        account_id=cust[1],
        complaint_type=kw.pop("complaint_type", "business" if kind == "complaint" else ""),
        **kw,
    )
    return mt.register(db, actor, data, registered_local=kw.get("when", NOW))


def state(db, mid):
    with db.read() as s:
        return s.get(Matter, mid).state


def test_registration_makes_the_clerk_owner_with_number_deadline_and_contact(db, clerk, cust):
    r = reg(db, clerk, cust)
    assert r.matter_no == "W-3301-2026-000001" and r.deadline == datetime(2026, 11, 27, 23, 59, 59)
    assert r.contact_by == NOW + timedelta(hours=24)
    with db.read() as s:
        m = s.get(Matter, r.matter_id)
        assert m.owner_id == clerk.clerk_id == m.assignee_id and m.state == "registered"
        assert s.scalar(select(func.count()).select_from(ContactRecord).where(ContactRecord.ref_id == m.id)) == 1
    assert reg(db, clerk, cust, "inquiry").matter_no == "W-3301-2026-000002"


FULL = [("start", "in_progress"), ("resolve", "resolved"), ("reply", "replied"), ("call_back", "called_back"), ("close", "closed")]


def _do(db, actor, mid, action):
    args = {
        "start": (),
        "resolve": ("已核对读数",),
        "reply": ("已向客户解释",),
        "call_back": ("satisfied",),
        "close": (),
        "answer_and_close": ("已答复",),
        "remind": ("请尽快处理",),
    }[action]
    return getattr(mt, action)(db, actor, mid, *args)


ALL = ["start", "resolve", "reply", "call_back", "close", "answer_and_close", "remind"]


def test_every_legal_and_illegal_transition_of_a_complaint(db, clerk, cust):
    r = reg(db, clerk, cust)
    for step, (action, new_state) in enumerate(FULL):
        current = state(db, r.matter_id)
        for other in ALL:
            if other in (action, "remind"):
                continue
            with pytest.raises(UserError):  # refused with a reason, nothing changes
                _do(db, clerk, r.matter_id, other)
            assert state(db, r.matter_id) == current
        _do(db, clerk, r.matter_id, action)
        assert state(db, r.matter_id) == new_state
    for other in ALL:
        with pytest.raises(UserError):
            _do(db, clerk, r.matter_id, other)
    with db.read() as s:
        actions = [e.action for e in s.scalars(select(MatterEvent).where(MatterEvent.matter_id == r.matter_id).order_by(MatterEvent.at))]
    assert actions == ["register", "start", "resolve", "reply", "call_back", "close"]


def test_complaint_cannot_close_without_reply_or_call_back(db, clerk, cust):
    r = reg(db, clerk, cust)
    mt.start(db, clerk, r.matter_id)
    mt.resolve(db, clerk, r.matter_id, "处理完毕")
    with pytest.raises(UserError) as err:
        mt.close(db, clerk, r.matter_id)
    assert "reply" in err.value.message
    mt.reply(db, clerk, r.matter_id, "已答复")
    with pytest.raises(UserError) as err:
        mt.close(db, clerk, r.matter_id)
    assert "call-back" in err.value.message
    with pytest.raises(ValidationError):
        mt.reply(db, clerk, r.matter_id, "")


def test_an_application_closes_after_the_reply(db, clerk, cust):
    r = reg(db, clerk, cust, "name_transfer")
    for action in ("start", "resolve", "reply", "close"):
        _do(db, clerk, r.matter_id, action)
    assert state(db, r.matter_id) == "closed"


def test_unsatisfied_call_back_reopens(db, clerk, cust):
    r = reg(db, clerk, cust)
    for action in ("start", "resolve", "reply"):
        _do(db, clerk, r.matter_id, action)
    assert mt.call_back(db, clerk, r.matter_id, "unsatisfied", "仍不认可") == "in_progress"
    with db.read() as s:
        assert s.get(Matter, r.matter_id).reopened == 1


def test_inquiry_answered_and_closed_at_once_but_not_a_complaint(db, clerk, cust):
    q = reg(db, clerk, cust, "inquiry")
    mt.answer_and_close(db, clerk, q.matter_id, "峰谷时段为8:00-22:00")
    assert state(db, q.matter_id) == "closed"
    c = reg(db, clerk, cust)
    with pytest.raises(UserError):
        mt.answer_and_close(db, clerk, c.matter_id, "好")


def test_transfer_changes_assignee_never_owner(db, clerk, supervisor, cust):
    r = reg(db, clerk, cust)
    mt.transfer(db, clerk, r.matter_id, "wangqiang", "计量班", "需要现场校表")
    mt.transfer(db, supervisor, r.matter_id, "zhangli", "营业班", "校表完成")
    with db.read() as s:
        m = s.get(Matter, r.matter_id)
        assert m.owner_id == clerk.clerk_id and m.assignee_id == clerk.clerk_id and m.department == "营业班"
    with pytest.raises(ValidationError) as err:
        mt.transfer(db, clerk, r.matter_id, "nobody", "x", "y")
    assert err.value.field == "assignee"
    with pytest.raises(ValidationError):
        mt.transfer(db, clerk, r.matter_id, "wangqiang", "x", "")
    d = mt.detail(db, r.matter_id)
    assert [e.action for e in d.history] == ["register", "transfer", "transfer"] and d.row.owner_name == "张丽"


def test_descriptions_empty_or_too_long_are_refused_and_nothing_saved(db, clerk, cust):
    for text in ("", "   ", "诉" * 20_000):
        with pytest.raises(ValidationError):
            reg(db, clerk, cust, description=text)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Matter)) == 0


def test_repeat_complaints_flagged_and_third_escalates(db, clerk, cust):
    first = reg(db, clerk, cust)
    second = reg(db, clerk, cust)
    other_kind = reg(db, clerk, cust, complaint_type="service")
    third = reg(db, clerk, cust)
    assert (first.repeat_count, second.repeat_count, other_kind.repeat_count, third.repeat_count) == (0, 1, 0, 2)
    assert not second.escalated and third.escalated


def test_queues_and_overdue_escalation(db, clerk, supervisor, cust):
    mine = reg(db, clerk, cust)  # due 27 Nov
    fault = reg(db, clerk, cust, "fault")  # due 2 hours after 10:00
    assert {r.matter_no for r in mt.queue(db, clerk, "mine", now_local=NOW)} == {mine.matter_no, fault.matter_no}
    later = NOW + timedelta(hours=3)
    assert [r.matter_no for r in mt.queue(db, clerk, "overdue", now_local=later)] == [fault.matter_no]
    assert mt.queue_counts(db, clerk, now_local=later)["overdue"] == 1
    with pytest.raises(PermissionDenied):
        mt.queue(db, clerk, "hall")
    assert mt.escalate_overdue(db, supervisor, now_local=later) == 1
    assert [r.matter_no for r in mt.queue(db, supervisor, "hall", now_local=NOW)] == [fault.matter_no]  # escalated, not yet due
    assert mt.queue_counts(db, supervisor, now_local=NOW)["hall"] == 1
    week_later = datetime(2026, 11, 28, 9, 0)  # both past their deadlines; the escalated one counted once
    assert mt.queue_counts(db, supervisor, now_local=week_later)["hall"] == 2
    assert mt.queue_counts(db, clerk, now_local=week_later)["overdue"] == 2
    # the hall's queue is a supervisor's only: not counted, not listed for a clerk
    assert "hall" not in mt.queue_counts(db, clerk, now_local=week_later) and "hall" not in mt.queues_for(clerk)
    assert set(mt.queue_counts(db, supervisor, now_local=week_later)) == set(mt.queues_for(supervisor)) == set(mt.QUEUES)
    mt.transfer(db, clerk, mine.matter_id, "wangqiang", "计量班", "现场")
    assert [r.matter_no for r in mt.queue(db, supervisor, "assigned", now_local=NOW)] == [mine.matter_no]
    mt.record_contact(db, clerk, mine.matter_id, "已电话联系")  # uncontacted, it would be overdue by now (first contact)
    due_soon = mt.queue(db, clerk, "due_soon", now_local=datetime(2026, 11, 27, 9, 0))
    assert [r.matter_no for r in due_soon] == [mine.matter_no]


def test_walk_in_without_account_becomes_a_potential_customer(db, clerk):
    r = mt.register(
        db,
        clerk,
        mt.MatterInput(type="new_connection", description="新建住宅申请装表", new_customer_name="李四", new_customer_phone="13900001111"),
        registered_local=NOW,
    )
    with db.read() as s:
        m = s.get(Matter, r.matter_id)
    f = cs.load_customer_file(db, clerk, m.customer_id)
    assert f.relationship_status == "potential" and f.name == "李四"
    with pytest.raises(ValidationError):
        mt.register(db, clerk, mt.MatterInput(type="inquiry", description="问", new_customer_name="王五"))  # no phone


def test_outage_warns_customers_of_the_area_until_it_ends(db, clerk, supervisor, cust):
    start, end = datetime(2026, 11, 25, 8, 0), datetime(2026, 11, 25, 17, 0)
    with pytest.raises(PermissionDenied):
        outages.register_outage(db, clerk, "R1", "", start, end, "线路检修", now_local=NOW)
    with pytest.raises(ValidationError):
        outages.register_outage(db, supervisor, "", "", start, end, "线路检修", now_local=NOW)
    oid = outages.register_outage(db, supervisor, "", "幸福1号台区", start, end, "线路检修", now_local=NOW, short_notice=True)
    assert [o.reason for o in outages.outages_for_customer(db, cust[0], now_local=NOW)] == ["线路检修"]
    assert outages.outages_for_customer(db, cust[0], now_local=end + timedelta(minutes=1)) == []
    view, accounts = outages.affected_accounts(db, oid)
    assert [a.account_no for a in accounts] == ["3301000001"] and accounts[0].name == "张*丰"


def test_receipt_pdf_names_number_owner_and_promised_date(db, clerk, cust):
    r = reg(db, clerk, cust, description="客户反映：" + "电费单上看不到用电量，" * 30)
    data, path = mt.print_receipt(db, clerk, r.matter_id, "A5")
    text = pdf_text(data)
    for needle in [
        "W-3301-2026-000001",
        "张*丰",
        "3301000001",
        "投诉",
        "营业",
        "2026-11-2723:59",
        "张丽(1001)",
        "城东营业厅",
        "电费单上看不到用电量，" * 30,
    ]:
        assert needle in text, needle
    for paper in ("80mm", "58mm"):
        assert "W-3301-2026-000001" in pdf_text(mt.print_receipt(db, clerk, r.matter_id, paper)[0])
    assert "重打" in pdf_text(mt.print_receipt(db, clerk, r.matter_id)[0])


def test_scanned_work_order_number_opens_the_customer(db, clerk, cust):
    from app.services import search

    r = reg(db, clerk, cust)
    assert search.resolve_scan(db, r.matter_no).name == "张三丰"


# ------------------------------------------------------------------ outages: refused input, the list, reprints


def outage_count(db):
    from app.models import Outage

    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Outage))


@pytest.mark.parametrize(
    "routes, areas, field, needle",
    [
        ("D99999", "", "routes", "D99999"),
        ("R1, D99999", "", "routes", "D99999"),
        ("", "无此台区", "areas", "无此台区"),
        ("R1", "幸福1号台区，空台区", "areas", "空台区"),
    ],
)
def test_an_outage_on_a_route_or_area_without_accounts_is_refused_at_the_field(db, supervisor, cust, routes, areas, field, needle):
    start, end = NOW + timedelta(days=7), NOW + timedelta(days=7, hours=8)
    with pytest.raises(ValidationError) as err:
        outages.register_outage(db, supervisor, routes, areas, start, end, "线路检修", now_local=NOW)
    assert err.value.field == field and needle in err.value.text()
    assert outage_count(db) == 0


def test_an_outage_already_over_is_refused_one_going_on_is_accepted(db, supervisor, cust):
    with pytest.raises(ValidationError) as err:
        outages.register_outage(db, supervisor, "R1", "", NOW - timedelta(days=2), NOW - timedelta(days=1), "抢修", now_local=NOW)
    assert err.value.field == "ends_at" and "before now" in err.value.text()
    with pytest.raises(ValidationError) as err:  # several faults at once, each at its field
        outages.register_outage(db, supervisor, "D99999", "", NOW - timedelta(days=2), NOW - timedelta(days=1), "", now_local=NOW)
    assert set(err.value.errors) == {"routes", "ends_at", "reason"}
    assert outage_count(db) == 0
    outages.register_outage(
        db, supervisor, "R1", "", NOW - timedelta(hours=1), NOW + timedelta(hours=3), "抢修", now_local=NOW, short_notice=True
    )
    assert outage_count(db) == 1


def test_current_and_coming_outages_are_listed_and_the_notice_reprinted(db, clerk, supervisor, cust, _data_dir):
    soon = outages.register_outage(
        db, supervisor, "R1", "", NOW + timedelta(days=7), NOW + timedelta(days=7, hours=9), "10kV线路检修", now_local=NOW
    )
    going = outages.register_outage(
        db, supervisor, "", "幸福1号台区", NOW - timedelta(hours=1), NOW + timedelta(hours=2), "抢修", now_local=NOW, short_notice=True
    )
    listed = outages.current_outages(db, NOW)
    assert [o.id for o in listed] == [going, soon] and [o.state(NOW) for o in listed] == ["current", "coming"]
    assert [o.accounts for o in listed] == [1, 1]
    assert outages.current_outages(db, NOW + timedelta(days=30)) == []
    first, path1 = outages.print_notice(db, supervisor, soon)
    again, path2 = outages.print_notice(db, clerk, soon)  # any clerk prints it for a customer
    t1, t2 = pdf_text(first), pdf_text(again)
    for text in (t1, t2):
        assert "3301000001" in text and "张*丰" in text and "10kV线路检修" in text and "0571-95598" in text and "城东营业厅" in text
    assert "重打" not in t1 and "重打" in t2
    assert path1.endswith(".pdf") and "-reprint-1.pdf" in path2 and (_data_dir / "archive" / "outage").is_dir()
    from pathlib import Path

    assert Path(path1).exists() and Path(path2).exists()
    from app.models import AuditEntry

    with db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity == "outage", AuditEntry.entity_id == str(soon), AuditEntry.action.in_(("print", "reprint")))
            )
            == 2
        )


# ------------------------------------------------------------------ scopes: new connection, fault


def test_the_account_sets_the_new_connection_scope_and_the_receipt_says_it(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="城东机械厂", phone="057188886666", kind="enterprise"))
    aid = cs.create_account(
        db, clerk, cid, cs.AccountInput(supply_address="开发区8号", usage_category="large_industry", voltage_level="10kV")
    )
    r = mt.register(
        db, clerk, mt.MatterInput(type="new_connection", description="新厂房报装", customer_id=cid, account_id=aid), registered_local=NOW
    )
    assert r.scope == "hv_single" and r.deadline == datetime(2026, 12, 22, 23, 59, 59)  # 22 working days
    dual = mt.register(
        db,
        clerk,
        mt.MatterInput(type="new_connection", description="双电源报装", customer_id=cid, account_id=aid, scope="hv_dual"),
        registered_local=NOW,
    )
    assert dual.scope == "hv_dual"
    assert mt.detail(db, r.matter_id).scope == "hv_single"
    text = pdf_text(mt.print_receipt(db, clerk, r.matter_id)[0])
    assert "新装" in text and "高压单电源" in text and "2026-12-2223:59" in text
    with pytest.raises(ValidationError) as err:
        mt.register(db, clerk, mt.MatterInput(type="new_connection", description="x", customer_id=cid, scope="huge"), registered_local=NOW)
    assert err.value.field == "scope"


def test_a_fault_in_a_village_promises_arrival_in_90_minutes(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李大山", phone="13900002222"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="桃源村3组12号"))
    r = mt.register(db, clerk, mt.MatterInput(type="fault", description="整村停电", customer_id=cid, account_id=aid), registered_local=NOW)
    assert r.scope == "rural" and r.deadline == NOW + timedelta(minutes=90)
    assert mt.suggested_scope(db, "fault", aid) == "rural" and mt.suggested_scope(db, "fault") == "urban"
    assert mt.suggested_scope(db, "complaint", aid) == ""
    remote = mt.register(
        db,
        clerk,
        mt.MatterInput(type="fault", description="山区线路断线", customer_id=cid, account_id=aid, scope="remote"),
        registered_local=NOW,
    )
    assert remote.deadline == NOW + timedelta(hours=2)
    text = pdf_text(mt.print_receipt(db, clerk, r.matter_id)[0])
    assert "2026-11-2011:30" in text and "农村" in text and "抢修人员" in text


# ------------------------------------------------------------------ first contact (complaints: 24 h)


def test_a_complaint_waits_in_due_soon_for_its_first_contact_then_is_overdue(db, clerk, supervisor, cust):
    r = reg(db, clerk, cust)  # contact by 21 Nov 10:00, answer by 27 Nov
    inquiry = reg(db, clerk, cust, "inquiry")  # due 23 Nov 23:59: not within 24 h of NOW
    names = lambda q, now: [m.matter_no for m in mt.queue(db, clerk, q, now_local=now)]  # noqa: E731
    assert names("due_soon", NOW) == [r.matter_no] and names("overdue", NOW) == []
    row = mt.queue(db, clerk, "due_soon", now_local=NOW)[0]
    assert row.contact_pending and row.timing(NOW) == "contact_due"
    later = NOW + timedelta(hours=25)
    assert names("overdue", later) == [r.matter_no] and r.matter_no not in names("due_soon", later)
    assert mt.queue(db, clerk, "overdue", now_local=later)[0].timing(later) == "contact_overdue"
    # when its answer is due soon too, a late first contact keeps it in overdue only
    last_day = datetime(2026, 11, 27, 9, 0)
    assert names("overdue", last_day) == [inquiry.matter_no, r.matter_no] and names("due_soon", last_day) == []
    assert mt.queue_counts(db, clerk, now_local=last_day)["due_soon"] == 0
    for when in (NOW, later, last_day):  # the counts are the lists' lengths; pages continue each other
        counts = mt.queue_counts(db, clerk, now_local=when)
        for q in ("due_soon", "overdue"):
            full = names(q, when)
            assert counts[q] == len(full)
            assert [m.matter_no for m in mt.queue(db, clerk, q, limit=1, offset=1, now_local=when)] == full[1:2]
    assert mt.queue_counts(db, clerk, now_local=later)["overdue"] == 1
    assert mt.escalate_overdue(db, supervisor, now_local=later) == 1
    with db.read() as s:
        assert s.get(Matter, r.matter_id).escalated_reason == "contact_overdue"
    assert "contact" in mt.detail(db, r.matter_id).allowed
    mt.record_contact(db, clerk, r.matter_id, "已电话联系客户，说明将于五个工作日内答复")
    assert names("overdue", later) == []
    assert [m.timing(later) for m in mt.queue(db, clerk, "mine", now_local=later) if m.matter_no == r.matter_no] == ["on_time"]
    d = mt.detail(db, r.matter_id)
    assert d.contacted and "contact" not in d.allowed and d.history[-1].action == "contact"
    with pytest.raises(UserError):
        mt.record_contact(db, clerk, r.matter_id, "再次联系")
    with pytest.raises(UserError):
        mt.record_contact(db, clerk, inquiry.matter_id, "联系")  # no first-contact limit
    with pytest.raises(ValidationError):
        mt.record_contact(db, clerk, r.matter_id, " ")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ContactRecord).where(ContactRecord.ref_id == r.matter_id)) == 2


def test_a_reply_counts_as_the_first_contact(db, clerk, cust):
    r = reg(db, clerk, cust)
    for action in ("start", "resolve", "reply"):
        _do(db, clerk, r.matter_id, action)
    later = NOW + timedelta(hours=30)
    assert [m.matter_no for m in mt.queue(db, clerk, "overdue", now_local=later)] == []
    assert mt.detail(db, r.matter_id).contacted


# ------------------------------------------------------------------ one-time notice


def test_checklist_prints_the_hall_phone_and_is_archived(db, clerk, _data_dir):
    from app.services.handling import checklists

    data, path = checklists.print_checklist(db, clerk, "name_transfer")
    text = pdf_text(data)
    assert "过户" in text and "0571-95598" in text and "城东营业厅" in text
    assert path.startswith(str(_data_dir / "archive" / "checklist")) and "name_transfer-3301-" in path
    data2, path2 = checklists.print_checklist(db, clerk, "name_transfer")
    assert path2 != path and len(list((_data_dir / "archive" / "checklist").rglob("*.pdf"))) == 2
    with pytest.raises(UserError):
        checklists.print_checklist(db, clerk, "praise")


def test_a_reply_is_a_first_contact_and_the_time_limit_scope_is_kept_on_the_matter(db, clerk, cust):
    r = reg(db, clerk, cust)
    fault = reg(db, clerk, cust, "fault", scope="rural")
    with db.read() as s:
        assert s.get(Matter, fault.matter_id).deadline_scope == "rural" and s.get(Matter, r.matter_id).contacted_at is None
    for step in ("start", "resolve", "reply"):  # no separate "contact": the reply to the customer meets the 24-hour limit
        _do(db, clerk, r.matter_id, step)
    later = NOW + timedelta(hours=25)
    assert r.matter_no not in [m.matter_no for m in mt.queue(db, clerk, "overdue", now_local=later)]
    d = mt.detail(db, r.matter_id)
    assert d.contacted and not d.row.contact_pending and mt.detail(db, fault.matter_id).scope == "rural"


def test_migration_0008_fills_first_contact_and_scope_from_the_history(db, clerk, cust):
    """Stores from before 0008 kept both only in matter_events: downgrade, upgrade, and they come back."""
    from alembic import command

    from app.db.migrate import alembic_config, current_revision, head_revision

    contacted = reg(db, clerk, cust)
    mt.record_contact(db, clerk, contacted.matter_id, "已电话联系")
    pending = reg(db, clerk, cust)
    fault = reg(db, clerk, cust, "fault", scope="remote")
    with db.read() as s:
        first_contact = s.get(Matter, contacted.matter_id).contacted_at
    cfg = alembic_config()
    for target, step in (("0007_matter_contact_index", command.downgrade), ("head", command.upgrade)):
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, target)
    db.engine.dispose()
    assert current_revision(db.engine) == head_revision()
    with db.read() as s:
        assert s.get(Matter, contacted.matter_id).contacted_at == first_contact
        assert s.get(Matter, pending.matter_id).contacted_at is None
        assert s.get(Matter, fault.matter_id).deadline_scope == "remote"
    later = NOW + timedelta(hours=25)
    overdue = [m.matter_no for m in mt.queue(db, clerk, "overdue", now_local=later)]
    assert pending.matter_no in overdue and contacted.matter_no not in overdue


def test_a_planned_outage_is_announced_the_pledged_days_ahead_or_registered_as_short_notice(db, supervisor, cust):
    from app.models import AuditEntry
    from app.services import settings

    six_days = NOW + timedelta(days=6)  # 26 Nov; the pledge is 7 days: 27 Nov at the earliest
    with pytest.raises(ValidationError) as err:
        outages.register_outage(db, supervisor, "R1", "", six_days, six_days + timedelta(hours=8), "线路检修", now_local=NOW)
    assert err.value.field == "starts_at" and "2026-11-27" in err.value.text() and outage_count(db) == 0
    seven = outages.register_outage(
        db, supervisor, "R1", "", datetime(2026, 11, 27, 8, 0), datetime(2026, 11, 27, 17, 0), "线路检修", now_local=NOW
    )
    urgent = outages.register_outage(
        db, supervisor, "R1", "", six_days, six_days + timedelta(hours=8), "线路检修", now_local=NOW, short_notice=True
    )
    days = {o.id: (o.notice_days, o.short_notice) for o in outages.current_outages(db, NOW)}
    assert days == {seven: (7, False), urgent: (6, True)}
    with db.read() as s:
        flags = {
            eid: json.loads(after)["short_notice"]
            for eid, after in s.execute(select(AuditEntry.entity_id, AuditEntry.after).where(AuditEntry.entity == "outage"))
        }
    assert flags == {str(seven): False, str(urgent): True}
    with db.write() as s:  # a company that pledges 3 days
        settings.put(s, "outages.notice_days", 3)
    outages.register_outage(db, supervisor, "R1", "", NOW + timedelta(days=3), NOW + timedelta(days=3, hours=2), "线路检修", now_local=NOW)
    assert outage_count(db) == 3
