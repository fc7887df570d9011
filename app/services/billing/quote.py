"""Where the price calculator starts for the account open on the customer screen: its tariff, the usage
already billed in its tier year, and its own tier rules (larger household, low-income free quota)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.db.engine import Database
from app.kernel.localtime import local_today
from app.models import Account, Bill, Customer
from app.services.billing.bills import tier_year_start
from app.services.billing.tariffs import SERVICES


@dataclass
class QuoteStart:
    account_no: str
    account_name: str
    service: str  # electricity | water
    unit: str  # kWh | m3
    tariff_code: str
    tier_year_from: date  # the account's tier year (1 January unless the account has its own)
    ytd: Decimal  # usage of the non-void bills of periods in the tier year so far
    bound_extra: Decimal  # added to every monthly tier bound (x12 for annual tiers)
    free_quantity: Decimal  # low-income free quota per bill


def account_start(db: Database, account_id: uuid.UUID | None, today: date | None = None) -> QuoteStart | None:
    """The calculator's starting point for an account (None without one, or when it no longer exists).
    The year-to-date usage counts the bills of the tier year's periods up to `today` (station time), as a
    bill issued now would (app.services.billing.bills)."""
    if account_id is None:
        return None
    today = today or local_today()
    with db.read() as s:
        row = s.execute(
            select(Account, Customer.name).join(Customer, Customer.id == Account.customer_id).where(Account.id == account_id)
        ).first()
        if row is None:
            return None
        account, customer_name = row
        start = tier_year_start(account, today)
        used = s.scalar(
            select(func.coalesce(func.sum(Bill.usage), 0)).where(
                Bill.account_id == account.id, Bill.status != "void", Bill.period_start >= start, Bill.period_start <= today
            )
        )
        return QuoteStart(
            account.account_no,
            account.account_name or customer_name,
            account.service,
            SERVICES.get(account.service, "kWh"),
            account.tariff_code,
            start,
            Decimal(used or 0),
            account.tier_bound_extra or Decimal(0),
            account.free_quota or Decimal(0),
        )
