"""Meter readings, bills and their lines. Bills are never edited: voided and reissued."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, new_id, utcnow
from app.models.sync import writing_station
from app.models.types import Quantity, UnitPrice


class TariffRecord(Base):
    """An imported tariff (docs/TARIFFS.md): the parsed definition as canonical JSON, by code and start date."""

    __tablename__ = "tariffs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    name: Mapped[str] = mapped_column(String(120))
    service: Mapped[str] = mapped_column(String(16))
    usage_category: Mapped[str] = mapped_column(String(24))
    definition: Mapped[str] = mapped_column(Text)  # JSON of the [[tariff]] table, decimals as strings
    source_file: Mapped[str] = mapped_column(String(260), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)

    __table_args__ = (UniqueConstraint("code", "effective_from"),)


# Zero usage, a roll-over, or usage above three times the usual (app.services.billing.readings.HIGH_USAGE_FACTOR):
# the partial index ix_readings_anomalies; queries that want it say the same.
ANOMALOUS_READINGS = {
    "sqlite": "usage = 0 OR rolled_over = 1 OR (usual > 0 AND usage > usual * 3)",
    "postgresql": "usage = 0 OR rolled_over OR (usual > 0 AND usage > usual * 3)",
}
OPEN_BILLS = "status IN ('unpaid', 'partly_paid')"  # the partial index ix_bills_open; queries that want it say the same


class Reading(Base):
    """One register reading of one meter for one billing period."""

    __tablename__ = "readings"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    meter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meters.id"))
    register: Mapped[str] = mapped_column(String(16), default="total")  # total|peak|flat|valley|sharp
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    read_on: Mapped[date] = mapped_column(Date)
    previous_reading: Mapped[Decimal] = mapped_column(Quantity)
    current_reading: Mapped[Decimal] = mapped_column(Quantity)
    rolled_over: Mapped[bool] = mapped_column(Boolean, default=False)
    usage: Mapped[Decimal] = mapped_column(Quantity)  # after multiplier and roll-over
    # the register's average usage over its readings before, as the high-usage check saw it at entry
    # (None for a first reading): the readings report flags usage above 3 x this, as the check did
    usual: Mapped[Decimal | None] = mapped_column(Quantity, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="read")  # read|estimated|customer
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("meter_id", "register", "period"),
        Index("ix_readings_period", "period"),
        # the readings the readings report lists, with what it reads of them (migrations 0021, 0025); the
        # report's condition says the same
        Index(
            "ix_readings_anomalies",
            "period",
            "meter_id",
            "usage",
            "usual",
            "rolled_over",
            sqlite_where=text(ANOMALOUS_READINGS["sqlite"]),
            postgresql_where=text(ANOMALOUS_READINGS["postgresql"]),
        ),
    )


class Bill(Base):
    """A bill of one account for one period. Principal = sum of its lines' amounts.

    Payment state lives here (paid_fen, status) and is changed only by payment posting
    and reversal; everything else on a bill is fixed once issued.
    """

    __tablename__ = "bills"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    bill_no: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    due_date: Mapped[date] = mapped_column(Date)
    tariff_code: Mapped[str] = mapped_column(String(40))
    usage: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # principal
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # principal paid so far
    late_fee_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    late_fee_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    late_fee_waive_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="unpaid")  # unpaid|partly_paid|paid|void
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    replaces_bill_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # JSON list of the readings behind the bill: meter_no, register, previous, current, multiplier, usage, rolled_over
    readings: Mapped[str] = mapped_column(Text, default="[]")
    ytd_before: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))  # usage billed earlier in the tier period
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["BillLine"]] = relationship(order_by="BillLine.seq", cascade="all")

    __table_args__ = (
        Index("ix_bills_account_period", "account_id", "period"),
        Index("ix_bills_period", "period", "status"),
        # the open bills with what arrears ageing reads (migration 0021): the report reads this index alone
        Index(
            "ix_bills_open",
            "account_id",
            "due_date",
            "amount_fen",
            "paid_fen",
            "late_fee_paid_fen",
            "late_fee_waived",
            "status",  # (SQLite reads a partial index alone only when it holds the columns of its condition)
            sqlite_where=text(OPEN_BILLS),
            postgresql_where=text(OPEN_BILLS),
        ),
    )
    __mapper_args__ = {"version_id_col": version}


class BillLine(Base):
    """One printed line: a reading line, a tier or time-of-use line, or a surcharge."""

    __tablename__ = "bill_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    bill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bills.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON: meter, register, readings behind the line
