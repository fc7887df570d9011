"""Files exchanged with the outside (issue 17): meter readings imported from handheld terminals and
AMR exports (staged and checked before they are posted), bank mandates and the bank collection
(代扣) files sent to a bank and read back from it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow
from app.models.types import Quantity


class ReadingImport(Base):
    """One imported readings file; a file (by its SHA-256) is imported once."""

    __tablename__ = "reading_imports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(7))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReadingImportRow(Base):
    """One row of an imported readings file with its verdict: accepted | warned | refused | posted.
    `reason` is an English source message ("messages" context) and `params` its JSON parameters."""

    __tablename__ = "reading_import_rows"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reading_imports.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    meter_no: Mapped[str] = mapped_column(String(40), default="")
    register: Mapped[str] = mapped_column(String(16), default="")
    reading_text: Mapped[str] = mapped_column(String(40), default="")
    read_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    meter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    route: Mapped[str] = mapped_column(String(20), default="")
    previous: Mapped[Decimal | None] = mapped_column(Quantity, nullable=True)
    current: Mapped[Decimal | None] = mapped_column(Quantity, nullable=True)
    usage: Mapped[Decimal | None] = mapped_column(Quantity, nullable=True)
    usual: Mapped[Decimal | None] = mapped_column(Quantity, nullable=True)
    verdict: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[str] = mapped_column(Text, default="{}")
    rolled_over: Mapped[bool] = mapped_column(Boolean, default=False)  # the clerk accepted a roll-over
    confirm_high: Mapped[bool] = mapped_column(Boolean, default=False)  # the clerk accepted a high usage
    reading_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)  # the posted reading

    __table_args__ = (UniqueConstraint("import_id", "line_no"), Index("ix_reading_import_rows_import_verdict", "import_id", "verdict"))


class BankMandate(Base):
    """A customer's mandate to collect an account's bills from a bank account (代扣协议)."""

    __tablename__ = "bank_mandates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    bank: Mapped[str] = mapped_column(String(20))  # the bank profile's code
    bank_account: Mapped[str] = mapped_column(String(40))  # shown masked on screen and paper
    holder: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_bank_mandates_bank", "bank", "start_date"),)


class BankBatch(Base):
    """One collection file sent to a bank for a period, and the bank's return applied to it.
    status: exported | applied."""

    __tablename__ = "bank_batches"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    bank: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(7))
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64))
    lines: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    exported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    exported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="exported")
    return_file_name: Mapped[str] = mapped_column(String(260), default="")
    return_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    collected_count: Mapped[int] = mapped_column(Integer, default=0)
    collected_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    applied_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (UniqueConstraint("bank", "period"),)


class BankBatchLine(Base):
    """One account of a collection file: what was asked, and the bank's answer.
    result: "" (no answer yet) | collected | insufficient_funds | closed_account | refused."""

    __tablename__ = "bank_batch_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_batches.id"))
    seq: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    account_no: Mapped[str] = mapped_column(String(20))
    bank_account: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    result: Mapped[str] = mapped_column(String(20), default="")
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    receipt_no: Mapped[str] = mapped_column(String(30), default="")

    __table_args__ = (UniqueConstraint("batch_id", "seq"),)
