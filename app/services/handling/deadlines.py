"""Deadlines from the time-limit data file, on the working-day calendar (DOMAIN.md: 限时办结)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from app.paths import resource_path
from app.services.errors import ValidationError
from app.services.handling.calendar import WorkCalendar, default_calendar
from app.services.messages import QT_TRANSLATE_NOOP

SEVERITIES = ("general", "important", "major", "special")


@dataclass(frozen=True)
class Deadline:
    at: datetime  # station-local
    contact_by: datetime | None
    unknown_years: tuple[int, ...]  # calendar years used that neither the library nor an override knows
    rule: str  # e.g. "5 working days" / "24 hours"
    count: int = 0
    unit: str = ""  # "working_days" | "hours"


@lru_cache(maxsize=4)
def load_limits(path: str | None = None) -> dict:
    return tomllib.loads(Path(path or resource_path("handling", "time_limits.toml")).read_text(encoding="utf-8"))


def limit_for(matter_type: str, severity: str = "general", limits: dict | None = None) -> dict:
    limits = limits or load_limits()
    if matter_type not in limits["types"]:
        raise ValidationError.single("type", QT_TRANSLATE_NOOP("messages", "Unknown matter type “{type}”."), type=matter_type)
    if severity not in SEVERITIES:
        raise ValidationError.single("severity", QT_TRANSLATE_NOOP("messages", "Unknown severity “{severity}”."), severity=severity)
    if matter_type == "complaint":
        return limits.get("complaint_severity", {}).get(severity, limits["types"]["complaint"])
    return limits["types"][matter_type]


def compute(matter_type: str, registered: datetime, severity: str = "general", calendar: WorkCalendar | None = None,
            limits: dict | None = None) -> Deadline:
    """`registered` is station-local. N working days: the end of the N-th working day after the day of
    registration; N hours: N clock hours after registration."""
    cal = calendar or default_calendar()
    rule = limit_for(matter_type, severity, limits)
    before = set(cal.unknown_years_seen)
    cal.unknown_years_seen.clear()
    if "working_days" in rule:
        n = int(rule["working_days"])
        day = cal.nth_working_day_after(registered.date(), n)
        at = datetime.combine(day, time(23, 59, 59))
        text = f"{n} working days"
    else:
        n = int(rule["hours"])
        at = registered + timedelta(hours=n)
        text = f"{n} hours"
    contact = registered + timedelta(hours=int(rule["contact_hours"])) if "contact_hours" in rule else None
    unknown = tuple(sorted(cal.unknown_years_seen))
    cal.unknown_years_seen.update(before)
    return Deadline(at, contact, unknown, text, n, "working_days" if "working_days" in rule else "hours")
