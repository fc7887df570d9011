"""Column types that keep money and quantities exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator


class _ScaledDecimal(TypeDecorator):
    """A Decimal stored as an integer count of 10**-SCALE units; refuses values it would round."""

    impl = BigInteger
    cache_ok = True
    SCALE = 0

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        scaled = value.scaleb(self.SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.SCALE} decimals")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.SCALE)


class Quantity(_ScaledDecimal):
    """Meter readings, usage, multipliers: Decimal with up to 3 decimals (stored in thousandths)."""

    SCALE = 3
    cache_ok = True


class UnitPrice(_ScaledDecimal):
    """Unit prices in yuan with up to 6 decimals (stored in micro-yuan)."""

    SCALE = 6
    cache_ok = True
