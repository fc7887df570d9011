"""The station's time: timestamps are stored in UTC and shown, and days counted, in the station's
time zone (docs/ARCHITECTURE.md; Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")


def local_now() -> datetime:
    return datetime.now(timezone.utc).astimezone(ZONE).replace(tzinfo=None)


def local_today() -> date:
    return local_now().date()


def to_local(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(ZONE).replace(tzinfo=None)


def to_utc(local_naive: datetime) -> datetime:
    return local_naive.replace(tzinfo=ZONE).astimezone(timezone.utc).replace(tzinfo=None)
