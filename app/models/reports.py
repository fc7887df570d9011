"""Report summaries: totals the reports read instead of scanning a year of transactions.

Each row is the sum of base rows (payments, allocations, balance deductions, bills, bill lines,
readings) under its key, kept in the same unit of work as the rows it sums
(app.services.reports.summaries) and checked against them by `counterdesk integrity`. Keys are
never NULL ('' for no route), so an upsert finds its row on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import Quantity


class CollectionSummary(Base):
    """Payments and reversals by station-local day, station, clerk and method (collections report)."""

    __tablename__ = "report_collections"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    clerk_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    method: Mapped[str] = mapped_column(String(12), primary_key=True)
    payments: Mapped[int] = mapped_column(Integer, default=0)
    payments_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reversals: Mapped[int] = mapped_column(Integer, default=0)
    reversals_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class BillSummary(Base):
    """Bills not voided by period and the account's service, route and usage category: how many,
    their principal and usage (collection rate, sales totals)."""

    __tablename__ = "report_bills"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    route: Mapped[str] = mapped_column(String(20), primary_key=True)
    usage_category: Mapped[str] = mapped_column(String(24), primary_key=True)
    bills: Mapped[int] = mapped_column(Integer, default=0)
    billed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    usage: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))


class CollectedSummary(Base):
    """Principal collected on bills not voided (payment allocations net of reversals, and prepaid
    deductions) by the bill's period, service, route, usage category and the station-local day it
    was collected (collection rate up to any cut-off day)."""

    __tablename__ = "report_collected"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    route: Mapped[str] = mapped_column(String(20), primary_key=True)
    usage_category: Mapped[str] = mapped_column(String(24), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class SalesSummary(Base):
    """Bill lines of bills not voided by period, service, route, tariff and line item (sales)."""

    __tablename__ = "report_sales"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    route: Mapped[str] = mapped_column(String(20), primary_key=True)
    tariff_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    item: Mapped[str] = mapped_column(String(80), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ReadingSummary(Base):
    """Meters read by period, service and route, and those with a zero, far-above-usual or rolled-over
    reading (each meter counted once per period)."""

    __tablename__ = "report_readings"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    route: Mapped[str] = mapped_column(String(20), primary_key=True)
    read: Mapped[int] = mapped_column(Integer, default=0)
    zero: Mapped[int] = mapped_column(Integer, default=0)
    high: Mapped[int] = mapped_column(Integer, default=0)
    rolled_over: Mapped[int] = mapped_column(Integer, default=0)
