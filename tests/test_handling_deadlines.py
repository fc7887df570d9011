"""Deadlines on the Chinese working-day calendar; expected dates worked out by hand from the 2026 schedule
(Spring Festival off 15-23 Feb with 14 and 28 Feb worked; National Day and Mid-Autumn off 1-7 Oct with
20 Sep and 10 Oct worked)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from app.services.errors import ValidationError
from app.services.handling import deadlines
from app.services.handling.calendar import WorkCalendar


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize("start, kind, expected", [
    ("2026-02-12 10:00", "complaint", "2026-02-26 23:59"),   # 13 Fri, 14 Sat worked, then 24-26 after the holiday
    ("2026-02-13 16:30", "meter_check", "2026-02-27 23:59"),  # 14, 24, 25, 26, 27
    ("2026-02-26 09:00", "capacity_increase", "2026-03-05 23:59"),  # 6: 27 Feb, 28 Feb (Sat worked), 2, 3, 4, 5 Mar
    ("2026-09-28 11:00", "complaint", "2026-10-10 23:59"),   # 5: 29, 30 Sep, 8, 9 Oct, 10 Oct (Sat worked)
    ("2026-11-20 17:00", "misconduct", "2026-12-03 23:59"),  # Fri: 23..27 (5), 30 Nov, 1, 2, 3 Dec
])
def test_working_day_deadlines(start, kind, expected):
    d = deadlines.compute(kind, at(start))
    assert d.at.strftime("%Y-%m-%d %H:%M") == expected and d.unknown_years == ()


def test_hours_limits_run_on_the_clock_through_holidays():
    d = deadlines.compute("reconnection", at("2026-09-30 20:15"))
    assert d.at == at("2026-10-01 20:15") and d.rule == "24 hours"


def test_complaint_has_a_contact_deadline_and_severity_shortens_it():
    d = deadlines.compute("complaint", at("2026-11-20 10:00"), "major")
    assert d.contact_by == at("2026-11-20 12:00") and d.at.date() == date(2026, 11, 23)
    assert deadlines.compute("complaint", at("2026-11-20 10:00"), "special").at == at("2026-11-21 10:00")


def test_unknown_year_counts_weekdays_and_says_so():
    d = deadlines.compute("misconduct", at("2026-12-28 09:00"))
    assert d.at.date() == date(2027, 1, 8) and d.unknown_years == (2027,)


def test_override_file_wins_for_a_year(tmp_path):
    (tmp_path / "2027.toml").write_text("year = 2027\nholidays = [2027-01-01]\nworkdays = [2027-01-09]\n", encoding="utf-8")
    cal = WorkCalendar(tmp_path)
    d = deadlines.compute("misconduct", at("2026-12-28 09:00"), calendar=cal)
    # 29, 30, 31 Dec; 1 Jan off; 4-8 Jan (5 days) makes 8; 9 Jan (Sat worked) is the 9th
    assert d.at.date() == date(2027, 1, 9) and d.unknown_years == ()


@pytest.mark.parametrize("kind, severity", [("gossip", "general"), ("complaint", "urgent")])
def test_unknown_type_or_severity(kind, severity):
    with pytest.raises(ValidationError):
        deadlines.compute(kind, at("2026-11-20 10:00"), severity)


def test_deadline_command():
    out = subprocess.run([sys.executable, "-m", "app.cli", "deadline", "--type", "complaint", "--from", "2026-02-12 10:00", "--json"],
                         capture_output=True, text=True, timeout=60)
    data = json.loads(out.stdout)
    assert data["deadline"] == "2026-02-26 23:59:59" and data["contact_by"] == "2026-02-13 10:00:00" and data["warning"] is None
    bad = subprocess.run([sys.executable, "-m", "app.cli", "--lang", "en", "deadline", "--type", "complaint", "--from", "yesterday"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "YYYY-MM-DD HH:MM" in bad.stderr and "Traceback" not in bad.stderr
