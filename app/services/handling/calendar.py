"""The Chinese working-day calendar: chinesecalendar, corrected by calendar files YEAR.toml.

Calendar files come from the shipped resources/calendar/ and from `<data dir>/calendar/` (an
administrator's, which wins for its year: see datafiles.py). A day a file lists as a holiday or as a
working day is that; any other day of a year the library knows is what the library says; any other
day of a year only a file knows is a working day from Monday to Friday. A year neither knows falls
back to Monday-Friday and is reported as unknown, so deadlines are still set but flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.handling.datafiles import Checker, DataFileError, cached, read_toml, shipped_folder, user_folder

KEYS = ("year", "holidays", "workdays")


def _library_is_workday(day: date) -> bool:
    """chinesecalendar's answer; NotImplementedError for a year it does not know."""
    import chinese_calendar

    return chinese_calendar.is_workday(day)


@dataclass(frozen=True)
class YearFile:
    path: Path
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


def read_year_file(path: Path) -> YearFile:
    """One calendar file, checked: `year` (it must match a file named YEAR.toml), `holidays` and
    `workdays` as lists of dates of that year (2027-01-01 or "2027-01-01"), nothing else."""
    data, text = read_toml(path)
    c = Checker(path, text)
    c.unknown_keys(data, "", KEYS)
    if "year" not in data:
        raise c.missing("year")
    year = c.whole(data["year"], "year", 1900, 9998)
    if path.stem.isdigit() and int(path.stem) != year:
        raise c.fail(
            "year",
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “year” is {value} but the file is named for {name}."),
            value=year,
            name=path.stem,
        )
    days: dict[str, set[date]] = {}
    for key in ("holidays", "workdays"):
        raw = data.get(key, [])
        if not isinstance(raw, list):
            raise c.fail(
                key, QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a list of dates such as [2027-01-01, 2027-01-02].")
            )
        days[key] = set()
        for i, value in enumerate(raw, start=1):
            d = c.day(value, f"{key}[{i}]")
            if d.year != year:
                raise c.fail(
                    f"{key}[{i}]",
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” is {value}, which is not in {year}."),
                    value=d.isoformat(),
                    year=year,
                )
            days[key].add(d)
    both = sorted(days["holidays"] & days["workdays"])
    if both:
        raise c.fail(
            "workdays",
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: {value} is in both “holidays” and “workdays”; keep it in one."),
            value=both[0].isoformat(),
        )
    return YearFile(path, year, frozenset(days["holidays"]), frozenset(days["workdays"]))


def _year_files(folder: Path) -> dict[int, YearFile]:
    out: dict[int, YearFile] = {}
    for f in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        y = read_year_file(f)
        if y.year in out:
            raise DataFileError(
                QT_TRANSLATE_NOOP("messages", "{file} and {other} are both for {year}; keep one."),
                file=str(out[y.year].path),
                other=str(f),
                year=y.year,
            )
        out[y.year] = y
    return out


class WorkCalendar:
    """`folders` are read in order, a later folder's file replacing an earlier one's for the same year."""

    def __init__(
        self, folder: Path | None = None, *, folders: list[Path] | None = None, library: Callable[[date], bool] | None = _library_is_workday
    ) -> None:
        self.folders = folders if folders is not None else [folder or shipped_folder("calendar")]
        self.library = library
        self.files: dict[int, YearFile] = {}
        for f in self.folders:
            self.files.update(_year_files(f))
        self.holidays: set[date] = set().union(*(y.holidays for y in self.files.values()))
        self.workdays: set[date] = set().union(*(y.workdays for y in self.files.values()))
        self.override_years: set[int] = set(self.files)
        self.unknown_years_seen: set[int] = set()

    def _library(self, day: date) -> bool | None:
        if self.library is None:
            return None
        try:
            return self.library(day)
        except NotImplementedError:
            return None

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        known = self._library(day)
        if known is not None:
            return known
        if day.year not in self.override_years:
            self.unknown_years_seen.add(day.year)
        return day.weekday() < 5

    def knows(self, year: int) -> bool:
        return year in self.override_years or self._library(date(year, 6, 1)) is not None

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day counting from the day after `day` (OverflowError past 9999-12-31)."""
        d = day
        found = 0
        while found < n:
            d += timedelta(days=1)
            if self.is_workday(d):
                found += 1
        return d


def calendar_folders() -> list[Path]:
    """The shipped folder, then the administrator's `<data dir>/calendar` (which wins for its years)."""
    return [shipped_folder("calendar"), user_folder("calendar")]


def default_calendar() -> WorkCalendar:
    """The calendar from the current files; read again when a file is added, changed or removed."""
    folders = calendar_folders()
    files = [f for folder in folders if folder.is_dir() for f in sorted(folder.glob("*.toml"))]
    return cached("calendar", folders + files, lambda: WorkCalendar(folders=folders))
