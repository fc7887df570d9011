"""The Chinese working-day calendar: chinesecalendar, overridden by resources/calendar/YEAR.toml.

A year neither knows falls back to Monday-Friday and is reported as unknown, so deadlines
are still set but flagged.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from app.paths import resource_path


class WorkCalendar:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or resource_path("calendar")
        self.holidays: set[date] = set()
        self.workdays: set[date] = set()
        self.override_years: set[int] = set()
        for f in sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []:
            data = tomllib.loads(f.read_text(encoding="utf-8"))
            self.override_years.add(int(data["year"]))
            self.holidays.update(d for d in data.get("holidays", []) if isinstance(d, date))
            self.workdays.update(d for d in data.get("workdays", []) if isinstance(d, date))
        self.unknown_years_seen: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year not in self.override_years:
            try:
                import chinese_calendar

                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                self.unknown_years_seen.add(day.year)
        return day.weekday() < 5

    def knows(self, year: int) -> bool:
        if year in self.override_years:
            return True
        try:
            import chinese_calendar

            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day counting from the day after `day`."""
        d = day
        found = 0
        while found < n:
            d += timedelta(days=1)
            if self.is_workday(d):
                found += 1
        return d


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar()
