"""Meter readings: previous reading, roll-over, high-usage warning, one reading per register and period.

A reading below the previous one is refused until the clerk confirms a roll-over (then
usage = current + 10**digits - previous); usage far above the meter's recent average is
refused until the clerk confirms it. Both come back as NeedsConfirmation, which carries
the question to ask. A roll-over whose usage is implausible (more than a tenth of the
meter's dial, or above HIGH_USAGE_FACTOR times the meter's average) is almost always a
mistyped reading: it is saved only with a supervisor's approval (kind "rollover_supervisor";
the approving supervisor is passed as `approver` and audited).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, UserError, ValidationError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits, check_text
from app.models import Account, Bill, Customer, Meter, Reading
from app.models.base import new_id
from app.services import audit
from app.services.reports import summaries
from app.services.validation import plausible_day, plausible_period

SOURCES = ("read", "estimated", "customer")
HIGH_USAGE_FACTOR = Decimal(3)  # usage above 3x the average of the last periods asks first
AVERAGE_PERIODS = 6
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class NeedsConfirmation(UserError):
    """The reading is plausible only if the clerk confirms: kind is "rollover" or "high_usage";
    "rollover_supervisor" (an implausible roll-over) needs a supervisor's approval, not just the clerk's Yes."""

    def __init__(self, kind: str, message: str, **params) -> None:
        self.kind = kind
        super().__init__(message, field="current_reading", **params)

    @property
    def needs_supervisor(self) -> bool:
        return self.kind == "rollover_supervisor"


ROLLOVER_DIAL_SHARE = Decimal(10)  # a roll-over passes at most a tenth of the dial (10**digits / 10 units)


def quantity_text(value: Decimal) -> str:
    """A quantity as people read it: thousands grouped, no exponent, no trailing zeros (3,999,960,240 / 1,250.5)."""
    q = Decimal(value).normalize()
    if q == q.to_integral_value():
        return f"{int(q):,}"
    return f"{q:,f}"


def rollover_plausible(digits: int, multiplier: Decimal, previous: Decimal, current: Decimal, average: Decimal | None) -> bool:
    """Can the meter have rolled over from `previous` to `current` in one period? Only when the units passed
    are at most a tenth of the dial (a meter of 6 digits turns over 999,999 -> 0; going from 1,000 to 900
    "through the top" would be 999,900 units) and, with a history, the usage is not above
    HIGH_USAGE_FACTOR times the meter's average."""
    units = current + Decimal(10) ** digits - previous
    if units > Decimal(10) ** digits / ROLLOVER_DIAL_SHARE:
        return False
    return not (average and units * multiplier > average * HIGH_USAGE_FACTOR)


def check_period(period: str) -> str:
    if not _PERIOD.match(period or ""):
        raise ValidationError.single("period", QT_TRANSLATE_NOOP("messages", "A billing period is written YYYY-MM, e.g. 2026-11."))
    return period


_PLAIN_READING = re.compile(r"^-?[0-9]+(\.[0-9]*)?$|^-?\.[0-9]+$")


def parse_reading(text: str, digits: int) -> Decimal:
    raw = ascii_digits(text or "").strip()
    if not raw:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "Enter the reading."))
    try:
        if not _PLAIN_READING.match(raw):  # digits and a point: no exponent (1e5), NaN or infinity
            raise InvalidOperation
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError.single(
            "current_reading", QT_TRANSLATE_NOOP("messages", "“{text}” is not a meter reading."), text=raw[:20]
        ) from None
    if value < 0:
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "A meter reading cannot be negative."))
    if -value.normalize().as_tuple().exponent > 2:  # "2545.000" has no decimals that count
        raise ValidationError.single("current_reading", QT_TRANSLATE_NOOP("messages", "A meter reading has at most 2 decimals."))
    if value >= Decimal(10) ** digits:
        raise ValidationError.single(
            "current_reading", QT_TRANSLATE_NOOP("messages", "This meter shows at most {digits} digits."), digits=digits
        )
    return value


def latest_period(session: Session, meter_id: uuid.UUID, register: str) -> str | None:
    """The period of the meter register's newest reading (None before its first reading)."""
    return session.scalar(select(func.max(Reading.period)).where(Reading.meter_id == meter_id, Reading.register == register))


def previous_reading(session: Session, meter: Meter, register: str, period: str) -> tuple[Decimal, bool]:
    """The last reading before `period`, or the meter's reading when installed (True: first reading)."""
    last = session.scalar(
        select(Reading.current_reading)
        .where(Reading.meter_id == meter.id, Reading.register == register, Reading.period < period)
        .order_by(Reading.period.desc())
        .limit(1)
    )
    if last is None:
        return meter.initial_reading, True
    return last, False


def average_usage(session: Session, meter_id: uuid.UUID, register: str, period: str) -> Decimal | None:
    rows = session.scalars(
        select(Reading.usage)
        .where(Reading.meter_id == meter_id, Reading.register == register, Reading.period < period)
        .order_by(Reading.period.desc())
        .limit(AVERAGE_PERIODS)
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


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValidationError.single("source", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))


def _locked_meter(session: Session, meter_id: uuid.UUID, register: str) -> Meter:
    """The meter, row-locked: every reading write of a meter (and every bill issued from it) takes this lock,
    so a correction, a new reading and a bill computed from the readings never overlap on PostgreSQL."""
    meter = session.get(Meter, meter_id, with_for_update=True)
    if meter is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This meter no longer exists."))
    if register not in meter.registers.split(","):
        raise ValidationError.single(
            "register",
            QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no register “{register}”."),
            meter_no=meter.meter_no,
            register=register,
        )
    return meter


def _unit(session: Session, meter: Meter) -> str:
    return _unit_of(session.scalar(select(Account.service).where(Account.id == meter.account_id)))


def _unit_of(service: str) -> str:
    return "m³" if service == "water" else "kWh"


def _checked_usage(
    session: Session,
    meter: Meter,
    register: str,
    period: str,
    previous: Decimal,
    value: Decimal,
    rolled_over: bool,
    confirm_high: bool,
    approver: Actor | None = None,
) -> tuple[Decimal, Decimal | None]:
    """The roll-over question, the roll-over sanity check and the high-usage warning; returns the usage
    and the average it was checked against (kept on the reading as `usual`, to 0.001).
    An implausible roll-over needs `approver`, a supervisor (whose approval also covers the high usage)."""
    avg = average_usage(session, meter.id, register, period)
    return check_usage(
        meter.digits, meter.multiplier, previous, value, rolled_over, confirm_high, avg, lambda: _unit(session, meter), approver
    )


def check_usage(
    digits: int,
    multiplier: Decimal,
    previous: Decimal,
    value: Decimal,
    rolled_over: bool,
    confirm_high: bool,
    avg: Decimal | None,
    unit,
    approver: Actor | None = None,
) -> tuple[Decimal, Decimal | None]:
    """_checked_usage's rules on values already read (`avg`: the average of the register's last
    AVERAGE_PERIODS usages; `unit()`: the unit named in a question), for one reading or many."""
    approved = approver is not None and approver.is_supervisor
    if value < previous and (not rolled_over or not approved):
        roll_usage = usage_of(previous, value, digits, multiplier, True)
        params = dict(
            current=quantity_text(value),
            previous=quantity_text(previous),
            top=quantity_text(Decimal(10) ** digits - 1),
            usage=quantity_text(roll_usage),
            unit=unit(),
            digits=digits,
        )
        if not rollover_plausible(digits, multiplier, previous, value, avg):
            if avg:
                raise NeedsConfirmation(
                    "rollover_supervisor",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "The reading {current} is below the previous reading {previous}. A roll-over past {top} would mean a usage of {usage} {unit}, far above this meter's average of {average} {unit}: it was most likely mistyped. Only a supervisor can accept such a roll-over.",
                    ),
                    average=quantity_text(avg.quantize(Decimal("0.01"))),
                    **params,
                )
            raise NeedsConfirmation(
                "rollover_supervisor",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "The reading {current} is below the previous reading {previous}. A roll-over past {top} would mean a usage of {usage} {unit}, more than a tenth of what a meter of {digits} digits can show: it was most likely mistyped. Only a supervisor can accept such a roll-over.",
                ),
                **params,
            )
        if not rolled_over:
            raise NeedsConfirmation(
                "rollover",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "The reading {current} is below the previous reading {previous}. Did the meter roll over past {top} (usage {usage} {unit}), or was it mistyped?",
                ),
                **params,
            )
    if rolled_over and value >= previous:
        raise ValidationError.single(
            "current_reading", QT_TRANSLATE_NOOP("messages", "The reading is not below the previous one, so the meter did not roll over.")
        )
    usage = usage_of(previous, value, digits, multiplier, rolled_over)
    if avg and usage > avg * HIGH_USAGE_FACTOR and not confirm_high and not (rolled_over and approved):
        raise NeedsConfirmation(
            "high_usage",
            QT_TRANSLATE_NOOP(
                "messages",
                "Usage {usage} {unit} is more than three times this meter's average of {average} {unit}. Check the reading before saving.",
            ),
            usage=quantity_text(usage),
            average=quantity_text(avg.quantize(Decimal("0.01"))),
            unit=unit(),
        )
    return usage, (avg.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if avg is not None else None)


def _check_latest(meter_no: str, latest: str | None, period: str) -> None:
    """A new reading only for a period after the register's newest reading."""
    if latest is not None and period < latest:
        # The later readings were computed from the earlier ones: a reading slipped in before them
        # would be billed again (its usage is already inside the next period's).
        raise ValidationError.single(
            "period",
            QT_TRANSLATE_NOOP(
                "messages",
                "Meter {meter_no} already has readings up to {latest}; a reading for the earlier period {period} is refused. Enter a period after {latest}.",
            ),
            meter_no=meter_no,
            latest=latest,
            period=period,
        )
    if latest == period:
        raise ValidationError.single(
            "current_reading",
            QT_TRANSLATE_NOOP("messages", "Meter {meter_no} already has a reading for {period}; if it is wrong, correct that reading."),
            meter_no=meter_no,
            period=period,
        )


def record_reading(
    db: Database,
    actor: Actor,
    meter_id: uuid.UUID,
    register: str,
    period: str,
    current: str,
    read_on: date | None = None,
    source: str = "read",
    rolled_over: bool = False,
    confirm_high: bool = False,
    approver: Actor | None = None,
) -> ReadingResult:
    """A new reading; only for a period after the register's newest reading (a backdated one is refused).
    `approver`: the supervisor who accepts an implausible roll-over."""
    check_period(period)
    plausible_period(period)  # the station's window: never 9999-12, never 1900
    if read_on is not None:
        plausible_day(read_on, "read_on")
    _check_source(source)
    with db.write() as s:
        meter = _locked_meter(s, meter_id, register)
        value = parse_reading(current, meter.digits)
        _check_latest(meter.meter_no, latest_period(s, meter_id, register), period)
        previous, first = previous_reading(s, meter, register, period)
        usage, usual = _checked_usage(s, meter, register, period, previous, value, rolled_over, confirm_high, approver)
        reading = Reading(
            meter_id=meter_id,
            register=register,
            period=period,
            read_on=read_on or local_today(),
            previous_reading=previous,
            current_reading=value,
            rolled_over=rolled_over,
            usage=usage,
            usual=usual,
            source=source,
            clerk_id=actor.clerk_id,
        )
        s.add(reading)
        s.flush()
        summaries.refresh_readings(s, meter_id, period)
        audit.record(
            s,
            actor,
            "create",
            "reading",
            reading.id,
            after=_created(meter.meter_no, register, period, previous, value, usage, rolled_over, reading.read_on, source, approver),
        )
        return ReadingResult(reading.id, previous, value, usage, rolled_over, first)


def _created(meter_no, register, period, previous, value, usage, rolled_over, read_on, source, approver) -> dict:
    """The audit entry's `after` of a new reading."""
    return {
        "meter": meter_no,
        "register": register,
        "period": period,
        "previous": previous,
        "current": value,
        "usage": usage,
        "rolled_over": rolled_over,
        "read_on": read_on,
        "source": source,
    } | _approval(rolled_over, approver)


@dataclass
class NewReading:
    """One reading for record_readings: what record_reading takes for it."""

    meter_id: uuid.UUID
    register: str
    current: str
    read_on: date | None = None
    rolled_over: bool = False
    confirm_high: bool = False


def record_readings(db: Database, actor: Actor, period: str, items: list[NewReading], source: str = "read", then=None) -> list:
    """Many new readings of one period (a route's, or several routes') in one unit of work, set-based:
    the meters locked and their readings read in a few queries, the readings inserted in one statement,
    the readings summary of the routes refreshed once, one audit entry per reading, the same as record_reading writes.
    Every rule of record_reading holds for each item, in order (an item sees the items before it);
    an item it refuses gets its UserError in place of the ReadingResult and nothing of it is written.
    `then(session, results)` runs inside the same unit of work (the caller's own bookkeeping)."""
    check_period(period)
    plausible_period(period)
    _check_source(source)
    results: list = [None] * len(items)
    with db.write() as s:
        ids = sorted({it.meter_id for it in items})
        conn = s.connection()
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"

        def raw(meter_id: uuid.UUID):
            return meter_id.hex if sqlite else meter_id

        meters = {}
        history: dict[tuple[uuid.UUID, str], list] = {}
        for i in range(0, len(ids), 500):  # in id order: two writers lock meters in the same order
            part = ids[i : i + 500]
            for m in s.execute(
                select(
                    Meter.id,
                    Meter.meter_no,
                    Meter.registers,
                    Meter.digits,
                    Meter.multiplier,
                    Meter.initial_reading,
                    Account.service,
                    Account.reading_route,
                )
                .join(Account, Account.id == Meter.account_id)
                .where(Meter.id.in_(part))
                .order_by(Meter.id)
                .with_for_update(of=Meter)
            ):
                meters[m.id] = m
            # the readings as plain driver tuples (ids as stored, quantities in thousandths): of most of
            # them only the period is looked at
            for mid, reg, p, cur, use in conn.exec_driver_sql(
                "SELECT meter_id, register, period, current_reading, usage FROM readings "
                f"WHERE meter_id IN ({', '.join([mark] * len(part))})",
                tuple(raw(m) for m in part),
            ).all():
                key = (mid, reg)
                if key in history:
                    history[key].append((p, cur, use))
                else:
                    history[key] = [(p, cur, use)]
        for h in history.values():
            if len(h) > 1:
                h.sort(key=lambda x: x[0], reverse=True)
        rows, entries, routes = [], [], set()
        today = local_today()
        for n, it in enumerate(items):
            try:
                if it.read_on is not None:
                    plausible_day(it.read_on, "read_on")
                m = meters.get(it.meter_id)
                if m is None:
                    raise NotFound(QT_TRANSLATE_NOOP("messages", "This meter no longer exists."))
                if it.register not in m.registers.split(","):
                    raise ValidationError.single(
                        "register",
                        QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no register “{register}”."),
                        meter_no=m.meter_no,
                        register=it.register,
                    )
                value = parse_reading(it.current, m.digits)
                h = history.setdefault((raw(m.id), it.register), [])
                _check_latest(m.meter_no, h[0][0] if h else None, period)
                # every reading of h is before `period` now (_check_latest): the previous and the average
                previous, first = (_quantity(h[0][1]), False) if h else (m.initial_reading, True)
                usages = [_quantity(u) for _p, _c, u in h[:AVERAGE_PERIODS]]
                avg = sum(usages, Decimal(0)) / len(usages) if usages else None
                usage, usual = check_usage(
                    m.digits, m.multiplier, previous, value, it.rolled_over, it.confirm_high, avg, lambda m=m: _unit_of(m.service)
                )
            except UserError as err:
                results[n] = err
                continue
            reading_id = new_id()
            read_on = it.read_on or today
            rows.append(
                {
                    "id": reading_id,
                    "meter_id": m.id,
                    "register": it.register,
                    "period": period,
                    "read_on": read_on,
                    "previous_reading": previous,
                    "current_reading": value,
                    "rolled_over": it.rolled_over,
                    "usage": usage,
                    "usual": usual,
                    "source": source,
                    "clerk_id": actor.clerk_id,
                }
            )
            h.insert(0, (period, value, usage))
            routes.add(m.reading_route or "")
            entries.append(
                (
                    "create",
                    "reading",
                    reading_id,
                    None,
                    _created(m.meter_no, it.register, period, previous, value, usage, it.rolled_over, read_on, source, None),
                )
            )
            results[n] = ReadingResult(reading_id, previous, value, usage, it.rolled_over, first)
        if rows:
            s.execute(insert(Reading.__table__), rows)
            summaries.refresh_reading_routes(s, routes, period)  # each route touched, once
            audit.record_many(s, actor, entries)
        if then is not None:
            then(s, results)
    return results


def _quantity(value) -> Decimal:
    """A quantity as the Quantity column reads it (stored thousandths), or one already a Decimal."""
    return value if isinstance(value, Decimal) else Decimal(int(value)).scaleb(-3)


def _approval(rolled_over: bool, approver: Actor | None) -> dict:
    """The supervisor who accepted a roll-over, for the audit entry."""
    if rolled_over and approver is not None and approver.is_supervisor:
        return {"approved_by": str(approver.clerk_id), "approved_by_name": approver.clerk_name}
    return {}


def reason_text(reason: str) -> str:
    """The reason given for a correction, void or waiver: at least 2 characters, kept to 500."""
    text = (reason or "").strip()
    if len(text) < 2:
        raise ValidationError.single("reason", QT_TRANSLATE_NOOP("messages", "Give the reason."))
    check_text(text, "reason", multiline=True)  # kept in the audit log: no hidden characters
    return text[:500]


def correct_reading(
    db: Database,
    actor: Actor,
    meter_id: uuid.UUID,
    register: str,
    period: str,
    value: str,
    reason: str,
    rolled_over: bool = False,
    confirm_high: bool = False,
    read_on: date | None = None,
    source: str | None = None,
    approver: Actor | None = None,
) -> ReadingResult:
    """Correct a mistyped reading: only the register's newest reading, and only while no bill (other than a
    void one) of the account covers its period; a billed reading needs a supervisor to void the bill first,
    then the reading is corrected here and the bill issued again. The same checks as a new reading; audited
    with the values before and after and the reason. `read_on` / `source` change only when given."""
    check_period(period)
    plausible_period(period)
    if read_on is not None:
        plausible_day(read_on, "read_on")
    text = reason_text(reason)
    if source is not None:
        _check_source(source)
    with db.write() as s:
        meter = _locked_meter(s, meter_id, register)
        new = parse_reading(value, meter.digits)
        reading = s.scalar(select(Reading).where(Reading.meter_id == meter_id, Reading.register == register, Reading.period == period))
        if reading is None:
            raise ValidationError.single(
                "period",
                QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no reading for {period} to correct."),
                meter_no=meter.meter_no,
                period=period,
            )
        latest = latest_period(s, meter_id, register)
        if latest != period:
            raise ValidationError.single(
                "period",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "Only the newest reading of a meter can be corrected: meter {meter_no} already has a reading for {latest}, computed from the one for {period}.",
                ),
                meter_no=meter.meter_no,
                latest=latest,
                period=period,
            )
        bill_no = s.scalar(
            select(Bill.bill_no).where(Bill.account_id == meter.account_id, Bill.period == period, Bill.status != "void").limit(1)
        )
        if bill_no:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "messages",
                    "Bill {bill_no} was issued from this reading. A supervisor must void the bill first; then correct the reading and issue the bill again.",
                ),
                field="current_reading",
                bill_no=bill_no,
            )
        if new == reading.current_reading and rolled_over == reading.rolled_over:
            raise ValidationError.single(
                "current_reading",
                QT_TRANSLATE_NOOP("messages", "The reading for {period} is already {current}; there is nothing to correct."),
                period=period,
                current=format(new.normalize(), "f"),
            )
        previous, first = previous_reading(s, meter, register, period)
        usage, usual = _checked_usage(s, meter, register, period, previous, new, rolled_over, confirm_high, approver)
        before = {
            "meter": meter.meter_no,
            "register": register,
            "period": period,
            "previous": reading.previous_reading,
            "current": reading.current_reading,
            "usage": reading.usage,
            "rolled_over": reading.rolled_over,
            "read_on": reading.read_on,
            "source": reading.source,
        }
        reading.previous_reading, reading.current_reading, reading.usage, reading.rolled_over = previous, new, usage, rolled_over
        reading.usual = usual
        if read_on is not None:
            reading.read_on = read_on
        if source is not None:
            reading.source = source
        summaries.refresh_readings(s, meter_id, period)
        audit.record(
            s,
            actor,
            "correct",
            "reading",
            reading.id,
            before=before,
            after={
                "meter": meter.meter_no,
                "register": register,
                "period": period,
                "previous": previous,
                "current": new,
                "usage": usage,
                "rolled_over": rolled_over,
                "read_on": reading.read_on,
                "source": reading.source,
                "reason": text,
            }
            | _approval(rolled_over, approver),
        )
        return ReadingResult(reading.id, previous, new, usage, rolled_over, first)


def meter_by_no(db: Database, meter_no: str) -> uuid.UUID:
    with db.read() as s:
        meter_id = s.scalar(select(Meter.id).where(Meter.meter_no == ascii_digits(meter_no or "").strip()))
    if meter_id is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "No meter has the number {meter_no}."), meter_no=meter_no)
    return meter_id


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
    read_on: date | None = None
    source: str | None = None
    rolled_over: bool = False
    latest_period: str | None = None  # the register's newest reading, any period
    period: str = ""
    bill_no: str | None = None  # the account's bill for the period (not void): the reading stands until it is voided

    @property
    def later_reading(self) -> bool:
        """A reading for a later period exists: this period can be neither entered nor corrected."""
        return self.latest_period is not None and self.latest_period > self.period

    @property
    def enterable(self) -> bool:
        """No reading yet for this period, and none for a later one: a new reading can be typed."""
        return self.current is None and not self.later_reading

    @property
    def correctable(self) -> bool:
        """Entered, still the newest reading, and no bill issued from it."""
        return self.current is not None and not self.later_reading and not self.bill_no


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
        account_ids = sorted({m.account_id for m, *_ in meters})
        done = {}
        prev = {}
        latest = {}
        billed = {}
        for offset in range(0, len(account_ids), 500):
            billed.update(
                s.execute(
                    select(Bill.account_id, Bill.bill_no).where(
                        Bill.account_id.in_(account_ids[offset : offset + 500]), Bill.period == period, Bill.status != "void"
                    )
                ).all()
            )
        for offset in range(0, len(ids), 500):  # IN lists of bounded size, for routes of thousands of meters
            part = ids[offset : offset + 500]
            for r in s.scalars(select(Reading).where(Reading.meter_id.in_(part), Reading.period == period)):
                done[(r.meter_id, r.register)] = r
            sub = (
                select(Reading.meter_id, Reading.register, func.max(Reading.period).label("p"))
                .where(Reading.meter_id.in_(part), Reading.period < period)
                .group_by(Reading.meter_id, Reading.register)
                .subquery()
            )
            for r in s.scalars(
                select(Reading).join(
                    sub, (Reading.meter_id == sub.c.meter_id) & (Reading.register == sub.c.register) & (Reading.period == sub.c.p)
                )
            ):
                prev[(r.meter_id, r.register)] = r.current_reading
            for meter_id, reg, p in s.execute(
                select(Reading.meter_id, Reading.register, func.max(Reading.period))
                .where(Reading.meter_id.in_(part))
                .group_by(Reading.meter_id, Reading.register)
            ):
                latest[(meter_id, reg)] = p
        rows = []
        for m, account_no, name, address in meters:
            for reg in m.registers.split(","):
                r = done.get((m.id, reg))
                p = r.previous_reading if r else prev.get((m.id, reg), m.initial_reading)
                rows.append(
                    RouteRow(
                        m.id,
                        reg,
                        account_no,
                        name,
                        address,
                        m.meter_no,
                        m.digits,
                        m.multiplier,
                        p,
                        r is None and (m.id, reg) not in prev,
                        r.current_reading if r else None,
                        r.usage if r else None,
                        r.read_on if r else None,
                        r.source if r else None,
                        bool(r and r.rolled_over),
                        latest.get((m.id, reg)),
                        period,
                        billed.get(m.account_id),
                    )
                )
        return rows


def routes(db: Database) -> list[str]:
    with db.read() as s:
        return [
            r
            for r in s.scalars(select(Account.reading_route).where(Account.reading_route != "").distinct().order_by(Account.reading_route))
        ]


def customer_of_meter(session: Session, meter_id: uuid.UUID) -> Customer | None:
    return session.scalar(
        select(Customer)
        .join(Account, Account.customer_id == Customer.id)
        .join(Meter, Meter.account_id == Account.id)
        .where(Meter.id == meter_id)
    )
