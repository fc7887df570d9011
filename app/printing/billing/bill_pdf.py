"""The itemized bill (A4 or A5): every reading, quantity, price and amount behind the total.

Built from a BillDocument (plain data); `render_route` prints a route's bills into one PDF
in chunks rendered by worker processes on every core (app.printing.parallel), so memory stays
bounded however long the route.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import chinese_capitals, format_yuan
from app.printing import fonts, parallel
from app.printing.labels import Translate, Words, ts_translator
from app.printing.layout import Styles, barcode, build_pdf, grid, para

C = "printing"


@dataclass(frozen=True)
class MeterRow:
    meter_no: str
    register: str
    previous: Decimal
    current: Decimal
    multiplier: Decimal
    usage: Decimal
    rolled_over: bool = False


@dataclass(frozen=True)
class PrintedLine:
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass
class BillDocument:
    company: str
    hall: str
    hall_phone: str
    bill_no: str
    account_no: str
    account_name: str  # already masked where needed
    supply_address: str
    period: str
    period_start: date
    period_end: date
    tariff: str  # the tariff's name (居民生活用电（年阶梯）), its code when the name is not known
    unit: str
    meters: list[MeterRow] = field(default_factory=list)
    lines: list[PrintedLine] = field(default_factory=list)
    amount: Decimal = Decimal("0")  # this bill's charges (sum of lines)
    paid: Decimal = Decimal("0")
    arrears: Decimal = Decimal("0")  # earlier unpaid bills brought forward
    late_fee: Decimal = Decimal("0")
    prepaid_used: Decimal = Decimal("0")  # this bill's charges paid from the prepaid balance
    prepaid_quantity: Decimal = Decimal("0")  # the kWh / m3 those charges are for
    balance_left: Decimal = Decimal("0")  # prepaid balance remaining
    total_due: Decimal = Decimal("0")
    due_date: date | None = None
    issue_date: date | None = None
    ytd_before: Decimal = Decimal("0")
    reprint: int = 0
    void: bool = False
    hotline: str = ""  # the company's service hotline (setting hall.phone)
    usage: Decimal = Decimal("0")  # this bill's usage
    tier_bounds: tuple = ()  # annual tiers: the year's upper bounds (kWh / m3) of tiers 1, 2 ...; () for monthly or none

    @property
    def ytd_after(self) -> Decimal:
        return self.ytd_before + self.usage


TIER_NAMES = (
    QT_TRANSLATE_NOOP("printing", "first tier"),
    QT_TRANSLATE_NOOP("printing", "second tier"),
    QT_TRANSLATE_NOOP("printing", "third tier"),
    QT_TRANSLATE_NOOP("printing", "fourth tier"),
)


def tier_position(doc: BillDocument, t) -> str:
    """Where the year's usage stands on annual tiers: 年累计 1,850 kWh，第一档剩余 310 kWh (or above the last tier)."""
    ytd = doc.ytd_after
    text = t(QT_TRANSLATE_NOOP("printing", "Year to date: %1 %2")).replace("%1", _n(ytd)).replace("%2", doc.unit)
    for i, bound in enumerate(doc.tier_bounds):
        if ytd < bound:
            name = t(TIER_NAMES[i]) if i < len(TIER_NAMES) else str(i + 1)
            return text + t(QT_TRANSLATE_NOOP("printing", ", %1 left: %2 %3")).replace("%1", name).replace("%2", _n(bound - ytd)).replace(
                "%3", doc.unit
            )
    return text + t(QT_TRANSLATE_NOOP("printing", ", above the last tier (%1 %2)")).replace("%1", _n(doc.tier_bounds[-1])).replace(
        "%2", doc.unit
    )


REGISTER_NAMES = {
    "total": QT_TRANSLATE_NOOP("printing", "Total"),
    "peak": QT_TRANSLATE_NOOP("printing", "Peak"),
    "flat": QT_TRANSLATE_NOOP("printing", "Flat"),
    "valley": QT_TRANSLATE_NOOP("printing", "Valley"),
    "sharp": QT_TRANSLATE_NOOP("printing", "Sharp peak"),
}


def _n(d: Decimal) -> str:
    """A quantity without trailing zeros (1250.5, 40, 0.538)."""
    s = format(d.normalize(), "f")
    return s


@lru_cache(maxsize=8)
def _styles(base_size: float, font: str) -> Styles:
    """The paragraph styles, made once per size and font, not once per bill (a route prints thousands)."""
    return Styles(base_size, font)


def story(doc: BillDocument, paper, tr: Translate) -> list:
    st = _styles(paper.base_size, fonts.resolve().name)
    w = paper.frame_width
    t = lambda text: tr(C, text)  # noqa: E731  (labels below are marked for lupdate)
    water = doc.unit == "m3"
    title = t(QT_TRANSLATE_NOOP("printing", "Water bill")) if water else t(QT_TRANSLATE_NOOP("printing", "Electricity bill"))
    address_label = (
        t(QT_TRANSLATE_NOOP("printing", "Water supply address"))
        if water
        else t(QT_TRANSLATE_NOOP("printing", "Electricity supply address"))
    )
    usage_label = t(QT_TRANSLATE_NOOP("printing", "Water used")) if water else t(QT_TRANSLATE_NOOP("printing", "Electricity used"))
    tariff_label = t(QT_TRANSLATE_NOOP("printing", "Water tariff")) if water else t(QT_TRANSLATE_NOOP("printing", "Electricity tariff"))
    out = [para(f"{doc.company}", st.subtitle), para(title, st.title)]
    if doc.reprint:
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "REPRINT (%1)")).replace("%1", str(doc.reprint)), st.mark))
    if doc.void:
        out.append(para(t(QT_TRANSLATE_NOOP("printing", "VOID — not payable")), st.mark))
    head = [
        [
            para(t(QT_TRANSLATE_NOOP("printing", "Account no.")) + f"：{doc.account_no}", st.body),
            para(t(QT_TRANSLATE_NOOP("printing", "Bill no.")) + f"：{doc.bill_no}", st.body),
        ],
        [
            para(t(QT_TRANSLATE_NOOP("printing", "Account name")) + f"：{doc.account_name}", st.body),
            para(
                t(QT_TRANSLATE_NOOP("printing", "Billing period")) + f"：{doc.period}（{doc.period_start:%m-%d}~{doc.period_end:%m-%d}）",
                st.body,
            ),
        ],
        [para(address_label + f"：{doc.supply_address}", st.body), para(tariff_label + f"：{doc.tariff}", st.body)],
    ]
    ht = Table(head, colWidths=[w * 0.55, w * 0.45])
    ht.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out += [ht, Spacer(1, 2 * mm)]
    rows = [
        [
            t(QT_TRANSLATE_NOOP("printing", "Meter no.")),
            t(QT_TRANSLATE_NOOP("printing", "Register")),
            t(QT_TRANSLATE_NOOP("printing", "Previous")),
            t(QT_TRANSLATE_NOOP("printing", "Current")),
            t(QT_TRANSLATE_NOOP("printing", "Multiplier")),
            usage_label + f"（{doc.unit}）",
        ]
    ]
    for m in doc.meters:
        usage = _n(m.usage) + (" " + t(QT_TRANSLATE_NOOP("printing", "(rolled over)")) if m.rolled_over else "")
        rows.append([m.meter_no, t(REGISTER_NAMES.get(m.register, m.register)), _n(m.previous), _n(m.current), _n(m.multiplier), usage])
    out += [
        grid(rows, [w * f for f in (0.24, 0.12, 0.16, 0.16, 0.12, 0.20)], right_cols=(2, 3, 4, 5), size=paper.base_size * 0.9),
        Spacer(1, 2 * mm),
    ]
    rows = [
        [
            t(QT_TRANSLATE_NOOP("printing", "Item")),
            t(QT_TRANSLATE_NOOP("printing", "Quantity")) + f"（{doc.unit}）",
            t(QT_TRANSLATE_NOOP("printing", "Unit price")) + t(QT_TRANSLATE_NOOP("printing", "（yuan/%1）")).replace("%1", doc.unit),
            t(QT_TRANSLATE_NOOP("printing", "Amount")) + t(QT_TRANSLATE_NOOP("printing", "（yuan）")),
        ]
    ]
    for ln in doc.lines:
        rows.append([para(ln.label, st.body), _n(ln.quantity), _n(ln.unit_price), format_yuan(ln.amount)])
    rows.append([t(QT_TRANSLATE_NOOP("printing", "This bill")), "", "", format_yuan(doc.amount)])
    out += [grid(rows, [w * f for f in (0.40, 0.18, 0.22, 0.20)], right_cols=(1, 2, 3), size=paper.base_size * 0.9)]
    if doc.tier_bounds:
        out.append(para(tier_position(doc, t), st.body))
    elif doc.ytd_before:
        out.append(
            para(
                t(QT_TRANSLATE_NOOP("printing", "Usage billed earlier in this tier year: %1")).replace("%1", _n(doc.ytd_before))
                + f" {doc.unit}",
                st.small,
            )
        )
    out.append(Spacer(1, 2 * mm))
    sums = [
        [t(QT_TRANSLATE_NOOP("printing", "Charges of this bill")), format_yuan(doc.amount)],
        [t(QT_TRANSLATE_NOOP("printing", "Already paid")), format_yuan(-doc.paid)],
        [t(QT_TRANSLATE_NOOP("printing", "Arrears brought forward")), format_yuan(doc.arrears)],
        [t(QT_TRANSLATE_NOOP("printing", "Late fee to the issue date")), format_yuan(doc.late_fee)],
        [
            t(QT_TRANSLATE_NOOP("printing", "Prepaid balance used"))
            + (
                " " + t(QT_TRANSLATE_NOOP("printing", "(for %1)")).replace("%1", f"{_n(doc.prepaid_quantity)} {doc.unit}")
                if doc.prepaid_used
                else ""
            ),
            format_yuan(-doc.prepaid_used),
        ],
    ]
    if doc.balance_left:
        sums.append([t(QT_TRANSLATE_NOOP("printing", "Prepaid balance left")), format_yuan(doc.balance_left)])
    out.append(grid(sums, [w * 0.7, w * 0.3], header=False, right_cols=(1,), size=paper.base_size * 0.95, lines=False))
    out.append(Spacer(1, 1.5 * mm))
    out.append(para(t(QT_TRANSLATE_NOOP("printing", "Total due")) + f"：{format_yuan(doc.total_due)}", st.total))
    out.append(para(t(QT_TRANSLATE_NOOP("printing", "In words")) + f"：{chinese_capitals(doc.total_due)}", st.right))
    if doc.due_date:
        out.append(
            para(
                t(QT_TRANSLATE_NOOP("printing", "Please pay by %1; a late fee is charged per day after that date.")).replace(
                    "%1", doc.due_date.isoformat()
                ),
                st.body,
            )
        )
    out.append(Spacer(1, 3 * mm))
    out.append(barcode(doc.account_no, min(w * 0.6, 70 * mm)))
    phone_label = t(QT_TRANSLATE_NOOP("printing", "Phone"))
    issued_label = t(QT_TRANSLATE_NOOP("printing", "Issued"))
    footer = f"{doc.hall} {phone_label}：{doc.hall_phone}"
    if doc.hotline:
        hotline_label = t(QT_TRANSLATE_NOOP("printing", "Service hotline"))
        footer += f"  {hotline_label}：{doc.hotline}"
    if doc.issue_date:
        footer += f"  {issued_label}：{doc.issue_date.isoformat()}"
    out.append(para(footer, st.small))
    return out


def render_bill(doc: BillDocument, paper: str = "A4", tr: Translate | None = None) -> bytes:
    tr = tr or ts_translator("zh_CN")
    return build_pdf(paper, lambda p: story(doc, p, tr), title=f"{doc.bill_no}")


def render_many(docs: list[BillDocument], paper: str = "A5", tr: Translate | None = None) -> bytes:
    """Several bills in one PDF, each starting on a new page."""
    tr = tr or ts_translator("zh_CN")

    def all_stories(p):
        out = []
        for i, d in enumerate(docs):
            if i:
                out.append(PageBreak())
            out.extend(story(d, p, tr))
        return out

    return build_pdf(paper, all_stories, title="bills")


def _render_chunk(job: tuple[list, Callable | None, str, str, Words]) -> tuple[str, list[PrintedBill]]:
    """Render a chunk into `path`: its documents, or with `load` the documents `load` makes of its
    bill ids (in this worker). Returns the path and the bills on it, in order."""
    chunk, load, paper, path, words = job
    docs = load(chunk) if load is not None else chunk
    Path(path).write_bytes(render_many(docs, paper, words))
    return path, [PrintedBill(d.bill_no, d.reprint) for d in docs]


def _chunks(docs: Iterable[BillDocument], size: int) -> Iterator[list[BillDocument]]:
    chunk: list[BillDocument] = []
    for d in docs:
        chunk.append(d)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class PrintedBill:
    """Which bill went onto paper, with the reprint number printed on it (0 = the original)."""

    bill_no: str
    reprint: int


@dataclass
class RouteOutput:
    count: int  # bills printed
    files: list[Path]  # one file, or volumes when the route is larger than one volume
    cancelled: bool = False

    def __int__(self) -> int:
        return self.count


def _join(parts: list[str], target: Path) -> list[Path]:
    """Join rendered parts into `target`; returns the file(s) written."""
    if len(parts) == 1 or parallel.can_join():
        parallel.join(parts, target)
        return [target]
    out = []  # no joiner: keep the parts, numbered, beside the target
    for i, p in enumerate(parts):
        out.append(target.with_name(f"{target.stem}.part{i + 1:04d}{target.suffix}"))
        shutil.move(p, out[-1])
    return out


VolumeDone = Callable[[list[Path], list[PrintedBill]], None]


class _Volumes:
    """Tracks which rendered parts (and bills) belong to which volume, and joins a volume once it is complete."""

    def __init__(self, out: Path, on_volume: VolumeDone | None) -> None:
        self.out = out
        self.on_volume = on_volume
        self.parts: list[list[str]] = [[]]
        self.submitted: list[int] = [0]
        self.bills: list[list[PrintedBill]] = [[]]
        self.written: dict[int, list[Path]] = {}

    def open_next(self) -> None:
        self.parts.append([])
        self.submitted.append(0)
        self.bills.append([])

    def target(self, v: int) -> Path:
        if len(self.parts) == 1:
            return self.out
        return self.out.with_name(f"{self.out.stem}-v{v + 1:03d}{self.out.suffix}")

    def finished(self, v: int, path: str) -> None:
        self.parts[v].append(path)
        closed = v < len(self.parts) - 1
        if closed and len(self.parts[v]) == self.submitted[v]:
            self.join(v)

    def join(self, v: int) -> None:
        if v not in self.written and self.parts[v]:
            self.written[v] = _join(sorted(self.parts[v]), self.target(v))
            done, self.bills[v] = self.bills[v], []
            if self.on_volume:
                self.on_volume(self.written[v], done)

    def files(self) -> list[Path]:
        return [f for v in sorted(self.written) for f in self.written[v]]


def render_route(
    docs: Iterable,
    out_path,
    paper: str = "A5",
    chunk: int = 100,
    workers: int | None = None,
    volume: int = 5000,
    on_volume: VolumeDone | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    mp_context: str | None = None,
    tr: Translate | None = None,
    load: Callable[[list], list[BillDocument]] | None = None,
) -> RouteOutput:
    """Print a route's bills: one PDF at `out_path`, or volumes NAME-v001.pdf ... of `volume` bills each.
    `docs` are BillDocuments, or with `load` what `load` turns into them a chunk at a time in the
    workers (bill ids and bills.RouteLoader: the workers read their bills themselves).

    Chunks of bills are rendered by worker processes, one per core (app.printing.parallel); at most `workers * 2`
    chunks are in flight, and each volume is joined with qpdf as soon as its chunks are
    done, so memory stays bounded however long the route. Joining one 100,000-page file
    would make qpdf hold every page at once (about 1.7 GB measured here), hence volumes.

    `on_volume(files, bills)` runs as soon as a volume's file is written, with the bills in it
    (the caller counts and archives them: what is on disk is what was printed); `progress(n)`
    after each rendered chunk with the bills rendered so far; `cancelled()` stops taking new
    chunks: what was rendered is still joined into its volume and reported. `mp_context` "forkserver"
    starts the workers from a clean process (for a caller with threads, like the window). The words on
    paper are `tr`'s (the window's language; Chinese by default), fixed once for the workers (labels.Words).
    """
    out = Path(out_path)
    words = Words(tr or ts_translator("zh_CN"))
    workers = workers or parallel.cores()
    tmp = Path(tempfile.mkdtemp(prefix="route-", dir=out.parent))
    vols = _Volumes(out, on_volume)
    count = in_volume = rendered = 0
    stopped = False

    def done(v: int, future) -> None:
        nonlocal rendered
        path, printed = future.result()
        vols.bills[v].extend(printed)  # chunks are taken in the order they were handed out
        vols.finished(v, path)
        rendered += len(printed)
        if progress:
            progress(rendered)

    try:
        # Workers end with this process, removing the temporary folders, if it is killed (app.kernel.process).
        with parallel.pool(workers, tmp, mp_context) as pool:
            pending: list[tuple[int, object]] = []
            for i, docs_chunk in enumerate(_chunks(docs, chunk)):
                if cancelled and cancelled():
                    stopped = True
                    break
                if in_volume >= volume:
                    vols.open_next()
                    in_volume = 0
                v = len(vols.parts) - 1
                count += len(docs_chunk)
                in_volume += len(docs_chunk)
                vols.submitted[v] += 1
                pending.append((v, pool.submit(_render_chunk, (docs_chunk, load, paper, str(tmp / f"part{i:06d}.pdf"), words))))
                if len(pending) >= workers * 2:
                    done(*pending.pop(0))
            for pv, future in pending:
                done(pv, future)
        for v in range(len(vols.parts)):
            vols.join(v)
        return RouteOutput(count, vols.files(), stopped)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
