"""Meter readings: previous reading, roll-over, high-usage warning, one reading per register and period.

A reading below the previous one is refused until the clerk confirms a roll-over (then
usage = current + 10**digits - previous); usage far above the meter's recent average is
refused until the clerk confirms it. Both come back as NeedsConfirmation, which carries
the question to ask.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.models import Account, Customer, Meter, Reading
from app.services import audit
from app.services.context import Actor
from app.services.errors import NotFound, UserError, ValidationError
from app.services.messages import QT_TRANSLATE_NOOP

SOURCES = ("read", "estimated", "customer")
HIGH_USAGE_FACTOR = Decimal(3)  # usage above 3x the average of the last periods asks first
AVERAGE_PERIODS = 6
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class NeedsConfirmation(UserError):
    """The reading is plausible only if the clerk confirms: kind is "rollover" or "high_usage"."""

    def __init__(self, kind: str, message: str, **params) -> None:
        self.kind = kind
        super().__init__(message, field="current_reading", **params)


def check_period(period: str) -> str:
    if not _PERIOD.match(period or ""):
        raise ValidationError.single("period", QT_TRANSLATE_NOOP("messages", "A billing period is written YYYY-MM, e.g. 2026-11."))
    return period


def parse_reading(text: str, digits: int) -> Decimal:
    raw = (text or "").strip()
    if not raw:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "Enter the reading."))
    try:
        value = Decimal(raw)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "“{text}” is not a meter reading."), text=raw[:20]) from None
    if value < 0:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "A meter reading cannot be negative."))
    if -value.as_tuple().exponent > 2:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "A meter reading has at most 2 decimals."))
    if value >= Decimal(10) ** digits:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "This meter shows at most {digits} digits."), digits=digits)
    return value


def previous_reading(session: Session, meter: Meter, register: str, period: str) -> tuple[Decimal, bool]:
    """The last reading before `period`, or the meter's reading when installed (True: first reading)."""
    last = session.scalar(
        select(Reading.current_reading).where(Reading.meter_id == meter.id, Reading.register == register, Reading.period < period)
        .order_by(Reading.period.desc()).limit(1)
    )
    if last is None:
        return meter.initial_reading, True
    return last, False


def average_usage(session: Session, meter_id: uuid.UUID, register: str, period: str) -> Decimal | None:
    rows = session.scalars(
        select(Reading.usage).where(Reading.meter_id == meter_id, Reading.register == register, Reading.period < period)
        .order_by(Reading.period.desc()).limit(AVERAGE_PERIODS)
    ).all()
    return sum(rows, Decimal(0)) / len(rows) if rows else None


@dataclass
class ReadingResult:
    reading_id: uuid.UUID
    previous: Decimal
    current: Decimal
    usage: Decimal
    rolled_over: bool
    first_reading: bool


def usage_of(previous: Decimal, current: Decimal, digits: int, multiplier: Decimal, rolled_over: bool) -> Decimal:
    delta = current - previous
    if rolled_over:
        delta += Decimal(10) ** digits
    return delta * multiplier


def record_reading(db: Database, actor: Actor, meter_id: uuid.UUID, register: str, period: str, current: str,
                   read_on: date | None = None, source: str = "read", rolled_over: bool = False,
                   confirm_high: bool = False) -> ReadingResult:
    check_period(period)
    if source not in SOURCES:
        raise ValidationError.single("source", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    with db.write() as s:
        meter = s.get(Meter, meter_id)
        if meter is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This meter no longer exists."))
        if register not in meter.registers.split(","):
            raise ValidationError.single("register", QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no register “{register}”."), meter_no=meter.meter_no, register=register)
        value = parse_reading(current, meter.digits)
        if s.scalar(select(Reading.id).where(Reading.meter_id == meter_id, Reading.register == register, Reading.period == period)):
            raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "Meter {meter_no} already has a reading for {period}."), meter_no=meter.meter_no, period=period)
        previous, first = previous_reading(s, meter, register, period)
        if value < previous and not rolled_over:
            raise NeedsConfirmation("rollover", QT_TRANSLATE_NOOP("messages", "The reading {current} is below the previous reading {previous}. Did the meter roll over past {top} (usage {usage}), or was it mistyped?"),
                                    current=value, previous=previous, top=Decimal(10) ** meter.digits - 1,
                                    usage=usage_of(previous, value, meter.digits, meter.multiplier, True))
        if rolled_over and value >= previous:
            raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "The reading is not below the previous one, so the meter did not roll over."))
        usage = usage_of(previous, value, meter.digits, meter.multiplier, rolled_over)
        avg = average_usage(s, meter_id, register, period)
        if avg and usage > avg * HIGH_USAGE_FACTOR and not confirm_high:
            raise NeedsConfirmation("high_usage", QT_TRANSLATE_NOOP("messages", "Usage {usage} is more than three times this meter's average of {average}. Check the reading before saving."),
                                    usage=usage, average=avg.quantize(Decimal("0.01")))
        reading = Reading(meter_id=meter_id, register=register, period=period, read_on=read_on or date.today(),
                          previous_reading=previous, current_reading=value, rolled_over=rolled_over, usage=usage,
                          source=source, clerk_id=actor.clerk_id)
        s.add(reading)
        s.flush()
        audit.record(s, actor, "create", "reading", reading.id, after={"meter": meter.meter_no, "register": register, "period": period,
                                                                        "previous": previous, "current": value, "usage": usage, "rolled_over": rolled_over})
        return ReadingResult(reading.id, previous, value, usage, rolled_over, first)


@dataclass
class RouteRow:
    """One meter register of a reading route, in route order, for the entry screen."""

    meter_id: uuid.UUID
    register: str
    account_no: str
    account_name: str
    address: str
    meter_no: str
    digits: int
    multiplier: Decimal
    previous: Decimal
    first_reading: bool
    current: Decimal | None  # already entered for this period
    usage: Decimal | None


def list_route(db: Database, route: str, period: str) -> list[RouteRow]:
    check_period(period)
    with db.read() as s:
        meters = s.execute(
            select(Meter, Account.account_no, Account.account_name, Account.supply_address)
            .join(Account, Account.id == Meter.account_id)
            .where(Account.reading_route == route, Meter.status == "active", Account.status != "closed")
            .order_by(Account.route_order, Account.account_no, Meter.meter_no)
        ).all()
        ids = [m.id for m, *_ in meters]
        done = {}
        prev = {}
        if ids:
            for r in s.scalars(select(Reading).where(Reading.meter_id.in_(ids), Reading.period == period)):
                done[(r.meter_id, r.register)] = r
            sub = (select(Reading.meter_id, Reading.register, func.max(Reading.period).label("p"))
                   .where(Reading.meter_id.in_(ids), Reading.period < period).group_by(Reading.meter_id, Reading.register).subquery())
            for r in s.scalars(select(Reading).join(sub, (Reading.meter_id == sub.c.meter_id) & (Reading.register == sub.c.register) & (Reading.period == sub.c.p))):
                prev[(r.meter_id, r.register)] = r.current_reading
        rows = []
        for m, account_no, name, address in meters:
            for reg in m.registers.split(","):
                r = done.get((m.id, reg))
                p = r.previous_reading if r else prev.get((m.id, reg), m.initial_reading)
                rows.append(RouteRow(m.id, reg, account_no, name, address, m.meter_no, m.digits, m.multiplier, p,
                                     r is None and (m.id, reg) not in prev, r.current_reading if r else None, r.usage if r else None))
        return rows


def routes(db: Database) -> list[str]:
    with db.read() as s:
        return [r for r in s.scalars(select(Account.reading_route).where(Account.reading_route != "").distinct().order_by(Account.reading_route))]


def customer_of_meter(session: Session, meter_id: uuid.UUID) -> Customer | None:
    return session.scalar(select(Customer).join(Account, Account.customer_id == Customer.id).join(Meter, Meter.account_id == Account.id).where(Meter.id == meter_id))
