"""A payment's locked tail in ONE statement on PostgreSQL (docs/PAYMENTS.md, "Round trips").

The receipt number and the station's audit head stay locked from the moment they are taken until
the commit, and every counter of the station waits for them: the time between is what limits
several counters. Taken in one statement and written in a second, they are held across two round
trips and the Python between them; here one statement takes the next number (the sequence's
upsert), locks the station's audit head, and from them writes everything that needs them: the
receipt number and verification code onto the payment, the contact record, the audit entry with
its hash, and the head's move. The server computes what Python computes elsewhere, to the same
characters: the number `R-<station>-<year>-<six digits>` (numbering.format_number), the audit
entry's `after` (audit.to_json of the same dict, with the number put in place of a marker), its
hash (audit.hash_of: SHA-256 of the fields joined by U+001F) and the verification code
(posting.verification_code). `audit.verify` checks every such entry like any other.

Used only where it can be: PostgreSQL, a store that does not sync (a syncing store's outbox notes
its rows from the statements' values, and this statement's values are made by the server), and a
station whose chain has its head row. Otherwise `take` returns the number alone (or None) and the
caller writes the tail as before (numbering.next_value + audit.record).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.kernel.context import Actor
from app.kernel.ids import new_id
from app.models import utcnow
from app.services import audit

MARK = "\u2063RECEIPT\u2063"  # stands for the receipt number in the entry's JSON (an invisible separator: never in data)

_TAIL = text(
    """
WITH num AS (
    INSERT INTO number_sequences (station_id, kind, year, last_value)
    VALUES (:t_station, 'receipt', :t_year, 1)
    ON CONFLICT (station_id, kind, year) DO UPDATE SET last_value = number_sequences.last_value + 1
    RETURNING last_value
), head AS (
    SELECT seq, hash FROM audit_head WHERE station_id = :t_station FOR UPDATE
), v AS (
    SELECT num.last_value AS n, head.seq + 1 AS seq, head.hash AS prev,
           CAST(:t_prefix AS text)
           || CASE WHEN num.last_value < 1000000 THEN lpad(num.last_value::text, 6, '0') ELSE num.last_value::text END AS rno
    FROM num CROSS JOIN head
), w AS (
    SELECT v.*, replace(CAST(:t_after AS text), CAST(:t_mark AS text), v.rno) AS after FROM v
), h AS (
    SELECT w.*, encode(sha256(convert_to(
               w.seq::text || chr(31) || CAST(:t_at_text AS text) || chr(31) || CAST(:t_station_text AS text) || chr(31)
               || CAST(:t_clerk_text AS text) || chr(31) || CAST(:t_action AS text) || chr(31) || CAST(:t_entity AS text)
               || chr(31) || CAST(:t_entity_id AS text) || chr(31) || chr(31) || w.after || chr(31) || w.prev,
               'UTF8')), 'hex') AS hash
    FROM w
), pay AS (
    UPDATE payments
    SET receipt_no = h.rno,
        verification = upper(left(encode(sha256(convert_to(h.rno || CAST(:t_verify_tail AS text), 'UTF8')), 'hex'), 8))
    FROM h WHERE payments.id = :t_payment
    RETURNING payments.id
), contact AS (
    INSERT INTO contact_records (id, customer_id, account_id, station_id, clerk_id, at, channel, kind, summary, ref_id)
    SELECT :t_contact_id, :t_customer, :t_account, :t_station, :t_clerk, :t_at, 'counter', 'payment',
           h.rno || CAST(:t_contact_tail AS text), :t_payment
    FROM h
    RETURNING contact_records.id
), entry AS (
    INSERT INTO audit_log (id, seq, at, station_id, station_in_hash, clerk_id, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT :t_entry_id, h.seq, :t_at, :t_station, true, :t_clerk, :t_action, :t_entity, :t_entity_id, '', h.after, h.prev, h.hash
    FROM h
    RETURNING audit_log.id
), moved AS (
    UPDATE audit_head SET seq = h.seq, hash = h.hash FROM h WHERE audit_head.station_id = :t_station
    RETURNING audit_head.station_id
)
SELECT num.last_value, (SELECT rno FROM h), (SELECT count(*) FROM pay), (SELECT count(*) FROM entry),
       (SELECT count(*) FROM moved), (SELECT count(*) FROM contact)
FROM num
"""
)


def usable(s: Session) -> bool:
    """PostgreSQL and a store that does not sync (see the module)."""
    return s.get_bind().dialect.name == "postgresql" and s.info.get("sync") is None


def take(
    s: Session,
    actor: Actor,
    *,
    year: int,
    prefix: str,
    payment_id: uuid.UUID,
    amount_fen: int,
    amount_text: str,
    paid_at: datetime,
    account_no: str,
    account_id: uuid.UUID,
    customer_id: uuid.UUID,
    after: dict,
) -> tuple[int, str | None]:
    """Run the tail: (number, receipt number) when everything was written; (number, None) when the
    station's chain has no head row yet (only the number was taken: the caller writes the rest)."""
    at = utcnow()
    station = audit.station_of(actor)
    after_text = audit.to_json({**after, "receipt_no": MARK})
    if after_text.count(MARK) != 1:
        raise ValueError("the entry's marker must stand once, for the receipt number")
    entity_id = str(payment_id)
    row = s.execute(
        _TAIL,
        {
            "t_station": station,
            "t_year": year,
            "t_prefix": prefix,
            "t_after": after_text,
            "t_mark": MARK,
            "t_at": at,
            "t_at_text": at.isoformat(),
            "t_station_text": str(station),
            "t_clerk_text": str(actor.clerk_id or ""),
            "t_action": "post",
            "t_entity": "payment",
            "t_entity_id": entity_id,
            "t_verify_tail": f"|{amount_fen}|{paid_at.isoformat()}|{account_no}",
            "t_payment": payment_id,
            "t_contact_id": new_id(),
            "t_customer": customer_id,
            "t_account": account_id,
            "t_clerk": actor.clerk_id,
            "t_contact_tail": f" {amount_text}",
            "t_entry_id": new_id(),
        },
    ).one()
    number, receipt_no, paid, entries, moved, contacts = row
    if receipt_no is None:
        return number, None
    if (paid, entries, moved, contacts) != (1, 1, 1, 1):
        raise RuntimeError(f"the payment's tail wrote {paid, entries, moved, contacts} rows, not one each")
    return number, receipt_no
