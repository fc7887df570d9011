"""Find a CJK TrueType font to embed: setting -> bundled -> operating system -> STSong-Light.

ReportLab embeds TrueType outlines (.ttf, .ttc) but not CFF-flavoured OpenType (.otf),
so only TrueType files are candidates. STSong-Light is a CID font the PDF viewer must
supply (not embedded): it is the last resort, and using it logs a warning.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class ResolvedFont:
    name: str  # the ReportLab font name to use in styles
    path: str | None  # None for the CID fallback
    embedded: bool
    source: str  # "setting" | "bundled" | "system" | "fallback"


_cache: dict[str, ResolvedFont] = {}


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


def resolve(setting: str | None = None) -> ResolvedFont:
    """Register and return the first usable CJK font (cached per setting)."""
    key = setting or os.environ.get("COUNTERDESK_PDF_FONT") or ""
    if key in _cache:
        return _cache[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index, source in candidates(setting):
        p = Path(path)
        if not p.is_file() or not _is_truetype(p):
            if source == "setting":
                log.warning("PDF font setting %s is not a TrueType file; looking elsewhere", path)
            continue
        name = "CJK-" + p.stem.replace(" ", "")
        try:
            if name not in pdfmetrics.getRegisteredFontNames():
                font = TTFont(name, str(p), subfontIndex=index) if p.suffix.lower() == ".ttc" else TTFont(name, str(p))
                pdfmetrics.registerFont(font)
                # Bold falls back to the same face: many CJK fonts ship one weight.
                pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        except Exception as exc:  # noqa: BLE001  (a broken font file must not stop printing)
            log.warning("cannot use font %s: %s", path, exc)
            continue
        resolved = ResolvedFont(name, str(p), True, source)
        _cache[key] = resolved
        return resolved
    log.warning("no embeddable CJK TrueType font found; using %s, which the PDF viewer must supply", FALLBACK_CID)
    if FALLBACK_CID not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    resolved = ResolvedFont(FALLBACK_CID, None, False, "fallback")
    _cache[key] = resolved
    return resolved
