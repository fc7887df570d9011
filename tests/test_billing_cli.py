"""The billing commands as an administrator or a script runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from app.cli import main
from app.paths import resource_path
from tests.cliauth import as_

ZJ = str(resource_path("tariffs", "electricity-zhejiang.toml"))
WATER = str(resource_path("tariffs", "water-linan.toml"))


def run(*args, lang: str = "en") -> tuple[int, str, str]:
    """The command in its own process (a Chinese run must not leave its translators in the test process)."""
    p = subprocess.run([sys.executable, "-m", "app.cli", "--lang", lang, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def test_quote_json_is_exact():
    code, out, _ = run("quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "200", "--ytd", "2700", "--json")
    assert code == 0
    assert json.loads(out) == {
        "tariff": "ZJ-RES-Y",
        "lines": [
            {"item": "tier1", "quantity": "60", "unit_price": "0.538", "amount": "32.28"},
            {"item": "tier2", "quantity": "140", "unit_price": "0.588", "amount": "82.32"},
        ],
        "total": "114.60",
    }


def test_quote_registers_and_surcharges(capsys):
    assert (
        main(["quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-TOU", "--registers", "peak=150,valley=50", "--ytd", "2700", "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [(ln["item"], ln["amount"]) for ln in data["lines"]] == [("peak", "85.20"), ("valley", "14.40"), ("tier2_increment", "7.00")]
    assert main(["quote", "--tariff-file", WATER, "--tariff", "LA-WATER-RES", "--usage", "20", "--ytd", "170", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == "78.70"


@pytest.mark.parametrize(
    "args, words",
    [
        (["--usage", "abc"], "not a number"),
        (["--usage", "-5"], "zero or more"),
        (["--usage", "1.2345"], "3 decimals"),
        (["--registers", "peak=1,flat=2"], "flat"),
        (["--registers", "peak"], "NAME=QUANTITY"),
    ],
)
def test_quote_bad_input_is_a_message_not_a_traceback(args, words, capsys):
    code = main(["--lang", "en", "quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-TOU" if "--registers" in args else "ZJ-RES-Y", *args])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err


AMOUNT = re.compile(r"^-?\d+\.\d\d$")


@pytest.mark.parametrize(
    "tariff_file, tariff, usage",
    [
        (ZJ, "ZJ-RES-Y", ["--usage", "0"]),  # no line at all: the total is still "0.00"
        (ZJ, "ZJ-RES-Y", ["--usage", "10"]),
        (ZJ, "ZJ-RES-Y", ["--usage", "2545.000"]),  # trailing zeros are not decimals
        (ZJ, "ZJ-COM", ["--usage", "0.001"]),  # a line that rounds to nothing
        (ZJ, "ZJ-RES-TOU", ["--registers", "peak=0,valley=0"]),
        (WATER, "LA-WATER-RES", ["--usage", "0"]),  # fee lines of 0.00
    ],
)
def test_every_amount_in_a_quote_has_two_places(tariff_file, tariff, usage, capsys):
    assert main(["quote", "--tariff-file", tariff_file, "--tariff", tariff, *usage, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    amounts = [ln["amount"] for ln in data["lines"]] + [data["total"]]
    assert all(AMOUNT.match(a) for a in amounts), amounts
    if usage[-1] == "0":
        assert data["total"] == "0.00"
    assert main(["--lang", "en", "quote", "--tariff-file", tariff_file, "--tariff", tariff, *usage]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert all(AMOUNT.match(r.split()[-1]) for r in rows), rows
    assert rows[-1].split()[-1] == data["total"]


def test_quote_zero_usage_is_exactly_per_the_spec():
    code, out, _ = run("quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-Y", "--usage", "0", "--json")
    assert code == 0 and json.loads(out) == {"tariff": "ZJ-RES-Y", "lines": [], "total": "0.00"}


def test_late_fee_not_late_has_two_places():
    code, out, _ = run("late-fee", "--amount", "1000", "--due", "2025-12-20", "--paid", "2025-12-20", "--category", "other", "--json")
    assert code == 0 and json.loads(out)["late_fee"] == "0.00" and json.loads(out)["amount"] == "1000.00"


def test_late_fee_command():
    code, out, _ = run("late-fee", "--amount", "1000.00", "--due", "2025-12-20", "--paid", "2026-01-10", "--category", "other", "--json")
    assert code == 0 and json.loads(out)["late_fee"] == "52.00"
    code, _, err = run("late-fee", "--amount", "12.345", "--due", "2025-12-20", "--paid", "2026-01-10", "--category", "other")
    assert code == 2 and "two decimals" in err


def test_bad_tariff_file_is_refused_whole_naming_file_code_and_key(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[tariff]]\ncode = "OK-1"\nname = "好"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        'effective_from = 2024-01-01\nprice = "0.5"\n\n'
        '[[tariff]]\ncode = "BAD-2"\nname = "坏"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        "effective_from = 2024-01-01\nprice = 0.5\n",
        encoding="utf-8",
    )
    _store(url)
    assert main(["--lang", "en", "--db", url, "tariffs", "import", str(bad), *as_("admin")]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "BAD-2" in err and "price" in err and "string" in err
    assert main(["--db", url, "tariffs", "list"]) == 0
    out = capsys.readouterr().out
    assert "OK-1" not in out  # nothing from the file was loaded
    assert "ZJ-COM         2024-01-01 ~ 2026-06-30 electricity" in out  # shipped tariffs imported on first use
    assert main(["--db", url, "tariffs", "import", ZJ, *as_("admin")]) == 0  # the shipped file again: unchanged
    out = capsys.readouterr().out
    assert "unchanged ZJ-RES-Y@2024-01-01" in out and "imported" not in out


def _store(url):
    """A migrated store with its administrator `admin` and a clerk `zhangli`."""
    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.services import auth

    db = Database(url)
    upgrade(db.engine)
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    return db, admin


def test_tariff_import_needs_an_administrator(tmp_path, capsys):
    from app.services.billing import tariffs

    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    db, _admin = _store(url)
    new = tmp_path / "new.toml"
    new.write_text(
        '[[tariff]]\ncode = "NEW-1"\nname = "新"\nservice = "electricity"\nunit = "kWh"\nusage_category = "residential"\n'
        'effective_from = 2027-01-01\nprice = "0.5"\n',
        encoding="utf-8",
    )
    assert main(["--lang", "en", "--db", url, "tariffs", "import", str(new), *as_("zhangli")]) == 2
    assert "Only an administrator can import tariffs" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", url, "tariffs", "import", str(new)]) == 2
    assert "--as LOGIN" in capsys.readouterr().err
    code, _, err = run("--db", url, "tariffs", "import", str(new), *as_("zhangli"), lang="zh_CN")
    assert code == 2 and "只有管理员" in err
    assert "NEW-1" not in tariffs.load_book(db).by_code
    assert main(["--lang", "en", "--db", url, "tariffs", "import", str(new), *as_("admin")]) == 0
    assert "imported NEW-1@2027-01-01" in capsys.readouterr().out
    db.dispose()


@pytest.mark.parametrize(
    "text, key",
    [
        (
            'code = "X"\nname = "n"\nservice = "gas"\nunit = "kWh"\nusage_category = "r"\neffective_from = 2024-01-01\nprice = "1"',
            "service",
        ),
        ('code = "X"\nname = "n"\nservice = "water"\nunit = "kWh"\nusage_category = "r"\neffective_from = 2024-01-01\nprice = "1"', "unit"),
        (
            'code = "X"\nname = "n"\nservice = "water"\nunit = "m3"\nusage_category = "r"\neffective_from = "2024"\nprice = "1"',
            "effective_from",
        ),
        (
            'code = "X"\nname = "n"\nservice = "water"\nunit = "m3"\nusage_category = "r"\neffective_from = 2024-01-01\nprice = "1"\n[tariff.tiers]\nperiod = "year"\nbounds = [260, 180]\nincrements = ["0", "1", "2"]',
            "tiers.bounds",
        ),
        (
            'code = "X"\nname = "n"\nservice = "water"\nunit = "m3"\nusage_category = "r"\neffective_from = 2024-01-01\nprice = "1"\n[tariff.tiers]\nperiod = "year"\nbounds = [180]\nincrements = ["0"]',
            "tiers.increments",
        ),
        (
            'code = "X"\nname = "n"\nservice = "electricity"\nunit = "kWh"\nusage_category = "r"\neffective_from = 2024-01-01\n[tariff.tou]\nnight = "0.3"',
            "tou.night",
        ),
        (
            'code = "X"\nname = "n"\nservice = "electricity"\nunit = "kWh"\nusage_category = "r"\neffective_from = 2024-01-01\nprise = "0.3"',
            "prise",
        ),
    ],
)
def test_each_format_error_names_its_key(text, key):
    from app.services.billing.tariffs import TariffError, parse_text

    with pytest.raises(TariffError) as err:
        parse_text("[[tariff]]\n" + text + "\n", "f.toml")
    assert err.value.params["key"] == key and err.value.params["file"] == "f.toml" and err.value.params["code"] == "X"


@pytest.fixture
def route_store(tmp_path):
    """Route R5: three SD-RES-M accounts, the first two read for 2026-10 (250 kWh each), the third not."""
    from app.services import customers as cs
    from app.services.billing import readings, tariffs

    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    db, admin = _store(url)
    tariffs.ensure_default_tariffs(db)
    for i in range(1, 4):
        cid = cs.create_customer(db, admin, cs.CustomerInput(name=f"客户{i}"))
        aid = cs.create_account(
            db, admin, cid, cs.AccountInput(supply_address=f"{i}号", reading_route="R5", route_order=str(i), tariff_code="SD-RES-M")
        )
        mid = cs.create_meter(db, admin, aid, cs.MeterInput(meter_no=f"33019900000{i}", initial_reading="0"))
        if i < 3:
            readings.record_reading(db, admin, mid, "total", "2026-10", "250")
    yield url, db
    db.dispose()


def _print_counts(db) -> dict[str, int]:
    from sqlalchemy import select

    from app.models import Bill
    from app.services import documents

    with db.read() as s:
        nos = list(s.scalars(select(Bill.bill_no)))
        counted = documents.copies_in(s, "bill", nos)  # every document's print count lives in document_prints
        return {no: counted.get(no, 0) for no in nos}


def test_bill_command_issues_a_route_prints_archives_and_counts_it(route_store, tmp_path, capsys, _data_dir):
    from sqlalchemy import func, select

    from app.models import AuditEntry
    from app.services.billing import bills
    from tests.pdfcheck import pdf_pages, pdf_text

    url, db = route_store
    out = tmp_path / "route.pdf"
    assert (
        main(["--lang", "en", "--db", url, "bill", *as_("admin"), "--route", "R5", "--period", "2026-10", "--print", str(out), "--json"])
        == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert data["issued"] == 2 and data["total"] == "277.46" and data["printed"] == 2 and data["reprints"] == 0  # 2 x 138.73
    assert data["failed"][0]["account_no"] == "3301000003" and "no total reading" in data["failed"][0]["reason"]
    pages = pdf_pages(out.read_bytes())
    assert len(pages) == 2 and "3301000001" in pages[0] and "3301000002" in pages[1] and "重打" not in "".join(pages)
    # archived as one volume file (not one file per bill), byte for byte what was written
    archived = sorted((_data_dir / "archive" / "bill-route").rglob("*.pdf"))
    assert len(archived) == 1 and archived[0].read_bytes() == out.read_bytes() and data["archived"] == [str(archived[0])]
    assert archived[0].name.startswith("R5-2026-10_")
    # counted: one audit entry per bill, naming the archived volume
    assert _print_counts(db) == {"B330100000120261001": 1, "B330100000220261001": 1}
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "print", AuditEntry.entity == "bill")).all()
        assert len(entries) == 2 and all(archived[0].name in e.after for e in entries)
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "reprint")) == 0
    # so a later print of one of them at the counter is a reprint, marked 重打
    bill_id = bills.find_bill(db, "B330100000120261001")
    assert bills.mark_printed(db, auth_actor(db, "zhangli"), bill_id) == 1
    # printing the route again reprints them all, each marked with its own count
    again = tmp_path / "again.pdf"
    # (in Chinese this time: the bills' words are the command's language)
    try:
        assert (
            main(["--lang", "zh_CN", "--db", url, "bill", *as_("admin"), "--route", "R5", "--period", "2026-10", "--print", str(again)])
            == 1
        )
    finally:
        from app import i18n

        i18n.install("en")  # the tests after this one read English
    text = capsys.readouterr().out
    assert "issued 0 bills" in text and "printed 2 bills (2 of them printed before, marked as reprints)" in text
    pages = [p.replace(" ", "").replace("\n", "") for p in pdf_pages(again.read_bytes())]
    assert "重打（第2次）" in pages[0] and "重打（第1次）" in pages[1]
    assert _print_counts(db) == {"B330100000120261001": 3, "B330100000220261001": 2}
    assert len(sorted((_data_dir / "archive" / "bill-route").rglob("*.pdf"))) == 2
    assert "¥138.73" in pdf_text(again.read_bytes())


def auth_actor(db, login):
    from app.services import auth

    return auth.get_actor(db, login)


def test_bill_account_print_prints_its_bill_or_says_why_nothing_was_printed(route_store, tmp_path, capsys, _data_dir):
    from tests.pdfcheck import pdf_pages

    url, db = route_store
    first = tmp_path / "first.pdf"
    assert (
        main(["--lang", "en", "--db", url, "bill", *as_("admin"), "--account", "3301000001", "--period", "2026-10", "--print", str(first)])
        == 0
    )
    assert "printed 1 bills into" in capsys.readouterr().out and len(pdf_pages(first.read_bytes())) == 1
    # billed already: the existing bill is printed again, marked 重打, and counted
    again = tmp_path / "again.pdf"
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                url,
                "bill",
                *as_("admin"),
                "--account",
                "3301000001",
                "--period",
                "2026-10",
                "--print",
                str(again),
                "--json",
            ]
        )
        == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert data["issued"] == 0 and "already has a bill" in data["failed"][0]["reason"]
    assert data["printed"] == 1 and data["reprints"] == 1 and data["files"] == [str(again)]
    assert "REPRINT (1)" in pdf_pages(again.read_bytes())[0]  # --lang en: the paper in English too
    assert _print_counts(db)["B330100000120261001"] == 2
    # no bill at all: said plainly, and no file
    none = tmp_path / "none.pdf"
    assert (
        main(["--lang", "en", "--db", url, "bill", *as_("admin"), "--account", "3301000003", "--period", "2026-10", "--print", str(none)])
        == 1
    )
    text = capsys.readouterr().out
    assert "issued 0 bills" in text and "nothing was printed" in text and "printed 0" not in text
    assert not none.exists()


def test_bill_command_says_why_in_the_chosen_language(route_store):
    url, _db = route_store
    code, out, _ = run("--db", url, "bill", *as_("admin"), "--route", "R5", "--period", "2026-10", lang="zh_CN")
    assert code == 1 and "3301000003: 表 330199000003 缺少 2026-10 的示数。" in out and "has no" not in out
    code, out, _ = run("--db", url, "bill", *as_("admin"), "--route", "R5", "--period", "2026-10", "--json", lang="zh_CN")
    reasons = [f["reason"] for f in json.loads(out)["failed"]]
    assert reasons[0] == "户号 3301000001 已有 2026-10 的账单。" and all("already" not in r for r in reasons)
    code, out, _ = run("--db", url, "bill", *as_("admin"), "--route", "R5", "--period", "2026-10")
    assert "3301000001: Account 3301000001 already has a bill for 2026-10." in out


def test_quote_table_in_chinese_is_aligned():
    import unicodedata

    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "--lang",
            "zh_CN",
            "quote",
            "--tariff-file",
            WATER,
            "--tariff",
            "LA-WATER-RES",
            "--usage",
            "20",
            "--ytd",
            "170",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0
    rows = p.stdout.splitlines()[1:]
    # 10 m3 in tier 1 at 1.90, 10 in tier 2 at 2.85, fees on 20 m3: 19.00 + 28.50 + 27.20 + 4.00 = 78.70
    assert [r.split()[0] for r in rows] == ["第一档", "第二档", "污水处理费", "水资源费", "合计"]
    assert [r.split()[-1] for r in rows] == ["19.00", "28.50", "27.20", "4.00", "78.70"]
    widths = {sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in r) for r in rows}
    assert len(widths) == 1


@pytest.mark.parametrize(
    "lang, words", [("zh_CN", "“2026-13-01”不是 YYYY-MM-DD 格式的日期"), ("en", "“2026-13-01” is not a date YYYY-MM-DD")]
)
def test_command_line_mistakes_are_told_in_the_chosen_language(lang, words):
    code, _out, err = run(
        "late-fee", "--amount", "10", "--due", "2026-13-01", "--paid", "2026-11-01", "--category", "residential", lang=lang
    )
    assert code == 2 and f"--due{'：' if lang == 'zh_CN' else ': '}{words}" in err and "Traceback" not in err
    code, _out, err = run("quote", "--tariff-file", ZJ, "--tariff", "ZJ-RES-TOU", "--registers", "peak", lang=lang)
    assert code == 2 and ("应写成 名称=数量" if lang == "zh_CN" else "should be NAME=QUANTITY") in err
