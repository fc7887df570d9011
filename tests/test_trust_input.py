"""Issue 12, bad input that still got through: no traceback for wrong numbers, dates, paths and URLs; only
plausible periods and dates; digits of any script read as the number they are; hidden control characters
refused at the field; bounded tariff prices and usages."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.kernel.errors import ValidationError
from app.kernel.money import parse_amount
from app.kernel.text import ascii_digits, bad_character
from app.models import Customer, Reading
from app.paths import resource_path
from app.services import customers as cs
from app.services.billing import readings, tariffs
from tests.cliauth import as_

ZJ = str(resource_path("tariffs", "electricity-zhejiang.toml"))
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "argv, says",
    [
        (["quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "1e30"], "is not a number"),
        (["quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "NaN"], "is not a number"),
        (["quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "5000000000"], "above 1,000,000,000"),
        (["quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "10", "--ytd", "1E+3"], "is not a number"),
        (["--db", "not a url", "find", "x"], "is not a database URL"),
        (["--db", "mysql://x", "find", "x"], "SQLite"),
        (["--db", "postgresql+psycopg://u@no-such-host.invalid/x", "find", "x"], "not known on this network"),
    ],
)
def test_bad_numbers_and_urls_are_messages_not_tracebacks(argv, says, capsys):
    assert main(["--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_a_day_outside_the_window_and_a_data_folder_that_is_a_file(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    for day in ("0001-01-01", "9999-12-31", "1900-01-01"):
        assert main(["--lang", "en", "--db", url, "shift", "report", *as_("admin"), "--day", day, "--out", str(tmp_path / "d.pdf")]) == 2
        err = capsys.readouterr().err
        assert "outside the dates this station works with" in err and "Traceback" not in err
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    assert main(["--lang", "en", "--data-dir", str(a_file), "find", "x"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_output_piped_into_a_reader_that_goes_away_ends_quietly(tmp_path):
    p = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--lang", "en", "quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "200"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    err = p.stderr.read().decode()
    p.stderr.close()
    assert p.wait(60) == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


def _meter(db, admin, meter_no="330199000001"):
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="客户1", phone="13812345678"))
    aid = cs.create_account(
        db, admin, cid, cs.AccountInput(supply_address="1号", reading_route="R5", route_order="1", tariff_code="ZJ-RES-Y")
    )
    return cs.create_meter(db, admin, aid, cs.MeterInput(meter_no=meter_no, initial_reading="100"))


@pytest.mark.parametrize(
    "period, read_on, field",
    [
        ("9999-12", None, "period"),
        ("1900-01", None, "period"),
        ("2026-10", date(1900, 1, 1), "read_on"),
        ("2026-10", date(9999, 12, 31), "read_on"),
    ],
)
def test_readings_only_within_the_stations_window(db, admin, period, read_on, field):
    mid = _meter(db, admin)
    with pytest.raises(ValidationError) as err:
        readings.record_reading(db, admin, mid, "total", period, "150", read_on=read_on)
    assert err.value.field == field
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Reading)) == 0
    readings.record_reading(db, admin, mid, "total", "2026-10", "150")  # the meter is not blocked


def test_digits_of_other_scripts_are_the_numbers_they_show(db, admin, clerk):
    from app.services import search
    from app.services.payments import posting

    assert ascii_digits("١٢٣ १२३ １２３．５") == "123 123 123.5"
    assert parse_amount("١٢٣") == Decimal("123.00") and parse_amount("１，２００．５０") == Decimal("1200.50")
    mid = _meter(db, admin, meter_no="３３０１９９０００００９")  # typed with a full-width input method
    from app.models import Meter

    with db.read() as s:
        assert s.scalar(select(Meter.meter_no).where(Meter.id == mid)) == "330199000009"
    assert search.resolve_scan(db, "330199000009") is not None  # a scan finds it
    assert search.resolve_scan(db, "٣٣٠١٩٩٠٠٠٠٠٩") is not None  # and so does a search typed in Arabic-Indic digits
    assert search.resolve_scan(db, "３３０１０００００１").account_no == "3301000001"
    posting.open_shift(db, clerk, "０")
    paid = posting.post_payment(db, clerk, search.resolve_scan(db, "3301000001").account_id, "١٠٠", "cash", "k-digits", "१००")
    assert paid.amount_fen == 10000 and paid.change_fen == 0


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\x00", "\x1b", "\u2066", "\ufeff"])
def test_hidden_characters_are_refused_at_the_field(db, admin, clerk, hidden):
    from app.services import settings
    from app.services.handling import matters

    assert bad_character(f"张{hidden}三") == hidden
    with pytest.raises(ValidationError) as err:
        cs.create_customer(db, admin, cs.CustomerInput(name=f"张{hidden}三丰"))
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        cs.create_customer(db, admin, cs.CustomerInput(name="张三丰", address=f"幸福路{hidden}18号"))
    assert err.value.field == "address"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
    mid = _meter(db, admin)
    readings.record_reading(db, admin, mid, "total", "2026-10", "150")
    with pytest.raises(ValidationError) as err:
        readings.correct_reading(db, admin, mid, "total", "2026-10", "160", f"看错{hidden}了")
    assert err.value.field == "reason"
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="李四"))
    with pytest.raises(ValidationError) as err:
        cs.record_contact(db, clerk, cid, "counter", "inquiry", f"问电价{hidden}")
    assert err.value.field == "summary"
    with pytest.raises(ValidationError) as err:
        matters.register(db, clerk, matters.MatterInput(type="inquiry", description=f"客户问{hidden}电价", customer_id=cid))
    assert err.value.field == "description"
    with pytest.raises(ValidationError):
        settings.set_setting(db, admin, "company.name", f"示范{hidden}公司")
    assert settings.list_settings(db)[0].value != f"示范{hidden}公司"
    # a newline is text in a description, but not in a name
    with pytest.raises(ValidationError):
        cs.create_customer(db, admin, cs.CustomerInput(name="张\n三"))


@pytest.mark.parametrize(
    "price, says",
    [('"1e3"', "is not a decimal number"), ('"5000"', "at most 1,000"), ('"NaN"', "is not a decimal number"), ('"-0.5"', "zero or more")],
)
def test_tariff_prices_have_an_upper_bound_and_no_exponent(tmp_path, price, says):
    f = tmp_path / "t.toml"
    f.write_text(
        '[[tariff]]\ncode = "X-1"\nname = "试"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        f"effective_from = 2024-01-01\nprice = {price}\n",
        encoding="utf-8",
    )
    with pytest.raises(tariffs.TariffError) as err:
        tariffs.TariffBook.from_files(str(f))
    assert says in err.value.text() and "price" in err.value.text()


def test_tier_bounds_and_priced_usage_are_bounded(tmp_path):
    from app.services.billing.pricing import price

    f = tmp_path / "t.toml"
    f.write_text(
        '[[tariff]]\ncode = "X-2"\nname = "试"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        'effective_from = 2024-01-01\nprice = "0.5"\n[tariff.tiers]\nperiod = "year"\nbounds = [2760, 99999999999]\n'
        'increments = ["0.05", "0.3"]\n',
        encoding="utf-8",
    )
    with pytest.raises(tariffs.TariffError) as err:
        tariffs.TariffBook.from_files(str(f))
    assert "tiers.bounds" in err.value.text()
    book = tariffs.TariffBook.from_files(ZJ)
    with pytest.raises(ValidationError) as err:
        price(book.in_force("ZJ-RES-Y", date(2026, 1, 1)), usage=Decimal("1e30"))
    assert err.value.field == "usage"
