"""The payment receipt: every bill paid with its period, readings and quantity, the money, the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import chinese_capitals, format_yuan
from app.printing.labels import Translate, ts_translator
from app.printing.layout import Styles, barcode, build_pdf, grid, para
from app.printing.payments.methods import METHODS  # noqa: F401  (re-exported for the receipt's users)

C = "printing"


@dataclass(frozen=True)
class PaidBill:
    period: str
    readings: str  # e.g. "1000→1100 ×1"
    quantity: Decimal
    unit: str
    late_fee: Decimal
    principal: Decimal


@dataclass
class ReceiptDocument:
    hall: str
    station_code: str
    clerk: str
    receipt_no: str
    at: datetime  # local
    account_no: str
    account_name: str  # masked
    bills: list[PaidBill] = field(default_factory=list)
    to_balance: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    method: str = ""
    tendered: Decimal = Decimal("0")
    change: Decimal = Decimal("0")
    balance_after: Decimal = Decimal("0")
    verification: str = ""
    reversal_of: str = ""
    reprint: int = 0
    staff_no: str = ""  # the clerk's staff number (收费员 张丽 (1001))
    reference: str = ""  # the card slip's or QR payment's reference number
    still_owed: Decimal = Decimal("0")  # what the bills it paid still lack after it (a part payment)


def quantity_text(q: Decimal) -> str:
    """A quantity as the bill prints its usage: whole kWh / m3 (a part payment's share of a bill, 37.456 kWh,
    reads 37), never the three decimals it is kept with."""
    from decimal import ROUND_HALF_UP

    return str(Decimal(q).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def story(doc: ReceiptDocument, paper, tr: Translate) -> list:
    st = Styles(paper.base_size)
    t = lambda text: tr(C, text)  # noqa: E731  (labels below are marked for lupdate)
    w = paper.frame_width
    out = [para(doc.hall, st.subtitle), para(t(QT_TRANSLATE_NOOP("printing", "Payment receipt")), st.title)]
    if doc.reversal_of:
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "REVERSAL of %1")).replace("%1", doc.reversal_of), st.mark))
    if doc.reprint:
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
    head = [
        (t(QT_TRANSLATE_NOOP("printing", "Receipt no.")), doc.receipt_no),
        (t(QT_TRANSLATE_NOOP("printing", "Time")), doc.at.strftime("%Y-%m-%d %H:%M:%S")),
        (t(QT_TRANSLATE_NOOP("printing", "Account no.")), doc.account_no),
        (t(QT_TRANSLATE_NOOP("printing", "Account name")), doc.account_name),
        (t(QT_TRANSLATE_NOOP("printing", "Clerk")), f"{doc.clerk} ({doc.staff_no or doc.station_code})"),
    ]
    out.append(grid([[para(a, st.small), para(b, st.small)] for a, b in head], [w * 0.34, w * 0.66], header=False, lines=False))
    out.append(Spacer(1, 1.5 * mm))
    for b in doc.bills:
        line = f"{b.period}  {b.readings}  {quantity_text(b.quantity)} {b.unit}"
        out.append(para(line, st.small))
        out.append(
            grid(
                [
                    [t(QT_TRANSLATE_NOOP("printing", "Late fee")), format_yuan(b.late_fee)],
                    [t(QT_TRANSLATE_NOOP("printing", "Charges")), format_yuan(b.principal)],
                ],
                [w * 0.6, w * 0.4],
                header=False,
                right_cols=(1,),
                lines=False,
                size=paper.base_size * 0.9,
            )
        )
    if doc.to_balance:
        out.append(
            grid(
                [[t(QT_TRANSLATE_NOOP("printing", "Prepaid to balance")), format_yuan(doc.to_balance)]],
                [w * 0.6, w * 0.4],
                header=False,
                right_cols=(1,),
                lines=False,
            )
        )
    out.append(para(t(QT_TRANSLATE_NOOP("printing", "Total")) + f"：{format_yuan(doc.total)}", st.total))
    out.append(para(chinese_capitals(doc.total), st.right))
    money = [[t(QT_TRANSLATE_NOOP("printing", "Paid by")), t(METHODS.get(doc.method, doc.method))]]
    if doc.method == "cash":
        money += [
            [t(QT_TRANSLATE_NOOP("printing", "Tendered")), format_yuan(doc.tendered)],
            [t(QT_TRANSLATE_NOOP("printing", "Change")), format_yuan(doc.change)],
        ]
    elif doc.reference:
        money.append([t(QT_TRANSLATE_NOOP("printing", "Reference no.")), doc.reference])
    if doc.still_owed > 0:
        money.append([t(QT_TRANSLATE_NOOP("printing", "Still owed")), format_yuan(doc.still_owed)])
    money.append([t(QT_TRANSLATE_NOOP("printing", "Balance after")), format_yuan(doc.balance_after)])
    out.append(grid(money, [w * 0.5, w * 0.5], header=False, right_cols=(1,), lines=False, size=paper.base_size))
    out.append(para(t(QT_TRANSLATE_NOOP("printing", "Verification code")) + f"：{doc.verification}", st.body))
    out += [Spacer(1, 1 * mm), barcode(doc.receipt_no, w * 0.95)]
    return out


def render_receipt(doc: ReceiptDocument, paper: str = "80mm", tr: Translate | None = None) -> bytes:
    tr = tr or ts_translator("zh_CN")
    return build_pdf(paper, lambda p: story(doc, p, tr), title=doc.receipt_no)
