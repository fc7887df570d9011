"""The vocabulary of matter kinds (one entry per kind), the registration's structured history row, the
company's warning window on the customer screen's rows, F7's first contact, and the module rules of
the handling services — on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.kernel.errors import UserError, ValidationError
from app.models import AuditEntry, ContactRecord, Matter, MatterEvent
from app.paths import resource_path
from app.services import customers as cs
from app.services import settings
from app.services.handling import deadlines, kinds
from app.services.handling import matters as mt
from tests.pdfcheck import pdf_text

NOW = datetime(2026, 11, 20, 10, 0)  # a Friday
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cust(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    aid = cs.create_account(
        db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", reading_route="R1", transformer_area="幸福1号台区")
    )
    return cid, aid


def reg(db, actor, cust, kind="complaint", when=NOW, **kw):
    data = mt.MatterInput(
        type=kind,
        description=kw.pop("description", "电费单看不懂，要求说明"),
        customer_id=cust[0],
        account_id=cust[1],
        complaint_type=kw.pop("complaint_type", "business" if kind == "complaint" else ""),
        **kw,
    )
    return mt.register(db, actor, data, registered_local=when)


def contact_kind(db, matter_id) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(ContactRecord.kind).where(ContactRecord.ref_id == matter_id).order_by(ContactRecord.at)))


# ------------------------------------------------------------------ one entry per kind


def add_kind(monkeypatch, data_dir: Path, kind: kinds.MatterKind, rule: str) -> None:
    """A new kind: its entry in the vocabulary and its line in (the administrator's copy of) the time-limit file."""
    monkeypatch.setitem(kinds.KINDS, kind.name, kind)
    shipped = resource_path("handling", "time_limits.toml").read_text(encoding="utf-8")
    (data_dir / "handling").mkdir(exist_ok=True)
    (data_dir / "handling" / "time_limits.toml").write_text(
        shipped.replace("[types]\n", f"[types]\n{kind.name} = {rule}\n", 1), encoding="utf-8"
    )


def test_a_new_kind_is_one_entry_plus_its_time_limit_and_registers_end_to_end(db, clerk, cust, monkeypatch, _data_dir):
    relocation = kinds.MatterKind("meter_relocation", "Meter relocation", "application", call_back=True, application=True)
    # without its time limit the file is refused, naming the missing entry
    monkeypatch.setitem(kinds.KINDS, relocation.name, relocation)
    with pytest.raises(UserError) as err:
        mt.preview(db, mt.MatterInput(type="meter_relocation", description="x", customer_id=cust[0]), NOW)
    assert "types.meter_relocation" in err.value.text()
    add_kind(monkeypatch, _data_dir, relocation, "{ working_days = 3 }")

    r = reg(db, clerk, cust, "meter_relocation", description="电表移到院外")
    assert r.deadline == datetime(2026, 11, 25, 23, 59, 59)  # Mon, Tue, Wed
    assert contact_kind(db, r.matter_id) == ["application"]
    d = mt.detail(db, r.matter_id)
    register_row = d.history[0]
    assert (register_row.rule_count, register_row.rule_unit, register_row.scope, register_row.repeat_count) == (3, "working_days", "", 0)
    assert [m.matter_no for m in mt.queue(db, clerk, "mine", now_local=NOW)] == [r.matter_no]
    # its rules: closed only after a call-back (the entry says so), not answerable at once
    assert "answer_and_close" not in mt.detail(db, r.matter_id).allowed
    mt.start(db, clerk, r.matter_id)
    mt.resolve(db, clerk, r.matter_id, "已移表")
    mt.reply(db, clerk, r.matter_id, "已告知客户")
    with pytest.raises(UserError):
        mt.close(db, clerk, r.matter_id)
    assert "answer_and_close" not in mt.detail(db, r.matter_id).allowed
    # the receipt names it and promises an answer
    pdf, _path = mt.print_receipt(db, clerk, r.matter_id, tr=lambda _c, text: text)
    text = pdf_text(pdf)  # (without spaces)
    assert "Meterrelocation" in text and "Wepromiseananswerby" in text and "2026-11-2523:59" in text


def test_the_receipt_wording_comes_from_the_kind(db, clerk, cust, monkeypatch, _data_dir):
    visit = kinds.MatterKind("site_visit", "Site visit", "other", promise=kinds.PROMISE_ARRIVAL)
    add_kind(monkeypatch, _data_dir, visit, "{ hours = 4 }")
    r = reg(db, clerk, cust, "site_visit", description="上门查看")
    text = pdf_text(mt.print_receipt(db, clerk, r.matter_id, tr=lambda _c, t: t)[0])
    assert "Sitevisit" in text and "Arepaircrewwillbewithyouby" in text and "2026-11-2014:00" in text


def test_every_kind_has_its_time_limit_a_known_contact_kind_and_a_translated_label():
    from app.printing.labels import ts_translator

    limits = deadlines.read_limits(resource_path("handling", "time_limits.toml"))
    zh = ts_translator("zh_CN")
    for kind in kinds.KINDS.values():
        assert kind.name in limits.types
        assert kind.contact_kind in cs.CONTACT_KINDS
        assert zh(kinds.LABEL_CONTEXT, kind.label) != kind.label, kind.name
        for scope in kind.scopes:  # every named scope is one the file has
            assert scope in limits.scopes(kind.name), (kind.name, scope)
    assert [k for k in kinds.names() if kinds.get(k).answer_at_once] == ["inquiry"]
    assert sorted(k for k in kinds.names() if kinds.get(k).call_back) == ["complaint", "misconduct"]
    with pytest.raises(ValidationError) as err:
        kinds.get("telepathy")
    assert err.value.field == "type"


def test_a_fault_report_is_filed_as_a_fault_in_the_contact_record(db, clerk, cust):
    fault = reg(db, clerk, cust, "fault", description="整栋楼停电")
    complaint = reg(db, clerk, cust)
    new = reg(db, clerk, cust, "new_connection", description="新装")
    assert contact_kind(db, fault.matter_id) == ["fault"]  # it was "other"
    assert contact_kind(db, complaint.matter_id) == ["complaint"]
    assert contact_kind(db, new.matter_id) == ["application"]


# ------------------------------------------------------------------ the registration's history row


def test_the_registration_keeps_rule_scope_and_repeats_as_fields(db, clerk, cust):
    reg(db, clerk, cust)
    second = reg(db, clerk, cust, when=NOW + timedelta(hours=1))
    fault = reg(db, clerk, cust, "fault", scope="remote")
    with db.read() as s:
        rows = {e.matter_id: e for e in s.scalars(select(MatterEvent).where(MatterEvent.action == "register"))}
    assert (rows[second.matter_id].rule_count, rows[second.matter_id].rule_unit, rows[second.matter_id].repeat_count) == (
        5,
        "working_days",
        1,
    )
    assert (rows[fault.matter_id].rule_count, rows[fault.matter_id].rule_unit, rows[fault.matter_id].scope) == (2, "hours", "remote")
    assert rows[fault.matter_id].note == ""


def test_migration_0012_fills_the_fields_from_the_notes_of_older_stores(tmp_path):
    """A store at 0011 whose register rows say their rule only in the note: after upgrading they are fields."""
    import uuid

    from alembic import command
    from sqlalchemy import create_engine, text

    from app.db.migrate import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0011_counter_service")
    notes = {
        "45 minutes [urban]": (45, "minutes", "urban", 0),
        "5 working days; repeat 2": (5, "working_days", "", 2),
        "24 hours": (24, "hours", "", 0),
        "free text someone wrote": None,
    }
    ids = {}
    with engine.begin() as conn:
        for note in notes:
            ids[note] = uuid.uuid4()
            conn.execute(
                text(
                    "INSERT INTO matter_events (id, matter_id, at, action, from_state, to_state, note) "
                    "VALUES (:id, :mid, :at, 'register', '', 'registered', :note)"
                ),
                {"id": ids[note].hex, "mid": uuid.uuid4().hex, "at": NOW, "note": note},
            )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012_matter_event_rule")
    with engine.connect() as conn:
        got = {row.id: row for row in conn.execute(text("SELECT id, note, rule_count, rule_unit, scope, repeat_count FROM matter_events"))}
    for note, want in notes.items():
        row = got[ids[note].hex]
        if want is None:
            assert (row.note, row.rule_unit) == (note, "")  # not a registration note: left as written
        else:
            assert (row.rule_count, row.rule_unit, row.scope, row.repeat_count) == want and row.note == ""
    with engine.begin() as conn:  # and back: the notes are written again
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011_counter_service")
    with engine.connect() as conn:
        back = {row.id: row.note for row in conn.execute(text("SELECT id, note FROM matter_events"))}
    engine.dispose()
    assert {note: back[ids[note].hex] for note in notes} == {note: note for note in notes}


# ------------------------------------------------------------------ the company's warning window


def test_the_customer_screens_rows_follow_the_warning_setting_like_the_queues(db, admin, clerk, cust):
    r = reg(db, clerk, cust, "inquiry")  # due 2026-11-23 23:59:59
    now = datetime(2026, 11, 22, 8, 0)  # 40 hours before
    assert [m.timing(now) for m in mt.customer_matters(db, cust[0])] == ["on_time"]
    assert r.matter_no not in [m.matter_no for m in mt.queue(db, clerk, "due_soon", now_local=now)]
    settings.set_setting(db, admin, "matters.warn_before_hours", "48")
    in_queue = [m.matter_no for m in mt.queue(db, clerk, "due_soon", now_local=now)]
    on_screen = [m.timing(now) for m in mt.customer_matters(db, cust[0])]
    assert in_queue == [r.matter_no] and on_screen == ["due_soon"]  # it read "on time" beside the Due soon tab


def test_a_complaints_first_contact_is_due_by_the_same_window(db, admin, clerk, cust):
    reg(db, clerk, cust)  # contact by 2026-11-21 10:00
    settings.set_setting(db, admin, "matters.warn_before_hours", "1")
    early = NOW + timedelta(hours=2)
    assert [m.timing(early) for m in mt.customer_matters(db, cust[0])] == ["on_time"]
    settings.set_setting(db, admin, "matters.warn_before_hours", "48")
    assert [m.timing(early) for m in mt.customer_matters(db, cust[0])] == ["contact_due"]


# ------------------------------------------------------------------ F7: the first contact


def test_f7_offers_a_pending_first_contact_and_recording_it_so_satisfies_it(db, clerk, cust):
    complaint = reg(db, clerk, cust)
    reg(db, clerk, cust, "inquiry")  # no first-contact limit: not offered
    links = cs.pending_contact_links(db, cust[0])
    assert [(x.ref_id, x.number, x.due_by, x.kind) for x in links] == [
        (complaint.matter_id, complaint.matter_no, NOW + timedelta(hours=24), "complaint")
    ]
    cs.record_contact(db, clerk, cust[0], "phone", "inquiry", "已电话联系客户，说明五个工作日内答复", link=complaint.matter_id)
    with db.read() as s:
        m = s.get(Matter, complaint.matter_id)
        assert m.contacted_at is not None
        events = [(e.action, e.note) for e in s.scalars(select(MatterEvent).where(MatterEvent.matter_id == m.id).order_by(MatterEvent.at))]
        audits = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(m.id)))]
    assert events[-1] == ("contact", "已电话联系客户，说明五个工作日内答复")
    assert "contact" in audits
    assert contact_kind(db, complaint.matter_id) == ["complaint", "complaint"]  # registration's and this one, filed under the matter
    assert cs.pending_contact_links(db, cust[0]) == []
    later = NOW + timedelta(hours=25)  # past the 24 hours: no longer overdue by its first contact
    assert complaint.matter_no not in [m.matter_no for m in mt.queue(db, clerk, "overdue", now_local=later)]
    assert [m.timing(later) for m in mt.customer_matters(db, cust[0]) if m.matter_no == complaint.matter_no] == ["on_time"]


def test_f7_refuses_a_first_contact_that_is_no_longer_pending_and_saves_nothing(db, clerk, cust):
    complaint = reg(db, clerk, cust)
    mt.record_contact(db, clerk, complaint.matter_id, "已联系")
    other = cs.create_customer(db, clerk, cs.CustomerInput(name="李四", phone="13900001111"))
    second = reg(db, clerk, cust, when=NOW + timedelta(hours=1))
    with db.read() as s:
        before = s.query(ContactRecord).count()
    with pytest.raises(ValidationError) as err:
        cs.record_contact(db, clerk, cust[0], "counter", "inquiry", "再次联系", link=complaint.matter_id)
    assert err.value.field == "link"
    with pytest.raises(ValidationError):  # another customer's matter is not offered, nor accepted
        cs.record_contact(db, clerk, other, "counter", "inquiry", "联系", link=second.matter_id)
    with db.read() as s:
        assert s.query(ContactRecord).count() == before
        assert s.get(Matter, second.matter_id).contacted_at is None


# ------------------------------------------------------------------ module rules


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_deadlines_and_the_data_files_do_not_import_matters():
    """The lazy import circle deadlines <-> matters is gone: the vocabulary sits below both."""
    folder = ROOT / "app" / "services" / "handling"
    for name in ("deadlines.py", "checklists.py", "kinds.py", "datafiles.py", "calendar.py"):
        assert "app.services.handling.matters" not in _imports(folder / name), name
    assert not any(m.startswith("app.services.handling.") and m != "app.services.handling.kinds" for m in _imports(folder / "kinds.py"))


def test_contact_channels_are_defined_once():
    assert mt.CHANNELS is cs.CHANNELS
    tuples = [
        p for p in (ROOT / "app").rglob("*.py") if '("counter", "phone", "letter", "visit", "online")' in p.read_text(encoding="utf-8")
    ]
    assert tuples == [ROOT / "app" / "services" / "customers.py"]
