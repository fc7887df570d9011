"""Fonts: a printing font is taken only if it draws every character the documents use, or with a second
font that draws what it lacks; text nothing can draw is refused; the window's font draws digits and Chinese.

The font "without digits" is made here from the installed Chinese font with fontTools' subsetter: its
Chinese characters and full-width punctuation only, like DroidSansFallbackFull, the font that printed
receipts without numbers (issue 11)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.printing import fonts
from tests.pdfcheck import embedded_fonts, pdf_text

RECEIPT_NO = "R-3301-2026-000042"


@pytest.fixture(scope="module")
def cjk_only(tmp_path_factory) -> Path:
    """A TrueType font with the Chinese of the installed font and no digits, Latin letters, ¥, '-' or '*'."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    fonts.reset()
    source = fonts.resolve()
    assert source.path and source.embedded, "the test needs an installed Chinese TrueType font (scripts/setup.sh)"
    out = tmp_path_factory.mktemp("fonts") / "CjkOnly.ttf"
    font = TTFont(source.path, fontNumber=0) if source.path.lower().endswith(".ttc") else TTFont(source.path)
    from app.printing.labels import _table

    # The Chinese of every printed label and of the test's receipt, and the full-width punctuation
    # (a few hundred glyphs: subsetting the whole font takes most of a minute).
    words = "".join(_table("zh_CN").values()) + "城东营业厅张丽丰" + fonts.REQUIRED
    keep = sorted({ord(c) for c in words if ord(c) >= 0x2E80}) + list(range(0x3000, 0x3040)) + list(range(0xFF01, 0xFF5F))
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True, name_IDs=["*"], layout_features=[]))
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(str(out))
    cover = fonts.cmap_of(str(out))
    assert ord("0") not in cover and ord("A") not in cover and ord("¥") not in cover and ord("缴") in cover
    return out


@pytest.fixture
def only_font(monkeypatch):
    """Make `path` the only printing font the resolver can find (no bundled, system or fontconfig fonts)."""

    def use(path: Path | None, complements: list[str] | None = None):
        fonts.reset()
        monkeypatch.setattr(fonts, "_SYSTEM_CANDIDATES", [])
        monkeypatch.setattr(fonts, "_fc_candidates", lambda: [])
        monkeypatch.setattr(fonts, "resource_path", lambda *parts: Path("/nonexistent"))
        if complements is not None:
            monkeypatch.setattr(fonts, "complement_candidates", lambda: complements)
        if path is None:
            monkeypatch.delenv("COUNTERDESK_PDF_FONT", raising=False)
        else:
            monkeypatch.setenv("COUNTERDESK_PDF_FONT", str(path))
        return fonts.resolve()

    yield use
    fonts.reset()


def _receipt():
    from app.printing.payments.receipt import PaidBill, ReceiptDocument

    return ReceiptDocument(
        "城东营业厅",
        "3301",
        "张丽",
        RECEIPT_NO,
        datetime(2026, 10, 5, 9, 30, 12),
        "3301000001",
        "张*丰",
        [PaidBill("2026-09", "1000→1100 ×1", Decimal("100"), "kWh", Decimal("1.67"), Decimal("53.80"))],
        Decimal("0"),
        Decimal("55.47"),
        "cash",
        Decimal("100"),
        Decimal("44.53"),
        Decimal("0"),
        "346AC0A5",
        staff_no="1001",
    )


def test_the_installed_font_covers_everything_the_documents_use():
    fonts.reset()
    font = fonts.resolve()
    assert font.embedded and font.complement is None
    assert fonts.lacking(font.covers) == ""  # digits, Latin letters, ¥ - * and the labels' Chinese


def test_a_font_without_digits_is_not_taken_alone_and_gets_a_complement(cjk_only, only_font):
    font = only_font(cjk_only)
    assert font.path == str(cjk_only) and font.complement is not None  # the Chinese font, helped by a second one
    assert fonts.lacking(font.covers | font.complement_covers) == ""
    from app.printing.payments.receipt import render_receipt

    for paper in ("80mm", "58mm"):
        data = render_receipt(_receipt(), paper)
        text = pdf_text(data)
        for needle in (RECEIPT_NO, "2026-10-0509:30:12", "3301000001", "¥55.47", "¥44.53", "346AC0A5", "缴费收据", "张*丰"):
            assert needle in text, (paper, needle)
        assert len(embedded_fonts(data)) == 2  # both fonts travel inside the PDF


def test_a_font_without_digits_and_no_complement_is_refused(cjk_only, only_font):
    font = only_font(cjk_only, complements=[])
    assert font.path != str(cjk_only)  # never the font that would print receipts without numbers
    assert not font.embedded and font.name == fonts.FALLBACK_CID


def test_text_no_font_can_draw_is_refused_not_printed_with_gaps():
    from app.printing.layout import Styles, para
    from app.printing.payments.receipt import render_receipt

    fonts.reset()
    doc = _receipt()
    doc.account_name = "张\U0002a6d6丰"  # a character outside the font (CJK Extension B)
    with pytest.raises(fonts.MissingGlyphs) as refused:
        render_receipt(doc, "80mm")
    assert "\U0002a6d6" in refused.value.params["chars"]
    with pytest.raises(fonts.MissingGlyphs):
        para("\U0001f600", Styles(8).body)


def test_the_window_font_draws_digits_and_chinese(qapp):
    from PySide6.QtGui import QFont

    from app.views import window_font

    before = qapp.font()
    try:
        qapp.setFont(QFont("DejaVu Sans"))  # Latin only: Chinese would come from a fallback, if any
        assert not window_font.covers("DejaVu Sans")
        family = window_font.apply(qapp)
        assert family != "DejaVu Sans" and window_font.covers(family), family
        assert qapp.font().family() == family
    finally:
        qapp.setFont(before)
