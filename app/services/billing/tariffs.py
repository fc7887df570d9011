"""Tariff files (docs/TARIFFS.md): strict loading, storing imported tariffs, finding the one in force.

A file that breaks the format is refused whole, with a message naming the file, the
tariff code and the key; nothing from it is loaded. Prices and increments are decimal
strings (a TOML float would already be inexact); bounds may be integers or strings.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import PermissionDenied, UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import MAX_QUANTITY, MAX_UNIT_PRICE
from app.models import TariffRecord
from app.paths import resource_path
from app.services import audit

SERVICES = {"electricity": "kWh", "water": "m3"}
REGISTERS = ("sharp", "peak", "flat", "valley")
TARIFF_KEYS = {"code", "name", "service", "unit", "usage_category", "effective_from", "effective_to", "price", "tiers", "tou", "surcharges"}


@dataclass(frozen=True)
class Tiers:
    period: str  # "year" | "month"
    bounds: tuple[Decimal, ...]
    increments: tuple[Decimal, ...]


@dataclass(frozen=True)
class Surcharge:
    name: str
    price: Decimal


@dataclass(frozen=True)
class Tariff:
    code: str
    name: str
    service: str
    unit: str
    usage_category: str
    effective_from: date
    effective_to: date | None
    price: Decimal | None
    tiers: Tiers | None = None
    tou: dict[str, Decimal] | None = None
    surcharges: tuple[Surcharge, ...] = field(default_factory=tuple)

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def base_price(self) -> Decimal:
        """Tier-1 price without time of use; with it, the flat (else the lowest) register price."""
        if self.price is not None:
            return self.price
        assert self.tou
        return self.tou.get("flat", min(self.tou.values()))


class TariffError(UserError):
    """A tariff file (or table) that breaks docs/TARIFFS.md; names the file, the code and the key."""

    def __init__(self, file: str, code: str, key: str, problem: str, problem_params: dict) -> None:
        self.problem = problem
        self.problem_params = problem_params
        super().__init__(
            QT_TRANSLATE_NOOP("messages", "Tariff file {file}, tariff {code}, key {key}: {problem}"),
            file=file,
            code=code or "?",
            key=key,
            problem=problem,
        )

    def text(self, translate=None) -> str:
        problem = translate(self.context, self.problem) if translate else self.problem
        try:
            problem = problem.format(**self.problem_params)
        except (KeyError, IndexError, ValueError):
            pass
        template = translate(self.context, self.message) if translate else self.message
        return template.format(**{**self.params, "problem": problem})


def _fail(source: str, code: str, key: str, problem: str, /, **params) -> TariffError:
    # Positional-only, so a message may use {code} among its own params.
    return TariffError(source, code, key, problem, params)


_PLAIN = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def _decimal(value, source, code, key, allow_int=False, maximum: Decimal = MAX_UNIT_PRICE) -> Decimal:
    """A price (at most MAX_UNIT_PRICE yuan per unit) or a quantity bound (at most MAX_QUANTITY): plain digits
    and a point, never an exponent ("1e3"), NaN or infinity."""
    if isinstance(value, bool) or isinstance(value, float):
        raise _fail(
            source, code, key, QT_TRANSLATE_NOOP("messages", 'write the number as a string, e.g. "0.538" (a TOML float is inexact)')
        )
    if isinstance(value, int) and allow_int:
        if value < 0:
            raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "must be a number of zero or more"))
        if value > maximum:
            raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "at most {maximum}"), maximum=f"{maximum:,}")
        return Decimal(value)
    if not isinstance(value, str):
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "expected a decimal string"))
    if value.strip().startswith("-"):
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "must be a number of zero or more"))
    if not _PLAIN.match(value.strip()):
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", '"{v}" is not a decimal number'), v=value[:30])
    try:
        d = Decimal(value.strip())
    except InvalidOperation:
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", '"{v}" is not a decimal number'), v=value[:30]) from None
    if not d.is_finite() or d < 0:
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "must be a number of zero or more"))
    if d > maximum:
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "at most {maximum}"), maximum=f"{maximum:,}")
    if -d.normalize().as_tuple().exponent > 6:  # trailing zeros do not count
        raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "at most 6 decimals"))
    return d


def parse_tariff(table: dict, source: str) -> Tariff:
    """One [[tariff]] table -> Tariff; TariffError naming the key at fault."""
    code = table.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > 40:
        raise _fail(source, str(code or ""), "code", QT_TRANSLATE_NOOP("messages", "required, 1 to 40 characters"))
    unknown = sorted(set(table) - TARIFF_KEYS)
    if unknown:
        raise _fail(source, code, unknown[0], QT_TRANSLATE_NOOP("messages", "unknown key"))
    for key in ("name", "usage_category"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise _fail(source, code, key, QT_TRANSLATE_NOOP("messages", "required text"))
    service = table.get("service")
    if service not in SERVICES:
        raise _fail(source, code, "service", QT_TRANSLATE_NOOP("messages", 'must be "electricity" or "water"'))
    unit = table.get("unit")
    if unit != SERVICES[service]:
        raise _fail(
            source, code, "unit", QT_TRANSLATE_NOOP("messages", 'must be "{unit}" for {service}'), unit=SERVICES[service], service=service
        )
    start = table.get("effective_from")
    if type(start) is not date:
        raise _fail(source, code, "effective_from", QT_TRANSLATE_NOOP("messages", "required date, e.g. 2024-01-01"))
    end = table.get("effective_to")
    if end is not None and (type(end) is not date or end < start):
        raise _fail(source, code, "effective_to", QT_TRANSLATE_NOOP("messages", "a date on or after effective_from"))
    tou = None
    if "tou" in table:
        raw = table["tou"]
        if not isinstance(raw, dict) or not raw:
            raise _fail(source, code, "tou", QT_TRANSLATE_NOOP("messages", "a table of register prices"))
        tou = {}
        for reg, value in raw.items():
            if reg not in REGISTERS:
                raise _fail(source, code, f"tou.{reg}", QT_TRANSLATE_NOOP("messages", "register names are peak, flat, valley, sharp"))
            tou[reg] = _decimal(value, source, code, f"tou.{reg}")
    price = None
    if "price" in table:
        price = _decimal(table["price"], source, code, "price")
    elif tou is None:
        raise _fail(source, code, "price", QT_TRANSLATE_NOOP("messages", "required (or a [tariff.tou] table)"))
    tiers = None
    if "tiers" in table:
        raw = table["tiers"]
        if not isinstance(raw, dict):
            raise _fail(source, code, "tiers", QT_TRANSLATE_NOOP("messages", "a table with period, bounds, increments"))
        extra = sorted(set(raw) - {"period", "bounds", "increments"})
        if extra:
            raise _fail(source, code, f"tiers.{extra[0]}", QT_TRANSLATE_NOOP("messages", "unknown key"))
        if raw.get("period") not in ("year", "month"):
            raise _fail(source, code, "tiers.period", QT_TRANSLATE_NOOP("messages", 'must be "year" or "month"'))
        bounds_raw = raw.get("bounds")
        if not isinstance(bounds_raw, list) or not bounds_raw:
            raise _fail(source, code, "tiers.bounds", QT_TRANSLATE_NOOP("messages", "a list of upper bounds"))
        bounds = tuple(_decimal(b, source, code, "tiers.bounds", allow_int=True, maximum=MAX_QUANTITY) for b in bounds_raw)
        if any(b <= 0 for b in bounds) or any(b2 <= b1 for b1, b2 in zip(bounds, bounds[1:])):
            raise _fail(source, code, "tiers.bounds", QT_TRANSLATE_NOOP("messages", "bounds must be above zero and increasing"))
        inc_raw = raw.get("increments")
        if not isinstance(inc_raw, list) or len(inc_raw) != len(bounds) + 1:
            raise _fail(
                source, code, "tiers.increments", QT_TRANSLATE_NOOP("messages", "needs one more entry than bounds ({n})"), n=len(bounds) + 1
            )
        increments = tuple(_decimal(i, source, code, "tiers.increments") for i in inc_raw)
        tiers = Tiers(raw["period"], bounds, increments)
    surcharges = []
    raw_s = table.get("surcharges", [])
    if not isinstance(raw_s, list):
        raise _fail(source, code, "surcharges", QT_TRANSLATE_NOOP("messages", "an array of tables [[tariff.surcharges]]"))
    for i, s in enumerate(raw_s):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"].strip():
            raise _fail(source, code, f"surcharges[{i}].name", QT_TRANSLATE_NOOP("messages", "required text"))
        extra = sorted(set(s) - {"name", "price"})
        if extra:
            raise _fail(source, code, f"surcharges[{i}].{extra[0]}", QT_TRANSLATE_NOOP("messages", "unknown key"))
        if "price" not in s:
            raise _fail(source, code, f"surcharges[{i}].price", QT_TRANSLATE_NOOP("messages", "required"))
        surcharges.append(Surcharge(s["name"].strip(), _decimal(s["price"], source, code, f"surcharges[{i}].price")))
    return Tariff(
        code.strip(),
        table["name"].strip(),
        service,
        unit,
        table["usage_category"].strip(),
        start,
        end,
        price,
        tiers,
        tou,
        tuple(surcharges),
    )


def parse_text(text: str, source: str) -> tuple[list[Tariff], list[dict]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "", "(file)", QT_TRANSLATE_NOOP("messages", "not valid TOML: {err}"), err=str(exc)) from None
    extra = sorted(set(data) - {"tariff"})
    if extra:
        raise _fail(source, "", extra[0], QT_TRANSLATE_NOOP("messages", "unknown key; a file holds [[tariff]] tables"))
    tables = data.get("tariff")
    if not isinstance(tables, list) or not tables:
        raise _fail(source, "", "tariff", QT_TRANSLATE_NOOP("messages", "the file has no [[tariff]] table"))
    tariffs = [parse_tariff(t, source) for t in tables]
    seen = set()
    for t in tariffs:
        key = (t.code, t.effective_from)
        if key in seen:
            raise _fail(
                source,
                t.code,
                "effective_from",
                QT_TRANSLATE_NOOP("messages", "two tariffs with this code start on {day}"),
                day=t.effective_from,
            )
        seen.add(key)
    return tariffs, tables


def load_tariff_file(path) -> list[Tariff]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(p.name, "", "(file)", QT_TRANSLATE_NOOP("messages", "cannot be read: {err}"), err=str(exc)) from None
    return parse_text(text, p.name)[0]


class TariffBook:
    """Every version of every tariff; finds the one in force on a day."""

    def __init__(self, tariffs: list[Tariff]) -> None:
        self.by_code: dict[str, list[Tariff]] = {}
        for t in tariffs:
            self.by_code.setdefault(t.code, []).append(t)
        for versions in self.by_code.values():
            versions.sort(key=lambda t: t.effective_from)

    @classmethod
    def from_files(cls, *paths) -> "TariffBook":
        return cls([t for p in paths for t in load_tariff_file(p)])

    @classmethod
    def from_session(cls, session: Session) -> "TariffBook":
        rows = session.scalars(select(TariffRecord)).all()
        return cls([parse_tariff(_from_json(r.definition), f"database:{r.code}") for r in rows])

    def codes(self) -> list[str]:
        return sorted(self.by_code)

    def in_force(self, code: str, day: date) -> Tariff:
        for t in reversed(self.by_code.get(code, [])):
            if t.applies_on(day):
                return t
        raise UserError(QT_TRANSLATE_NOOP("messages", "No tariff {code} is in force on {day}."), code=code or "—", day=day.isoformat())

    def versions_between(self, code: str, start: date, end: date) -> list[tuple[Tariff, date, date]]:
        """The versions in force over [start, end], each with the days it covers; refused if a day has none."""
        parts: list[tuple[Tariff, date, date]] = []
        day = start
        while day <= end:
            t = self.in_force(code, day)
            last = min(end, t.effective_to or end)
            later = [v.effective_from for v in self.by_code[code] if day < v.effective_from <= last]
            if later:
                last = min(later) - timedelta(days=1)
            parts.append((t, day, last))
            day = last + timedelta(days=1)
        return parts


def _to_json(table: dict) -> str:
    def plain(v):
        if isinstance(v, date):
            return {"$date": v.isoformat()}
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    return json.dumps(plain(table), ensure_ascii=False, sort_keys=True)


def _from_json(text: str) -> dict:
    def back(v):
        if isinstance(v, dict):
            if set(v) == {"$date"}:
                return date.fromisoformat(v["$date"])
            return {k: back(x) for k, x in v.items()}
        if isinstance(v, list):
            return [back(x) for x in v]
        return v

    return back(json.loads(text))


@dataclass
class ImportResult:
    added: list[str]
    unchanged: list[str]


def _require_admin(actor: Actor | None) -> None:
    if actor is None or not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can import tariffs."))


def import_text(db: Database, actor: Actor | None, text: str, source: str) -> ImportResult:
    """An administrator stores the file's tariffs; same definition again changes nothing; a different one for
    an existing code+date is refused."""
    _require_admin(actor)
    return _import_text(db, actor, text, source)


def _import_text(db: Database, actor: Actor | None, text: str, source: str) -> ImportResult:
    tariffs, tables = parse_text(text, source)
    added, unchanged = [], []
    with db.write() as s:
        for t, table in zip(tariffs, tables):
            definition = _to_json(table)
            existing = s.scalar(select(TariffRecord).where(TariffRecord.code == t.code, TariffRecord.effective_from == t.effective_from))
            label = f"{t.code}@{t.effective_from.isoformat()}"
            if existing is not None:
                if existing.definition != definition:
                    raise _fail(
                        source,
                        t.code,
                        "effective_from",
                        QT_TRANSLATE_NOOP(
                            "messages", "a different tariff {code} from {day} is already imported; give the new one its own effective_from"
                        ),
                        code=t.code,
                        day=t.effective_from,
                    )
                unchanged.append(label)
                continue
            s.add(
                TariffRecord(
                    code=t.code,
                    effective_from=t.effective_from,
                    effective_to=t.effective_to,
                    name=t.name,
                    service=t.service,
                    usage_category=t.usage_category,
                    definition=definition,
                    source_file=source[:260],
                    imported_by=actor.clerk_id if actor else None,
                )
            )
            added.append(label)
        if added:
            audit.record(s, actor, "import", "tariff", source[:40], after={"added": added})
    return ImportResult(added, unchanged)


def import_file(db: Database, actor: Actor | None, path) -> ImportResult:
    """An administrator imports a tariff file (refused whole if any part is wrong)."""
    _require_admin(actor)
    return _import_file(db, actor, path)


def _import_file(db: Database, actor: Actor | None, path) -> ImportResult:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(p.name, "", "(file)", QT_TRANSLATE_NOOP("messages", "cannot be read: {err}"), err=str(exc)) from None
    return _import_text(db, actor, text, p.name)


def shipped_files() -> list[Path]:
    return sorted(resource_path("tariffs").glob("*.toml"))


def ensure_default_tariffs(db: Database, actor: Actor | None = None) -> int:
    """Import the shipped tariff files into a store that has none; returns how many were added.

    The shipped files are part of the program, not an administrator's choice: any first use of a
    store (a clerk's price calculator, a command) imports them, with or without an actor."""
    with db.read() as s:
        if s.scalar(select(TariffRecord.id).limit(1)) is not None:
            return 0
    return sum(len(_import_file(db, actor, f).added) for f in shipped_files())


def load_book(db: Database) -> TariffBook:
    with db.read() as s:
        return TariffBook.from_session(s)
