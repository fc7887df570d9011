"""Links to the outside (issue 17): the outbox of text messages to customers' phones, and the
statements of payment channels (QR-code platforms, banks) reconciled against counter payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow


class CustomerNotice(Base):
    """One text message to a customer's phone. Written where the event happens (a station, the
    centre); sent by whoever has the gateway (a stand-alone store, the centre). `dedupe_key` makes
    queuing the same notice twice add nothing."""

    __tablename__ = "customer_notices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    kind: Mapped[str] = mapped_column(String(24))  # arrears | suspension | outage | matter_registered | matter_replied | receipt
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    phone: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued | retrying | sent | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # UTC; None: at once
    last_error: Mapped[str] = mapped_column(Text, default="")
    gateway_id: Mapped[str] = mapped_column(String(80), default="")  # the gateway's message id
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (Index("ix_customer_notices_status_next", "status", "next_attempt_at"),)


class ChannelStatement(Base):
    """One imported statement file of a payment channel; a file (by its SHA-256) is imported once."""

    __tablename__ = "channel_statements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    channel: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    imported_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_channel_statements_channel_day", "channel", "day"),)


class StatementLine(Base):
    """One line of a channel's statement: a transaction the channel says it took (reference, amount)."""

    __tablename__ = "statement_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    statement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel_statements.id"), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    line_no: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # station-local, as the channel says
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)  # the counter payment it matched

    __table_args__ = (UniqueConstraint("channel", "reference", name="uq_statement_lines_channel_reference"),)


class ReconcileItem(Base):
    """A difference between a channel's statement and the counter's payments of one day, waiting for
    a supervisor (status open) or resolved with a note. kind: line_only (the channel took money the
    counter has no payment for), payment_only (a counter payment the channel does not list),
    amount (both have the reference, the amounts differ)."""

    __tablename__ = "reconcile_items"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # channel:kind:line or payment id (listed once)
    channel: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reference: Mapped[str] = mapped_column(String(80), default="")
    statement_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    counter_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | resolved | settled (matched by a later file)
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_reconcile_items_channel_day", "channel", "day", "status"),)
