"""The shared printing pieces: an embedded CJK font, CJK wrapping, barcodes, roll paper, archive."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.printing import fonts
from app.printing.archive import archive_pdf
from app.printing.labels import ts_translator
from app.printing.layout import PAPERS, Styles, barcode, build_pdf, para
from tests.pdfcheck import cjk_font_embedded, embedded_fonts, pdf_text


def test_reportlab_runs_with_its_c_accelerators():
    """ReportLab falls back to pure Python without a word when rl_accel is missing: number formatting,
    text widths and ASCII85 then took about a quarter of a bill page's CPU (docs/PRINTING.md)."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF", "escapePDF"):
        assert type(getattr(rl_accel, name)).__name__ == "builtin_function_or_method", name


def test_resolver_finds_an_embeddable_truetype_cjk_font():
    font = fonts.resolve()
    assert font.embedded, "the test machine must have a CJK TrueType font (setup.sh installs one)"
    assert font.path and font.path.endswith((".ttf", ".ttc"))


def test_resolver_falls_back_to_cid_font_with_warning(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "candidates", lambda setting=None: [])
    fonts._cache.clear()
    try:
        resolved = fonts.resolve()
    finally:
        fonts._cache.clear()
    assert resolved.name == fonts.FALLBACK_CID and not resolved.embedded
    assert "STSong-Light" in caplog.text


@pytest.mark.parametrize("paper", list(PAPERS))
def test_chinese_text_and_barcode_render_on_every_paper(paper):
    long_text = "客户反映：" + "电费单上看不到用电量，" * 20 + "要求说明。"

    def story(p):
        st = Styles(p.base_size)
        return [para("国网示范供电公司 城东营业厅", st.title), para(long_text, st.body), barcode("3301000042", p.frame_width)]

    data = build_pdf(paper, story, title="test")
    text = pdf_text(data)
    assert "国网示范供电公司城东营业厅" in text
    assert "电费单上看不到用电量，" * 20 + "要求说明" in text
    assert "3301000042" in text  # the barcode's human-readable line
    assert cjk_font_embedded(data), embedded_fonts(data)


def test_roll_paper_page_fits_content():
    def story(p):
        st = Styles(p.base_size)
        return [para(f"第{i}行", st.body) for i in range(40)]

    short = PdfReader(io.BytesIO(build_pdf("80mm", lambda p: story(p)[:5]))).pages[0].mediabox.height
    long = PdfReader(io.BytesIO(build_pdf("80mm", story))).pages[0].mediabox.height
    assert long > short * 3


def test_archive_writes_reprints_beside_original(_data_dir):
    first = archive_pdf("receipt", "R-3301-2026-000001", b"%PDF-1.4 one", year=2026)
    again = archive_pdf("receipt", "R-3301-2026-000001", b"%PDF-1.4 two", reprint=1, year=2026)
    assert first.read_bytes() == b"%PDF-1.4 one" and again.read_bytes() == b"%PDF-1.4 two"
    assert first.parent == again.parent and str(_data_dir) in str(first)


def test_ts_translator_reads_zh_cn():
    tr = ts_translator("zh_CN")
    assert tr("printing", "Payment receipt") == "缴费收据"
    assert ts_translator("en")("printing", "Payment receipt") == "Payment receipt"


def test_a_header_longer_than_its_column_wraps_inside_it():
    """Column widths are made for the Chinese words; an English header ('Electricity used (kWh)') must
    wrap within its column, not run over the next one."""
    from reportlab.lib.units import mm

    from app.printing.layout import grid

    t = grid([["Electricity used (kWh)", "Multiplier"], ["100", "1"]], [18 * mm, 18 * mm])
    t.wrap(36 * mm, 200 * mm)
    header, body = t._rowHeights[0], t._rowHeights[1]
    assert header > body * 1.5  # two lines in the header cell
    widths = [c.minWidth() if hasattr(c, "minWidth") else 0 for c in t._cellvalues[0]]
    assert all(w <= 18 * mm for w in widths)


def test_a_header_that_fits_its_columns_stays_plain_text():
    """Headers that fit on one line are drawn as the rows below them (no Paragraph to parse on every
    page); one header too long for its column turns the whole row into wrapping Paragraphs, so the
    row's cells stay alike."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    from app.printing.layout import grid

    fits = grid([["表号", "倍率"], ["100", "1"]], [18 * mm, 18 * mm])
    assert fits._cellvalues[0] == ["表号", "倍率"]
    long = grid([["Electricity used (kWh)", "倍率"], ["100", "1"]], [18 * mm, 18 * mm])
    assert all(isinstance(c, Paragraph) for c in long._cellvalues[0])
    assert long._cellvalues[1] == ["100", "1"]
