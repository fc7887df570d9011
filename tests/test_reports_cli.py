"""`counterdesk report` and `counterdesk dunning` from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.test_reports import TODAY, store  # noqa: F401  (the hand-built store fixture)


def test_report_command_json_xlsx_and_refusals(db, clerk, supervisor, store, tmp_path, capsys):
    import json

    from app.cli import main
    from tests.cliauth import as_

    url = db.url
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "collections",
                *as_("wangqiang"),
                "--from",
                TODAY.isoformat(),
                "--to",
                TODAY.isoformat(),
                "--json",
                "--xlsx",
                str(tmp_path / "c.xlsx"),
                "--pdf",
                str(tmp_path / "c.pdf"),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["totals"] == {"count": 2, "payments": "130.00", "reversals": "-30.00", "net": "100.00"}
    assert (tmp_path / "c.xlsx").is_file() and (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--db", url, "report", "ageing", *as_("wangqiang"), "--from", "2026-11-01", "--to", "2026-11-20", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert {"principal", "late_fee", "not_due", "d1_30", "d31_90", "d91_180", "d180_plus"} <= set(totals)
    # a clerk is refused with the role named; an existing file is kept; a missing folder is said
    assert main(["--db", url, "--lang", "en", "report", "sales", *as_("zhangli"), "--from", "2026-09-01", "--to", "2026-10-31"]) == 2
    assert "not for clerks" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                url,
                "--lang",
                "en",
                "report",
                "sales",
                *as_("wangqiang"),
                "--from",
                "2026-09-01",
                "--to",
                "2026-10-31",
                "--xlsx",
                str(tmp_path / "c.xlsx"),
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "--db",
                url,
                "--lang",
                "en",
                "report",
                "sales",
                *as_("wangqiang"),
                "--from",
                "2026-09-01",
                "--to",
                "2026-10-31",
                "--xlsx",
                str(tmp_path / "nowhere" / "s.xlsx"),
            ]
        )
        == 2
    )
    assert not (tmp_path / "nowhere").exists()
    assert main(["--db", url, "--lang", "en", "report", "sales", *as_("wangqiang"), "--from", "2016-01-01", "--to", "2026-01-01"]) == 2
    assert "three years" in capsys.readouterr().err
    assert (
        main(["--db", url, "dunning", "--route", "R02", *as_("wangqiang"), "--as-of", "2026-12-01", "--out", str(tmp_path / "d.pdf")]) == 0
    )
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


def test_ageing_bucket_account_list_and_its_reminders(db, clerk, supervisor, store, tmp_path, capsys):
    """`report ageing --accounts --bucket B`: the accounts behind one bucket (masked) as JSON and a
    workbook; `dunning --route R --bucket B` reminds exactly those accounts; a bucket on another report
    or a bucket that is none is refused."""
    import json

    import openpyxl

    from app.cli import main
    from tests.cliauth import as_
    from tests.pdfcheck import pdf_text

    url = db.url
    period = ["--from", "2026-11-01", "--to", "2026-11-20"]
    book = tmp_path / "late.xlsx"
    args = ["--db", url, "report", "ageing", *as_("wangqiang"), *period, "--accounts", "--bucket", "31-90", "--json", "--xlsx", str(book)]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["report"] == "ageing-accounts"
    assert [(a["account_no"], a["name"], a["phone"], a["bucket"], a["principal"]) for a in out["rows"]] == [
        ("3301000002", "李*", "138****5678", "d31_90", "26.90")
    ]
    assert out["totals"]["principal"] == "26.90" and out["totals"]["accounts"] == 1
    sheet = openpyxl.load_workbook(book).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "3301000002" in cells and "李*" in cells and "138****5678" in cells and "李四" not in cells
    # one route's accounts of a bucket, in words
    assert main(["--db", url, "--lang", "en", "report", "ageing", *as_("wangqiang"), *period, "--route", "R01", "--bucket", "d1_30"]) == 0
    text = capsys.readouterr().out
    assert "3301000001" in text and "张*丰" in text and "61.40" in text and "3301000002" not in text
    assert main(["--db", url, "--lang", "en", "report", "sales", *as_("wangqiang"), *period, "--bucket", "31-90"]) == 2
    assert "ageing report only" in capsys.readouterr().err
    assert main(["--db", url, "--lang", "en", "report", "ageing", *as_("wangqiang"), *period, "--accounts", "--bucket", "9-99"]) == 2
    assert "no bucket" in capsys.readouterr().err
    # the reminders of a bucket: B only (A owes nothing 31-90 days late)
    pdf = tmp_path / "late.pdf"
    assert main(["--db", url, "dunning", "--bucket", "31-90", *as_("wangqiang"), "--as-of", "2026-11-20", "--out", str(pdf)]) == 0
    printed = pdf_text(pdf.read_bytes())
    assert "3301000002" in printed and "3301000001" not in printed
    capsys.readouterr()
    none = ["dunning", "--route", "R01", "--bucket", "31-90", *as_("wangqiang"), "--as-of", "2026-11-20", "--out", str(tmp_path / "n.pdf")]
    assert main(["--db", url, "--lang", "en", *none]) == 2
    assert "Nothing is owed on R01 31-90" in capsys.readouterr().err and not (tmp_path / "n.pdf").exists()


def test_collection_rate_cutoff_from_the_command_line(db, clerk, supervisor, store, capsys):
    """--cutoff says up to which day collections count (default today), for the collection rate only."""
    import json
    from datetime import timedelta

    from app.cli import main
    from tests.cliauth import as_

    args = ["--db", db.url, "report", "collection-rate", *as_("wangqiang"), "--from", "2026-09-01", "--to", "2026-09-30", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cutoff"] == TODAY.isoformat() and out["totals"]["collected"] == "53.80"
    assert main([*args, "--cutoff", (TODAY - timedelta(days=1)).isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["collected"] == "0.00"
    assert main([*args[:3], "sales", *args[4:], "--cutoff", TODAY.isoformat()]) == 2
    assert "--cutoff is for the collection-rate report only" in capsys.readouterr().err
    assert main([*args, "--cutoff", "2026-13-01"]) == 2
    assert "2026-13-01" in capsys.readouterr().err
