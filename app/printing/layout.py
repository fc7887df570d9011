"""Paper sizes, CJK paragraph styles and flowables shared by every printed document."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.printing import fonts


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float | None  # None: continuous roll, height fitted to the content
    margin: float
    base_size: float

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin


PAPERS = {
    "A4": Paper("A4", A4[0], A4[1], 15 * mm, 10),
    "A4-landscape": Paper("A4-landscape", A4[1], A4[0], 12 * mm, 9),  # reports
    "A5": Paper("A5", A5[0], A5[1], 10 * mm, 8.5),
    "80mm": Paper("80mm", 80 * mm, None, 4 * mm, 8),
    "58mm": Paper("58mm", 58 * mm, None, 2.5 * mm, 7),
}


def paper(name: str) -> Paper:
    try:
        return PAPERS[name]
    except KeyError:
        raise ValueError(f"unknown paper {name!r}; one of {', '.join(PAPERS)}") from None


class Styles:
    """Paragraph styles in the resolved CJK font, with CJK line wrapping."""

    def __init__(self, base_size: float = 10, font: str | None = None) -> None:
        self.font = font or fonts.resolve().name
        s = base_size

        def style(name, size, **kw):
            return ParagraphStyle(name, fontName=self.font, fontSize=size, leading=size * 1.35, wordWrap="CJK", **kw)

        self.body = style("body", s)
        self.small = style("small", s * 0.85, textColor=colors.HexColor("#333333"))
        self.title = style("title", s * 1.6, alignment=TA_CENTER, spaceAfter=s * 0.4)
        self.subtitle = style("subtitle", s * 1.1, alignment=TA_CENTER)
        self.right = style("right", s, alignment=TA_RIGHT)
        self.center = style("center", s, alignment=TA_CENTER)
        self.total = style("total", s * 1.3, alignment=TA_RIGHT)
        self.mark = style("mark", s * 1.2, alignment=TA_CENTER, textColor=colors.HexColor("#B00000"))


def marked(text: str, font_name: str | None = None) -> str:
    """Escaped paragraph markup of plain text (customer text never becomes markup); runs the printing
    font has no glyphs for are set in its complement font. Raises fonts.MissingGlyphs for characters
    neither font can draw."""
    font = fonts.resolve()
    text = str(text)
    if font.covers and (font_name is None or font_name == font.name):
        pieces = font.runs(text)
        if any(f != font.name for f, _run in pieces):
            return "".join(escape(run) if f == font.name else f'<font face="{f}">{escape(run)}</font>' for f, run in pieces).replace(
                "\n", "<br/>"
            )
    return escape(text).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text, each character in a font that has it."""
    return Paragraph(marked(text, style.fontName), style)


def _cell(value, font: str, size: float, right: bool, wrap: bool = False):
    """A plain-text table cell as it is, unless part of it needs the complement font or it must wrap
    within its column (`wrap`: a header, whose words in another language may be longer than the
    column made for the Chinese ones): then a Paragraph."""
    if not isinstance(value, str) or not value:
        return value
    resolved = fonts.resolve()
    if not wrap:
        if font != resolved.name or not resolved.covers:
            return value
        pieces = resolved.runs(value)  # MissingGlyphs for what no font has
        if all(f == resolved.name for f, _run in pieces):
            return value
    style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.2, alignment=TA_RIGHT if right else TA_LEFT)
    return Paragraph(marked(value, font), style)


_CELL_PADDING = 2  # points left and right of a cell's text (grid's LEFTPADDING and RIGHTPADDING)


def _fits(value, font: str, size: float, width: float) -> bool:
    """Whether a cell's value goes on one line within a column `width` wide."""
    if not isinstance(value, str):
        return True
    return "\n" not in value and stringWidth(value, font, size) <= width - 2 * _CELL_PADDING


def grid(
    rows: list[list],
    col_widths: list[float],
    header: bool = True,
    font: str | None = None,
    size: float = 9,
    right_cols: Iterable[int] = (),
    lines: bool = True,
) -> Table:
    """A table of Paragraphs/strings with thin rules; numbers right-aligned in `right_cols`."""
    font = font or fonts.resolve().name
    right_cols = tuple(right_cols)
    # A header row whose every text fits its column on one line stays plain text, as the rows below;
    # one that does not (an English label in a column made for the Chinese one) becomes Paragraphs,
    # which wrap. Checked first because a Paragraph costs its markup parse and line breaking on every
    # page (a bill's two header rows: about a fifth of the page's CPU, docs/PRINTING.md).
    wrap_header = header and bool(rows) and not all(_fits(v, font, size, w) for v, w in zip(rows[0], col_widths))
    rows = [[_cell(v, font, size, c in right_cols, wrap=wrap_header and r == 0) for c, v in enumerate(row)] for r, row in enumerate(rows)]
    t = Table(rows, colWidths=col_widths, repeatRows=1 if header else 0)
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
    ]
    for c in right_cols:
        cmds.append(("ALIGN", (c, 0), (c, -1), "RIGHT"))
    if lines:
        cmds.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black) if header else ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.black))
        cmds.append(("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.black))
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
    t.setStyle(TableStyle(cmds))
    return t


def barcode(value: str, width: float, bar_height: float = 10 * mm) -> Flowable:
    """A Code128 barcode of `value`, scaled to fit `width`, with the text printed under it."""
    bc = Code128(value, barHeight=bar_height, humanReadable=True)
    if bc.width > width:  # narrower bars; the quiet zones shrink with them
        bc = Code128(value, barHeight=bar_height, humanReadable=True, barWidth=bc.barWidth * width / bc.width * 0.98)
    # The human-readable line is drawn below the flowable's box: keep room for it.
    holder = Table([[bc]], colWidths=[bc.width])
    holder.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5 * mm),
            ]
        )
    )
    holder.hAlign = "LEFT"
    return holder


def build_pdf(
    paper_name: str,
    story_factory: Callable[[Paper], list[Flowable]],
    title: str = "",
    author: str = "CounterDesk",
    on_page: Callable | None = None,
) -> bytes:
    """Build a PDF. A roll paper's page is exactly as tall as the content."""
    p = paper(paper_name)
    buf = io.BytesIO()
    if p.height is None:
        story = story_factory(p)
        height = sum(f.wrap(p.frame_width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
        page_size = (p.width, height + 2 * p.margin + 12)
        story = story_factory(p)  # flowables are consumed by a build: make them anew
    else:
        page_size = (p.width, p.height)
        story = story_factory(p)
    doc = SimpleDocTemplate(
        buf,
        pagesize=page_size,
        leftMargin=p.margin,
        rightMargin=p.margin,
        topMargin=p.margin,
        bottomMargin=p.margin,
        title=title,
        author=author,
    )
    if on_page:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    else:
        doc.build(story)
    return buf.getvalue()
