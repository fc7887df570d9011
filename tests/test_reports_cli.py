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
