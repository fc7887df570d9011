"""The shared file reader of the interfaces: encodings, cut files, cell counts, workbooks, values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter

from app.services.interfaces.tabular import FixedField, TabularError, file_digest, fixed_row, read_fixed_lines, read_table

COLUMNS = {"meter_no": ["表号"], "reading": ["读数"], "read_on": ["抄表日期"], "amount": ["金额"]}


def rows_of(path, **kw):
    table = read_table(path, COLUMNS, ("meter_no",), **kw)
    return table, list(table.rows())


def test_utf8_bom_and_gbk_are_read_and_said(tmp_path):
    text = '表号,读数,抄表日期,金额\nM001,12.5,2026-11-03,"1,234.50"\n'
    plain = tmp_path / "plain.csv"
    plain.write_bytes(text.encode("utf-8"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    for path, encoding in ((plain, "utf-8"), (bom, "utf-8"), (gbk, "gb18030")):
        table, rows = rows_of(path)
        assert table.encoding == encoding
        assert len(rows) == 1
        row = rows[0]
        assert (row.file, row.line) == (path.name, 2)
        assert row.text("meter_no") == "M001"
        assert row.number("reading") == Decimal("12.5")
        assert row.date("read_on") == date(2026, 11, 3)
        assert row.amount("amount") == Decimal("1234.50")
        assert row.fen("amount") == 123450


def test_an_encoding_that_is_neither_is_refused_at_its_line(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("meter_no,reading\nM1,1\nM2,\xff\xfe\xff\n".encode("latin-1"))
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert err.value.params["file"] == "latin.csv" and err.value.params["line"] == 3
    assert "neither UTF-8 nor GBK" in err.value.text()
    path.write_bytes("表号,读数\nM1,1\n".encode("gbk"))
    with pytest.raises(TabularError) as err:
        rows_of(path, encoding="utf-8")
    assert "not in the encoding utf-8" in err.value.text()


def test_wrong_cell_counts_name_the_line(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("meter_no,reading,read_on\nM1,1,2026-11-01\nM2,2\nM3,3,2026-11-01,,\n\nM4,4,2026-11-01,extra\n", encoding="utf-8")
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert err.value.text() == "counts.csv, line 3: 2 cells where the header has 3."
    table, rows = rows_of(path, strict=False)
    assert [(r.line, r.problem is not None) for r in rows] == [(2, False), (3, True), (4, False), (6, True)]
    assert rows[3].problem.params["line"] == 6


def test_a_cut_file_is_refused(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text("meter_no,reading,read_on\nM1,1,2026-11-01\nM2,2", encoding="utf-8")
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert "seems cut off" in err.value.text() and err.value.params["line"] == 3
    path.write_text('meter_no,reading,read_on\nM1,1,2026-11-01\nM2,2,"2026-1', encoding="utf-8")
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert "never closed" in err.value.text() and err.value.params["line"] == 3
    path.write_bytes("表号,读数\nM1,1\n东".encode("utf-8")[:-1])
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert "middle of a character" in err.value.text()
    path.write_text("meter_no,reading,read_on\nM1,1,2026-11-01", encoding="utf-8")  # complete, no line end
    assert len(rows_of(path)[1]) == 1


def test_missing_header_and_bad_values_name_file_line_column(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("meter,reading\nM1,1\n", encoding="utf-8")
    with pytest.raises(TabularError) as err:
        rows_of(path)
    assert err.value.text() == "values.csv, line 1: the header has no column 表号 (it has: meter, reading)."
    path.write_text('meter_no,reading,read_on,amount\nM1,1.2.3,2026-13-01,"1,23"\n', encoding="utf-8")
    (row,) = rows_of(path)[1]
    for name, call, column in (
        ("reading", row.number, "reading (2)"),
        ("read_on", row.date, "read_on (3)"),
        ("amount", row.amount, "amount (4)"),
    ):
        with pytest.raises(TabularError) as err:
            call(name)
        assert err.value.params == {**err.value.params, "file": "values.csv", "line": 2, "column": column}
        assert err.value.text().startswith(f"values.csv, line 2, column {column}: ")


def test_serial_dates_and_thousands_separators(tmp_path):
    path = tmp_path / "serial.csv"
    path.write_text('meter_no,read_on,amount\nM1,46329,"12,345,678.9"\nM2,20261103,-5\nM3,46329.0,¥ 1.5\n', encoding="utf-8")
    rows = rows_of(path)[1]
    assert [r.date("read_on") for r in rows] == [date(2026, 11, 3)] * 3
    assert [r.amount("amount") for r in rows] == [Decimal("12345678.90"), Decimal("-5.00"), Decimal("1.50")]
    assert all(isinstance(r.amount("amount"), Decimal) for r in rows)


def test_workbook_with_merged_cells_formulas_and_dates(tmp_path):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("readings")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["表号", "读数", "抄表日期", "金额"])
    sheet.write_row(1, 0, ["M001", 120.5])
    sheet.write_datetime(1, 2, __import__("datetime").datetime(2026, 11, 3), day)
    sheet.write_formula(1, 3, "=B2*2", None, 241)
    sheet.write_row(2, 0, ["M002", 7])
    sheet.merge_range(2, 2, 3, 2, 46330)  # one date serial for two rows
    sheet.write_number(2, 3, 1234.5)
    sheet.write_row(3, 0, ["M003", 8])
    sheet.write_formula(3, 3, "=B4*2", None, 16)
    book.close()
    table, rows = rows_of(path)
    assert [r.line for r in rows] == [2, 3, 4]
    assert [r.text("meter_no") for r in rows] == ["M001", "M002", "M003"]
    assert [r.date("read_on") for r in rows] == [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 4)]
    assert [r.amount("amount") for r in rows] == [Decimal("241.00"), Decimal("1234.50"), Decimal("16.00")]
    assert rows[0].number("reading") == Decimal("120.5")
    assert table.column_label("amount") == "金额 (D)"


def test_a_formula_without_saved_value_is_named(tmp_path):
    import openpyxl

    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["meter_no", "reading"])
    sheet.append(["M1", "=1+2"])
    book.save(path)
    with pytest.raises(TabularError) as err:
        list(rows_of(path)[1])
    assert err.value.params["line"] == 2 and err.value.params["column"] == "B"
    assert "formula without a saved value" in err.value.text()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(path.read_bytes()[:300])
    with pytest.raises(TabularError) as err:
        rows_of(broken)
    assert "cannot be read as an Excel workbook" in err.value.text()


def test_fixed_width_lines_and_digest(tmp_path):
    path = tmp_path / "fixed.txt"
    fields = [FixedField("account", 1, 6), FixedField("name", 7, 6), FixedField("amount", 13, 8)]
    path.write_bytes("A00001张三  00012.50\r\nA00002李四  0001,2.5\r\n".encode("gbk"))
    lines = read_fixed_lines(path)
    assert [n for n, _ in lines] == [1, 2]
    first = fixed_row(path, *lines[0], fields)
    assert (first.text("account"), first.text("name"), first.amount("amount")) == ("A00001", "张三", Decimal("12.50"))
    second = fixed_row(path, *lines[1], fields)
    with pytest.raises(TabularError) as err:
        second.amount("amount")
    assert err.value.params["column"] == "amount (13)" and err.value.params["line"] == 2
    assert len(file_digest(path)) == 64
    path.write_bytes("A00001张三  00012.50\r\nA00002李".encode("gbk"))
    with pytest.raises(TabularError) as err:
        read_fixed_lines(path)
    assert "cut off" in err.value.text()
