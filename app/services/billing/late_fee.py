"""Late fees (违约金) exactly as docs/TARIFFS.md: per late day from D+1 through P, rounded half-up,
a fee above zero but under the minimum is charged as the minimum, never on late fees.

Residential: 1 per mille of the principal per late day. Others: 2 per mille for late days
in the due date's calendar year, 3 per mille for late days in later years. Rates, the
minimum and whether late fees apply to a service are company settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.orm import Session

from app.kernel.errors import ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import round_fen
from app.services import settings

CATEGORIES = ("residential", "other")


@dataclass(frozen=True)
class LateFeeRates:
    residential: Decimal = Decimal("0.001")
    other_current_year: Decimal = Decimal("0.002")
    other_previous_years: Decimal = Decimal("0.003")
    minimum: Decimal = Decimal("1.00")
    enabled: bool = True

    @classmethod
    def from_settings(cls, session: Session, service: str = "electricity") -> "LateFeeRates":
        keys = [
            "late_fee.rate.residential",
            "late_fee.rate.other_current_year",
            "late_fee.rate.other_previous_years",
            "late_fee.minimum",
            f"late_fee.enabled.{service}",
        ]
        v = settings.get_many(session, keys)
        return cls(Decimal(v[keys[0]]), Decimal(v[keys[1]]), Decimal(v[keys[2]]), Decimal(v[keys[3]]), bool(v[keys[4]]))


def category_of(usage_category: str) -> str:
    return "residential" if usage_category == "residential" else "other"


def late_days(due: date, paid: date) -> tuple[int, int]:
    """(late days in the due date's year, late days in later years)."""
    if paid <= due:
        return 0, 0
    year_end = date(due.year, 12, 31)
    same_year = (min(paid, year_end) - due).days
    later = (paid - year_end).days if paid > year_end else 0
    return same_year, later


def late_fee(amount: Decimal, due: date, paid: date, category: str, rates: LateFeeRates | None = None) -> Decimal:
    rates = rates or LateFeeRates()
    if category not in CATEGORIES:
        raise ValidationError.single("category", QT_TRANSLATE_NOOP("messages", "The category is “residential” or “other”."))
    amount = Decimal(amount)
    if amount < 0:
        raise ValidationError.single("amount", QT_TRANSLATE_NOOP("messages", "The amount must be zero or more."))
    if not rates.enabled or amount == 0:
        return Decimal("0.00")
    same_year, later = late_days(due, paid)
    if category == "residential":
        fee = amount * rates.residential * (same_year + later)
    else:
        fee = amount * rates.other_current_year * same_year + amount * rates.other_previous_years * later
    fee = round_fen(fee)
    if Decimal(0) < fee < rates.minimum:
        return rates.minimum.quantize(Decimal("0.01"))
    return fee


@lru_cache(maxsize=16)
def _scaled(rates: LateFeeRates) -> tuple[int, int, int, int, int]:
    """The rates as integers over one common power of ten, and the minimum in fen."""
    places = max(-min(r.as_tuple().exponent, 0) for r in (rates.residential, rates.other_current_year, rates.other_previous_years))
    scale = 10**places
    return (
        scale,
        int(rates.residential * scale),
        int(rates.other_current_year * scale),
        int(rates.other_previous_years * scale),
        int(round_fen(rates.minimum) * 100),
    )


def late_fee_fen(outstanding_fen: int, due: date, paid: date, category: str, rates: LateFeeRates) -> int:
    """late_fee() in integer fen with integer arithmetic: the same figure (tested against it), for
    reports that price the late fees of every open bill of a store."""
    if not rates.enabled or outstanding_fen <= 0:
        return 0
    same_year, later = late_days(due, paid)
    scale, residential, current, previous, minimum = _scaled(rates)
    if category == "residential":
        exact = outstanding_fen * residential * (same_year + later)
    else:
        exact = outstanding_fen * (current * same_year + previous * later)
    fee = (2 * exact + scale) // (2 * scale)  # half-up to the fen
    return minimum if 0 < fee < minimum else fee
