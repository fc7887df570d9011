"""The audit log keeps ID and phone numbers masked, with a keyed hash that proves which number it was."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from app.models import AuditEntry
from app.services import audit
from app.services import customers as cs

ID_NUMBER = "330102199001011234"
PHONE = "13800138000"


def test_customer_entries_keep_masked_numbers_and_a_keyed_hash(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", id_number=ID_NUMBER, phone=PHONE))
    cs.update_customer(db, clerk, cid, cs.CustomerInput(name="张三丰", id_number=ID_NUMBER, phone="13900139000", version=_version(db, cid)))
    with db.read() as s:
        raw = " ".join(b + a for b, a in s.execute(select(AuditEntry.before, AuditEntry.after)))
        created = json.loads(s.scalar(select(AuditEntry.after).where(AuditEntry.entity == "customer", AuditEntry.action == "create")))
        updated = s.execute(
            select(AuditEntry.before, AuditEntry.after).where(AuditEntry.entity == "customer", AuditEntry.action == "update")
        ).one()
        assert ID_NUMBER not in raw and PHONE not in raw and "13900139000" not in raw  # nowhere in the log
        assert created["id_number"] == "330102********1234" and created["phone"] == "138****8000"
        assert audit.proves(s, ID_NUMBER, created["id_number_hmac"]) and audit.proves(s, PHONE, created["phone_hmac"])
        assert not audit.proves(s, "330102199001015678", created["id_number_hmac"])
        before, after = json.loads(updated.before), json.loads(updated.after)
        assert before["phone"] == "138****8000" and after["phone"] == "139****9000"
        assert audit.proves(s, "13900139000", after["phone_hmac"])
        assert audit.verify(s).ok
        assert s.scalar(text("SELECT count(*) FROM settings WHERE key = 'audit.hmac_key'")) == 1


def _version(db, cid):
    from app.models import Customer

    with db.read() as s:
        return s.get(Customer, cid).version
