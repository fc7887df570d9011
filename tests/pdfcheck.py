"""Reading our PDFs back in tests: text (with line breaks and spaces from wrapping removed) and fonts."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All pages' text with every whitespace removed, so wrapped CJK lines compare as one string."""
    return re.sub(r"\s+", "", "".join(pdf_pages(data)))


def embedded_fonts(data: bytes) -> set[str]:
    """BaseFont names of fonts whose TrueType program is embedded (FontFile2)."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            f = font.get_object()
            parts = [f] + [d.get_object() for d in f.get("/DescendantFonts", [])]
            for part in parts:
                desc = part.get("/FontDescriptor")
                if desc is not None and "/FontFile2" in desc.get_object():
                    found.add(str(f["/BaseFont"]))
    return found


def cjk_font_embedded(data: bytes) -> bool:
    """True when the CJK font the resolver chose is embedded in the PDF."""
    from reportlab.pdfbase import pdfmetrics

    from app.printing import fonts

    resolved = fonts.resolve()
    if not resolved.embedded:
        return False
    face = pdfmetrics.getFont(resolved.name).face.name
    face = face.decode() if isinstance(face, bytes) else str(face)
    return any(name.split("+", 1)[-1].lstrip("/").startswith(face.lstrip("/")) for name in embedded_fonts(data))
