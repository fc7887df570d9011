"""Deadlines on the Chinese working-day calendar; expected dates worked out by hand from the 2026 schedule
(Spring Festival off 15-23 Feb with 14 and 28 Feb worked; National Day and Mid-Autumn off 1-7 Oct with
20 Sep and 10 Oct worked)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from app.kernel.errors import ValidationError
from app.services.handling import deadlines
from app.services.handling.calendar import WorkCalendar


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "start, kind, expected",
    [
        ("2026-02-12 10:00", "complaint", "2026-02-26 23:59"),  # 13 Fri, 14 Sat worked, then 24-26 after the holiday
        ("2026-02-13 16:30", "meter_check", "2026-02-27 23:59"),  # 14, 24, 25, 26, 27
        ("2026-02-26 09:00", "capacity_increase", "2026-03-05 23:59"),  # 6: 27 Feb, 28 Feb (Sat worked), 2, 3, 4, 5 Mar
        ("2026-09-28 11:00", "complaint", "2026-10-10 23:59"),  # 5: 29, 30 Sep, 8, 9 Oct, 10 Oct (Sat worked)
        ("2026-11-20 17:00", "misconduct", "2026-12-03 23:59"),  # Fri: 23..27 (5), 30 Nov, 1, 2, 3 Dec
    ],
)
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
    """Built explicitly: a library that knows 2026 only, no calendar files; so it holds whatever year the
    installed chinesecalendar reaches."""

    def library(day):
        if day.year != 2026:
            raise NotImplementedError(day.year)
        return day.weekday() < 5 and day != date(2026, 12, 31)

    cal = WorkCalendar(folders=[], library=library)
    d = deadlines.compute("misconduct", at("2026-12-28 09:00"), calendar=cal)
    # 29, 30 Dec; 31 Dec off (the library says so); 1-8 Jan 2027 Monday-Friday: 1, 4, 5, 6, 7, 8 -> 8 is the 8th, 11 Jan the 9th
    assert d.at.date() == date(2027, 1, 11) and d.unknown_years == (2027,)
    assert deadlines.compute("misconduct", at("2026-11-20 09:00"), calendar=cal).unknown_years == ()


def test_a_year_no_library_will_know_is_flagged_with_the_real_library():
    d = deadlines.compute("misconduct", at("2099-12-28 09:00"))  # Monday
    assert d.unknown_years == (2099, 2100) and d.at.date() == date(2100, 1, 8)  # 29-31 Dec, 1, 4-8 Jan: Monday-Friday


def test_override_file_wins_for_a_year(tmp_path):
    (tmp_path / "2027.toml").write_text("year = 2027\nholidays = [2027-01-01]\nworkdays = [2027-01-09]\n", encoding="utf-8")
    cal = WorkCalendar(tmp_path, library=lambda day: (_ for _ in ()).throw(NotImplementedError) if day.year > 2026 else day.weekday() < 5)
    d = deadlines.compute("misconduct", at("2026-12-28 09:00"), calendar=cal)
    # 29, 30, 31 Dec; 1 Jan off; 4-8 Jan (5 days) makes 8; 9 Jan (Sat worked) is the 9th
    assert d.at.date() == date(2027, 1, 9) and d.unknown_years == ()


@pytest.mark.parametrize("kind, severity", [("gossip", "general"), ("complaint", "urgent")])
def test_unknown_type_or_severity(kind, severity):
    with pytest.raises(ValidationError):
        deadlines.compute(kind, at("2026-11-20 10:00"), severity)


@pytest.mark.parametrize(
    "scope, days, expected",
    [
        ("residential", 5, "2026-11-27"),
        ("lv_non_residential", 6, "2026-11-30"),
        ("hv_single", 22, "2026-12-22"),
        ("hv_dual", 32, "2027-01-05"),
    ],
)
def test_new_connection_limits_by_scope(scope, days, expected, tmp_path):
    cal = WorkCalendar(tmp_path, library=lambda day: day.weekday() < 5)  # 2027 as Monday-Friday, whatever the library knows
    d = deadlines.compute("new_connection", at("2026-11-20 10:00"), scope=scope, calendar=cal)
    assert (d.count, d.unit, d.scope, d.at.strftime("%Y-%m-%d")) == (days, "working_days", scope, expected)


def test_new_connection_without_a_scope_is_residential_as_before():
    d = deadlines.compute("new_connection", at("2026-11-20 10:00"))
    assert d.scope == "residential" and d.at == datetime(2026, 11, 27, 23, 59, 59)


@pytest.mark.parametrize("scope, minutes", [("urban", 45), ("rural", 90), ("remote", 120)])
def test_fault_repair_arrival_by_scope(scope, minutes):
    d = deadlines.compute("fault", at("2026-09-30 23:30"), scope=scope)  # the clock runs through the holiday
    assert (d.at - at("2026-09-30 23:30")).total_seconds() == minutes * 60 and d.scope == scope


@pytest.mark.parametrize(
    "kind, usage, voltage, address, expected",
    [
        ("new_connection", "residential", "220V", "幸福路18号", "residential"),
        ("new_connection", "general_commercial", "380V", "幸福路18号", "lv_non_residential"),
        ("new_connection", "large_industry", "10kV", "开发区", "hv_single"),
        ("new_connection", "general_commercial", "0.4kV", "", "lv_non_residential"),
        ("new_connection", "", "", "", "residential"),  # no account: the file's default
        ("fault", "residential", "220V", "城东路1号", "urban"),
        ("fault", "residential", "220V", "桃源村3组", "rural"),
        ("fault", "agriculture", "380V", "青山乡林场", "rural"),
        ("complaint", "residential", "220V", "桃源村", ""),
    ],
)
def test_the_account_suggests_a_scope(kind, usage, voltage, address, expected):
    assert deadlines.default_scope(kind, usage, voltage, address) == expected


def test_a_scope_for_a_type_without_scopes_or_an_unknown_scope_is_refused():
    with pytest.raises(ValidationError) as err:
        deadlines.compute("complaint", at("2026-11-20 10:00"), scope="urban")
    assert err.value.field == "scope"
    with pytest.raises(ValidationError) as err:
        deadlines.compute("fault", at("2026-11-20 10:00"), scope="suburb")
    assert err.value.field == "scope" and "urban, rural, remote" in err.value.text()


def test_dates_the_calendar_cannot_reach_are_a_message():
    for kind in ("complaint", "reconnection", "fault"):
        with pytest.raises(ValidationError) as err:
            deadlines.compute(kind, at("9999-12-31 23:50"))
        assert err.value.field == "registered_at" and "9999-12-31" in err.value.text()


def cli(*args):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=60)


def test_deadline_command_refuses_what_it_cannot_do():
    far = cli("--lang", "en", "deadline", "--type", "complaint", "--from", "9999-12-31 10:00")
    assert far.returncode == 2 and "Traceback" not in far.stderr and "--from" in far.stderr and "9999-12-31" in far.stderr
    sev = cli("--lang", "en", "deadline", "--type", "inquiry", "--severity", "major", "--from", "2026-11-20 10:00")
    assert sev.returncode == 2 and "--severity applies to complaints only" in sev.stderr and sev.stdout == ""
    scope = cli("--lang", "en", "deadline", "--type", "complaint", "--scope", "rural", "--from", "2026-11-20 10:00")
    assert scope.returncode == 2 and "[scope]" in scope.stderr


def test_deadline_command_with_scope_and_warning_in_the_chosen_language(_data_dir):
    ok = cli("--lang", "en", "deadline", "--type", "fault", "--scope", "rural", "--from", "2026-11-20 10:00", "--json")
    data = json.loads(ok.stdout)
    assert (data["scope"], data["deadline"], data["rule"], data["severity"]) == ("rural", "2026-11-20 11:30:00", "90 minutes", None)
    en = json.loads(cli("--lang", "en", "deadline", "--type", "misconduct", "--from", "2099-12-28 09:00", "--json").stdout)
    zh = json.loads(cli("--lang", "zh_CN", "deadline", "--type", "misconduct", "--from", "2099-12-28 09:00", "--json").stdout)
    assert en["unknown_calendar_years"] == zh["unknown_calendar_years"] == [2099, 2100]
    assert "Monday to Friday" in en["warning"] and "2099, 2100" in en["warning"]
    assert "周一至周五" in zh["warning"] and "2099, 2100" in zh["warning"]
    text = cli("--lang", "zh_CN", "deadline", "--type", "new_connection", "--scope", "hv_single", "--from", "2026-11-20 10:00").stdout
    assert "22 个工作日" in text and "高压单电源" in text


def test_deadline_command():
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "deadline", "--type", "complaint", "--from", "2026-02-12 10:00", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(out.stdout)
    assert data["deadline"] == "2026-02-26 23:59:59" and data["contact_by"] == "2026-02-13 10:00:00" and data["warning"] is None
    bad = subprocess.run(
        [sys.executable, "-m", "app.cli", "--lang", "en", "deadline", "--type", "complaint", "--from", "yesterday"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "YYYY-MM-DD HH:MM" in bad.stderr and "Traceback" not in bad.stderr


def test_deadline_line_of_a_complaint_reads_as_one_sentence_in_each_language():
    zh = cli("--lang", "zh_CN", "deadline", "--type", "complaint", "--from", "2026-09-30 10:00")
    en = cli("--lang", "en", "deadline", "--type", "complaint", "--from", "2026-09-30 10:00")
    assert zh.returncode == 0 and zh.stdout.strip() == "期限 2026-10-13 23:59（5 个工作日）；须在 2026-10-01 10:00 前联系客户"
    assert en.stdout.strip() == "Deadline 2026-10-13 23:59 (5 working days); contact the customer by 2026-10-01 10:00"
