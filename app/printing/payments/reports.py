"""Shift report (one shift: counts, cash by denomination, receipts, sign-off) and the station's day report of all shifts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.platypus import Spacer, TableStyle

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.printing.labels import Translate, ts_translator
from app.printing.layout import Styles, build_pdf, grid, para
from app.printing.payments.receipt import METHODS

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
    sign_off_note: str = ""  # the supervisor's reason for accepting a difference

    @property
    def is_open(self) -> bool:
        """Not counted yet: what it has taken so far is neither a shortage nor part of the day's totals."""
        return self.status == "open"


@dataclass
class DayReport:
    hall: str
    day: date
    shifts: list[ShiftLine] = field(default_factory=list)
    audit_anchor: str = ""  # the station's audit chain head when printed: STATION:SEQ:HASH (docs/SECURITY.md)

    @property
    def closed_totals(self) -> dict[str, tuple[int, int]]:
        """Method -> (expected, counted) over the counted (closed or signed-off) shifts only."""
        totals = {m: (0, 0) for m in METHODS}
        for sh in self.shifts:
            if not sh.is_open:
                for m in METHODS:
                    e, c = totals[m]
                    totals[m] = (e + sh.expected.get(m, 0), c + sh.counted.get(m, 0))
        return totals


def render_day_report(doc: DayReport, tr: Translate | None = None) -> bytes:
    """One section per shift (a shift report is a day report with one shift)."""
    tr = tr or ts_translator("zh_CN")
    t = lambda s: tr(C, s)  # noqa: E731  (labels marked below)

    def story(p):
        st = Styles(p.base_size)
        w = p.frame_width
        out = [
            para(doc.hall, st.subtitle),
            para(t(QT_TRANSLATE_NOOP("printing", "Cash report of %1")).replace("%1", doc.day.isoformat()), st.title),
        ]
        head = [
            t(QT_TRANSLATE_NOOP("printing", "Method")),
            t(QT_TRANSLATE_NOOP("printing", "Expected")),
            t(QT_TRANSLATE_NOOP("printing", "Counted")),
            t(QT_TRANSLATE_NOOP("printing", "Difference")),
        ]
        for sh in (s for s in doc.shifts if not s.is_open):
            out.append(
                para(f"{sh.clerk}  {sh.opened:%H:%M} – {sh.closed:%H:%M}" if sh.closed else f"{sh.clerk}  {sh.opened:%H:%M} –", st.body)
            )
            rows = [head]
            for m, label in METHODS.items():
                e, c = sh.expected.get(m, 0), sh.counted.get(m, 0)
                rows.append([t(label), format_yuan(e), format_yuan(c), format_yuan(c - e)])
            out.append(grid(rows, [w * 0.25] * 4, right_cols=(1, 2, 3)))
            out.append(
                para(
                    t(QT_TRANSLATE_NOOP("printing", "%1 payments, %2 reversals. Signed off by: %3. %4"))
                    .replace("%1", str(sh.payments))
                    .replace("%2", str(sh.reversals))
                    .replace("%3", sh.signed_off_by or "—")
                    .replace("%4", sh.note),
                    st.small,
                )
            )
            if sh.sign_off_note:
                out.append(para(t(QT_TRANSLATE_NOOP("printing", "Supervisor's note: %1")).replace("%1", sh.sign_off_note), st.small))
            out.append(Spacer(1, 6))
        totals = doc.closed_totals
        rows = [[t(QT_TRANSLATE_NOOP("printing", "Day total of the closed shifts")), "", "", ""]] + [
            [t(label), format_yuan(totals[m][0]), format_yuan(totals[m][1]), format_yuan(totals[m][1] - totals[m][0])]
            for m, label in METHODS.items()
        ]
        out.append(grid(rows, [w * 0.25] * 4, right_cols=(1, 2, 3)))
        still_open = [s for s in doc.shifts if s.is_open]
        if still_open:
            # Not counted yet: listed with what they have taken so far, never as a shortage, never in the totals above.
            out.append(Spacer(1, 10))
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "Shifts still open (no cash count yet; not in the day's totals)")), st.body))
            for sh in still_open:
                out.append(
                    para(
                        t(QT_TRANSLATE_NOOP("printing", "%1  opened %2, still open: %3 payments, %4 reversals so far"))
                        .replace("%1", sh.clerk)
                        .replace("%2", f"{sh.opened:%H:%M}")
                        .replace("%3", str(sh.payments))
                        .replace("%4", str(sh.reversals)),
                        st.small,
                    )
                )
                rows = [
                    [
                        t(QT_TRANSLATE_NOOP("printing", "Method")),
                        t(QT_TRANSLATE_NOOP("printing", "Taken so far")),
                        t(QT_TRANSLATE_NOOP("printing", "Counted")),
                        t(QT_TRANSLATE_NOOP("printing", "Difference")),
                    ]
                ]
                for m, label in METHODS.items():
                    rows.append([t(label), format_yuan(sh.expected.get(m, 0)), "—", "—"])
                out.append(grid(rows, [w * 0.25] * 4, right_cols=(1, 2, 3)))
                out.append(para(t(QT_TRANSLATE_NOOP("printing", "Cash taken so far includes the opening float.")), st.small))
                out.append(Spacer(1, 6))
        if doc.audit_anchor:  # kept outside the store: `audit verify --anchor` compares the chain with it
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "Audit anchor: %1")).replace("%1", doc.audit_anchor), st.small))
        return out

    return build_pdf("A4", story, title=f"day-{doc.day.isoformat()}")


@dataclass
class ReversalLine:
    receipt_no: str
    reverses: str  # the original receipt's number
    amount_fen: int  # negative
    reason: str = ""


@dataclass
class ShiftReport:
    """One shift's cash-up, as printed for the file: what was expected, what was counted, and who signed."""

    hall: str
    station_code: str
    clerk: str
    staff_no: str
    opened: datetime  # station-local
    closed: datetime | None
    status: str  # open | closed | signed_off
    float_fen: int
    expected: dict[str, int]  # method -> fen; cash includes the float
    counted: dict[str, int]  # empty while the shift is open
    cash_pieces: dict[int, int]  # denomination (fen) -> pieces counted
    payments: int
    payments_fen: int
    first_receipt: str
    last_receipt: str
    reversals: int
    reversals_fen: int
    reversal_lines: list[ReversalLine] = field(default_factory=list)
    note: str = ""
    signed_off_by: str = ""
    signed_off_at: datetime | None = None
    printed_at: datetime | None = None
    reprint: int = 0
    sign_off_note: str = ""  # the supervisor's reason for accepting a difference
    audit_anchor: str = ""  # the station's audit chain head when printed: STATION:SEQ:HASH (docs/SECURITY.md)

    @property
    def number(self) -> str:
        """The archive name: station, opening time and the clerk's staff number."""
        return re.sub(r"[^0-9A-Za-z_.-]+", "_", f"{self.station_code}-{self.opened:%Y%m%d-%H%M}-{self.staff_no}")


SHIFT_STATES = {
    "open": QT_TRANSLATE_NOOP("printing", "Shift still open"),
    "closed": QT_TRANSLATE_NOOP("printing", "Closed, waiting for sign-off"),
    "signed_off": QT_TRANSLATE_NOOP("printing", "Signed off"),
}


def render_shift_report(doc: ShiftReport, tr: Translate | None = None) -> bytes:
    """A4: head, expected / counted / difference per method, the cash count by denomination,
    the receipts issued, reversals, the clerk's note and the sign-off with signature lines."""
    tr = tr or ts_translator("zh_CN")
    t = lambda s: tr(C, s)  # noqa: E731  (labels marked below)

    def story(p):
        st = Styles(p.base_size)
        w = p.frame_width
        out = [para(doc.hall, st.subtitle), para(t(QT_TRANSLATE_NOOP("printing", "Shift report")), st.title)]
        if doc.reprint:
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
        closed = f"{doc.closed:%Y-%m-%d %H:%M}" if doc.closed else "—"
        head = [
            [
                t(QT_TRANSLATE_NOOP("printing", "Clerk")),
                f"{doc.clerk} ({doc.staff_no})",
                t(QT_TRANSLATE_NOOP("printing", "State")),
                t(SHIFT_STATES.get(doc.status, doc.status)),
            ],
            [
                t(QT_TRANSLATE_NOOP("printing", "Opened")),
                f"{doc.opened:%Y-%m-%d %H:%M}",
                t(QT_TRANSLATE_NOOP("printing", "Closed")),
                closed,
            ],
            [
                t(QT_TRANSLATE_NOOP("printing", "Opening float")),
                format_yuan(doc.float_fen),
                t(QT_TRANSLATE_NOOP("printing", "Station")),
                doc.station_code,
            ],
        ]
        out.append(grid(head, [w * 0.16, w * 0.34, w * 0.16, w * 0.34], header=False, lines=False, size=p.base_size))
        out.append(Spacer(1, 6))

        rows = [
            [
                t(QT_TRANSLATE_NOOP("printing", "Method")),
                t(QT_TRANSLATE_NOOP("printing", "Expected")),
                t(QT_TRANSLATE_NOOP("printing", "Counted")),
                t(QT_TRANSLATE_NOOP("printing", "Difference")),
            ]
        ]
        sums = [0, 0]
        for m, label in METHODS.items():
            e = doc.expected.get(m, 0)
            sums[0] += e
            if doc.counted:
                c = doc.counted.get(m, 0)
                sums[1] += c
                rows.append([t(label), format_yuan(e), format_yuan(c), format_yuan(c - e)])
            else:
                rows.append([t(label), format_yuan(e), "—", "—"])
        rows.append(
            [
                t(QT_TRANSLATE_NOOP("printing", "Total")),
                format_yuan(sums[0]),
                format_yuan(sums[1]) if doc.counted else "—",
                format_yuan(sums[1] - sums[0]) if doc.counted else "—",
            ]
        )
        out.append(grid(rows, [w * 0.31, w * 0.23, w * 0.23, w * 0.23], right_cols=(1, 2, 3), size=p.base_size))
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "Expected cash includes the opening float.")), st.small))
        out.append(Spacer(1, 6))

        out.append(para(t(QT_TRANSLATE_NOOP("printing", "Cash count")), st.body))
        rows = [
            [
                t(QT_TRANSLATE_NOOP("printing", "Denomination")),
                t(QT_TRANSLATE_NOOP("printing", "Pieces")),
                t(QT_TRANSLATE_NOOP("printing", "Amount")),
            ]
        ]
        cash = 0
        for fen, pieces in sorted(doc.cash_pieces.items(), reverse=True):
            cash += fen * pieces
            rows.append([format_yuan(fen), str(pieces), format_yuan(fen * pieces)])
        rows.append([t(QT_TRANSLATE_NOOP("printing", "Cash counted")), "", format_yuan(cash) if doc.counted else "—"])
        count = grid(rows, [w * 0.31, w * 0.23, w * 0.23], right_cols=(0, 1, 2), size=p.base_size)
        count.hAlign = "LEFT"
        out.append(count)
        out.append(Spacer(1, 6))

        rows = [
            [
                t(QT_TRANSLATE_NOOP("printing", "Receipts issued")),
                t(QT_TRANSLATE_NOOP("printing", "Number")),
                t(QT_TRANSLATE_NOOP("printing", "Amount")),
                t(QT_TRANSLATE_NOOP("printing", "Receipt numbers")),
            ],
            [
                t(QT_TRANSLATE_NOOP("printing", "Payments")),
                str(doc.payments),
                format_yuan(doc.payments_fen),
                f"{doc.first_receipt} – {doc.last_receipt}" if doc.payments else "—",
            ],
            [t(QT_TRANSLATE_NOOP("printing", "Reversals")), str(doc.reversals), format_yuan(doc.reversals_fen), ""],
        ]
        for r in doc.reversal_lines:
            rows.append(
                [
                    "",
                    "",
                    format_yuan(r.amount_fen),
                    para(
                        t(QT_TRANSLATE_NOOP("printing", "%1 reverses %2: %3"))
                        .replace("%1", r.receipt_no)
                        .replace("%2", r.reverses)
                        .replace("%3", r.reason),
                        st.small,
                    ),
                ]
            )
        out.append(grid(rows, [w * 0.16, w * 0.1, w * 0.16, w * 0.58], right_cols=(1, 2), size=p.base_size))
        out.append(Spacer(1, 6))

        out.append(para(t(QT_TRANSLATE_NOOP("printing", "Clerk's note: %1")).replace("%1", doc.note or "—"), st.body))
        signed = (
            t(QT_TRANSLATE_NOOP("printing", "Signed off by %1 at %2"))
            .replace("%1", doc.signed_off_by)
            .replace("%2", f"{doc.signed_off_at:%Y-%m-%d %H:%M}" if doc.signed_off_at else "")
            if doc.signed_off_by
            else t(QT_TRANSLATE_NOOP("printing", "Not signed off yet"))
        )
        out.append(para(signed, st.body))
        if doc.sign_off_note:
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "Supervisor's note: %1")).replace("%1", doc.sign_off_note), st.body))
        out.append(Spacer(1, 24))
        signatures = grid(
            [[t(QT_TRANSLATE_NOOP("printing", "Clerk's signature")), "", t(QT_TRANSLATE_NOOP("printing", "Supervisor's signature")), ""]],
            [w * 0.18, w * 0.30, w * 0.20, w * 0.32],
            header=False,
            lines=False,
            size=p.base_size,
        )
        signatures.setStyle(
            TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black), ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black)])
        )
        out.append(signatures)
        if doc.printed_at:
            out.append(Spacer(1, 6))
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "Printed %1")).replace("%1", f"{doc.printed_at:%Y-%m-%d %H:%M}"), st.small))
        if doc.audit_anchor:  # kept outside the store: `audit verify --anchor` compares the chain with it
            out.append(para(t(QT_TRANSLATE_NOOP("printing", "Audit anchor: %1")).replace("%1", doc.audit_anchor), st.small))
        return out

    return build_pdf("A4", story, title=f"shift-{doc.number}")
