"""The search index: one row per account (or per customer without one), kept by the customers service.

Every key a clerk types is answered from an index on this table: B-tree prefixes for
account numbers, names, pinyin and reversed phone/ID tails; SQLite FTS5 trigram or
PostgreSQL pg_trgm for name and address fragments (created in migration 0002_search).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SearchEntry(Base):
    __tablename__ = "search_index"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    account_no: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(100))
    name_pinyin: Mapped[str] = mapped_column(String(300), default="")
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone_rev: Mapped[str] = mapped_column(String(30), default="")
    phone2_rev: Mapped[str] = mapped_column(String(30), default="")
    id_number: Mapped[str] = mapped_column(String(40), default="")
    id_rev: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(420), default="")
    status: Mapped[str] = mapped_column(String(16), default="")

    __table_args__ = tuple(
        Index(f"ix_search_index_{col}", col, postgresql_ops={col: "text_pattern_ops"})
        for col in ("account_no", "name", "name_pinyin", "name_initials", "phone", "phone_rev", "phone2_rev", "id_rev")
    )
