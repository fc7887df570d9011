"""Stations, clerks, customer files (customers, accounts, meters), contacts, settings, audit."""

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
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, new_id, utcnow
from app.models.sync import writing_station
from app.models.types import Quantity


class Station(Base):
    """A business hall (营业厅) or rural supply station (供电所/供水站)."""

    __tablename__ = "stations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    company_name: Mapped[str] = mapped_column(String(100), default="")
    hall_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Clerk(Base):
    """A person who logs in: clerk, supervisor or admin."""

    __tablename__ = "clerks"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    login: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # clerk | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    department: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    station: Mapped[Station] = relationship()


class Customer(Base):
    """A customer file (客户档案): a person or an organisation."""

    __tablename__ = "customers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="resident")  # resident|intermediary|enterprise|government
    name: Mapped[str] = mapped_column(String(100))
    name_pinyin: Mapped[str] = mapped_column(String(300), default="")  # zhangsanfeng
    name_initials: Mapped[str] = mapped_column(String(100), default="")  # zsf
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")  # resident_id|passport|org_code|other
    id_number: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone2: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    relationship_status: Mapped[str] = mapped_column(String(16), default="new")  # potential|new|long_term|former|troublesome
    vip_level: Mapped[str] = mapped_column(String(16), default="")  # "" | special | first | second
    credit_score: Mapped[int] = mapped_column(Integer, default=80)
    documents_seen: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    refuses_messages: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # never sent a text message
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    accounts: Mapped[list["Account"]] = relationship(back_populates="customer", order_by="Account.account_no")

    __mapper_args__ = {"version_id_col": version}


class Account(Base):
    """An account (户号) at one supply address, for one service."""

    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    account_name: Mapped[str] = mapped_column(String(100))
    service: Mapped[str] = mapped_column(String(16), default="electricity")  # electricity | water
    usage_category: Mapped[str] = mapped_column(String(24), default="residential")
    voltage_level: Mapped[str] = mapped_column(String(16), default="220V")
    contracted_capacity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    reading_route: Mapped[str] = mapped_column(String(20), default="", index=True)
    route_order: Mapped[int] = mapped_column(Integer, default=0)
    transformer_area: Mapped[str] = mapped_column(String(40), default="", index=True)
    supply_address: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="normal")  # normal|new|changing|closed
    household_size: Mapped[int] = mapped_column(Integer, default=3)
    tariff_code: Mapped[str] = mapped_column(String(40), default="")
    tier_year_start: Mapped[date | None] = mapped_column(Date, nullable=True)  # the account's own tier year
    # Per-account tier adjustments: added to every tier bound per month (larger households),
    # and a free monthly quantity (low-income households).
    tier_bound_extra: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    free_quota: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # prepaid balance
    due_days: Mapped[int] = mapped_column(Integer, default=15)  # due date = issue date + due_days
    opened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer: Mapped[Customer] = relationship(back_populates="accounts")
    meters: Mapped[list["Meter"]] = relationship(back_populates="account", order_by="Meter.meter_no")

    __table_args__ = (
        # arrears ageing and the readings report on SQLite: the accounts in key order with every column they
        # read, so ageing's join to the open bills (ix_bills_open, ordered by account) and the meters due's to
        # ix_meters_due walk both indexes side by side; the anomaly list's account look-ups read it alone
        # (migrations 0023, 0026)
        Index("ix_accounts_ageing", "id", "reading_route", "service", "usage_category", "status", "account_no"),
    )
    __mapper_args__ = {"version_id_col": version}


class Meter(Base):
    """A meter on an account; usage = (current - previous) x multiplier, + 10**digits on roll-over."""

    __tablename__ = "meters"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=writing_station)  # who wrote it (sync)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))  # indexed by ix_meters_due
    meter_no: Mapped[str] = mapped_column(String(30), unique=True)
    registers: Mapped[str] = mapped_column(String(60), default="total")  # "total" or "peak,flat,valley"
    digits: Mapped[int] = mapped_column(Integer, default=6)
    multiplier: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))  # CT ratio x PT ratio
    ct_ratio: Mapped[str] = mapped_column(String(20), default="")
    pt_ratio: Mapped[str] = mapped_column(String(20), default="")
    installed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    initial_reading: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | removed
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    account: Mapped[Account] = relationship(back_populates="meters")

    __table_args__ = (
        # each account's meters with their status: the readings report's meters due, and every look-up of
        # an account's meters (migrations 0024, 0026)
        Index("ix_meters_due", "account_id", "status"),
        # the readings report's anomaly list: a meter's account and number by its id (migration 0025)
        Index("ix_meters_listed", "id", "account_id", "meter_no"),
    )
    __mapper_args__ = {"version_id_col": version}


class ContactRecord(Base):
    """One contact with a customer: time, place, channel, clerk, what was said or done."""

    __tablename__ = "contact_records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clerks.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(16), default="counter")  # counter|phone|letter|visit|online
    kind: Mapped[str] = mapped_column(String(24), default="inquiry")  # payment|inquiry|application|complaint|...
    summary: Mapped[str] = mapped_column(Text, default="")
    ref_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)  # payment, matter, ... it concerns

    __table_args__ = (Index("ix_contact_records_customer_at", "customer_id", "at"),)


class Setting(Base):
    """Company and station settings, as JSON text under a dotted key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NumberSequence(Base):
    """Gap-free human-facing numbers (receipts, work orders) per station, kind and year."""

    __tablename__ = "number_sequences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (UniqueConstraint("station_id", "kind", "year"),)


class AuditEntry(Base):
    """Append-only audit log, one hash chain per station: each entry's hash covers its content and
    the previous hash of the same station's chain; (station_id, seq) numbers it gap-free."""

    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(BigInteger)  # 1, 2, 3 ... per station
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the station whose chain holds the entry
    # False for entries written without a station before chains were per station: their hash
    # covered no station (they were moved into the store's station's chain by migration 0010).
    station_in_hash: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("station_id", "seq"),)


class AuditHead(Base):
    """One row per station: its chain's last seq and hash; locked while that station appends."""

    __tablename__ = "audit_head"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))
