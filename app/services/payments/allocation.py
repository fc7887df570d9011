"""Where money goes: oldest bill first, its late fee before its principal, the rest to the balance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal


@dataclass(frozen=True)
class Owed:
    bill_id: uuid.UUID
    late_fee_fen: int
    principal_fen: int
    usage: Decimal  # quantity behind the bill's whole principal
    amount_fen: int  # the bill's whole principal (to prorate the quantity)


@dataclass(frozen=True)
class Allocation:
    bill_id: uuid.UUID | None
    late_fee_fen: int
    principal_fen: int
    to_balance_fen: int
    quantity: Decimal


def allocate(amount_fen: int, owed: list[Owed]) -> list[Allocation]:
    """Split a payment; `owed` must be oldest first. Conserves every fen; nothing negative."""
    if amount_fen < 0:
        raise ValueError("a payment is not negative")
    left = amount_fen
    out = []
    for item in owed:
        if left <= 0:
            break
        fee = min(left, item.late_fee_fen)
        left -= fee
        principal = min(left, item.principal_fen)
        left -= principal
        if fee or principal:
            qty = (
                (item.usage * principal / item.amount_fen).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
                if item.amount_fen
                else Decimal(0)
            )
            out.append(Allocation(item.bill_id, fee, principal, 0, qty))
    if left:
        out.append(Allocation(None, 0, 0, left, Decimal(0)))
    return out
