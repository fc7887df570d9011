"""Company and station settings stored in the database, with typed defaults."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from app.models import Setting

DEFAULTS: dict[str, Any] = {
    "company.name": "示范供电公司",
    "hall.phone": "95598",
    # Late fees (TARIFFS.md): per-day rates as decimal strings, minimum in yuan.
    "late_fee.enabled.electricity": True,
    "late_fee.enabled.water": False,
    "late_fee.rate.residential": "0.001",
    "late_fee.rate.other_current_year": "0.002",
    "late_fee.rate.other_previous_years": "0.003",
    "late_fee.minimum": "1.00",
    "payments.reverse_same_day_only": True,
    "matters.repeat_window_days": 30,
    "matters.warn_before_hours": 24,
    # The receipt printer (target, paper, ESC/POS device and mode) is not here: each counter has its
    # own, so it is kept per machine in counter.toml (app/services/payments/printer_settings.py).
}


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def get_many(session: Session, keys: list[str]) -> dict[str, Any]:
    """Several settings in one query (hot paths such as posting a payment)."""
    from sqlalchemy import select

    stored = {row.key: json.loads(row.value) for row in session.scalars(select(Setting).where(Setting.key.in_(keys)))}
    return {k: stored.get(k, DEFAULTS.get(k)) for k in keys}


def put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
