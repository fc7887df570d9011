"""The window's font: one that draws digits, Latin letters, ¥ and Chinese alike.

Qt falls back per character, but on a machine whose default sans-serif is a Chinese font without
digits (DroidSansFallbackFull) numbers came out in a mismatched fallback or as boxes. The window
takes the first installed family that has glyphs for every character of SAMPLE (the same rule as
the printed documents, app/printing/fonts.py), keeping the size the application chose.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

log = logging.getLogger(__name__)

SAMPLE = "0123456789ABCXYZabcxyz¥-*:/.,()缴费收据户名电费水费合计：（）"
PREFERRED = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Hiragino Sans GB",
    "Heiti SC",
    "SimSun",
    "AR PL UMing CN",
)


def covers(family: str, sample: str = SAMPLE) -> bool:
    """Has this family itself (not a substitute) a glyph for every character of `sample`?"""
    raw = QRawFont.fromFont(QFont(family), QFontDatabase.WritingSystem.SimplifiedChinese)
    return raw.isValid() and raw.familyName() == family and all(raw.supportsCharacter(ord(ch)) for ch in sample)


def choose_family(current: str = "") -> str | None:
    """The current family when it covers SAMPLE, else the first preferred (then any Chinese) family that does."""
    if current and covers(current):
        return current
    families = QFontDatabase.families()
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    ordered = [f for f in PREFERRED if f in families] + sorted(f for f in chinese if f not in PREFERRED)
    for family in ordered:
        if covers(family):
            return family
    log.warning("no installed font draws both digits and Chinese; the window keeps %s", current)
    return None


def apply(app) -> str:
    """Give the application a font that covers SAMPLE (its size unchanged); returns the family used."""
    font = QFont(app.font())
    family = choose_family(font.family())
    if family and family != font.family():
        font.setFamily(family)
        app.setFont(font)
    return app.font().family()
