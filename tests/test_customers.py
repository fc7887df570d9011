"""Customer files: create/edit with field errors, version conflicts, accounts, meters, contacts, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.kernel.errors import ConflictError, ValidationError
from app.models import AuditEntry, Customer
from app.services import audit
from app.services import customers as cs

GOOD_ID = "11010519491231002X"


def _customer(db, actor, name="张三丰", **kw):
    data = cs.CustomerInput(
        name=name,
        id_number=kw.pop("id_number", GOOD_ID),
        phone=kw.pop("phone", "13812345678"),
        address=kw.pop("address", "城东街道幸福路18号"),
        **kw,
    )
    return cs.create_customer(db, actor, data)


def test_create_customer_account_meter_and_load_file(db, clerk):
    cid = _customer(db, clerk)
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="城东街道幸福路18号", reading_route="R001"))
    cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301000000001", digits="6", multiplier="40"))
    f = cs.load_customer_file(db, clerk, cid)
    assert f.name == "张三丰" and f.id_number is None and f.id_number_masked == "110105********002X"
    assert f.phone_masked == "138****5678" and f.phone is None
    assert [a.account_no for a in f.accounts] == ["3301000001"]
    assert f.accounts[0].meters[0].multiplier == 40 and f.accounts[0].account_name == "张三丰"


def test_supervisor_sees_full_identity(db, clerk, supervisor):
    cid = _customer(db, clerk)
    f = cs.load_customer_file(db, supervisor, cid)
    assert f.id_number == GOOD_ID and f.phone == "13812345678"


def test_field_errors_and_nothing_saved(db, clerk):
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Customer))
    with pytest.raises(ValidationError) as err:
        cs.create_customer(db, clerk, cs.CustomerInput(name="", id_number="110105194912310021", phone="12345"))
    assert set(err.value.errors) == {"name", "id_number", "phone"}
    assert "check digit" in err.value.errors["id_number"].message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == before


def test_second_stale_save_is_refused_and_first_edit_survives(db, clerk, supervisor):
    cid = _customer(db, clerk)
    first = cs.load_customer_for_edit(db, clerk, cid)
    second = cs.load_customer_for_edit(db, supervisor, cid)
    first.address = "城西街道和平路1号"
    cs.update_customer(db, clerk, cid, first)
    second.address = "别的地址"
    with pytest.raises(ConflictError):
        cs.update_customer(db, supervisor, cid, second)
    assert cs.load_customer_file(db, clerk, cid).address == "城西街道和平路1号"


def test_account_numbers_follow_the_station_and_cannot_repeat(db, clerk):
    cid = _customer(db, clerk)
    a1 = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="一号"))
    cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="二号"))
    nos = [a.account_no for a in cs.load_customer_file(db, clerk, cid).accounts]
    assert nos == ["3301000001", "3301000002"]
    with pytest.raises(ValidationError) as err:
        cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="三号", account_no="3301000001"))
    assert err.value.field == "account_no"
    view = cs.load_customer_file(db, clerk, cid).accounts[0]
    edit = cs.account_input(view)
    edit.reading_route = "R777"
    cs.update_account(db, clerk, a1, edit)
    with pytest.raises(ConflictError):
        cs.update_account(db, clerk, a1, edit)  # the same (now stale) version again


def test_meter_validation(db, clerk):
    cid = _customer(db, clerk)
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="一号"))
    with pytest.raises(ValidationError) as err:
        cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301000001", digits="3", multiplier="-1", initial_reading="1.234"))
    assert set(err.value.errors) >= {"meter_no", "digits", "multiplier"}


def test_potential_customer_needs_phone(db, clerk):
    with pytest.raises(ValidationError) as err:
        cs.create_customer(db, clerk, cs.CustomerInput(name="李四", relationship_status="potential"))
    assert err.value.field == "phone"
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四", relationship_status="potential", phone="13900001111"))
    assert cs.load_customer_file(db, clerk, cid).accounts == []


def test_contacts_newest_first_and_every_change_audited(db, clerk):
    cid = _customer(db, clerk)
    cs.record_contact(db, clerk, cid, "counter", "inquiry", "询问电价")
    cs.record_contact(db, clerk, cid, "phone", "inquiry", "询问停电时间")
    contacts = cs.list_contacts(db, cid)
    assert [c.summary for c in contacts] == ["询问停电时间", "询问电价"] and contacts[0].clerk_name == "张丽"
    from app.kernel.localtime import local_now  # shown in the station's time, like payments and matters

    assert abs((local_now() - contacts[0].at).total_seconds()) < 120
    with pytest.raises(ValidationError):
        cs.record_contact(db, clerk, cid, "counter", "inquiry", "   ")
    with db.read() as s:
        actions = s.execute(select(AuditEntry.action, AuditEntry.entity).where(AuditEntry.entity.in_(["customer", "contact"]))).all()
        assert ("create", "customer") in actions and actions.count(("create", "contact")) == 2
        assert audit.verify(s).ok


def test_mobile_with_plus_86_is_stored_as_eleven_digits_and_found(db, clerk, supervisor):
    from app.services import search

    cid = _customer(db, clerk, phone="+86 139 1234 5678")
    assert cs.load_customer_file(db, supervisor, cid).phone == "13912345678"
    assert [r.customer_id for r in search.search(db, "13912345678")] == [cid]


def test_id_number_with_unknown_region_or_future_birth_is_refused_at_the_field(db, clerk):
    from app.services.validation import id_check_digit

    for first17 in ("00000019800501001", "11010530000101001"):
        with pytest.raises(ValidationError) as err:
            _customer(db, clerk, id_number=first17 + id_check_digit(first17))
        assert set(err.value.errors) == {"id_number"}
