"""How often each printed document went out: one row per document, whatever its kind.

Receipts, bills, work-order receipts, shift reports, day reports and outage notices all count
their prints here (app.services.documents), so a reprint number is read from and advanced in one
table that every counter sharing the database sees.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class DocumentPrint(Base):
    __tablename__ = "document_prints"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # receipt | bill | matter | shift | day | outage
    number: Mapped[str] = mapped_column(String(64), primary_key=True)  # the document's own number (receipt no., bill no. ...)
    copies: Mapped[int] = mapped_column(Integer, default=0)  # how many times it went out; the next paper says 重打 (copies)
    first_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # UTC; unknown for counts carried over by 0009
    last_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
