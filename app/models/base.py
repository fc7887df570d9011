"""Declarative base, key and timestamp helpers shared by every model."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.kernel import ids

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_id() -> uuid.UUID:
    """A new row key: a time-ordered UUID (app/kernel/ids.py says why)."""
    return ids.new_id()


def utcnow() -> datetime:
    """Timestamps are stored in UTC (naive, by convention) and shown in the station's zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
