"""The data files an administrator edits (calendar corrections, time limits, checklists): a damaged one is
a clear message naming the file and the key or line, never a traceback and never silently skipped; the
administrator's copies in the user data folder win over the shipped ones and count from the next use."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from app.kernel.errors import UserError
from app.paths import resource_path
from app.services.handling import checklists, deadlines
from app.services.handling.calendar import WorkCalendar, default_calendar, read_year_file
from app.services.handling.datafiles import DataFileError

ROOT = Path(__file__).resolve().parent.parent


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def touch_later(path: Path) -> None:
    """Make sure a rewritten file's mtime differs (coarse file-system clocks)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


# ------------------------------------------------------------------ calendar files


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("holidays = [2027-01-01]\n", "year", None),  # the KeyError 'year' of old
        ("year = 2027\nholidays = [2027-01-01,, ]\n", None, 2),  # not TOML
        ('year = 2027\nholidays = ["2027-01-01", "1 Jan"]\n', "holidays[2]", 2),  # a text that is no date
        ("year = 2027\nworkdays = [20270109]\n", "workdays[1]", 2),  # a number, not a date
        ("year = 2027\nholiday = [2027-01-01]\n", "holiday", 2),  # misspelt key: not ignored
        ("year = 2027\nholidays = [2026-12-31]\n", "holidays[1]", 2),  # a day of another year
        ("year = 2028\n", "year", 1),  # 2027.toml says 2028
        ("year = 2027\nholidays = [2027-01-02]\nworkdays = [2027-01-02]\n", "workdays", 3),  # both
        ('year = "2027"\n', "year", 1),
        ("year = 2027\nholidays = 2027-01-01\n", "holidays", 2),
    ],
)
def test_a_broken_calendar_file_names_the_file_and_the_key_or_line(tmp_path, text, key, line):
    f = write(tmp_path / "2027.toml", text)
    with pytest.raises(DataFileError) as err:
        WorkCalendar(tmp_path)
    e = err.value
    assert e.params["file"] == str(f) and str(f) in e.text()
    if key:
        assert e.params["key"] == key and f"“{key}”" in e.text()
    if line:
        assert e.params["line"] == line and f"line {line}" in e.text()


def test_dates_written_as_text_count_like_dates(tmp_path):
    write(tmp_path / "2027.toml", 'year = 2027\nholidays = ["2027-01-01", 2027-01-04]\nworkdays = [" 2027-01-09 "]\n')
    cal = WorkCalendar(tmp_path, library=None)
    assert not cal.is_workday(date(2027, 1, 1)) and not cal.is_workday(date(2027, 1, 4)) and cal.is_workday(date(2027, 1, 9))
    assert cal.knows(2027)


def test_two_files_for_one_year_are_refused(tmp_path):
    write(tmp_path / "2027.toml", "year = 2027\n")
    write(tmp_path / "2027-fix.toml", "year = 2027\n")
    with pytest.raises(DataFileError) as err:
        WorkCalendar(tmp_path)
    assert "2027-fix.toml" in err.value.text() and "2027.toml" in err.value.text()


def test_a_correction_for_a_year_the_library_knows_keeps_the_rest_of_the_library(tmp_path):
    """Days listed win; the library's other holidays (Spring Festival 2026) still count."""
    write(tmp_path / "2026.toml", "year = 2026\nworkdays = [2026-10-07]\n")
    cal = WorkCalendar(tmp_path)
    assert cal.is_workday(date(2026, 10, 7)) and not cal.is_workday(date(2026, 2, 17)) and not cal.is_workday(date(2026, 10, 6))


def test_broken_user_calendar_file_gives_a_message_on_every_deadline_not_a_traceback(_data_dir):
    write(_data_dir / "calendar" / "2027.toml", "holidays = [2027-01-01]\n")
    with pytest.raises(DataFileError) as err:
        deadlines.compute("complaint", at("2026-11-20 10:00"))
    assert "2027.toml" in err.value.text() and "year" in err.value.text()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "--lang",
            "en",
            "--data-dir",
            str(_data_dir),
            "deadline",
            "--type",
            "complaint",
            "--from",
            "2026-11-20 10:00",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert str(_data_dir / "calendar" / "2027.toml") in out.stderr and "“year” is missing" in out.stderr


def test_the_administrators_calendar_file_wins_and_is_read_again_when_changed(_data_dir):
    start = at("2026-12-28 09:00")  # misconduct: 9 working days, into 2027
    assert deadlines.compute("misconduct", start).unknown_years == (2027,)
    f = write(_data_dir / "calendar" / "2027.toml", "year = 2027\nholidays = [2027-01-01]\n")
    d = deadlines.compute("misconduct", start)
    assert d.unknown_years == () and d.at.date() == date(2027, 1, 11)  # 29-31 Dec, 4-8 Jan, 11 Jan (1 Jan off)
    write(f, "year = 2027\nholidays = [2027-01-01]\nworkdays = [2027-01-09]\n")
    touch_later(f)
    assert deadlines.compute("misconduct", start).at.date() == date(2027, 1, 9)
    shipped = resource_path("calendar")
    assert default_calendar().folders == [shipped, _data_dir / "calendar"]


# ------------------------------------------------------------------ time limits


def limits_text() -> str:
    return resource_path("handling", "time_limits.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change, key",
    [
        (("inquiry = { working_days = 1 }", 'inquiry = { working_days = "1" }'), "types.inquiry.working_days"),
        (("inquiry = { working_days = 1 }", "inquiry = { workingdays = 1 }"), "types.inquiry.workingdays"),
        (("inquiry = { working_days = 1 }", "inquiry = { working_days = 1, hours = 4 }"), "types.inquiry"),
        (("inquiry = { working_days = 1 }\n", ""), "types.inquiry"),
        (("praise = { working_days = 5 }", "praise = { working_days = 5 }\npraize = { working_days = 5 }"), "types.praize"),
        (('default_scope = "urban"', 'default_scope = "city"'), "types.fault.default_scope"),
        (("remote = { hours = 2 }", "remote = { hours = 0 }"), "types.fault.scopes.remote.hours"),
        (
            ("major = { working_days = 1, contact_hours = 2 }", "major = { working_days = 1, contact_hours = 2.5 }"),
            "complaint_severity.major.contact_hours",
        ),
        (("special = {", "urgent = {"), "complaint_severity.urgent"),
    ],
)
def test_a_broken_time_limit_file_names_the_file_and_the_key(_data_dir, change, key):
    old, new = change
    assert old in limits_text()
    f = write(_data_dir / "handling" / "time_limits.toml", limits_text().replace(old, new, 1))
    with pytest.raises(DataFileError) as err:
        deadlines.compute("complaint", at("2026-11-20 10:00"))
    assert err.value.params["file"] == str(f) and err.value.params["key"] == key, err.value.text()
    if "line" in err.value.params:  # not for a missing entry
        written = f.read_text(encoding="utf-8").splitlines()[err.value.params["line"] - 1]  # the line it names holds the entry
        assert key.split(".")[-1] in written or key.split(".")[-2] in written, (written, err.value.text())


def test_time_limit_file_that_is_not_toml_says_the_line(_data_dir):
    write(_data_dir / "handling" / "time_limits.toml", "[types]\ninquiry = { working_days = 1\n")
    with pytest.raises(DataFileError) as err:
        deadlines.load_limits()
    assert err.value.params["line"] == 2 and "line 2" in err.value.text()


def test_the_administrators_time_limits_win(_data_dir):
    assert deadlines.compute("inquiry", at("2026-11-20 10:00")).at == datetime(2026, 11, 23, 23, 59, 59)  # Fri -> Mon
    write(_data_dir / "handling" / "time_limits.toml", limits_text().replace("inquiry = { working_days = 1 }", "inquiry = { hours = 4 }"))
    d = deadlines.compute("inquiry", at("2026-11-20 10:00"))
    assert d.at == at("2026-11-20 14:00") and d.rule == "4 hours"


def test_the_shipped_time_limit_file_is_valid_and_has_every_type():
    from app.services.handling import kinds

    limits = deadlines.read_limits(resource_path("handling", "time_limits.toml"))
    assert set(limits.types) == set(kinds.names())


# ------------------------------------------------------------------ checklists


@pytest.mark.parametrize(
    "text, key",
    [
        ('[new_connection]\ntitle = "新装"\n', "new_connection.items"),
        ('[new_connection]\ntitle = "新装"\nitems = []\n', "new_connection.items"),
        ('[new_connection]\ntitle = "新装"\nitems = ["身份证", 3]\n', "new_connection.items[2]"),
        ('[new_connection]\ntitle = ""\nitems = ["身份证"]\n', "new_connection.title"),
        ('[new_conection]\ntitle = "新装"\nitems = ["身份证"]\n', "new_conection"),
        ('[new_connection]\ntitle = "新装"\nitems = ["身份证"]\nnote = "x"\n', "new_connection.note"),
    ],
)
def test_a_broken_checklist_file_names_the_file_and_the_key(_data_dir, text, key):
    f = write(_data_dir / "handling" / "checklists.toml", text)
    with pytest.raises(DataFileError) as err:
        checklists.load()
    assert err.value.params["file"] == str(f) and err.value.params["key"] == key, err.value.text()


def test_the_administrators_checklists_win(_data_dir):
    assert "用电人有效身份证明" in checklists.checklist("capacity_increase").items[0]
    write(_data_dir / "handling" / "checklists.toml", '[capacity_increase]\ntitle = "增容"\nitems = ["营业执照副本"]\n')
    assert checklists.checklist("capacity_increase").items == ("营业执照副本",)
    with pytest.raises(UserError):
        checklists.checklist("new_connection")


def test_a_file_that_is_not_utf8_is_said(_data_dir):
    (_data_dir / "handling").mkdir()
    (_data_dir / "handling" / "checklists.toml").write_bytes('[closure]\ntitle = "销户"\n'.encode("gb18030"))
    with pytest.raises(DataFileError) as err:
        checklists.load()
    assert "UTF-8" in err.value.text()


def test_the_shipped_calendar_files_are_valid_and_agree_with_the_library():
    """At least one calendar file ships (2026): it reads without error, lists weekdays off and working
    weekends only, says what chinesecalendar says for a year the library knows, and is what the
    calendar uses without the library."""
    import chinese_calendar

    files = sorted(resource_path("calendar").glob("*.toml"))
    assert [f.name for f in files if f.name == "2026.toml"], "no shipped calendar file: this test would check nothing"
    for f in files:
        y = read_year_file(f)
        assert y.holidays and y.workdays, f
        assert all(d.weekday() < 5 for d in y.holidays) and all(d.weekday() >= 5 for d in y.workdays), f
        try:
            chinese_calendar.is_workday(date(y.year, 6, 1))
        except NotImplementedError:
            continue  # a year the library does not know yet: the file is the only source
        assert not any(chinese_calendar.is_workday(d) for d in y.holidays), f
        assert all(chinese_calendar.is_workday(d) for d in y.workdays), f
    alone = WorkCalendar(resource_path("calendar"), library=None)  # as on a machine whose library lacks 2026
    assert alone.knows(2026)
    assert not alone.is_workday(date(2026, 10, 5)) and alone.is_workday(date(2026, 10, 10))  # National Day, its Saturday
    assert alone.is_workday(date(2026, 10, 9)) and not alone.is_workday(date(2026, 10, 11))  # a Friday, a Sunday
