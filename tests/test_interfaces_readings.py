"""Meter readings imported from files: staged and checked row by row, accepted or corrected by a clerk,
posted through the reading service once — on SQLite and PostgreSQL, and from the command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest
import xlsxwriter
from sqlalchemy import func, select

from app.cli import main
from app.kernel.errors import UserError
from app.models import Reading
from app.services import customers as cs
from app.services.billing import readings, tariffs
from app.services.interfaces import readings_import as ri
from app.services.interfaces.tabular import TabularError
from tests.cliauth import as_


@pytest.fixture
def meters(db, clerk):
    """Four meters on route R1 with three months of history (usage 100 a month), a two-register meter on
    R2, and a removed one."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四", phone="13812345670"))
    out = {}
    for n, (no, route, regs) in enumerate(
        [("M001", "R1", "total"), ("M002", "R1", "total"), ("M003", "R1", "total"), ("M004", "R2", "peak,valley"), ("M005", "R1", "total")],
        1,
    ):
        aid = cs.create_account(
            db, clerk, cid, cs.AccountInput(supply_address=f"幸福路{n}号", reading_route=route, route_order=str(n), tariff_code="ZJ-RES-Y")
        )
        out[no] = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=no, digits="6", initial_reading="1000", registers=regs))
    for i, period in enumerate(("2026-07", "2026-08", "2026-09"), 1):
        for no in ("M001", "M002", "M005"):
            readings.record_reading(db, clerk, out[no], "total", period, str(1000 + 100 * i), read_on=date(2026, 6 + i, 25))
        readings.record_reading(db, clerk, out["M003"], "total", period, str(999600 + 100 * i), read_on=date(2026, 6 + i, 25))
    cs_remove = getattr(cs, "remove_meter", None)
    if cs_remove is None:
        with db.write() as s:
            from app.models import Meter

            s.get(Meter, out["M005"]).status = "removed"
    else:
        cs_remove(db, clerk, out["M005"])
    return out


PLAIN = (
    "meter_no,register,reading,read_on\n"
    "M001,,1400,2026-10-25\n"  # accepted: usage 100
    "M002,,2500,2026-10-26\n"  # warned: usage 1,200, usual 100
    "M003,,40,2026-10-25\n"  # warned: roll-over past 999,999 (usage 140)
    "M004,peak,1120,2026-10-25\n"  # accepted: first reading of the peak register
    "M004,valley,1080,2026-09-30\n"  # warned: read outside the period
    "M009,,100,2026-10-25\n"  # refused: unknown meter
    "M001,,1401,2026-10-25\n"  # refused: duplicate of line 2
    "M005,,1400,2026-10-25\n"  # refused: removed
    "M002,,abc,2026-10-25\n"  # refused: not a number (file, line, column named)
    "M004,,90,2026-10-25\n"  # refused: two registers, none named
)


def _verdicts(result):
    return {r.line: r.verdict for r in result.rows}


def test_staging_checks_every_row(db, clerk, meters, tmp_path):
    path = tmp_path / "route.csv"
    path.write_text(PLAIN, encoding="utf-8")
    result = ri.stage_file(db, clerk, path, period="2026-10")
    assert _verdicts(result) == {
        2: "accepted",
        3: "warned",
        4: "warned",
        5: "accepted",
        6: "warned",
        7: "refused",
        8: "refused",
        9: "refused",
        10: "refused",
        11: "refused",
    }
    assert result.counts == {"accepted": 2, "warned": 3, "refused": 5, "posted": 0}
    by_line = {r.line: r for r in result.rows}
    assert by_line[3].usage == D("1200") and by_line[3].usual == D("100") and "three times" in by_line[3].reason_text()
    assert "roll-over past 999,999" in by_line[4].reason_text() and by_line[4].usage == D("140")
    assert by_line[6].reason_text() == "Read on 2026-09-30, outside the period 2026-10."
    assert by_line[7].reason_text() == "No meter has the number M009."
    assert by_line[8].reason_text() == "The same meter and register as line 2."
    assert by_line[10].reason_text() == "route.csv, line 10, column reading (3): “abc” is not a number with at most 2 decimals."
    assert "registers peak,valley" in by_line[11].reason_text()
    assert by_line[2].route == "R1" and by_line[5].route == "R2"


def test_accept_correct_post_and_the_same_file_twice(db, clerk, meters, tmp_path):
    path = tmp_path / "route.csv"
    path.write_text(PLAIN, encoding="utf-8")
    result = ri.stage_file(db, clerk, path, period="2026-10")
    rows = {r.line: r for r in result.rows}
    ri.accept_row(db, clerk, rows[4].id)  # the roll-over is real
    assert ri.correct_row(db, clerk, rows[3].id, "1500") == "accepted"  # mistyped: 1500, usage 100
    with pytest.raises(UserError):
        ri.accept_row(db, clerk, rows[7].id)  # a refused row is corrected, never accepted
    assert ri.post_import(db, clerk, result.import_id, route="R1") == 3
    assert ri.post_import(db, clerk, result.import_id) == 1  # R2's peak; the valley still waits (warned)
    with db.read() as s:
        got = dict(s.execute(select(Reading.register, func.count()).where(Reading.period == "2026-10").group_by(Reading.register)).all())
        rolled = s.scalar(select(Reading.rolled_over).where(Reading.meter_id == meters["M003"], Reading.period == "2026-10"))
    assert got == {"total": 3, "peak": 1} and rolled is True
    again = ri.stage_file(db, clerk, path, period="2026-10")
    assert again.again and again.import_id == result.import_id and again.counts["posted"] == 4
    assert ri.post_import(db, clerk, again.import_id) == 0  # nothing twice
    # the same readings in another file: every meter already has its reading, nothing is posted
    copy = tmp_path / "copy.csv"
    copy.write_text(PLAIN.replace("2026-10-26", "2026-10-27"), encoding="utf-8")
    other = ri.stage_file(db, clerk, copy, period="2026-10")
    assert _verdicts(other)[2] == "refused" and "already has a reading for 2026-10" in other.rows[0].reason_text()
    assert ri.post_import(db, clerk, other.import_id) == 0


def test_amr_workbook_gbk_and_bad_files(db, clerk, meters, tmp_path):
    book_path = tmp_path / "amr.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["表号", "示数类型", "本次示数", "抄表日期"])
    sheet.write_row(1, 0, ["M001", "总", 1400])
    sheet.merge_range(1, 3, 2, 3, 46320)  # 2026-10-25 as an Excel date number, merged over two rows
    sheet.write_row(2, 0, ["M004", "峰"])
    sheet.write_formula(2, 2, "=1100+20", None, 1120)
    book.close()
    result = ri.stage_file(db, clerk, book_path, source="amr")
    assert result.period == "2026-10" and _verdicts(result) == {2: "accepted", 3: "accepted"}
    assert [r.read_on for r in result.rows] == [date(2026, 10, 25)] * 2
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes('表号,示数类型,本次示数,抄表日期\nM002,总,"1,500",2026-10-25\n'.encode("gbk"))
    result = ri.stage_file(db, clerk, gbk, source="amr")
    assert result.encoding == "gb18030" and result.rows[0].current == D("1500") and result.rows[0].verdict == "accepted"
    cut = tmp_path / "cut.csv"
    cut.write_text("meter_no,register,reading,read_on\nM001,,1400,2026-10-25\nM002,,15", encoding="utf-8")
    with pytest.raises(TabularError) as err:
        ri.stage_file(db, clerk, cut)
    assert err.value.text() == "cut.csv, line 3: the last line has 3 of 4 cells and no line end; the file seems cut off."
    with pytest.raises(UserError) as err:
        ri.stage_file(db, clerk, cut, source="nowhere")
    assert "nowhere" in err.value.text() and "plain" in err.value.text()


def test_cli_import_counts_and_json(db, clerk, meters, tmp_path, capsys):
    path = tmp_path / "route.csv"
    path.write_text(PLAIN, encoding="utf-8")
    assert main(["--lang", "en", "--db", db.url, "readings", "import", str(path), *as_("zhangli"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"accepted": 2, "warned": 3, "refused": 5, "posted": 0}
    assert len(data["rows"]) == 10 and data["rows"][8]["verdict"] == "refused" and "line 10" in data["rows"][8]["reason"]
    assert main(["--lang", "en", "--db", db.url, "readings", "import", str(path), "--post", *as_("zhangli")]) == 0
    out = capsys.readouterr().out
    assert "already imported" in out and "posted 2" in out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"meter_no,reading\nM1,\xff\xfe\n")
    assert main(["--lang", "en", "--db", db.url, "readings", "import", str(bad), *as_("zhangli")]) != 0
    assert "bad.csv, line 2" in capsys.readouterr().err


def _one_by_one(db, actor, import_id):
    """Posting as it was done before the set-based path: record_reading for each accepted row in route
    and line order, the row's verdict set from its outcome (the reference the bulk path must equal)."""
    from app.models import ReadingImport, ReadingImportRow

    with db.read() as s:
        period = s.get(ReadingImport, import_id).period
        rows = s.scalars(
            select(ReadingImportRow)
            .where(ReadingImportRow.import_id == import_id, ReadingImportRow.verdict == "accepted")
            .order_by(ReadingImportRow.route, ReadingImportRow.line_no)
        ).all()
        todo = [(r.id, r.meter_id, r.register, r.current, r.read_on, r.rolled_over, r.confirm_high) for r in rows]
    for row_id, meter_id, register, current, read_on, rolled_over, confirm_high in todo:
        try:
            result = readings.record_reading(
                db, actor, meter_id, register, period, str(current), read_on=read_on, rolled_over=rolled_over, confirm_high=confirm_high
            )
        except readings.NeedsConfirmation as err:
            values = ("refused" if err.needs_supervisor else "warned", err.message, err.params, None)
        except UserError as err:
            values = ("refused", err.message, err.params, None)
        else:
            values = ("posted", "", {}, result.reading_id)
        with db.write() as s:
            s.execute(ri._set_row(), ri._row_values(row_id, *values))


def _posted_state(db):
    """What posting leaves, without the new ids and clock times: the readings, their audit entries (in
    order), the readings summary, each import row's verdict and reason, and the summaries' differences
    from a recompute (none)."""
    from app.models import AuditEntry, ReadingImportRow, ReadingSummary
    from app.services.reports import summaries

    with db.read() as s:
        rows = s.execute(
            select(
                Reading.meter_id,
                Reading.register,
                Reading.period,
                Reading.read_on,
                Reading.previous_reading,
                Reading.current_reading,
                Reading.rolled_over,
                Reading.usage,
                Reading.usual,
                Reading.source,
                Reading.clerk_id,
            )
            .where(Reading.period == "2026-10")
            .order_by(Reading.meter_id, Reading.register)
        ).all()
        entries = s.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.clerk_id, AuditEntry.after)
            .where(AuditEntry.entity == "reading", AuditEntry.after.like('%"2026-10"%'))
            .order_by(AuditEntry.seq)
        ).all()
        summary = s.execute(select(ReadingSummary).order_by(ReadingSummary.period, ReadingSummary.route)).scalars().all()
        summary = [(r.period, r.service, r.route, r.read, r.zero, r.high, r.rolled_over) for r in summary]
        verdicts = s.execute(
            select(ReadingImportRow.line_no, ReadingImportRow.verdict, ReadingImportRow.reason, ReadingImportRow.params).order_by(
                ReadingImportRow.line_no
            )
        ).all()
        return [tuple(r) for r in rows], [tuple(e) for e in entries], summary, [tuple(v) for v in verdicts], summaries.differences(s)


def test_bulk_posting_equals_posting_one_by_one(db, clerk, meters, tmp_path):
    """The set-based posting writes exactly what record_reading one row at a time writes: the same
    readings, audit entries, readings summary and row verdicts, including rows the service refuses
    at posting time (a reading entered at the counter meanwhile) and accepted warnings. The reference
    store is a copy of the SQLite file (PostgreSQL's bulk path is run by the test above)."""
    import shutil

    from app.db.engine import Database

    if not db.url.startswith("sqlite"):
        pytest.skip("the one-by-one reference is a copy of the SQLite store file")
    path = tmp_path / "route.csv"
    path.write_text(PLAIN, encoding="utf-8")
    result = ri.stage_file(db, clerk, path, period="2026-10")
    rows = {r.line: r for r in result.rows}
    ri.accept_row(db, clerk, rows[3].id)  # the high usage is real
    ri.accept_row(db, clerk, rows[4].id)  # the roll-over is real
    ri.accept_row(db, clerk, rows[6].id)  # read outside the month
    # meanwhile M001's reading is typed at the counter: posting must refuse the file's one
    readings.record_reading(db, clerk, meters["M001"], "total", "2026-10", "1390", read_on=date(2026, 10, 24))
    copy_path = tmp_path / "one-by-one.sqlite"
    db.dispose()
    shutil.copyfile(db.url.removeprefix("sqlite:///"), copy_path)
    other = Database(f"sqlite:///{copy_path}")
    try:
        assert ri.post_import(db, clerk, result.import_id) == 4
        _one_by_one(other, clerk, result.import_id)
        bulk, single = _posted_state(db), _posted_state(other)
    finally:
        other.dispose()
    assert len(bulk[0]) == 5 and len(bulk[1]) == 5  # M001 (at the counter), M002, M003, M004 peak and valley
    assert bulk == single
    assert bulk[4] == []  # the summaries equal a recompute from the readings
    verdicts = {line: v for line, v, _r, _p in bulk[3]}
    assert verdicts[2] == "refused" and [verdicts[n] for n in (3, 4, 5, 6)] == ["posted"] * 4
