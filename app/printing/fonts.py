"""Find a CJK TrueType font to embed: setting -> bundled -> operating system -> STSong-Light.

ReportLab embeds TrueType outlines (.ttf, .ttc) but not CFF-flavoured OpenType (.otf),
so only TrueType files are candidates. A candidate is taken only when it has a glyph for
every character the documents use (REQUIRED: digits, Latin letters, ¥, '-', '*', the
punctuation and the Chinese of the labels). Some Chinese fonts have none for digits or
Latin (DroidSansFallbackFull): when no candidate covers everything, the best Chinese one is
taken with a second embedded font (the complement: DejaVu Sans, or ReportLab's own Bitstream
Vera) that supplies what it lacks, and `layout.para`/`layout.grid` set each run of text in the
font that has it. Text with a character that neither font can show raises MissingGlyphs: a
document never goes out with blanks. STSong-Light is a CID font the PDF viewer must supply
(not embedded): it is the last resort, and using it logs a warning.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.paths import resource_path

log = logging.getLogger(__name__)

FALLBACK_CID = "STSong-Light"

# Known TrueType CJK files by platform, most preferred first: (path, subfont index).
_SYSTEM_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
]


# Every character the printed documents use besides customer text: the printable ASCII (digits,
# Latin letters, '-', '*', '/', ':' ...), the symbols and full-width punctuation of the labels, and
# the Chinese of the most common labels (a font without these is not a Chinese font at all).
REQUIRED = (
    "".join(chr(c) for c in range(0x21, 0x7F))
    + "¥×→–—·…、，。：；（）“”％"
    + "缴费收据号时间户名收费员合计元角分整零壹贰叁肆伍陆柒捌玖拾佰仟万亿重打电水账单违约金余额校验码第一档剩余年累计"
)
CJK_PROBE = "缴费收据户名电费"  # a candidate must have these to be the Chinese font at all

# Fonts that may supply digits, Latin letters and symbols to a Chinese font that lacks them.
_COMPLEMENT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
]


class MissingGlyphs(UserError):
    """The text has characters that the printing font(s) cannot draw."""


@dataclass(frozen=True)
class ResolvedFont:
    name: str  # the ReportLab font name to use in styles
    path: str | None  # None for the CID fallback
    embedded: bool
    source: str  # "setting" | "bundled" | "system" | "fallback"
    complement: str | None = None  # a second embedded font for what the first lacks
    complement_path: str | None = None
    covers: frozenset = field(default=frozenset(), repr=False)  # code points of `name` (empty: unknown, the CID font)
    complement_covers: frozenset = field(default=frozenset(), repr=False)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """The text cut into (font name, run) pieces: each run in the font that has its glyphs.
        Raises MissingGlyphs for characters neither font has (whitespace needs no glyph)."""
        if not self.covers or self.covers.issuperset(map(ord, text)):
            return [(self.name, text)] if text else []
        out: list[tuple[str, str]] = []
        missing = []
        for ch in text:
            code = ord(ch)
            if code in self.covers or ch in "\n\r\t ":
                font = self.name
            elif code in self.complement_covers:
                font = self.complement
            else:
                missing.append(ch)
                continue
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        if missing:
            chars = "".join(dict.fromkeys(missing))
            log.warning("font %s cannot draw %r", self.name, chars)
            raise MissingGlyphs(
                QT_TRANSLATE_NOOP(
                    "messages",
                    "The printing font cannot draw “{chars}”, so nothing was printed. Install a complete Chinese font (scripts/setup.sh installs one) or set COUNTERDESK_PDF_FONT to one.",
                ),
                chars=chars,
            )
        return out

    def check(self, text: str) -> None:
        self.runs(text)


_cache: dict[str, ResolvedFont] = {}


def reset() -> None:
    """Forget the resolved fonts (tests, or after the setting changed)."""
    _cache.clear()


def cmap_of(path: str, index: int = 0) -> frozenset:
    """The code points a TrueType file has glyphs for (empty when it cannot be read)."""
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont("probe", path, subfontIndex=index) if path.lower().endswith(".ttc") else TTFont("probe", path)
    except Exception as exc:  # noqa: BLE001  (a broken font file is no candidate)
        log.warning("cannot read font %s: %s", path, exc)
        return frozenset()
    return frozenset(font.face.charToGlyph)


def lacking(cover: frozenset, chars: str = REQUIRED) -> str:
    return "".join(ch for ch in chars if ord(ch) not in cover)


def _is_truetype(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError:
        return False
    return magic in (b"\x00\x01\x00\x00", b"true", b"ttcf")


def _fc_candidates() -> list[tuple[str, int]]:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [(f, 0) for f in files]


def candidates(setting: str | None = None) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    chosen = setting or os.environ.get("COUNTERDESK_PDF_FONT")
    if chosen:
        found.append((chosen, 0, "setting"))
    bundled = resource_path("fonts")
    if bundled.is_dir():
        for f in sorted(bundled.iterdir()):
            if f.suffix.lower() in (".ttf", ".ttc"):
                found.append((str(f), 0, "bundled"))
    for path, index in _SYSTEM_CANDIDATES + _fc_candidates():
        found.append((path, index, "system"))
    return found


def _register(path: str, index: int = 0) -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    p = Path(path)
    name = "CJK-" + p.stem.replace(" ", "")
    try:
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(p), subfontIndex=index) if p.suffix.lower() == ".ttc" else TTFont(name, str(p))
            pdfmetrics.registerFont(font)
            # Bold falls back to the same face: many CJK fonts ship one weight.
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    except Exception as exc:  # noqa: BLE001  (a broken font file must not stop printing)
        log.warning("cannot use font %s: %s", path, exc)
        return None
    return name


def complement_candidates() -> list[str]:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # ships with ReportLab: always there
    return _COMPLEMENT_CANDIDATES + [str(vera)]


def resolve(setting: str | None = None) -> ResolvedFont:
    """Register and return the first CJK font that covers every character the documents use, or the
    best Chinese font with a complement for what it lacks (cached per setting)."""
    key = setting or os.environ.get("COUNTERDESK_PDF_FONT") or ""
    if key in _cache:
        return _cache[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    partial: tuple[str, int, str, frozenset] | None = None
    for path, index, source in candidates(setting):
        p = Path(path)
        if not p.is_file() or not _is_truetype(p):
            if source == "setting":
                log.warning("PDF font setting %s is not a TrueType file; looking elsewhere", path)
            continue
        cover = cmap_of(str(p), index)
        if lacking(cover, CJK_PROBE):
            continue  # not a Chinese font
        missing = lacking(cover)
        if missing:
            log.warning("font %s has no glyphs for %r: used only with a complement", path, missing[:40])
            partial = partial or (str(p), index, source, cover)
            continue
        name = _register(str(p), index)
        if name is None:
            continue
        resolved = ResolvedFont(name, str(p), True, source, covers=cover)
        _cache[key] = resolved
        return resolved
    if partial is not None:
        path, index, source, cover = partial
        for extra in complement_candidates():
            if not Path(extra).is_file():
                continue
            extra_cover = cmap_of(extra)
            if lacking(cover | extra_cover):
                continue
            name, second = _register(path, index), _register(extra)
            if name and second:
                log.warning("font %s lacks glyphs; %s supplies them", path, extra)
                resolved = ResolvedFont(name, path, True, source, second, extra, cover, extra_cover)
                _cache[key] = resolved
                return resolved
    log.warning("no embeddable CJK TrueType font found; using %s, which the PDF viewer must supply", FALLBACK_CID)
    if FALLBACK_CID not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    resolved = ResolvedFont(FALLBACK_CID, None, False, "fallback")
    _cache[key] = resolved
    return resolved
