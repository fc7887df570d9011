"""Company and station settings stored in the database, with typed defaults.

Readers use get()/get_many(). An administrator changes one with set_setting(db, actor, key, text):
the text is checked for that key (SPECS: type and range), stored, and written to the audit log
(before/after) in the same transaction. `counterdesk settings list|set` and Administration >
Company settings… both go through it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Setting
from app.services import audit

DEFAULTS: dict[str, Any] = {
    "company.name": "示范供电公司",
    "hall.phone": "95598",
    # Late fees (docs/TARIFFS.md): per-day rates as decimal strings, minimum in yuan.
    "late_fee.enabled.electricity": True,
    "late_fee.enabled.water": False,
    "late_fee.rate.residential": "0.001",
    "late_fee.rate.other_current_year": "0.002",
    "late_fee.rate.other_previous_years": "0.003",
    "late_fee.minimum": "1.00",
    "payments.reverse_same_day_only": True,
    "matters.repeat_window_days": 30,
    "matters.warn_before_hours": 24,
    "outages.notice_days": 7,
    "dunning.suspension_after_days": 30,
    "dunning.notice_days": 7,
    "sync.max_days_without_sync": 7,
    "sync.centre_url": "",  # the centre's sync service (docs/SYNC.md, Sync over the network)
    "sync.exchange_minutes": 5,
    # The SMS gateway of customer notices (docs/INTERFACES.md): empty until an administrator sets it.
    "notices.gateway_url": "",
    "notices.gateway_account": "",
    "notices.gateway_key": "",
    "notices.timeout_seconds": 10,
    "notices.max_attempts": 5,
    "notices.send_minutes": 5,  # the window's background sender (docs/INTERFACES.md)
    # The receipt printer (target, paper, ESC/POS device and mode) is not here: each counter has its
    # own, so it is kept per machine in counter.toml (app/services/payments/printer_settings.py).
}

LABEL_CONTEXT = "Settings"  # translation context of SettingSpec.label / .hint


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: str  # text | phone | bool | rate | money | count | url | secret (never shown, audited as changed only)
    label: str  # English source text in LABEL_CONTEXT
    hint: str  # what may be entered, English source text in LABEL_CONTEXT
    low: Decimal | int | None = None
    high: Decimal | int | None = None


MAX_RATE = Decimal("0.01")  # 1 % a day: anything above is a typing mistake
MAX_MINIMUM = Decimal("100.00")  # yuan; the minimum late fee is a small amount (1.00 by default)

SPECS: list[SettingSpec] = [
    SettingSpec(
        "company.name",
        "text",
        QT_TRANSLATE_NOOP("Settings", "Company name"),
        QT_TRANSLATE_NOOP("Settings", "1 to 100 characters; printed on every station's bills"),
        1,
        100,
    ),
    SettingSpec(
        "hall.phone",
        "phone",
        QT_TRANSLATE_NOOP("Settings", "Service hotline"),
        QT_TRANSLATE_NOOP("Settings", "3 to 40 digits, dashes or spaces, e.g. 95598; printed on every bill"),
    ),
    SettingSpec(
        "late_fee.enabled.electricity",
        "bool",
        QT_TRANSLATE_NOOP("Settings", "Late fees on electricity"),
        QT_TRANSLATE_NOOP("Settings", "on or off"),
    ),
    SettingSpec(
        "late_fee.enabled.water", "bool", QT_TRANSLATE_NOOP("Settings", "Late fees on water"), QT_TRANSLATE_NOOP("Settings", "on or off")
    ),
    SettingSpec(
        "late_fee.rate.residential",
        "rate",
        QT_TRANSLATE_NOOP("Settings", "Late fee per day, residential"),
        QT_TRANSLATE_NOOP("Settings", "a decimal from 0 to 0.01 (0.001 = 0.1 % a day)"),
        Decimal(0),
        MAX_RATE,
    ),
    SettingSpec(
        "late_fee.rate.other_current_year",
        "rate",
        QT_TRANSLATE_NOOP("Settings", "Late fee per day, other customers, same year"),
        QT_TRANSLATE_NOOP("Settings", "a decimal from 0 to 0.01 (0.001 = 0.1 % a day)"),
        Decimal(0),
        MAX_RATE,
    ),
    SettingSpec(
        "late_fee.rate.other_previous_years",
        "rate",
        QT_TRANSLATE_NOOP("Settings", "Late fee per day, other customers, later years"),
        QT_TRANSLATE_NOOP("Settings", "a decimal from 0 to 0.01 (0.001 = 0.1 % a day)"),
        Decimal(0),
        MAX_RATE,
    ),
    SettingSpec(
        "late_fee.minimum",
        "money",
        QT_TRANSLATE_NOOP("Settings", "Minimum late fee (yuan)"),
        QT_TRANSLATE_NOOP("Settings", "an amount from 0.00 to 100.00 yuan"),
        Decimal(0),
        MAX_MINIMUM,
    ),
    SettingSpec(
        "payments.reverse_same_day_only",
        "bool",
        QT_TRANSLATE_NOOP("Settings", "Reversals on the payment's day only"),
        QT_TRANSLATE_NOOP("Settings", "on or off"),
    ),
    SettingSpec(
        "matters.repeat_window_days",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Repeat complaint window (days)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of days from 1 to 365"),
        1,
        365,
    ),
    SettingSpec(
        "matters.warn_before_hours",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Warn before a deadline (hours)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of hours from 1 to 720"),
        1,
        720,
    ),
    SettingSpec(
        "outages.notice_days",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Planned outages announced ahead (days)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of days from 0 to 60"),
        0,
        60,
    ),
    SettingSpec(
        "dunning.suspension_after_days",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Suspension notice after arrears of (days)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of days from 1 to 365"),
        1,
        365,
    ),
    SettingSpec(
        "dunning.notice_days",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Suspension announced ahead (days)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of days from 1 to 60"),
        1,
        60,
    ),
    SettingSpec(
        "sync.max_days_without_sync",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Warn when a station has not synced for (days)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of days from 1 to 90"),
        1,
        90,
    ),
    SettingSpec(
        "sync.centre_url",
        "text",
        QT_TRANSLATE_NOOP("Settings", "Centre's sync address"),
        QT_TRANSLATE_NOOP("Settings", "http:// or https:// address of the centre's sync service; stations with a link exchange with it"),
        1,
        300,
    ),
    SettingSpec(
        "sync.exchange_minutes",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Exchange with the centre every (minutes)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of minutes from 1 to 240"),
        1,
        240,
    ),
    SettingSpec(
        "notices.gateway_url",
        "url",
        QT_TRANSLATE_NOOP("Settings", "SMS gateway address"),
        QT_TRANSLATE_NOOP("Settings", "http:// or https:// address the customer notices are posted to"),
    ),
    SettingSpec(
        "notices.gateway_account",
        "text",
        QT_TRANSLATE_NOOP("Settings", "SMS gateway account"),
        QT_TRANSLATE_NOOP("Settings", "1 to 60 characters, as the gateway gave it"),
        1,
        60,
    ),
    SettingSpec(
        "notices.gateway_key",
        "secret",
        QT_TRANSLATE_NOOP("Settings", "SMS gateway key"),
        QT_TRANSLATE_NOOP("Settings", "8 to 200 characters, as the gateway gave it; never shown again"),
        8,
        200,
    ),
    SettingSpec(
        "notices.timeout_seconds",
        "count",
        QT_TRANSLATE_NOOP("Settings", "SMS gateway answer within (seconds)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of seconds from 1 to 120"),
        1,
        120,
    ),
    SettingSpec(
        "notices.max_attempts",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Attempts to send a notice"),
        QT_TRANSLATE_NOOP("Settings", "a whole number from 1 to 20"),
        1,
        20,
    ),
    SettingSpec(
        "notices.send_minutes",
        "count",
        QT_TRANSLATE_NOOP("Settings", "Send waiting notices every (minutes)"),
        QT_TRANSLATE_NOOP("Settings", "a whole number of minutes from 1 to 240"),
        1,
        240,
    ),
]
SPEC_BY_KEY = {s.key: s for s in SPECS}

_TRUE = {"true", "yes", "on", "1", "y", "是", "开", "开启"}
_FALSE = {"false", "no", "off", "0", "n", "否", "关", "关闭"}
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_PHONE = re.compile(r"^[0-9+][0-9\- ]{2,39}$")


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def get_many(session: Session, keys: list[str]) -> dict[str, Any]:
    """Several settings in one query (hot paths such as posting a payment)."""
    stored = _stored(session, keys)
    return {k: stored.get(k, DEFAULTS.get(k)) for k in keys}


def _stored(session: Session, keys: list[str]) -> dict[str, Any]:
    """The values stored for `keys` (a key at its default has no row)."""
    return {key: json.loads(value) for key, value in session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys)))}


def put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text


# ---------------------------------------------------------------- administration
@dataclass(frozen=True)
class SettingView:
    key: str
    kind: str
    label: str  # English source text (translate with LABEL_CONTEXT)
    hint: str
    value: Any  # as stored: str, bool or int
    text: str  # the value as typed back (true/false for booleans)
    is_default: bool


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def spec(key: str) -> SettingSpec:
    found = SPEC_BY_KEY.get((key or "").strip())
    if found is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("messages", "There is no setting “{key}”. Known settings: {keys}."),
            field="key",
            key=(key or "")[:80],
            keys=", ".join(SPEC_BY_KEY),
        )
    return found


def _bad(message: str, **params) -> ValidationError:
    return ValidationError.single("value", message, **params)


def parse_value(key: str, text: str) -> Any:
    """The value to store for `key` from what an administrator typed; ValidationError at "value"."""
    s = spec(key)
    raw = (text if isinstance(text, str) else value_text(text)).strip()
    if any(not ch.isprintable() for ch in raw):
        raise _bad(QT_TRANSLATE_NOOP("messages", "The value contains control characters; type it again."))
    if s.kind == "bool":
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _bad(QT_TRANSLATE_NOOP("messages", "“{text}” is not on or off; write true or false."), text=raw[:40])
    if s.kind == "count":
        if not raw.isascii() or not raw.isdigit():
            raise _bad(QT_TRANSLATE_NOOP("messages", "“{text}” is not a whole number."), text=raw[:40])
        n = int(raw)
        if not s.low <= n <= s.high:
            raise _bad(QT_TRANSLATE_NOOP("messages", "Enter a whole number from {low} to {high}."), low=s.low, high=s.high)
        return n
    if s.kind == "rate":
        if not _DECIMAL.match(raw):  # plain digits with an optional fraction: Decimal() takes it
            raise _bad(QT_TRANSLATE_NOOP("messages", "“{text}” is not a decimal number such as 0.001."), text=raw[:40])
        rate = Decimal(raw)
        if not s.low <= rate <= s.high:
            raise _bad(
                QT_TRANSLATE_NOOP("messages", "A daily late-fee rate is from 0 to {high} (1 % a day); {text} is outside."),
                high=str(s.high),
                text=raw[:40],
            )
        if -rate.normalize().as_tuple().exponent > 6:
            raise _bad(QT_TRANSLATE_NOOP("messages", "A daily late-fee rate has at most 6 decimals."))
        return format(rate.normalize(), "f")
    if s.kind == "money":
        from app.kernel.money import parse_amount

        amount = parse_amount(raw, field="value", allow_zero=True)
        if not s.low <= amount <= s.high:
            raise _bad(
                QT_TRANSLATE_NOOP("messages", "Enter an amount from {low} to {high} yuan."), low=f"{s.low:.2f}", high=f"{s.high:.2f}"
            )
        return f"{amount:.2f}"
    if s.kind == "phone":
        if not _PHONE.match(raw):
            raise _bad(QT_TRANSLATE_NOOP("messages", "A service phone is 3 to 40 digits, dashes or spaces, such as 95598 or 0571-95598."))
        return raw
    if s.kind == "url":
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", raw) or len(raw) > 300:
            raise _bad(
                QT_TRANSLATE_NOOP("messages", "Write the address as http://HOST/PATH or https://HOST/PATH (at most 300 characters).")
            )
        return raw
    if s.kind == "secret":
        if not s.low <= len(raw) <= s.high:
            raise _bad(QT_TRANSLATE_NOOP("messages", "Enter {low} to {high} characters."), low=s.low, high=s.high)
        return raw
    # text
    if not raw:
        raise _bad(QT_TRANSLATE_NOOP("messages", "Enter a value; it cannot be empty."))
    if len(raw) > s.high:
        raise _bad(QT_TRANSLATE_NOOP("messages", "At most {count} characters; this has {length}."), count=s.high, length=len(raw))
    return raw


SECRET_SHOWN = "********"  # a secret setting's value as shown and listed: it is never read back


def _view(s: SettingSpec, stored: dict[str, Any]) -> SettingView:
    is_default = s.key not in stored
    value = DEFAULTS.get(s.key) if is_default else stored[s.key]
    if s.kind == "secret":
        value = SECRET_SHOWN if value else ""
    return SettingView(s.key, s.kind, s.label, s.hint, value, value_text(value), is_default)


def list_settings(db) -> list[SettingView]:
    """Every setting an administrator may change, with its current value (anyone may read them)."""
    with db.read() as session:
        stored = _stored(session, list(SPEC_BY_KEY))
    return [_view(s, stored) for s in SPECS]


def set_setting(db, actor, key: str, text: str) -> SettingView:
    """Change one setting (administrators only): checked, stored and audited in one transaction."""
    if actor is None or not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can change the company settings."))
    s = spec(key)
    value = parse_value(s.key, text)
    try:
        return _store(db, actor, s, value)
    except IntegrityError:  # another administrator stored the first value of this key at the same moment
        return _store(db, actor, s, value)


def _store(db, actor, s: SettingSpec, value: Any) -> SettingView:
    with db.write() as session:
        row = session.get(Setting, s.key, with_for_update=True)
        before = DEFAULTS.get(s.key) if row is None else json.loads(row.value)
        if row is not None and before == value and type(before) is type(value):
            return _view(s, {s.key: value})
        put(session, s.key, value)
        if s.kind == "secret":  # the audit log says that it changed, never what it is
            before, value_logged = (SECRET_SHOWN if before else ""), SECRET_SHOWN
        else:
            value_logged = value
        audit.record(
            session, actor, "update", "setting", s.key, before={"value": before, "default": row is None}, after={"value": value_logged}
        )
        if s.key == "company.name":
            # Bills print the station's own company name first: keep every station's the same.
            from app.models import Station

            for station in session.scalars(select(Station).where(Station.company_name != value)):
                audit.record(
                    session,
                    actor,
                    "update",
                    "station",
                    station.id,
                    before={"company_name": station.company_name},
                    after={"company_name": value},
                )
                station.company_name = value
    return _view(s, {s.key: value})
