"""Customer files: customers, accounts, meters and contact records; validation, version checks, audit."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import ConflictError, NotFound, UserError, ValidationError
from app.kernel.ids import new_id
from app.kernel.localtime import local_today, to_local
from app.kernel.masking import mask_id, mask_phone
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits, text_problem
from app.models import Account, ContactRecord, Customer, Meter, SearchEntry, Station, utcnow
from app.services import audit
from app.services.pinyin import pinyin_keys
from app.services.reports import summaries
from app.services.validation import normalize_phone, phone_error, resident_id_error

CUSTOMER_KINDS = ("resident", "intermediary", "enterprise", "government")
RELATIONSHIPS = ("potential", "new", "long_term", "former", "troublesome")
VIP_LEVELS = ("", "special", "first", "second")
ID_TYPES = ("resident_id", "passport", "org_code", "other")
SERVICES = ("electricity", "water")
USAGE_CATEGORIES = {
    "electricity": ("residential", "general_commercial", "large_industry", "agriculture"),
    "water": ("residential", "non_residential", "special"),
}
ACCOUNT_STATUSES = ("normal", "new", "changing", "closed")
MESSAGES = ("accepted", "refused")  # text messages to the customer's phone: customers.refuses_messages
CHANNELS = ("counter", "phone", "letter", "visit", "online")  # how a customer reached us: contacts and matters alike
CONTACT_KINDS = ("inquiry", "payment", "application", "complaint", "opinion", "fault", "other")  # contact records' kinds
REGISTER_SETS = ("total", "peak,valley", "peak,flat,valley", "sharp,peak,flat,valley")


# ---------------------------------------------------------------- inputs (as typed by the clerk)


@dataclass
class CustomerInput:
    name: str = ""
    kind: str = "resident"
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    phone2: str = ""
    address: str = ""
    relationship_status: str = "new"
    vip_level: str = ""
    credit_score: str = "80"
    documents_seen: str = ""
    notes: str = ""
    messages: str = "accepted"  # accepted | refused: text messages to the customer's phone (docs/INTERFACES.md)
    version: int | None = None  # the version the clerk loaded (edits only)


@dataclass
class AccountInput:
    supply_address: str = ""
    account_name: str = ""  # default: the customer's name
    account_no: str = ""  # default: the next number of the station
    service: str = "electricity"
    usage_category: str = "residential"
    voltage_level: str = "220V"
    contracted_capacity: str = "0"
    reading_route: str = ""
    route_order: str = "0"
    transformer_area: str = ""
    status: str = "new"
    household_size: str = "3"
    tariff_code: str = ""
    due_days: str = "15"
    tier_bound_extra: str = "0"
    free_quota: str = "0"
    version: int | None = None


@dataclass
class MeterInput:
    meter_no: str = ""
    registers: str = "total"
    digits: str = "6"
    multiplier: str = "1"
    ct_ratio: str = ""
    pt_ratio: str = ""
    initial_reading: str = "0"
    installed_on: str = ""  # YYYY-MM-DD
    status: str = "active"
    version: int | None = None


# ---------------------------------------------------------------- what the customer screen shows


@dataclass
class MeterView:
    id: uuid.UUID
    meter_no: str
    registers: str
    digits: int
    multiplier: Decimal
    ct_ratio: str
    pt_ratio: str
    initial_reading: Decimal
    installed_on: date | None
    status: str
    version: int


@dataclass
class AccountView:
    id: uuid.UUID
    account_no: str
    account_name: str
    service: str
    usage_category: str
    voltage_level: str
    contracted_capacity: Decimal
    reading_route: str
    route_order: int
    transformer_area: str
    supply_address: str
    status: str
    household_size: int
    tariff_code: str
    due_days: int
    tier_bound_extra: Decimal
    free_quota: Decimal
    balance_fen: int
    version: int
    meters: list[MeterView] = field(default_factory=list)


@dataclass
class ContactView:
    id: uuid.UUID
    at: datetime
    channel: str
    kind: str
    summary: str
    clerk_name: str
    account_no: str


@dataclass
class CustomerFile:
    id: uuid.UUID
    name: str
    kind: str
    id_type: str
    id_number_masked: str
    id_number: str | None  # full value only where the role allows
    phone_masked: str
    phone: str | None
    phone2_masked: str
    address: str
    relationship_status: str
    vip_level: str
    credit_score: int
    credit_rating: str
    documents_seen: str
    notes: str
    created_at: datetime
    version: int
    accounts: list[AccountView] = field(default_factory=list)
    contacts: list[ContactView] = field(default_factory=list)


def credit_rating(score: int) -> str:
    """A >= 90 points, B 70-90, C < 70 (docs/DOMAIN.md defaults)."""
    return "A" if score >= 90 else "B" if score >= 70 else "C"


# ---------------------------------------------------------------- validation


def _err(message: str, **params) -> UserError:
    return UserError(message, **params)


def _text(errors: dict, name: str, value: str, required: bool, max_len: int, label_message: str) -> str:
    v = (value or "").strip()
    if required and not v:
        errors[name] = _err(label_message)
    elif len(v) > max_len:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "At most {count} characters."), count=max_len)
    return v


def _int(errors: dict, name: str, value: str, low: int, high: int) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "Enter a whole number."))
        return low
    if not low <= n <= high:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "Enter a number from {low} to {high}."), low=low, high=high)
    return n


def _decimal(errors: dict, name: str, value: str, places: int, low: Decimal = Decimal(0), high: Decimal | None = None) -> Decimal:
    raw = str(value or "0").strip() or "0"
    try:
        d = Decimal(raw)
        if not d.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "“{text}” is not a number."), text=raw[:30])
        return Decimal(0)
    if -d.as_tuple().exponent > places:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "At most {places} decimals."), places=places)
    elif d < low or (high is not None and d > high):
        errors[name] = _err(
            QT_TRANSLATE_NOOP("messages", "Enter a number from {low} to {high}."), low=low, high=high if high is not None else "…"
        )
    return d


def _choice(errors: dict, name: str, value: str, choices) -> str:
    if value not in choices:
        errors[name] = _err(QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    return value


def _clean_customer(data: CustomerInput) -> dict:
    errors: dict[str, UserError] = {}
    values = {
        "name": _text(errors, "name", data.name, True, 100, QT_TRANSLATE_NOOP("messages", "Enter the customer's name.")),
        "kind": _choice(errors, "kind", data.kind, CUSTOMER_KINDS),
        "id_type": _choice(errors, "id_type", data.id_type, ID_TYPES),
        "address": _text(errors, "address", data.address, False, 200, ""),
        "relationship_status": _choice(errors, "relationship_status", data.relationship_status, RELATIONSHIPS),
        "vip_level": _choice(errors, "vip_level", data.vip_level, VIP_LEVELS),
        "credit_score": _int(errors, "credit_score", data.credit_score, 0, 100),
        "documents_seen": _text(errors, "documents_seen", data.documents_seen, False, 2000, ""),
        "notes": _text(errors, "notes", data.notes, False, 2000, ""),
        "refuses_messages": _choice(errors, "messages", data.messages, MESSAGES) == "refused",
    }
    id_number = (data.id_number or "").strip().upper()
    if data.id_type == "resident_id" and id_number:
        problem = resident_id_error(id_number)
        if problem:
            errors["id_number"] = problem
    elif len(id_number) > 40:
        errors["id_number"] = _err(QT_TRANSLATE_NOOP("messages", "At most {count} characters."), count=40)
    values["id_number"] = id_number
    for key in ("phone", "phone2"):
        phone = normalize_phone(getattr(data, key))
        if phone:
            problem = phone_error(phone)
            if problem:
                errors[key] = problem
        values[key] = phone
    if not values["phone"] and values["relationship_status"] == "potential":
        errors["phone"] = _err(QT_TRANSLATE_NOOP("messages", "A potential customer needs a phone number to be called back."))
    if errors:
        raise ValidationError(errors)
    return values


def _clean_account(data: AccountInput) -> dict:
    errors: dict[str, UserError] = {}
    service = _choice(errors, "service", data.service, SERVICES)
    values = {
        "supply_address": _text(
            errors, "supply_address", data.supply_address, True, 200, QT_TRANSLATE_NOOP("messages", "Enter the supply address.")
        ),
        "account_name": _text(errors, "account_name", data.account_name, False, 100, ""),
        "service": service,
        "usage_category": _choice(errors, "usage_category", data.usage_category, USAGE_CATEGORIES.get(service, ())),
        "voltage_level": _text(
            errors, "voltage_level", data.voltage_level, True, 16, QT_TRANSLATE_NOOP("messages", "Enter the voltage level.")
        ),
        "contracted_capacity": _decimal(errors, "contracted_capacity", data.contracted_capacity, 3, Decimal(0), Decimal(1_000_000)),
        "reading_route": _text(errors, "reading_route", data.reading_route, False, 20, ""),
        "route_order": _int(errors, "route_order", data.route_order, 0, 1_000_000),
        "transformer_area": _text(errors, "transformer_area", data.transformer_area, False, 40, ""),
        "status": _choice(errors, "status", data.status, ACCOUNT_STATUSES),
        "household_size": _int(errors, "household_size", data.household_size, 1, 99),
        "tariff_code": _text(errors, "tariff_code", data.tariff_code, False, 40, ""),
        "due_days": _int(errors, "due_days", data.due_days, 0, 90),
        "tier_bound_extra": _decimal(errors, "tier_bound_extra", data.tier_bound_extra, 3, Decimal(0), Decimal(100_000)),
        "free_quota": _decimal(errors, "free_quota", data.free_quota, 3, Decimal(0), Decimal(100_000)),
    }
    account_no = ascii_digits(data.account_no or "").strip()
    if account_no and (not account_no.isdigit() or len(account_no) != 10):
        errors["account_no"] = _err(QT_TRANSLATE_NOOP("messages", "An account number has 10 digits."))
    values["account_no"] = account_no
    if errors:
        raise ValidationError(errors)
    return values


def _clean_meter(data: MeterInput) -> dict:
    errors: dict[str, UserError] = {}
    meter_no = ascii_digits(data.meter_no or "").strip()  # １２３ and ١٢٣ are stored as 123, so a scan finds them
    if not meter_no:
        errors["meter_no"] = _err(QT_TRANSLATE_NOOP("messages", "Enter the meter number."))
    elif not meter_no.isalnum() or len(meter_no) > 30 or (meter_no.isdigit() and len(meter_no) == 10):
        errors["meter_no"] = _err(
            QT_TRANSLATE_NOOP("messages", "A meter number is letters and digits (not 10 digits, which is an account number).")
        )
    digits = _int(errors, "digits", data.digits, 4, 10)
    values = {
        "meter_no": meter_no,
        "registers": _choice(errors, "registers", data.registers, REGISTER_SETS),
        "digits": digits,
        "multiplier": _decimal(errors, "multiplier", data.multiplier, 3, Decimal("0.001"), Decimal(1_000_000)),
        "ct_ratio": _text(errors, "ct_ratio", data.ct_ratio, False, 20, ""),
        "pt_ratio": _text(errors, "pt_ratio", data.pt_ratio, False, 20, ""),
        "initial_reading": _decimal(
            errors, "initial_reading", data.initial_reading, 2, Decimal(0), Decimal(10) ** digits - Decimal("0.01")
        ),
        "status": _choice(errors, "status", data.status, ("active", "removed")),
    }
    installed = (data.installed_on or "").strip()
    values["installed_on"] = None
    if installed:
        try:
            values["installed_on"] = date.fromisoformat(installed)
        except ValueError:
            errors["installed_on"] = _err(QT_TRANSLATE_NOOP("messages", "Enter a date as YYYY-MM-DD."))
    if errors:
        raise ValidationError(errors)
    return values


# ---------------------------------------------------------------- search index upkeep


def _rev(text: str) -> str:
    return text[::-1]


def _digits(phone: str) -> str:
    """Phones are indexed as digits only, so 0571-88881234 and 057188881234 both find it."""
    return "".join(ch for ch in phone if ch.isdigit())


def reindex_customer(session: Session, customer_id: uuid.UUID) -> None:
    """Rewrite the customer's search rows: one per account, or one for a customer without any."""
    session.flush()
    customer = session.get(Customer, customer_id)
    session.execute(delete(SearchEntry).where(SearchEntry.customer_id == customer_id))
    accounts = session.scalars(select(Account).where(Account.customer_id == customer_id)).all()
    rows = []
    base = dict(
        customer_id=customer.id,
        name=customer.name,
        name_pinyin=customer.name_pinyin,
        name_initials=customer.name_initials,
        phone=_digits(customer.phone),
        phone_rev=_rev(_digits(customer.phone)),
        phone2_rev=_rev(_digits(customer.phone2)),
        id_number=customer.id_number,
        id_rev=_rev(customer.id_number),
    )
    for acc in accounts or [None]:
        address = (acc.supply_address if acc else "") or customer.address
        if acc and customer.address and customer.address != acc.supply_address:
            address = f"{acc.supply_address} {customer.address}"
        rows.append(
            SearchEntry(
                **base,
                account_id=acc.id if acc else None,
                account_no=acc.account_no if acc else "",
                address=address[:420],
                status=acc.status if acc else customer.relationship_status,
            )
        )
    session.add_all(rows)


# ---------------------------------------------------------------- customers


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


_CUSTOMER_FIELDS = (
    "name",
    "kind",
    "id_type",
    "id_number",
    "phone",
    "phone2",
    "address",
    "relationship_status",
    "vip_level",
    "credit_score",
    "documents_seen",
    "notes",
    "refuses_messages",
)


def create_customer(db: Database, actor: Actor, data: CustomerInput) -> uuid.UUID:
    values = _clean_customer(data)
    full, initials = pinyin_keys(values["name"])
    with db.write() as s:
        customer = Customer(**values, name_pinyin=full, name_initials=initials, station_id=actor.station_id)
        s.add(customer)
        s.flush()
        reindex_customer(s, customer.id)
        audit.record(s, actor, "create", "customer", customer.id, after=_snapshot(customer, _CUSTOMER_FIELDS))
        return customer.id


def _conflict() -> ConflictError:
    return ConflictError(
        QT_TRANSLATE_NOOP(
            "messages",
            "Someone else changed this file while you were editing it. Your changes were not saved; reload the file and make them again.",
        )
    )


def update_customer(db: Database, actor: Actor, customer_id: uuid.UUID, data: CustomerInput) -> int:
    """Save an edit; refused with ConflictError if the file changed since the clerk loaded it. Returns the new version."""
    values = _clean_customer(data)
    try:
        with db.write() as s:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
            if data.version is None or customer.version != data.version:
                raise _conflict()
            before = _snapshot(customer, _CUSTOMER_FIELDS)
            for k, v in values.items():
                setattr(customer, k, v)
            customer.name_pinyin, customer.name_initials = pinyin_keys(customer.name)
            s.flush()
            reindex_customer(s, customer.id)
            audit.record(s, actor, "update", "customer", customer.id, before=before, after=_snapshot(customer, _CUSTOMER_FIELDS))
            return customer.version
    except StaleDataError:
        raise _conflict() from None


# ---------------------------------------------------------------- accounts and meters


_ACCOUNT_FIELDS = (
    "account_no",
    "account_name",
    "service",
    "usage_category",
    "voltage_level",
    "contracted_capacity",
    "reading_route",
    "route_order",
    "transformer_area",
    "supply_address",
    "status",
    "household_size",
    "tariff_code",
    "due_days",
    "tier_bound_extra",
    "free_quota",
)


def next_account_no(session: Session, station_id: uuid.UUID) -> str:
    """Station code (4 digits) + a 6-digit serial: the next free number of the station."""
    station = session.get(Station, station_id)
    prefix = "".join(ch for ch in station.code if ch.isdigit())[:4].rjust(4, "0")
    highest = session.scalar(
        select(func.max(Account.account_no)).where(Account.account_no >= prefix + "000000", Account.account_no <= prefix + "999999")
    )
    serial = int(highest[4:]) + 1 if highest else 1
    if serial > 999_999:
        raise UserError(QT_TRANSLATE_NOOP("messages", "The station's account numbers are used up; enter a number by hand."))
    return f"{prefix}{serial:06d}"


def create_account(db: Database, actor: Actor, customer_id: uuid.UUID, data: AccountInput) -> uuid.UUID:
    values = _clean_account(data)
    with db.write() as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        if not values["account_no"]:
            values["account_no"] = next_account_no(s, actor.station_id)
        elif s.scalar(select(Account.id).where(Account.account_no == values["account_no"])):
            raise ValidationError.single(
                "account_no",
                QT_TRANSLATE_NOOP("messages", "Account number {account_no} is already in use."),
                account_no=values["account_no"],
            )
        values["account_name"] = values["account_name"] or customer.name
        account = Account(customer_id=customer_id, opened_on=local_today(), **values)
        s.add(account)
        s.flush()
        reindex_customer(s, customer_id)
        audit.record(s, actor, "create", "account", account.id, after=_snapshot(account, _ACCOUNT_FIELDS))
        return account.id


def update_account(db: Database, actor: Actor, account_id: uuid.UUID, data: AccountInput) -> int:
    values = _clean_account(data)
    try:
        with db.write() as s:
            account = s.get(Account, account_id)
            if account is None:
                raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
            if data.version is None or account.version != data.version:
                raise _conflict()
            if values["account_no"] and values["account_no"] != account.account_no:
                raise ValidationError.single("account_no", QT_TRANSLATE_NOOP("messages", "An account number cannot be changed."))
            values.pop("account_no")
            values["account_name"] = values["account_name"] or account.account_name
            before = _snapshot(account, _ACCOUNT_FIELDS)
            keyed = (account.reading_route, account.service, account.usage_category)  # the report summaries' keys
            for k, v in values.items():
                setattr(account, k, v)
            s.flush()
            if keyed != (account.reading_route, account.service, account.usage_category):
                summaries.refresh(s, {keyed[0], account.reading_route})
            reindex_customer(s, account.customer_id)
            audit.record(s, actor, "update", "account", account.id, before=before, after=_snapshot(account, _ACCOUNT_FIELDS))
            return account.version
    except StaleDataError:
        raise _conflict() from None


_METER_FIELDS = ("meter_no", "registers", "digits", "multiplier", "ct_ratio", "pt_ratio", "initial_reading", "installed_on", "status")


def create_meter(db: Database, actor: Actor, account_id: uuid.UUID, data: MeterInput) -> uuid.UUID:
    values = _clean_meter(data)
    with db.write() as s:
        if s.get(Account, account_id) is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
        if s.scalar(select(Meter.id).where(Meter.meter_no == values["meter_no"])):
            raise ValidationError.single(
                "meter_no",
                QT_TRANSLATE_NOOP("messages", "Meter {meter_no} is already installed on an account."),
                meter_no=values["meter_no"],
            )
        meter = Meter(account_id=account_id, **values)
        s.add(meter)
        s.flush()
        audit.record(s, actor, "create", "meter", meter.id, after=_snapshot(meter, _METER_FIELDS))
        return meter.id


def update_meter(db: Database, actor: Actor, meter_id: uuid.UUID, data: MeterInput) -> int:
    values = _clean_meter(data)
    try:
        with db.write() as s:
            meter = s.get(Meter, meter_id)
            if meter is None:
                raise NotFound(QT_TRANSLATE_NOOP("messages", "This meter no longer exists."))
            if data.version is None or meter.version != data.version:
                raise _conflict()
            if values["meter_no"] != meter.meter_no and s.scalar(select(Meter.id).where(Meter.meter_no == values["meter_no"])):
                raise ValidationError.single(
                    "meter_no",
                    QT_TRANSLATE_NOOP("messages", "Meter {meter_no} is already installed on an account."),
                    meter_no=values["meter_no"],
                )
            before = _snapshot(meter, _METER_FIELDS)
            for k, v in values.items():
                setattr(meter, k, v)
            s.flush()
            audit.record(s, actor, "update", "meter", meter.id, before=before, after=_snapshot(meter, _METER_FIELDS))
            return meter.version
    except StaleDataError:
        raise _conflict() from None


# ---------------------------------------------------------------- loading a file, contacts


def may_see_full_identity(actor: Actor) -> bool:
    """Full ID and phone values are for supervisors and administrators (e.g. to verify a transfer)."""
    return actor.is_supervisor


def _meter_view(m: Meter) -> MeterView:
    return MeterView(
        m.id,
        m.meter_no,
        m.registers,
        m.digits,
        m.multiplier,
        m.ct_ratio,
        m.pt_ratio,
        m.initial_reading,
        m.installed_on,
        m.status,
        m.version,
    )


def _account_view(a: Account, meters: list[Meter]) -> AccountView:
    return AccountView(
        a.id,
        a.account_no,
        a.account_name,
        a.service,
        a.usage_category,
        a.voltage_level,
        a.contracted_capacity,
        a.reading_route,
        a.route_order,
        a.transformer_area,
        a.supply_address,
        a.status,
        a.household_size,
        a.tariff_code,
        a.due_days,
        a.tier_bound_extra,
        a.free_quota,
        a.balance_fen,
        a.version,
        [_meter_view(m) for m in meters],
    )


def load_customer_file(db: Database, actor: Actor, customer_id: uuid.UUID, contacts: int = 20) -> CustomerFile:
    with db.read() as s:
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        accounts = s.scalars(select(Account).where(Account.customer_id == customer_id).order_by(Account.account_no)).all()
        meters = (
            s.scalars(select(Meter).where(Meter.account_id.in_([a.id for a in accounts])).order_by(Meter.meter_no)).all()
            if accounts
            else []
        )
        by_account: dict[uuid.UUID, list[Meter]] = {}
        for m in meters:
            by_account.setdefault(m.account_id, []).append(m)
        full = may_see_full_identity(actor)
        return CustomerFile(
            id=c.id,
            name=c.name,
            kind=c.kind,
            id_type=c.id_type,
            id_number_masked=mask_id(c.id_number),
            id_number=c.id_number if full else None,
            phone_masked=mask_phone(c.phone),
            phone=c.phone if full else None,
            phone2_masked=mask_phone(c.phone2),
            address=c.address,
            relationship_status=c.relationship_status,
            vip_level=c.vip_level,
            credit_score=c.credit_score,
            credit_rating=credit_rating(c.credit_score),
            documents_seen=c.documents_seen,
            notes=c.notes,
            created_at=c.created_at,
            version=c.version,
            accounts=[_account_view(a, by_account.get(a.id, [])) for a in accounts],
            contacts=_contacts(s, customer_id, contacts),
        )


def load_customer_for_edit(db: Database, actor: Actor, customer_id: uuid.UUID) -> CustomerInput:
    """A plain copy of the customer for an edit dialog, with the version it was loaded at."""
    with db.read() as s:
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        return CustomerInput(
            name=c.name,
            kind=c.kind,
            id_type=c.id_type,
            id_number=c.id_number,
            phone=c.phone,
            phone2=c.phone2,
            address=c.address,
            relationship_status=c.relationship_status,
            vip_level=c.vip_level,
            credit_score=str(c.credit_score),
            documents_seen=c.documents_seen,
            notes=c.notes,
            messages="refused" if c.refuses_messages else "accepted",
            version=c.version,
        )


def account_input(view: AccountView) -> AccountInput:
    return AccountInput(**{k: str(getattr(view, k)) for k in AccountInput.__dataclass_fields__ if k != "version"}, version=view.version)


def meter_input(view: MeterView) -> MeterInput:
    values = {k: str(getattr(view, k)) for k in MeterInput.__dataclass_fields__ if k not in ("version", "installed_on")}
    return MeterInput(**values, installed_on=view.installed_on.isoformat() if view.installed_on else "", version=view.version)


def _contacts(s: Session, customer_id: uuid.UUID, limit: int) -> list[ContactView]:
    from app.models import Clerk

    rows = s.execute(
        select(ContactRecord, Clerk.name, Account.account_no)
        .outerjoin(Clerk, Clerk.id == ContactRecord.clerk_id)
        .outerjoin(Account, Account.id == ContactRecord.account_id)
        .where(ContactRecord.customer_id == customer_id)
        .order_by(ContactRecord.at.desc())
        .limit(limit)
    ).all()
    return [ContactView(r.id, to_local(r.at), r.channel, r.kind, r.summary, name or "", no or "") for r, name, no in rows]


def list_contacts(db: Database, customer_id: uuid.UUID, limit: int = 50) -> list[ContactView]:
    with db.read() as s:
        return _contacts(s, customer_id, limit)


CONTACT_COLUMNS = ("id", "customer_id", "account_id", "station_id", "clerk_id", "at", "channel", "kind", "summary", "ref_id")


@lru_cache(maxsize=1)
def _insert_contact():
    """A contact record's insert with bind parameters named c_*, built once (it is on the payment's path)."""
    return insert(ContactRecord.__table__).values({c: bindparam(f"c_{c}") for c in CONTACT_COLUMNS})


def contact_write(
    actor: Actor,
    customer_id: uuid.UUID,
    channel: str,
    kind: str,
    summary: str,
    account_id: uuid.UUID | None = None,
    ref_id: uuid.UUID | None = None,
    record_id: uuid.UUID | None = None,
):
    """The plain INSERT of a contact record and its parameters (no ORM object): for add_contact, and
    for a caller that sends it together with other writes (app.db.together: a payment's tail)."""
    values = dict(
        id=record_id or new_id(),
        customer_id=customer_id,
        account_id=account_id,
        station_id=actor.station_id,
        clerk_id=actor.clerk_id,
        at=utcnow(),
        channel=channel,
        kind=kind,
        summary=summary[:4000],
        ref_id=ref_id,
    )
    return _insert_contact(), {f"c_{c}": v for c, v in values.items()}


def add_contact(
    session: Session,
    actor: Actor,
    customer_id: uuid.UUID,
    channel: str,
    kind: str,
    summary: str,
    account_id: uuid.UUID | None = None,
    ref_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Write a contact record inside the caller's transaction (matters, the contact dialog use this); its id."""
    record_id = new_id()
    session.flush()  # a customer or account made in this transaction must exist first (a plain insert does not autoflush)
    session.execute(*contact_write(actor, customer_id, channel, kind, summary, account_id, ref_id, record_id))
    return record_id


# Contacts that settle something of another area. An area with matters waiting for a contact with the
# customer (handling: a complaint's first contact, 首问负责制) registers a ContactLinks provider; F7 offers
# the customer's pending ones ("this is the first contact of W-…"), and record_contact(..., link=ref_id)
# settles it in the same unit of work as the contact record (which then carries that ref_id and kind).


@dataclass(frozen=True)
class ContactLink:
    ref_id: uuid.UUID
    number: str  # what the clerk recognises, e.g. W-3301-2026-000001
    due_by: datetime | None  # station-local
    kind: str  # the contact record's kind when the contact settles it


@dataclass(frozen=True)
class ContactLinks:
    pending: Callable  # pending(session, customer_id) -> list[ContactLink]
    settle: Callable  # settle(session, actor, customer_id, link: ContactLink, channel, summary) -> None (raises UserError)


_link_providers: list[ContactLinks] = []


def register_contact_links(provider: ContactLinks) -> None:
    if provider not in _link_providers:
        _link_providers.append(provider)


def _pending_links(s: Session, customer_id: uuid.UUID) -> list[tuple[ContactLinks, ContactLink]]:
    return [(p, link) for p in _link_providers for link in p.pending(s, customer_id)]


def pending_contact_links(db: Database, customer_id: uuid.UUID) -> list[ContactLink]:
    """What a contact with this customer may settle now (F7 offers them)."""
    with db.read() as s:
        return [link for _p, link in _pending_links(s, customer_id)]


def record_contact(
    db: Database,
    actor: Actor,
    customer_id: uuid.UUID,
    channel: str,
    kind: str,
    summary: str,
    account_id: uuid.UUID | None = None,
    ref_id: uuid.UUID | None = None,
    link: uuid.UUID | None = None,
) -> uuid.UUID:
    """A contact record (F7); with `link` (a pending ContactLink's ref_id) it also settles that, e.g. a complaint's first contact."""
    errors = {}
    if channel not in CHANNELS:
        errors["channel"] = _err(QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    text = (summary or "").strip()
    if not text:
        errors["summary"] = _err(QT_TRANSLATE_NOOP("messages", "Write what the customer asked or what was done."))
    elif text_problem(text, "summary", multiline=True) is not None:  # written by a plain insert: checked here
        errors["summary"] = text_problem(text, "summary", multiline=True).errors["summary"]
    elif len(text) > 4000:
        errors["summary"] = _err(QT_TRANSLATE_NOOP("messages", "At most {count} characters."), count=4000)
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        if s.get(Customer, customer_id) is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        settled = None
        if link is not None:
            settled = next(((p, lk) for p, lk in _pending_links(s, customer_id) if lk.ref_id == link), None)
            if settled is None:
                raise ValidationError.single(
                    "link",
                    QT_TRANSLATE_NOOP(
                        "messages", "That matter no longer waits for this contact (it was recorded meanwhile, or the matter is closed)."
                    ),
                )
            kind, ref_id = settled[1].kind, link
        record_id = add_contact(s, actor, customer_id, channel, kind or "inquiry", text, account_id, ref_id)
        audit.record(
            s,
            actor,
            "create",
            "contact",
            record_id,
            after={
                "customer_id": customer_id,
                "channel": channel,
                "kind": kind,
                "summary": text,
                **({"first_contact_of": ref_id} if settled else {}),
            },
        )
        if settled is not None:
            settled[0].settle(s, actor, customer_id, settled[1], channel, text)
        return record_id


def as_dict(obj) -> dict:
    return asdict(obj)
