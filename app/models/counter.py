"""The customer's side of the counter: satisfaction ratings (服务评价) and queue tickets (叫号)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow


class ServiceRating(Base):
    """The customer's rating of one service, kept with the contact record it rates (a payment's or a
    registered matter's contact, found by its ref_id) and the clerk who served. One per contact;
    `rating` is very_satisfied | satisfied | neutral | dissatisfied | not_rated (the pad timed out)."""

    __tablename__ = "service_ratings"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contact_records.id"), unique=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"))
    rating: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    counter: Mapped[str] = mapped_column(String(60), default="")  # the machine (host name) whose pad was used

    __table_args__ = (Index("ix_service_ratings_clerk_at", "clerk_id", "at"), Index("ix_service_ratings_station_at", "station_id", "at"))


class QueueTicket(Base):
    """A queue ticket called at a counter. Numbers restart every day per station (A001 payments,
    B001 applications and matters, ...); `kind` is the number's letter. Times are UTC: issued by the
    ticket machine (unknown when the clerk typed a number without its time), called by the
    counter, served until the counter called the next one or ended the service."""

    __tablename__ = "queue_tickets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    day: Mapped[date] = mapped_column(Date)  # the station's local day the number belongs to
    ticket_no: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(4))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    called_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    served_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    counter: Mapped[str] = mapped_column(String(60), default="")
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"))
    source: Mapped[str] = mapped_column(String(8), default="typed")  # machine | typed

    __table_args__ = (
        UniqueConstraint("station_id", "day", "ticket_no"),
        Index("ix_queue_tickets_station_called_at", "station_id", "called_at"),
        Index("ix_queue_tickets_counter_open", "station_id", "counter", "served_until"),
    )
