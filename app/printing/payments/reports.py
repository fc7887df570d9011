"""Shift report and the station's day report of all shifts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.platypus import Spacer

from app.printing.labels import Translate, ts_translator
from app.printing.layout import Styles, build_pdf, grid, para
from app.printing.payments.receipt import METHODS
from app.services.messages import QT_TRANSLATE_NOOP
from app.services.money import format_yuan

C = "printing"


@dataclass
class ShiftLine:
    clerk: str
    opened: datetime
    closed: datetime | None
    status: str
    expected: dict[str, int]
    counted: dict[str, int]
    payments: int
    reversals: int
    note: str = ""
    signed_off_by: str = ""


@dataclass
class DayReport:
    hall: str
    day: date
    shifts: list[ShiftLine] = field(default_factory=list)


def render_day_report(doc: DayReport, tr: Translate | None = None) -> bytes:
    """One section per shift (a shift report is a day report with one shift)."""
    tr = tr or ts_translator("zh_CN")
    t = lambda s: tr(C, s)  # noqa: E731  (labels marked below)

    def story(p):
        st = Styles(p.base_size)
        w = p.frame_width
        out = [para(doc.hall, st.subtitle), para(t(QT_TRANSLATE_NOOP("printing", "Cash report of %1")).replace("%1", doc.day.isoformat()), st.title)]
        totals = {m: [0, 0] for m in METHODS}
        for sh in doc.shifts:
            out.append(para(f"{sh.clerk}  {sh.opened:%H:%M} – {sh.closed:%H:%M}" if sh.closed else f"{sh.clerk}  {sh.opened:%H:%M} –", st.body))
            rows = [[t(QT_TRANSLATE_NOOP("printing", "Method")), t(QT_TRANSLATE_NOOP("printing", "Expected")),
                     t(QT_TRANSLATE_NOOP("printing", "Counted")), t(QT_TRANSLATE_NOOP("printing", "Difference"))]]
            for m, label in METHODS.items():
                e, c = sh.expected.get(m, 0), sh.counted.get(m, 0)
                totals[m][0] += e
                totals[m][1] += c
                rows.append([t(label), format_yuan(e), format_yuan(c), format_yuan(c - e)])
            out.append(grid(rows, [w * 0.25] * 4, right_cols=(1, 2, 3)))
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "%1 payments, %2 reversals. Signed off by: %3. %4"))
                            .replace("%1", str(sh.payments)).replace("%2", str(sh.reversals))
                            .replace("%3", sh.signed_off_by or "—").replace("%4", sh.note), st.small))
            out.append(Spacer(1, 6))
        rows = [[t(QT_TRANSLATE_NOOP("printing", "Day total")), "", "", ""]] + [
            [t(label), format_yuan(totals[m][0]), format_yuan(totals[m][1]), format_yuan(totals[m][1] - totals[m][0])] for m, label in METHODS.items()]
        out.append(grid(rows, [w * 0.25] * 4, right_cols=(1, 2, 3)))
        return out

    return build_pdf("A4", story, title=f"day-{doc.day.isoformat()}")
