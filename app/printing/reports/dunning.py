"""Arrears reminders (催费通知单), one A5 page per account, many in one PDF: the bills owed with their
quantities, the late fee to a date, how and where to pay, and for an account past the company's
limit the advance notice of suspension (停电预告)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import chinese_capitals, format_yuan
from app.printing.labels import Translate, identity
from app.printing.layout import Styles, barcode, build_pdf, grid, para

C = "printing"


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


def _page(doc: DunningDocument, r: Reminder, p, tr: Translate) -> list:
    st = Styles(p.base_size)
    w = p.frame_width
    qty = tr(C, QT_TRANSLATE_NOOP("printing", "Usage (%1)")).replace("%1", r.unit)
    rows = [[tr(C, QT_TRANSLATE_NOOP("printing", "Period")), tr(C, QT_TRANSLATE_NOOP("printing", "Due date")), qty,
             tr(C, QT_TRANSLATE_NOOP("printing", "Charges owed")), tr(C, QT_TRANSLATE_NOOP("printing", "Late fee"))]]
    for b in r.bills:
        usage = f"{int(b.usage):,}" if b.usage == b.usage.to_integral_value() else f"{b.usage:,.3f}"
        rows.append([b.period, b.due.isoformat(), usage, format_yuan(b.principal_fen), format_yuan(b.late_fee_fen)])
    total = r.principal_fen + r.late_fee_fen
    out = [
        para(doc.company, st.subtitle),
        para(tr(C, QT_TRANSLATE_NOOP("printing", "Arrears reminder")), st.title),
        para(f"{tr(C, QT_TRANSLATE_NOOP('printing', 'Account'))}: {r.account_no}    {r.account_name}", st.body),
        para(f"{tr(C, QT_TRANSLATE_NOOP('printing', 'Address'))}: {r.address}", st.body),
        Spacer(1, 2 * mm),
        para(tr(C, QT_TRANSLATE_NOOP("printing", "Dear customer, our records show these charges unpaid on %1:")).replace(
            "%1", doc.as_of.isoformat()), st.body),
        Spacer(1, 1.5 * mm),
        grid(rows, [w * 0.18, w * 0.2, w * 0.2, w * 0.22, w * 0.2], right_cols=(2, 3, 4), font=st.font, size=p.base_size),
        Spacer(1, 2 * mm),
        para(tr(C, QT_TRANSLATE_NOOP("printing", "Total to pay: %1 (late fee counted to %2; it grows each day until paid)"))
             .replace("%1", format_yuan(total)).replace("%2", doc.as_of.isoformat()), st.total),
        para(chinese_capitals(total), st.right),
        Spacer(1, 3 * mm),
        para(tr(C, QT_TRANSLATE_NOOP("printing", "How to pay: at %1 (%2) in cash, by bank card or QR code; ask at the counter "
                                     "about bank collection. Questions: call %3.")).replace("%1", doc.hall).replace(
            "%2", doc.hall_address).replace("%3", doc.hotline), st.body),
    ]
    if r.suspension_on is not None:
        out += [Spacer(1, 3 * mm), para(tr(C, QT_TRANSLATE_NOOP(
            "printing", "Advance notice of suspension: these arrears are past the company's limit. If they are not paid by %1, "
                        "supply will be suspended according to the supply rules, and reconnected within 24 hours of payment."))
            .replace("%1", r.suspension_on.isoformat()), st.mark)]
    out += [Spacer(1, 4 * mm), barcode(r.account_no, w * 0.6),
            para(f"{doc.hall}    {doc.as_of.isoformat()}", st.right)]
    if doc.reprint:
        out.insert(1, para(tr(C, QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
    return out


def render_dunning(doc: DunningDocument, tr: Translate | None = None) -> bytes:
    tr = tr or identity

    def story(p):
        out = []
        for i, r in enumerate(doc.reminders):
            if i:
                out.append(PageBreak())
            out += _page(doc, r, p, tr)
        return out

    return build_pdf("A5", story, title=tr(C, QT_TRANSLATE_NOOP("printing", "Arrears reminder")))
