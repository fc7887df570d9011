"""Matters (work orders) under first-contact ownership, their history, and planned outages."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow
from app.models.sync import writing_station

# An open matter whose first contact with the customer is still to be made (the partial index's condition).
CONTACT_PENDING = "state != 'closed' AND contact_by IS NOT NULL AND contacted_at IS NULL"


class Matter(Base):
    """Any matter a customer brings: application, fault, inquiry, complaint, ...

    `owner_id` is the clerk who first received it (首问负责人) and never changes;
    `assignee_id`/`department` say who does the work now. Deadlines are station-local
    date-times (the working-day calendar is local); other timestamps are UTC.
    """

    __tablename__ = "matters"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    matter_no: Mapped[str] = mapped_column(String(30), unique=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    type: Mapped[str] = mapped_column(String(24))
    complaint_type: Mapped[str] = mapped_column(String(16), default="")
    severity: Mapped[str] = mapped_column(String(12), default="general")
    channel: Mapped[str] = mapped_column(String(12), default="counter")
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="registered")
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"))
    assignee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clerks.id"))
    department: Mapped[str] = mapped_column(String(60), default="")
    registered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(DateTime)  # station-local
    contact_by: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # station-local (complaints: contact within 24 h)
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # UTC: the first contact, reply or answer
    deadline_scope: Mapped[str] = mapped_column(String(16), default="", server_default="")  # urban / rural / remote, voltage ...
    deadline_unknown_year: Mapped[bool] = mapped_column(Boolean, default=False)
    reply: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str] = mapped_column(String(16), default="")
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    repeat_count: Mapped[int] = mapped_column(Integer, default=0)  # earlier same-type complaints within the window
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_reason: Mapped[str] = mapped_column(String(40), default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Queues and the customer screen read open matters in deadline order: partial indexes over
    # the open ones only (state != 'closed'), so a first page never sorts or skips closed rows;
    # they carry every column the queue conditions test, so the status-bar counts read only them.
    __table_args__ = (
        Index(
            "ix_matters_open_deadline",
            "station_id",
            "deadline_at",
            "escalated",
            "state",
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
        Index(
            "ix_matters_open_owner",
            "owner_id",
            "deadline_at",
            "state",
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
        Index(
            "ix_matters_open_assignee",
            "assignee_id",
            "deadline_at",
            "state",
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
        # Open matters whose first contact is still pending (complaints: within 24 h), by that limit:
        # the due-soon and overdue queues' first-contact part reads only these few rows.
        Index(
            "ix_matters_contact_pending",
            "station_id",
            "contact_by",
            "deadline_at",
            sqlite_where=text(CONTACT_PENDING),
            postgresql_where=text(CONTACT_PENDING),
        ),
        Index("ix_matters_customer_deadline", "customer_id", "deadline_at"),
        Index("ix_matters_customer_type_registered", "customer_id", "complaint_type", "registered_at"),
    )
    __mapper_args__ = {"version_id_col": version}


class MatterEvent(Base):
    """One row of a matter's history: a transition, a transfer, a reminder (催办) or a note."""

    __tablename__ = "matter_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    matter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matters.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # the registration's time limit, scope and repeat count ("register" rows; migration 0012 fills older ones from their note)
    rule_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rule_unit: Mapped[str] = mapped_column(String(16), default="", server_default="")  # working_days | hours | minutes
    scope: Mapped[str] = mapped_column(String(16), default="", server_default="")
    repeat_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Outage(Base):
    """A planned outage for reading routes or transformer areas; warns the clerk until it ends."""

    __tablename__ = "outages"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    routes: Mapped[str] = mapped_column(Text, default="")  # comma-separated reading routes
    areas: Mapped[str] = mapped_column(Text, default="")  # comma-separated transformer areas
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # station-local
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # station-local
    reason: Mapped[str] = mapped_column(Text)
    registered_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    registered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
