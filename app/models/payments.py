"""Payments (never edited: reversed by a new row), their allocations to bills, and cashier shifts."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow
from app.models.sync import writing_station
from app.models.types import Quantity


class Shift(Base):
    """A clerk's shift: opened with a float, closed by a blind count, signed off by a supervisor."""

    __tablename__ = "shifts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    float_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | closed | signed_off
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    counted: Mapped[str] = mapped_column(Text, default="")  # JSON: denomination (fen) -> pieces, and other methods' counted totals
    expected: Mapped[str] = mapped_column(Text, default="")  # JSON: method -> expected fen
    difference_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # counted - expected cash
    note: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sign_off_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # why the supervisor accepted a difference


class Payment(Base):
    """Money taken at the counter (kind "payment") or the reversal (冲正) of one (kind "reversal",
    negative amount, pointing to the original). Receipt numbers are per station and year, gap-free."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    receipt_no: Mapped[str] = mapped_column(String(30), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="payment")
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shifts.id"), index=True)
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    method: Mapped[str] = mapped_column(String(12))  # cash | card | qr | transfer
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    tendered_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    change_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reference: Mapped[str] = mapped_column(String(80), default="")
    balance_after_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reversal_of_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reversed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    verification: Mapped[str] = mapped_column(String(16), default="")

    __table_args__ = (
        Index("ix_payments_account_created", "account_id", "created_at"),
        Index("ix_payments_created", "created_at"),
        Index("ix_payments_reference", "reference"),  # statements are matched by reference (docs/INTERFACES.md)
    )


class PaymentAllocation(Base):
    """Where a payment went: a bill's late fee and principal (with the quantity behind it), or the balance."""

    __tablename__ = "payment_allocations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    bill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bills.id"), nullable=True, index=True)
    late_fee_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    to_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))  # kWh / m3 behind the principal paid


class BalanceEntry(Base):
    """One movement of an account's prepaid balance (预存): money put in by a payment, a deduction
    that settled a bill (with the kWh or m3 behind it), or the undoing of either. Never edited;
    the entries of an account add up to Account.balance_fen, and each carries the balance after it."""

    __tablename__ = "balance_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(12))  # opening | deposit | deduction | reversal | refund
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # + into the balance, - out of it
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)
    bill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bills.id"), nullable=True, index=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    late_fee_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # of a deduction: the bill's late fee it paid
    principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # of a deduction: the bill's charges it paid
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))  # kWh / m3 behind the charges paid
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_balance_entries_account_created", "account_id", "created_at"),)
