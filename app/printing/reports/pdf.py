"""A report on A4 landscape: the title, the period and filters, a bar chart, the table with its totals,
and the detail tables; every page numbered."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.printing import fonts
from app.printing.labels import Translate, identity
from app.printing.layout import Styles, build_pdf, grid, para
from app.printing.reports import DocTable, ReportDocument, cell_text

C = "printing"
MAX_BARS = 24  # more bars than this are the largest ones, the rest summed as "others"
NUMERIC = ("money", "quantity", "count", "percent")


def _chart(doc: ReportDocument, width: float, font: str, tr: Translate):
    labels, values = doc.chart
    pairs = list(zip(labels, values))
    if len(pairs) > MAX_BARS:
        pairs.sort(key=lambda p: p[1], reverse=True)
        rest = sum(v for _, v in pairs[MAX_BARS - 1 :])
        pairs = pairs[: MAX_BARS - 1] + [(tr(C, QT_TRANSLATE_NOOP("printing", "others")), rest)]
    height = 62 * mm
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 18 * mm, 14 * mm
    chart.width, chart.height = width - 24 * mm, height - 22 * mm
    chart.data = [[float(v) for _, v in pairs]]
    chart.categoryAxis.categoryNames = [str(label)[:12] for label, _ in pairs]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if len(pairs) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(pairs) > 8 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = min(0.0, *(float(v) for _, v in pairs)) if pairs else 0.0
    if doc.chart_kind == "percent":  # a rate against 100 %, as on the screen
        chart.valueAxis.valueMax = max(100.0, *(float(v) for _, v in pairs)) if pairs else 100.0
    chart.bars[0].fillColor = colors.HexColor("#2F6FA8")
    chart.bars[0].strokeColor = None
    d.add(chart)
    d.add(String(0, height - 6, doc.chart_title, fontName=font, fontSize=8))
    return d


def _table(t: DocTable, width: float, st: Styles, size: float):
    header = [para(c.title, st.small_right if c.kind in NUMERIC else st.small) for c in t.columns]
    body = [[cell_text(v, c.kind) for v, c in zip(row, t.columns)] for row in t.rows]
    if t.totals is not None:
        body.append([cell_text(v, c.kind) if v is not None else "" for v, c in zip(t.totals, t.columns)])
    numeric = [i for i, c in enumerate(t.columns) if c.kind in NUMERIC]
    # free text takes what the numbers leave
    fixed = {i: 22 * mm for i in numeric}
    free = [i for i in range(len(t.columns)) if i not in fixed]
    left = max(width - sum(fixed.values()), 20 * mm * max(1, len(free)))
    widths = [fixed.get(i, left / max(1, len(free))) for i in range(len(t.columns))]
    scale = min(1.0, width / sum(widths))
    table = grid([header, *body], [w * scale for w in widths], size=size, right_cols=numeric, font=st.font)
    if t.totals is not None:
        table.setStyle(
            TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black), ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4"))])
        )
    return table


def _styles(base_size: float) -> Styles:
    st = Styles(base_size)
    st.small_right = ParagraphStyle("small_right", parent=st.small, alignment=TA_RIGHT)
    return st


def render_report(doc: ReportDocument, tr: Translate | None = None) -> bytes:
    tr = tr or identity
    font = fonts.resolve().name

    def story(p):
        st = _styles(p.base_size)
        size = 8 if len(doc.main.columns) <= 9 else 7
        out = [para(doc.hall, st.subtitle), para(doc.title, st.title), para(doc.period, st.center), Spacer(1, 3 * mm)]
        if doc.reprint:
            out.insert(2, para(tr(C, QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
        if doc.chart and doc.chart[0]:
            out.append(_chart(doc, p.frame_width, font, tr))
            out.append(Spacer(1, 3 * mm))
        out.append(_table(doc.main, p.frame_width, st, size))
        for detail in doc.details:
            out += [
                Spacer(1, 5 * mm),
                KeepTogether([para(detail.title, st.body), Spacer(1, 1.5 * mm)]),
                _table(detail, p.frame_width, st, size),
            ]
        if doc.footer:
            out += [Spacer(1, 4 * mm), para(doc.footer, st.small)]
        return out

    generated = doc.generated.strftime("%Y-%m-%d %H:%M")

    def on_page(canvas, template):
        canvas.saveState()
        canvas.setFont(font, 7)
        text = (
            tr(C, QT_TRANSLATE_NOOP("printing", "%1 · printed %2 · page %3"))
            .replace("%1", doc.title)
            .replace("%2", generated)
            .replace("%3", str(canvas.getPageNumber()))
        )
        canvas.drawRightString(template.pagesize[0] - template.rightMargin, 6 * mm, text)
        canvas.restoreState()

    return build_pdf("A4-landscape", story, title=doc.title, on_page=on_page)
