"""Meter readings from handheld terminals and AMR exports: staged, checked, accepted, posted.

A file (CSV or .xlsx) is read with the column mapping of its source (resources/interfaces/readings/
<source>.toml), every row is checked against the store in bulk and kept in the staging tables with
its verdict: accepted, warned (a clerk accepts or corrects it) or refused (with the reason). Posting
goes through the reading service's set-based path (app.services.billing.readings.record_readings),
a route at a time, with every rule of the entry screen's record_reading. A file is staged once (by its SHA-256); the reading
service refuses a second reading of a meter register for a period, so nothing is posted twice.
Rules: docs/INTERFACES.md, "Meter readings".
"""

from __future__ import annotations

import json
import os
import tomllib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from sqlalchemy import BigInteger, func, select, type_coerce, update

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, UserError, ValidationError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits
from app.models import Meter, Reading, ReadingImport, ReadingImportRow
from app.paths import resource_path
from app.services import audit
from app.services.billing import readings as reading_service
from app.services.interfaces.tabular import TabularError, file_digest, read_table

FIELDS = ("meter_no", "register", "reading", "read_on")
REGISTERS = ("total", "peak", "flat", "valley", "sharp")
HISTORY_MONTHS = 24  # the previous reading and the usual usage are looked for in the last two years
POST_CHUNK = 5000  # readings of a route posted in one unit of work
CHUNK = 2000  # meter numbers per query (bound parameters: within SQLite's and PostgreSQL's limits)

M_UNKNOWN_METER = QT_TRANSLATE_NOOP("messages", "No meter has the number {meter_no}.")
M_METER_REMOVED = QT_TRANSLATE_NOOP("messages", "Meter {meter_no} is removed or its account is closed.")
M_NO_REGISTER = QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has no register “{register}”.")
M_NEEDS_REGISTER = QT_TRANSLATE_NOOP("messages", "Meter {meter_no} has the registers {registers}; the register column is empty.")
M_DUPLICATE = QT_TRANSLATE_NOOP("messages", "The same meter and register as line {first}.")
M_ALREADY_READ = QT_TRANSLATE_NOOP("messages", "Meter {meter_no} already has a reading for {period}.")
M_LATER_READ = QT_TRANSLATE_NOOP("messages", "Meter {meter_no} already has readings up to {latest}, after {period}.")
M_ROLLOVER = QT_TRANSLATE_NOOP(
    "messages", "The reading {current} is below the previous reading {previous}: a roll-over past {top} (usage {usage}) or mistyped?"
)
M_BAD_ROLLOVER = QT_TRANSLATE_NOOP(
    "messages",
    "The reading {current} is below the previous reading {previous} and a roll-over would mean a usage of {usage}: most likely mistyped.",
)
M_HIGH = QT_TRANSLATE_NOOP("messages", "Usage {usage} is more than three times the usual {usual}.")
M_OUT_OF_PERIOD = QT_TRANSLATE_NOOP("messages", "Read on {read_on}, outside the period {period}.")
M_FUTURE = QT_TRANSLATE_NOOP("messages", "Read on {read_on}, after today.")
M_ACCEPTED_BY_CLERK = QT_TRANSLATE_NOOP("messages", "Accepted by the clerk: {reason}")


@dataclass(frozen=True)
class Source:
    """A column mapping: field -> header names the source writes; register names -> our registers."""

    name: str
    title: str
    columns: dict[str, list[str]]
    registers: dict[str, str]
    sheet: str | None = None
    encoding: str | None = None


def sources_dir() -> Path:
    return resource_path("interfaces", "readings")


def source_names() -> list[str]:
    return sorted(p.stem for p in sources_dir().glob("*.toml"))


@lru_cache(maxsize=16)
def load_source(name: str) -> Source:
    path = sources_dir() / f"{name}.toml"
    if not name or "/" in name or "\\" in name or not path.is_file():
        raise ValidationError.single(
            "source",
            QT_TRANSLATE_NOOP("messages", "No readings source “{name}” (known: {known})."),
            name=name,
            known=", ".join(source_names()),
        )
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    columns = {k: list(v) for k, v in data.get("columns", {}).items()}
    for f in FIELDS:
        columns.setdefault(f, [f])
    registers = {str(k).strip().casefold(): v for k, v in data.get("registers", {}).items()}
    if any(v not in REGISTERS for v in registers.values()):
        raise ValueError(f"{path}: registers must map to {REGISTERS}")
    return Source(name, data.get("title", name), columns, registers, data.get("sheet"), data.get("encoding"))


@dataclass(slots=True)
class StagedRow:
    """One staged row. Quantities are kept as raw thousandths (`*_t`, as stored) and the ids as the
    driver gives them: a file of 50,000 rows makes no Decimal or UUID until one is asked for."""

    key: object
    line: int
    meter_no: str
    register: str
    reading: str
    read_on: date | None
    route: str
    previous_t: int | None
    current_t: int | None
    usage_t: int | None
    usual_t: int | None
    verdict: str
    reason: str = ""
    params: dict = field(default_factory=dict)
    meter_key: object = None

    @property
    def id(self) -> uuid.UUID | None:
        return _uuid(self.key)

    @property
    def meter_id(self) -> uuid.UUID | None:
        return _uuid(self.meter_key)

    @property
    def previous(self) -> Decimal | None:
        return _thousandths(self.previous_t)

    @property
    def current(self) -> Decimal | None:
        return _thousandths(self.current_t)

    @property
    def usage(self) -> Decimal | None:
        return _thousandths(self.usage_t)

    @property
    def usual(self) -> Decimal | None:
        return _thousandths(self.usual_t)

    def reason_text(self, translate=None) -> str:
        if not self.reason:
            return ""
        template = translate("messages", self.reason) if translate else self.reason
        params = dict(self.params)
        if "reason" in params and translate:  # an accepted warning keeps the warning's text
            inner = json.loads(params["reason"]) if params["reason"].startswith("[") else [params["reason"], {}]
            params["reason"] = translate("messages", inner[0]).format(**inner[1])
        elif "reason" in params:
            inner = json.loads(params["reason"]) if params["reason"].startswith("[") else [params["reason"], {}]
            params["reason"] = inner[0].format(**inner[1])
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template


@dataclass
class ImportResult:
    import_id: uuid.UUID
    file_name: str
    source: str
    period: str
    encoding: str
    again: bool  # the same file was staged before: nothing was staged now
    counts: dict[str, int]
    rows: list[StagedRow]
    posted_now: int = 0


# --- staging ---------------------------------------------------------------------------------------


def _period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_before(period: str, months: int) -> str:
    y, m = int(period[:4]), int(period[5:7])
    n = y * 12 + m - 1 - months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _q(value: Decimal) -> str:
    return reading_service.quantity_text(value)


@dataclass
class _MeterState:
    """A meter as the checks need it; quantities in raw thousandths (ints), `key` the id as the driver gives it."""

    key: object
    meter_no: str
    registers: list[str]
    digits: int
    multiplier: int  # thousandths
    initial: int  # thousandths
    active: bool
    route: str
    older: dict[str, int] = field(default_factory=dict)  # register -> its newest reading before the window (thousandths)
    history: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # register -> [(period, reading, usage)] newest first

    @property
    def id(self) -> uuid.UUID:
        return _uuid(self.key)


def _uuid(key) -> uuid.UUID | None:
    if key is None or isinstance(key, uuid.UUID):
        return key
    return uuid.UUID(key)


def _load_meters(s, numbers: list[str], period: str) -> dict[str, _MeterState]:
    """The meters of `numbers` with their readings of the last HISTORY_MONTHS (newest first), read as
    plain driver tuples (raw thousandths, ids as stored: no Decimal, UUID or ORM object per row), one
    query of each kind per CHUNK numbers."""
    conn = s.connection()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    meters: dict[str, _MeterState] = {}
    since = _months_before(period, HISTORY_MONTHS)
    for i in range(0, len(numbers), CHUNK):
        part = numbers[i : i + CHUNK]
        marks = ", ".join([mark] * len(part))
        for mid, no, regs, digits, mult, initial, mstatus, astatus, route in conn.exec_driver_sql(
            "SELECT m.id, m.meter_no, m.registers, m.digits, m.multiplier, m.initial_reading, m.status, a.status, a.reading_route "
            f"FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.meter_no IN ({marks})",
            tuple(part),
        ).all():
            meters[no] = _MeterState(mid, no, regs.split(","), digits, mult, initial, mstatus == "active" and astatus != "closed", route)
        for no, reg, p, cur, use in conn.exec_driver_sql(
            "SELECT m.meter_no, r.register, r.period, r.current_reading, r.usage FROM readings r JOIN meters m ON m.id = r.meter_id "
            f"WHERE m.meter_no IN ({marks}) AND r.period >= {mark}",
            (*part, since),
        ).all():
            history = meters[no].history
            if reg in history:
                history[reg].append((p, cur, use))
            else:
                history[reg] = [(p, cur, use)]
    missing = []
    for m in meters.values():
        for h in m.history.values():
            if len(h) > 1:
                h.sort(reverse=True)
        if any(reg not in m.history for reg in m.registers):
            missing.append(m.meter_no)
    current = type_coerce(Reading.current_reading, BigInteger)
    # A register without a reading in the window: its newest reading before it, if it has one
    for i in range(0, len(missing), CHUNK):
        part = missing[i : i + CHUNK]
        newest = (
            select(Reading.meter_id, Reading.register, func.max(Reading.period).label("p"))
            .join(Meter, Meter.id == Reading.meter_id)
            .where(Meter.meter_no.in_(part), Reading.period < since)
            .group_by(Reading.meter_id, Reading.register)
            .subquery()
        )
        for no, reg, cur in s.execute(
            select(Meter.meter_no, Reading.register, current)
            .join(Meter, Meter.id == Reading.meter_id)
            .join(
                newest, (Reading.meter_id == newest.c.meter_id) & (Reading.register == newest.c.register) & (Reading.period == newest.c.p)
            )
        ):
            meters[no].older[reg] = cur
    return meters


def _thousandths(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-3)


def _qt(value: int) -> str:
    return _q(Decimal(value).scaleb(-3))


_HIGH = int(reading_service.HIGH_USAGE_FACTOR) * 1000  # usage (millionths) above this times the usual (thousandths)
_DIAL_SHARE = int(reading_service.ROLLOVER_DIAL_SHARE)


def _usual_of(usages: list[int]) -> int:
    """The average of raw thousandths to a thousandth, half even (Decimal's quantize of the mean)."""
    q, r = divmod(sum(usages), len(usages))
    if 2 * r > len(usages) or (2 * r == len(usages) and q % 2):
        q += 1
    return q


def _check(meter: _MeterState | None, meter_no: str, register: str, value: int, read_on: date, period: str, today: date):
    """(verdict, reason, params, previous, usage, usual) of one parsed row: the reading `value` and the
    results in raw thousandths (ints), the rules of app.services.billing.readings in integer arithmetic."""
    if meter is None:
        return "refused", M_UNKNOWN_METER, {"meter_no": meter_no}, None, None, None
    if not meter.active:
        return "refused", M_METER_REMOVED, {"meter_no": meter_no}, None, None, None
    if register not in meter.registers:
        return "refused", M_NO_REGISTER, {"meter_no": meter_no, "register": register}, None, None, None
    dial = 1000 * 10**meter.digits
    if value < 0 or value >= dial or value % 10:
        try:  # the reading service's own words for a reading the dial cannot show
            reading_service.parse_reading(str(_thousandths(value)), meter.digits)
        except UserError as err:
            return "refused", err.message, err.params, None, None, None
    history = meter.history.get(register)
    if history:
        latest = history[0][0]
        if latest == period:
            return "refused", M_ALREADY_READ, {"meter_no": meter_no, "period": period}, None, None, None
        if latest > period:
            return "refused", M_LATER_READ, {"meter_no": meter_no, "latest": latest, "period": period}, None, None, None
    if read_on > today:
        return "refused", M_FUTURE, {"read_on": read_on.isoformat()}, None, None, None
    if history:
        previous = history[0][1]
        usual = _usual_of([u for _p, _c, u in history[: reading_service.AVERAGE_PERIODS]])
    else:
        previous = meter.older.get(register, meter.initial)
        usual = None
    mult = meter.multiplier
    if value < previous:
        units = value + dial - previous
        usage = (units * mult * 2 + 1000) // 2000  # thousandths, half up
        params = {"current": _qt(value), "previous": _qt(previous), "usage": _qt(usage), "top": _q(Decimal(10) ** meter.digits - 1)}
        # reading_service.rollover_plausible: at most a tenth of the dial, not above three times the usual
        if units * _DIAL_SHARE > dial or (usual and units * mult > usual * _HIGH):
            return "refused", M_BAD_ROLLOVER, params, previous, usage, usual
        return "warned", M_ROLLOVER, params, previous, usage, usual
    scaled = (value - previous) * mult  # millionths
    usage = (scaled * 2 + 1000) // 2000
    if usual and scaled > usual * _HIGH:
        return "warned", M_HIGH, {"usage": _qt(usage), "usual": _qt(usual)}, previous, usage, usual
    if read_on.month != int(period[5:7]) or read_on.year != int(period[:4]):
        return "warned", M_OUT_OF_PERIOD, {"read_on": read_on.isoformat(), "period": period}, previous, usage, usual
    return "accepted", "", {}, previous, usage, usual


def _register_of(source: Source, text: str) -> str | None:
    key = text.strip().casefold()
    if key in source.registers:
        return source.registers[key]
    if key == "":
        return ""
    return key if key in REGISTERS else None


def _reading_thousandths(row) -> int:
    """The reading cell as raw thousandths: plain digits straight to an int, anything else through the
    shared reader's number rules (at most two decimals, thousands separators)."""
    raw = row.raw("reading")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        return int(raw) * 1000
    value = row.number("reading", places=2)
    return int(value.scaleb(3))


def _new_keys(n: int, sqlite: bool) -> list:
    """`n` fresh version-4 ids as the driver stores them (hex text on SQLite), from one call to urandom."""
    raw = os.urandom(16 * n).hex()
    keys = []
    for i in range(0, 32 * n, 32):
        h = raw[i : i + 32]
        keys.append(f"{h[:12]}4{h[13:16]}{'89ab'[int(h[16], 16) & 3]}{h[17:]}")
    return keys if sqlite else [uuid.UUID(k) for k in keys]


def stage_file(
    db: Database, actor: Actor, path: Path | str, source: str = "plain", period: str | None = None, today: date | None = None
) -> ImportResult:
    """Read, check and stage a file; the same file again stages nothing and answers with what it staged."""
    path = Path(path)
    src = load_source(source)
    if period is not None:
        reading_service.check_period(period)
    digest = file_digest(path) if path.is_file() else ""
    if digest:
        with db.read() as s:
            done = s.scalar(select(ReadingImport.id).where(ReadingImport.file_sha256 == digest))
        if done is not None:
            result = import_result(db, done)
            result.again = True
            return result
    table = read_table(path, src.columns, ("meter_no", "reading"), encoding=src.encoding, sheet=src.sheet, strict=False)
    today = today or local_today()
    parsed = []  # (line, meter_no, register, reading_text, value (thousandths)|None, read_on|None, error|None)
    for row in table.rows():
        meter_no = ascii_digits(row.text("meter_no"))
        register_text = row.text("register")
        reading_text = row.text("reading")[:40]
        try:
            if row.problem is not None:
                raise row.problem
            register = _register_of(src, register_text)
            if register is None:
                raise row.error(
                    "register",
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: “{value}” is not a register of this source."),
                    value=register_text[:20],
                )
            if not meter_no:
                row.required("meter_no")
            value = _reading_thousandths(row)
            read_on = row.date("read_on", required=False) or today
            parsed.append((row.line, meter_no, register, reading_text, value, read_on, None))
        except TabularError as err:
            parsed.append((row.line, meter_no[:40], register_text[:16], reading_text, None, None, err))
    if not parsed:
        raise TabularError(QT_TRANSLATE_NOOP("messages", "{file}: the file has no rows of readings."), file=path.name, line=0, column="")
    if period is None:
        months = Counter(_period_of(p[5]) for p in parsed if p[5] is not None)
        period = months.most_common(1)[0][0] if months else _period_of(today)
    staged: list[StagedRow] = []
    with db.write() as s:
        sqlite = s.connection().dialect.name == "sqlite"
        meters = _load_meters(s, sorted({p[1] for p in parsed if p[6] is None}), period)
        seen: dict[tuple[str, str], int] = {}
        imp = ReadingImport(
            station_id=actor.station_id,
            file_name=path.name[:260],
            file_sha256=digest,
            source=src.name,
            period=period,
            rows=len(parsed),
            imported_by=actor.clerk_id,
        )
        s.add(imp)
        s.flush()
        keys = _new_keys(len(parsed), sqlite)
        for k, (line, meter_no, register, reading_text, value, read_on, err) in enumerate(parsed):
            meter = meters.get(meter_no)
            previous = usage = usual = None
            route = meter.route if meter else ""
            if err is not None:
                verdict, reason, params = "refused", err.message, err.params
            else:
                if register == "" and meter is not None:
                    register = meter.registers[0] if len(meter.registers) == 1 else ""
                if register == "" and meter is not None:
                    verdict, reason, params = "refused", M_NEEDS_REGISTER, {"meter_no": meter_no, "registers": ",".join(meter.registers)}
                else:
                    register = register or "total"
                    verdict, reason, params, previous, usage, usual = _check(meter, meter_no, register, value, read_on, period, today)
                    if meter is not None and verdict != "refused":
                        key = (meter_no, register)
                        if key in seen:
                            verdict, reason, params = "refused", M_DUPLICATE, {"first": seen[key]}
                        else:
                            seen[key] = line
            staged.append(
                StagedRow(
                    keys[k],
                    line,
                    meter_no[:40],
                    register[:16],
                    reading_text,
                    read_on,
                    route,
                    previous,
                    value,
                    usage,
                    usual,
                    verdict,
                    reason,
                    params,
                    meter.key if meter else None,
                )
            )
        _insert_staged(s, imp.id, staged)
        counts = Counter(r.verdict for r in staged)
        audit.record(
            s,
            actor,
            "import",
            "reading_import",
            imp.id,
            after={"file": path.name, "sha256": digest, "source": src.name, "period": period, "rows": len(staged)} | dict(counts),
        )
        import_id = imp.id
    return ImportResult(import_id, path.name, src.name, period, table.encoding, False, _counts(staged), staged)


def _counts(rows: list[StagedRow]) -> dict[str, int]:
    c = Counter(r.verdict for r in rows)
    return {k: c.get(k, 0) for k in ("accepted", "warned", "refused", "posted")}


_COLUMNS = (
    "id, import_id, line_no, meter_no, register, reading_text, read_on, meter_id, route, previous, current, usage, usual, "
    "verdict, reason, params, rolled_over, confirm_high, reading_id"
)


def _thousandths_of(value: Decimal | None) -> int | None:
    """A Quantity column's stored value (thousandths), half up."""
    return None if value is None else int(value.scaleb(3).to_integral_value(ROUND_HALF_UP))


def _insert_staged(s, import_id: uuid.UUID, rows: list[StagedRow]) -> None:
    """The staged rows in one executemany of plain driver values (the ORM's per-value processing costs
    more than the insert itself); the values are the ones the column types store."""
    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    imp = import_id.hex if sqlite else import_id
    days: dict = {}  # a file's dates repeat: each written once
    if sqlite:
        for r in rows:
            if r.read_on is not None and r.read_on not in days:
                days[r.read_on] = r.read_on.isoformat()
    values = [
        (
            r.key,
            imp,
            r.line,
            r.meter_no,
            r.register,
            r.reading,
            days.get(r.read_on) if sqlite else r.read_on,
            r.meter_key,
            r.route,
            r.previous_t,
            r.current_t,
            r.usage_t,
            r.usual_t,
            r.verdict,
            r.reason,
            json.dumps(r.params, ensure_ascii=False, default=str) if r.params else "{}",
            False,
            False,
            None,
        )
        for r in rows
    ]
    mark = "?" if sqlite else "%s"
    conn.exec_driver_sql(f"INSERT INTO reading_import_rows ({_COLUMNS}) VALUES ({', '.join([mark] * 19)})", values)


def _staged(r: dict) -> StagedRow:
    return StagedRow(
        r["id"],
        r["line_no"],
        r["meter_no"],
        r["register"],
        r["reading_text"],
        r["read_on"],
        r["route"],
        _thousandths_of(r["previous"]),
        _thousandths_of(r["current"]),
        _thousandths_of(r["usage"]),
        _thousandths_of(r["usual"]),
        r["verdict"],
        r["reason"],
        json.loads(r["params"] or "{}"),
        r["meter_id"],
    )


def import_result(db: Database, import_id: uuid.UUID) -> ImportResult:
    with db.read() as s:
        imp = s.get(ReadingImport, import_id)
        if imp is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This import no longer exists."))
        rows = [
            _staged({c.name: getattr(r, c.key) for c in ReadingImportRow.__table__.columns})
            for r in s.scalars(select(ReadingImportRow).where(ReadingImportRow.import_id == import_id).order_by(ReadingImportRow.line_no))
        ]
        return ImportResult(imp.id, imp.file_name, imp.source, imp.period, "", False, _counts(rows), rows)


@dataclass
class ImportSummary:
    import_id: uuid.UUID
    file_name: str
    period: str
    imported_at: object
    counts: dict[str, int]


def recent_imports(db: Database, limit: int = 50) -> list[ImportSummary]:
    with db.read() as s:
        imports = s.scalars(select(ReadingImport).order_by(ReadingImport.imported_at.desc()).limit(limit)).all()
        counts: dict[uuid.UUID, dict[str, int]] = {i.id: {k: 0 for k in ("accepted", "warned", "refused", "posted")} for i in imports}
        if imports:
            for iid, verdict, n in s.execute(
                select(ReadingImportRow.import_id, ReadingImportRow.verdict, func.count())
                .where(ReadingImportRow.import_id.in_(list(counts)))
                .group_by(ReadingImportRow.import_id, ReadingImportRow.verdict)
            ):
                counts[iid][verdict] = n
        return [ImportSummary(i.id, i.file_name, i.period, i.imported_at, counts[i.id]) for i in imports]


# --- the clerk's decisions -------------------------------------------------------------------------


def _row_for_change(s, row_id: uuid.UUID) -> ReadingImportRow:
    row = s.get(ReadingImportRow, row_id, with_for_update=True)
    if row is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This import row no longer exists."))
    if row.verdict == "posted":
        raise UserError(QT_TRANSLATE_NOOP("messages", "Line {line} is posted already; correct the reading itself."), line=row.line_no)
    return row


def accept_row(db: Database, actor: Actor, row_id: uuid.UUID) -> None:
    """The clerk accepts a warned row as it is (a roll-over, a high usage, a date outside the period)."""
    with db.write() as s:
        row = _row_for_change(s, row_id)
        if row.verdict != "warned":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Only a warned row can be accepted."))
        warning = json.dumps([row.reason, json.loads(row.params or "{}")], ensure_ascii=False)
        row.rolled_over = row.current is not None and row.previous is not None and row.current < row.previous
        row.confirm_high = True
        row.verdict = "accepted"
        row.reason = M_ACCEPTED_BY_CLERK
        row.params = json.dumps({"reason": warning}, ensure_ascii=False)
        audit.record(
            s, actor, "accept", "reading_import_row", row.id, after={"line": row.line_no, "meter": row.meter_no, "warning": warning}
        )


def _typed_day(text: str) -> date | None:
    """A date the clerk typed at field read_on; None when left empty."""
    text = ascii_digits(text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError.single("read_on", QT_TRANSLATE_NOOP("messages", "Enter a date as YYYY-MM-DD.")) from None


def correct_row(
    db: Database, actor: Actor, row_id: uuid.UUID, reading_text: str, read_on: date | str | None = None, today: date | None = None
) -> str:
    """The clerk types the right reading (and date, as typed: YYYY-MM-DD or empty for the row's own)
    for a warned or refused row; it is checked again. Returns the new verdict."""
    today = today or local_today()
    if isinstance(read_on, str):
        read_on = _typed_day(read_on)
    with db.write() as s:
        row = _row_for_change(s, row_id)
        imp = s.get(ReadingImport, row.import_id)
        meter_no = row.meter_no
        meters = _load_meters(s, [meter_no], imp.period)
        meter = meters.get(meter_no)
        digits = meter.digits if meter else 9
        value = reading_service.parse_reading(reading_text, digits)
        day = read_on or row.read_on or today
        register = row.register or (meter.registers[0] if meter and len(meter.registers) == 1 else "total")
        verdict, reason, params, previous, usage, usual = _check(meter, meter_no, register, int(value.scaleb(3)), day, imp.period, today)
        if verdict != "refused" and meter is not None:
            twin = s.scalar(
                select(ReadingImportRow.line_no).where(
                    ReadingImportRow.import_id == row.import_id,
                    ReadingImportRow.meter_id == meter.id,
                    ReadingImportRow.register == register,
                    ReadingImportRow.verdict != "refused",
                    ReadingImportRow.id != row.id,
                )
            )
            if twin is not None:
                verdict, reason, params = "refused", M_DUPLICATE, {"first": twin}
        before = {"reading": row.reading_text, "read_on": row.read_on, "verdict": row.verdict}
        row.reading_text = str(value)
        row.current = value
        row.read_on = day
        row.register = register
        row.meter_id = meter.id if meter else None
        row.previous, row.usage, row.usual = _thousandths(previous), _thousandths(usage), _thousandths(usual)
        row.verdict, row.reason, row.params = verdict, reason, json.dumps(params, ensure_ascii=False, default=str)
        row.rolled_over = row.confirm_high = False
        audit.record(
            s,
            actor,
            "correct",
            "reading_import_row",
            row.id,
            before=before,
            after={"reading": value, "read_on": day, "verdict": verdict, "line": row.line_no, "meter": meter_no},
        )
        return verdict


# --- posting ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _set_row():
    t = ReadingImportRow.__table__
    from sqlalchemy import bindparam

    return (
        update(t)
        .where(t.c.id == bindparam("r_id"))
        .values(
            verdict=bindparam("r_verdict"), reason=bindparam("r_reason"), params=bindparam("r_params"), reading_id=bindparam("r_reading")
        )
    )


def post_import(db: Database, actor: Actor, import_id: uuid.UUID, route: str | None = None, progress=None) -> int:
    """Post the accepted rows (of one route, or all) as readings, a route at a time in one unit of work
    through the reading service's set-based path (reading_service.record_readings: every rule of
    record_reading, the same audit entries and summaries). A row the reading service refuses goes back
    to warned (a question) or refused, with its reason; a posted row keeps its reading's id, in the same
    unit of work. Returns the number of readings posted."""
    with db.read() as s:
        imp = s.get(ReadingImport, import_id)
        if imp is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This import no longer exists."))
        period = imp.period
        t = ReadingImportRow.__table__
        q = select(t.c.id, t.c.route, t.c.meter_id, t.c.register, t.c.current, t.c.read_on, t.c.rolled_over, t.c.confirm_high).where(
            t.c.import_id == import_id, t.c.verdict == "accepted"
        )
        if route is not None:
            q = q.where(t.c.route == route)
        todo = s.execute(q.order_by(t.c.route, t.c.line_no)).all()
    by_route: dict[str, list] = {}
    for r in todo:
        by_route.setdefault(r.route, []).append(r)
    parts: list[list] = []  # whole routes together up to POST_CHUNK rows; a longer route in pieces of it
    current: list = []
    for rows in by_route.values():
        for i in range(0, len(rows), POST_CHUNK):
            piece = rows[i : i + POST_CHUNK]
            if current and len(current) + len(piece) > POST_CHUNK:
                parts.append(current)
                current = []
            current.extend(piece)
    if current:
        parts.append(current)
    posted = done = 0
    for part in parts:
        items = [reading_service.NewReading(r.meter_id, r.register, str(r.current), r.read_on, r.rolled_over, r.confirm_high) for r in part]

        def mark(s, results, part=part):
            values = []
            for r, result in zip(part, results, strict=True):
                if isinstance(result, reading_service.NeedsConfirmation):
                    verdict = "refused" if result.needs_supervisor else "warned"
                    values.append(_row_values(r.id, verdict, result.message, result.params, None))
                elif isinstance(result, UserError):
                    values.append(_row_values(r.id, "refused", result.message, result.params, None))
                else:
                    values.append(_row_values(r.id, "posted", "", {}, result.reading_id))
            s.execute(_set_row(), values)

        results = reading_service.record_readings(db, actor, period, items, source="read", then=mark)
        posted += sum(1 for x in results if isinstance(x, reading_service.ReadingResult))
        done += len(part)
        if progress:
            progress(done, len(todo))
    return posted


def _row_values(row_id, verdict: str, reason: str, params: dict, reading_id) -> dict:
    return {
        "r_id": row_id,
        "r_verdict": verdict,
        "r_reason": reason,
        "r_params": json.dumps(params, default=str) if params else "{}",
        "r_reading": reading_id,
    }
