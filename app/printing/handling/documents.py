"""Work-order receipt (受理回执), one-time-notice checklist, planned-outage notice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.printing.labels import Translate, ts_translator
from app.printing.layout import Styles, barcode, build_pdf, grid, para

C = "printing"


@dataclass
class MatterReceipt:
    hall: str
    hall_phone: str
    matter_no: str
    registered_at: datetime  # local
    customer: str  # masked
    account_no: str
    type_label: str
    request: str  # the customer's words
    promised: datetime  # local deadline
    owner_name: str
    owner_staff_no: str
    contact_by: datetime | None = None
    unknown_calendar: bool = False
    reprint: int = 0
    promise_label: str = QT_TRANSLATE_NOOP("printing", "We promise an answer by")  # the kind's wording (English source, context "printing")


def _t(tr: Translate):
    return lambda text: tr(C, text)


def receipt_story(doc: MatterReceipt, paper, tr: Translate) -> list:
    st = Styles(paper.base_size)
    t = _t(tr)
    w = paper.frame_width
    out = [para(doc.hall, st.subtitle), para(t(QT_TRANSLATE_NOOP("printing", "Acknowledgement of your request")), st.title)]
    if doc.reprint:
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
    rows = [
        [t(QT_TRANSLATE_NOOP("printing", "Matter no.")), doc.matter_no],
        [t(QT_TRANSLATE_NOOP("printing", "Received")), doc.registered_at.strftime("%Y-%m-%d %H:%M")],
        [t(QT_TRANSLATE_NOOP("printing", "Customer")), doc.customer],
        [t(QT_TRANSLATE_NOOP("printing", "Account no.")), doc.account_no or "—"],
        [t(QT_TRANSLATE_NOOP("printing", "Matter")), doc.type_label],
        [t(doc.promise_label), doc.promised.strftime("%Y-%m-%d %H:%M")],
    ]
    if doc.contact_by:
        rows.append([t(QT_TRANSLATE_NOOP("printing", "We will contact you by")), doc.contact_by.strftime("%Y-%m-%d %H:%M")])
    rows.append([t(QT_TRANSLATE_NOOP("printing", "Responsible clerk")), f"{doc.owner_name} ({doc.owner_staff_no})"])
    out.append(grid([[para(a, st.body), para(b, st.body)] for a, b in rows], [w * 0.36, w * 0.64], header=False, lines=False))
    out += [Spacer(1, 2 * mm), para(t(QT_TRANSLATE_NOOP("printing", "Your request, in your words:")), st.body), para(doc.request, st.body)]
    if doc.unknown_calendar:
        out.append(
            para(t(QT_TRANSLATE_NOOP("printing", "The holiday calendar for that year is not published yet; the date may move.")), st.small)
        )
    out += [
        Spacer(1, 2 * mm),
        barcode(doc.matter_no, w * 0.9),
        para(
            t(QT_TRANSLATE_NOOP("printing", "The clerk named above answers for this matter until it is closed. Questions: %1")).replace(
                "%1", doc.hall_phone
            ),
            st.small,
        ),
    ]
    return out


def render_receipt(doc: MatterReceipt, paper: str = "A5", tr: Translate | None = None) -> bytes:
    tr = tr or ts_translator("zh_CN")
    return build_pdf(paper, lambda p: receipt_story(doc, p, tr), title=doc.matter_no)


def render_checklist(title: str, items: list[str], hall: str, hall_phone: str, paper: str = "A5", tr: Translate | None = None) -> bytes:
    tr = tr or ts_translator("zh_CN")
    t = _t(tr)

    def story(p):
        st = Styles(p.base_size)
        out = [
            para(hall, st.subtitle),
            para(t(QT_TRANSLATE_NOOP("printing", "One-time notice: %1")).replace("%1", title), st.title),
            para(t(QT_TRANSLATE_NOOP("printing", "Please bring:")), st.body),
        ]
        out += [para(f"{i}. {item}", st.body) for i, item in enumerate(items, start=1)]
        if hall_phone:
            out += [Spacer(1, 3 * mm), para(t(QT_TRANSLATE_NOOP("printing", "Questions: %1")).replace("%1", hall_phone), st.small)]
        return out

    return build_pdf(paper, story, title=title)


@dataclass
class OutageNotice:
    hall: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    routes: list[str]
    areas: list[str]
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # account_no, masked name, address
    hall_phone: str = ""
    reprint: int = 0


def render_outage_notice(doc: OutageNotice, tr: Translate | None = None) -> bytes:
    tr = tr or ts_translator("zh_CN")
    t = _t(tr)

    def story(p):
        st = Styles(p.base_size)
        w = p.frame_width
        out = [para(doc.hall, st.subtitle), para(t(QT_TRANSLATE_NOOP("printing", "Planned outage notice")), st.title)]
        if doc.reprint:
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
        out += [
            para(
                t(QT_TRANSLATE_NOOP("printing", "From %1 to %2"))
                .replace("%1", doc.starts_at.strftime("%Y-%m-%d %H:%M"))
                .replace("%2", doc.ends_at.strftime("%Y-%m-%d %H:%M")),
                st.body,
            ),
            para(t(QT_TRANSLATE_NOOP("printing", "Reason: %1")).replace("%1", doc.reason), st.body),
            para(t(QT_TRANSLATE_NOOP("printing", "Areas: %1")).replace("%1", "、".join(doc.routes + doc.areas)), st.body),
            Spacer(1, 2 * mm),
        ]
        rows = [
            [
                t(QT_TRANSLATE_NOOP("printing", "Account no.")),
                t(QT_TRANSLATE_NOOP("printing", "Name")),
                t(QT_TRANSLATE_NOOP("printing", "Address")),
            ]
        ]
        rows += [[a, n, para(addr, st.body)] for a, n, addr in doc.accounts]
        out.append(grid(rows, [w * 0.2, w * 0.18, w * 0.62]))
        if doc.hall_phone:
            out += [Spacer(1, 3 * mm), para(t(QT_TRANSLATE_NOOP("printing", "Questions: %1")).replace("%1", doc.hall_phone), st.small)]
        return out

    return build_pdf("A4", story, title="outage")
