"""Arrears reminders (催费通知单), one A5 page per account, many in one PDF: the bills owed with their
quantities, the late fee to a date, how and where to pay, and for an account past the company's
limit the advance notice of suspension (停电预告)."""

from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import chinese_capitals, format_yuan
from app.printing import fonts, parallel
from app.printing.labels import Translate, identity

C = "printing"
RED = colors.HexColor("#B00000")
GREY = colors.HexColor("#EEEEEE")
ACCOUNT_LINE = QT_TRANSLATE_NOOP("printing", "Account %1    %2")
ADDRESS_LINE = QT_TRANSLATE_NOOP("printing", "Supply address: %1")


@dataclass(frozen=True)
class OwedBill:
    period: str
    due: date
    usage: Decimal
    principal_fen: int
    late_fee_fen: int


@dataclass
class Reminder:
    account_no: str
    account_name: str  # masked
    address: str
    unit: str  # kWh | m3
    bills: list[OwedBill]
    suspension_on: date | None = None  # set when the account is past the company's limit

    @property
    def principal_fen(self) -> int:
        return sum(b.principal_fen for b in self.bills)

    @property
    def late_fee_fen(self) -> int:
        return sum(b.late_fee_fen for b in self.bills)


@dataclass
class DunningDocument:
    company: str
    hall: str
    hall_address: str
    hotline: str
    as_of: date  # late fees are counted to this day
    reminders: list[Reminder] = field(default_factory=list)
    reprint: int = 0


class _Pen:
    """Plain text drawn straight on the canvas, each run in the font that has its glyphs (the printing
    font, or its complement; MissingGlyphs for what neither has), wrapped by characters as CJK wraps."""

    def __init__(self, canvas) -> None:
        self.c = canvas
        self.font = fonts.resolve()
        self._widths: dict[tuple[str, float], float] = {}

    def _runs(self, text: str) -> list[tuple[str, str]]:
        return self.font.runs(text) if self.font.covers else [(self.font.name, text)]

    def measure(self, text: str, size: float) -> float:
        return sum(stringWidth(run, f, size) for f, run in self._runs(text))

    def text(self, x: float, y: float, text: str, size: float, align: str = "left", color=colors.black) -> None:
        if align != "left":
            w = self.measure(text, size)
            x = x - w if align == "right" else x - w / 2
        self.c.setFillColor(color)
        for f, run in self._runs(text):
            self.c.setFont(f, size)
            self.c.drawString(x, y, run)
            x += stringWidth(run, f, size)

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        lines, line, used = [], "", 0.0
        for ch in text:
            w = self._widths.get((ch, size))
            if w is None:
                w = self._widths[(ch, size)] = self.measure(ch, size)
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0.0
                if ch == " ":
                    continue
            line += ch
            used += w
        if line:
            lines.append(line)
        return lines

    def paragraph(self, x: float, y: float, text: str, size: float, width: float, align: str = "left", color=colors.black) -> float:
        """Draw wrapped text from baseline y downwards; returns the baseline after it."""
        lead = size * 1.35
        for line in self.wrap(text, size, width):
            self.text(x if align == "left" else x + width, y, line, size, align, color)
            y -= lead
        return y


def _draw_page(pen: _Pen, doc: DunningDocument, r: Reminder, tr: Translate, page_w: float, page_h: float) -> None:
    c, m, s = pen.c, 10 * mm, 8.5
    w = page_w - 2 * m
    y = page_h - m - 4
    pen.text(page_w / 2, y, doc.company, s * 1.1, "center")
    y -= s * 2.1
    pen.text(page_w / 2, y, tr(C, QT_TRANSLATE_NOOP("printing", "Arrears reminder")), s * 1.7, "center")
    if doc.reprint:
        y -= s * 1.8
        pen.text(
            page_w / 2, y, tr(C, QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), s * 1.2, "center", RED
        )
    y -= s * 2.2
    pen.text(m, y, tr(C, ACCOUNT_LINE).replace("%1", r.account_no).replace("%2", r.account_name), s)
    y = pen.paragraph(m, y - s * 1.4, tr(C, ADDRESS_LINE).replace("%1", r.address), s, w)
    y = pen.paragraph(
        m,
        y - s * 0.6,
        tr(C, QT_TRANSLATE_NOOP("printing", "Dear customer, our records show these charges unpaid on %1:")).replace(
            "%1", doc.as_of.isoformat()
        ),
        s,
        w,
    )
    # the bills: period, due date, usage, charges, late fee (the last three right-aligned)
    cols = (0.18, 0.2, 0.2, 0.22, 0.2)
    xs = [m + w * sum(cols[:i]) for i in range(len(cols) + 1)]
    header = [
        tr(C, QT_TRANSLATE_NOOP("printing", "Period")),
        tr(C, QT_TRANSLATE_NOOP("printing", "Due date")),
        tr(C, QT_TRANSLATE_NOOP("printing", "Usage (%1)")).replace("%1", r.unit),
        tr(C, QT_TRANSLATE_NOOP("printing", "Charges owed")),
        tr(C, QT_TRANSLATE_NOOP("printing", "Late fee")),
    ]
    row_h = s * 1.7
    top = y - s * 0.2
    c.setFillColor(GREY)
    c.rect(m, top - row_h, w, row_h, stroke=0, fill=1)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.6)

    def row(values, top):
        base = top - row_h + s * 0.55
        for i, v in enumerate(values):
            if i < 2:
                pen.text(xs[i] + 2, base, v, s)
            else:
                pen.text(xs[i + 1] - 2, base, v, s, "right")

    row(header, top)
    c.line(m, top - row_h, m + w, top - row_h)
    top -= row_h
    for b in r.bills:
        usage = f"{int(b.usage):,}" if b.usage == b.usage.to_integral_value() else f"{b.usage:,.3f}"
        row([b.period, b.due.isoformat(), usage, format_yuan(b.principal_fen), format_yuan(b.late_fee_fen)], top)
        top -= row_h
    c.line(m, top, m + w, top)
    total = r.principal_fen + r.late_fee_fen
    y = pen.paragraph(
        m,
        top - s * 1.9,
        tr(C, QT_TRANSLATE_NOOP("printing", "Total to pay: %1 (late fee counted to %2; it grows each day until paid)"))
        .replace("%1", format_yuan(total))
        .replace("%2", doc.as_of.isoformat()),
        s * 1.25,
        w,
        "right",
    )
    pen.text(m + w, y, chinese_capitals(total), s, "right")
    y = pen.paragraph(
        m,
        y - s * 2.2,
        tr(
            C,
            QT_TRANSLATE_NOOP(
                "printing",
                "How to pay: at %1 (%2) in cash, by bank card or QR code; ask at the counter about bank collection. Questions: call %3.",
            ),
        )
        .replace("%1", doc.hall)
        .replace("%2", doc.hall_address)
        .replace("%3", doc.hotline),
        s,
        w,
    )
    if r.suspension_on is not None:
        y = pen.paragraph(
            m,
            y - s * 0.8,
            tr(
                C,
                QT_TRANSLATE_NOOP(
                    "printing",
                    "Advance notice of suspension: these arrears are past the company's limit. If they are not paid by %1, "
                    "supply will be suspended according to the supply rules, and reconnected within 24 hours of payment.",
                ),
            ).replace("%1", r.suspension_on.isoformat()),
            s * 1.1,
            w,
            color=RED,
        )
    code = Code128(r.account_no, barHeight=10 * mm, humanReadable=True)
    c.setFillColor(colors.black)
    code.drawOn(c, m, max(m + 8 * mm, y - 16 * mm))
    pen.text(m + w, m, f"{doc.hall}    {doc.as_of.isoformat()}", s, "right")


def _render_pages(doc: DunningDocument, tr: Translate) -> bytes:
    """Every reminder on its own A5 page, drawn on the canvas (no flowable layout: a route of
    thousands of pages is a print job, and the canvas draws a page several times faster)."""
    buf = io.BytesIO()
    page_w, page_h = A5
    c = Canvas(buf, pagesize=A5, pageCompression=1)
    c.setTitle(tr(C, QT_TRANSLATE_NOOP("printing", "Arrears reminder")))
    c.setAuthor("CounterDesk")
    pen = _Pen(c)
    for r in doc.reminders:
        _draw_page(pen, doc, r, tr, page_w, page_h)
        c.showPage()
    c.save()
    return buf.getvalue()


WORDS = [  # every label a reminder prints, translated once in the asking process for the workers
    "Usage (%1)",
    "Period",
    "Due date",
    "Charges owed",
    "Late fee",
    "Arrears reminder",
    ACCOUNT_LINE,
    ADDRESS_LINE,
    "Dear customer, our records show these charges unpaid on %1:",
    "Total to pay: %1 (late fee counted to %2; it grows each day until paid)",
    "How to pay: at %1 (%2) in cash, by bank card or QR code; ask at the counter about bank collection. Questions: call %3.",
    "Advance notice of suspension: these arrears are past the company's limit. If they are not paid by %1, supply will be "
    "suspended according to the supply rules, and reconnected within 24 hours of payment.",
    "REPRINT (%1)",
]


def _render_chunk(job: tuple[DunningDocument, dict[str, str], str]) -> str:
    doc, words, path = job
    Path(path).write_bytes(_render_pages(doc, lambda context, text: words.get(text, text)))
    return path


def render_dunning(doc: DunningDocument, tr: Translate | None = None, workers: int | None = None, chunk: int = 250) -> bytes:
    """One PDF of every reminder. A large batch (a route) is rendered in chunks by worker processes on
    every core and joined with qpdf (app.printing.parallel); without qpdf, or for a few pages, in this process."""
    tr = tr or identity
    workers = workers or parallel.cores()
    if len(doc.reminders) <= chunk or workers == 1 or not parallel.can_join():
        return _render_pages(doc, tr)
    words = {w: tr(C, w) for w in WORDS}
    tmp = Path(tempfile.mkdtemp(prefix="dunning-"))
    try:
        size = max(50, min(chunk, -(-len(doc.reminders) // (workers * 2))))
        jobs = [
            (replace(doc, reminders=doc.reminders[i : i + size]), words, str(tmp / f"part{i:07d}.pdf"))
            for i in range(0, len(doc.reminders), size)
        ]
        with parallel.pool(workers, tmp) as pool:
            parts = list(pool.map(_render_chunk, jobs))
        joined = tmp / "all.pdf"
        parallel.join(parts, joined)
        return joined.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
