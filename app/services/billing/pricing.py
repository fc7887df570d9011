"""The price of a quantity, exactly as docs/TARIFFS.md prescribes; every line rounded half-up to the fen.

Tier quantities split the interval (ytd, ytd + usage] at the bounds. Without time of
use there is one line per tier; with it, one line per register plus an increment line
per tier above the first. Surcharges are priced on the total usage. The total is the sum
of the rounded lines, so the printed lines always add up to the printed total.

Per-account rules (docs/BILLING.md): `bound_extra` is added to every bound per month
(x12 for annual tiers); `free_quantity` (low-income households) is a negative line of
that quantity at the tier-1 price, never more than the usage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from app.kernel.errors import ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import round_fen
from app.kernel.text import MAX_QUANTITY
from app.services.billing.tariffs import Tariff, TariffBook

ZERO = Decimal(0)
QUANTITY_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class PriceLine:
    item: str  # stable key: tier1..tierN, energy, <register>, tier2_increment.., free, or the surcharge's name
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    kind: str  # tier | flat | register | increment | surcharge | free
    tier: int | None = None
    register: str | None = None
    period: tuple[date, date] | None = None  # set when a tariff change splits the bill


@dataclass
class Quote:
    tariff_code: str
    lines: list[PriceLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)

    @property
    def usage(self) -> Decimal:
        return sum((ln.quantity for ln in self.lines if ln.kind in ("tier", "flat", "register")), ZERO)


def tier_quantities(bounds: tuple[Decimal, ...], ytd: Decimal, usage: Decimal) -> list[Decimal]:
    """Quantities per tier of the interval (ytd, ytd + usage]; one more entry than bounds."""
    low, high = ytd, ytd + usage
    out, previous = [], ZERO
    for b in bounds:
        out.append(max(ZERO, min(high, b) - max(low, previous)))
        previous = b
    out.append(max(ZERO, high - max(low, previous)))
    return out


def _line(item, quantity, unit_price, kind, tier=None, register=None) -> PriceLine:
    return PriceLine(item, quantity, unit_price, round_fen(quantity * unit_price), kind, tier, register)


def _check_quantity(name: str, q: Decimal) -> Decimal:
    q = Decimal(q)
    if not q.is_finite() or q < 0:
        raise ValidationError.single(name, QT_TRANSLATE_NOOP("messages", "A quantity must be zero or more."))
    if q > MAX_QUANTITY:  # the one upper bound of usages (app.kernel.text)
        raise ValidationError.single(
            name, QT_TRANSLATE_NOOP("messages", "A quantity is at most {maximum}; check what was typed."), maximum=f"{MAX_QUANTITY:,}"
        )
    if -q.normalize().as_tuple().exponent > 3:  # trailing zeros do not count
        raise ValidationError.single(name, QT_TRANSLATE_NOOP("messages", "A quantity has at most 3 decimals."))
    return q


def price(
    tariff: Tariff,
    usage: Decimal | None = None,
    registers: dict[str, Decimal] | None = None,
    ytd: Decimal = ZERO,
    bound_extra: Decimal = ZERO,
    free_quantity: Decimal = ZERO,
) -> Quote:
    if tariff.tou:
        if registers is None:
            raise ValidationError.single(
                "registers",
                QT_TRANSLATE_NOOP("messages", "Tariff {code} is priced per register ({names}); give a quantity per register."),
                code=tariff.code,
                names=", ".join(tariff.tou),
            )
        unknown = sorted(set(registers) - set(tariff.tou))
        if unknown:
            raise ValidationError.single(
                "registers",
                QT_TRANSLATE_NOOP("messages", "Tariff {code} has no register “{name}”; it has {names}."),
                code=tariff.code,
                name=unknown[0],
                names=", ".join(tariff.tou),
            )
        regs = {r: _check_quantity("registers", q) for r, q in registers.items()}
        total = sum(regs.values(), ZERO)
    else:
        if registers is not None and usage is None:
            raise ValidationError.single(
                "registers",
                QT_TRANSLATE_NOOP("messages", "Tariff {code} has no time-of-use registers; give the total usage."),
                code=tariff.code,
            )
        if usage is None:
            raise ValidationError.single("usage", QT_TRANSLATE_NOOP("messages", "Give the usage."))
        total = _check_quantity("usage", usage)
        regs = None
    ytd = _check_quantity("ytd", ytd)
    free_quantity = _check_quantity("free_quantity", free_quantity)
    quote = Quote(tariff.code)
    tiers = tariff.tiers
    if tiers:
        scale = 12 if tiers.period == "year" else 1
        bounds = tuple(b + bound_extra * scale for b in tiers.bounds)
        per_tier = tier_quantities(bounds, ytd, total)
    if regs is None:
        if tiers:
            for i, q in enumerate(per_tier):
                if q:
                    quote.lines.append(_line(f"tier{i + 1}", q, tariff.price + tiers.increments[i], "tier", tier=i + 1))
        else:
            quote.lines.append(_line("energy", total, tariff.price, "flat"))
    else:
        for reg in (r for r in ("sharp", "peak", "flat", "valley") if r in regs):
            quote.lines.append(_line(reg, regs[reg], tariff.tou[reg], "register", register=reg))
        if tiers:
            for i, q in enumerate(per_tier[1:], start=1):
                if q and tiers.increments[i]:
                    quote.lines.append(_line(f"tier{i + 1}_increment", q, tiers.increments[i], "increment", tier=i + 1))
    free = min(free_quantity, total)
    if free:
        first = tariff.base_price + (tiers.increments[0] if tiers else ZERO)
        quote.lines.append(_line("free", free, -first, "free"))
    for s in tariff.surcharges:
        quote.lines.append(_line(s.name, total, s.price, "surcharge"))
    return quote


def split_by_days(quantity: Decimal, days: list[int]) -> list[Decimal]:
    """Prorate by days to 3 decimals (half-up); the last part takes the remainder, so parts add up exactly."""
    total_days = sum(days)
    parts = [round_quantity(quantity * d / total_days) for d in days[:-1]]
    parts.append(quantity - sum(parts, ZERO))
    return parts


def round_quantity(q: Decimal) -> Decimal:
    from decimal import ROUND_HALF_UP

    return q.quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)


def price_period(
    book: TariffBook,
    code: str,
    start: date,
    end: date,
    usage: Decimal | None = None,
    registers: dict[str, Decimal] | None = None,
    ytd: Decimal = ZERO,
    bound_extra: Decimal = ZERO,
    free_quantity: Decimal = ZERO,
) -> Quote:
    """Price a bill period; when the tariff changes inside it, usage is split by days between the versions."""
    versions = book.versions_between(code, start, end)
    if len(versions) == 1:
        return price(versions[0][0], usage, registers, ytd, bound_extra, free_quantity)
    days = [(b - a).days + 1 for _, a, b in versions]
    usage_parts = split_by_days(usage, days) if usage is not None else [None] * len(days)
    reg_parts = {r: split_by_days(q, days) for r, q in registers.items()} if registers else None
    free_parts = split_by_days(free_quantity, days)
    quote = Quote(code)
    running = ytd
    for i, (tariff, a, b) in enumerate(versions):
        regs = {r: parts[i] for r, parts in reg_parts.items()} if reg_parts else None
        part = price(tariff, usage_parts[i], regs, running, bound_extra, free_parts[i])
        quote.lines.extend(
            PriceLine(ln.item, ln.quantity, ln.unit_price, ln.amount, ln.kind, ln.tier, ln.register, (a, b)) for ln in part.lines
        )
        running += usage_parts[i] if usage_parts[i] is not None else sum(regs.values(), ZERO)
    return quote


LABEL_CONTEXT = "printing"
ITEM_LABELS = {
    "energy": QT_TRANSLATE_NOOP("printing", "Energy charge"),
    "tier1": QT_TRANSLATE_NOOP("printing", "Tier 1"),
    "tier2": QT_TRANSLATE_NOOP("printing", "Tier 2"),
    "tier3": QT_TRANSLATE_NOOP("printing", "Tier 3"),
    "tier4": QT_TRANSLATE_NOOP("printing", "Tier 4"),
    "tier2_increment": QT_TRANSLATE_NOOP("printing", "Tier 2 surcharge"),
    "tier3_increment": QT_TRANSLATE_NOOP("printing", "Tier 3 surcharge"),
    "tier4_increment": QT_TRANSLATE_NOOP("printing", "Tier 4 surcharge"),
    "sharp": QT_TRANSLATE_NOOP("printing", "Sharp peak"),
    "peak": QT_TRANSLATE_NOOP("printing", "Peak"),
    "flat": QT_TRANSLATE_NOOP("printing", "Flat"),
    "valley": QT_TRANSLATE_NOOP("printing", "Valley"),
    "free": QT_TRANSLATE_NOOP("printing", "Free quota (low-income household)"),
}


WATER_LABELS = {"energy": QT_TRANSLATE_NOOP("printing", "Water charge")}


def item_label(line: PriceLine, translate, service: str = "electricity") -> str:
    """The printed name of a line in the caller's language (surcharge names come from the tariff file);
    a water tariff's flat line is the water charge, not the energy charge."""
    text = (WATER_LABELS.get(line.item) if service == "water" else None) or ITEM_LABELS.get(line.item)
    label = translate(LABEL_CONTEXT, text) if text else line.item
    if line.period:
        label += f" ({line.period[0]:%m-%d}~{line.period[1]:%m-%d})"
    return label


# What a clerk types for a register: the codes, English names and the Chinese names the bill and the
# calculator show (尖峰 / 峰 / 平 / 谷), with the usual longer forms.
REGISTER_NAMES = {
    "sharp": "sharp",
    "sharp peak": "sharp",
    "尖": "sharp",
    "尖峰": "sharp",
    "尖段": "sharp",
    "peak": "peak",
    "峰": "peak",
    "高峰": "peak",
    "峰段": "peak",
    "flat": "flat",
    "平": "flat",
    "平段": "flat",
    "平时": "flat",
    "valley": "valley",
    "谷": "valley",
    "低谷": "valley",
    "谷段": "valley",
}
_PAIR = re.compile(r"([^\s=:]+?)\s*[=:]\s*([^\s=:]*)")


def parse_quote_input(text: str, aliases: dict[str, str] | None = None) -> tuple[Decimal | None, dict[str, Decimal] | None]:
    """The calculator's usage box: a quantity ("350") or register=quantity pairs ("峰=200 谷=150",
    "peak=200, valley=150", full-width characters too). `aliases` adds names the caller shows for registers.
    Returns (usage, None) or (None, registers); a ValidationError on field "usage" says what is wrong."""
    raw = unicodedata.normalize("NFKC", text or "").replace("，", ",").replace("、", ",").replace(",", " ").strip()
    if not raw:
        raise ValidationError.single("usage", QT_TRANSLATE_NOOP("messages", "Give the usage."))
    names = {k.lower(): v for k, v in {**REGISTER_NAMES, **(aliases or {})}.items()}
    if "=" not in raw and ":" not in raw:
        return parse_quantity(raw, "usage"), None
    registers: dict[str, Decimal] = {}
    rest = _PAIR.sub(" ", raw).strip()
    if rest:
        raise ValidationError.single(
            "usage",
            QT_TRANSLATE_NOOP("messages", "“{part}” is not a register=quantity pair; write e.g. peak=200 valley=150."),
            part=rest[:20],
        )
    for name, value in _PAIR.findall(raw):
        register = names.get(name.strip().lower())
        if register is None:
            raise ValidationError.single(
                "usage", QT_TRANSLATE_NOOP("messages", "“{name}” is not a register; use sharp, peak, flat or valley."), name=name[:20]
            )
        if register in registers:
            raise ValidationError.single("usage", QT_TRANSLATE_NOOP("messages", "The register “{name}” is given twice."), name=name[:20])
        registers[register] = parse_quantity(value, "usage")
    return None, registers


def parse_quantity(text: str, field: str = "usage") -> Decimal:
    """A typed quantity: digits and a point (full-width too), at most 3 decimals, zero or more."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    try:
        if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", text):
            raise InvalidOperation
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError.single(
            field, QT_TRANSLATE_NOOP("messages", "“{text}” is not a quantity; type a number such as 350."), text=(text or "")[:20]
        ) from None
    return _check_quantity(field, value)
