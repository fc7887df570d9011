"""The texts issuing writes directly, for speed, are the texts the general encoders write: a bill's
`readings` JSON (json.dumps of its registers' values) and its audit entry (audit.to_json)."""

from __future__ import annotations

import json
import random
from decimal import Decimal

from app.services.audit import to_json
from app.services.billing import bills
from app.services.billing.bills import _ReadingRow

ODD = ["33019901000012", 'M"1', "表\\2", "tab\there", "新\n行", "\u2028", "😀", "a/b", ""]


def _decimal(rng) -> Decimal:
    if rng.random() < 0.1:  # the forms str() writes in exponent notation, should one ever come
        return rng.choice([Decimal("1E+3"), Decimal("1.5E-7"), Decimal("-0.000"), Decimal("0E-3")])
    return Decimal(rng.randrange(0, 10**9)).scaleb(-rng.choice([0, 1, 2, 3]))


def test_a_registers_reading_text_is_what_json_dumps_writes():
    rng = random.Random(7)
    for i in range(300):
        meter_no = rng.choice(ODD) if i % 3 == 0 else f"3301990{i:07d}"
        register = rng.choice(["total", "peak", "flat", "valley", "sharp", rng.choice(ODD)])
        r = _ReadingRow("m", register, _decimal(rng), _decimal(rng), _decimal(rng), rng.choice([True, False, None]))
        multiplier = rng.choice([Decimal(1), Decimal("80"), Decimal("1.5"), _decimal(rng)])
        shown = {
            "meter_no": meter_no,
            "register": register,
            "previous": str(r.previous_reading),
            "current": str(r.current_reading),
            "multiplier": str(multiplier),
            "usage": str(r.usage),
            "rolled_over": r.rolled_over,
        }
        text = bills._shown_text(meter_no, register, r, multiplier)
        assert text == json.dumps(shown, ensure_ascii=False)
        assert bills.readings_text([text, text]) == json.dumps([shown, shown], ensure_ascii=False)


def test_an_issued_bills_audit_text_is_what_to_json_writes():
    rng = random.Random(8)
    for i in range(300):
        after = {
            "bill_no": f"B{rng.choice(ODD)}20261001" if i % 4 == 0 else f"B3301{i:06d}20261001",
            "account_no": rng.choice(ODD) if i % 5 == 0 else f"3301{i:06d}",
            "period": "2026-10",
            "usage": _decimal(rng),
            "amount": Decimal(rng.randrange(-(10**6), 10**8)).scaleb(-2),
        }
        assert bills.issue_audit_text(after) == to_json(after)
