"""Is the store what its audit log says it is? The database's own integrity check, every station's
audit chain, anchors of the chains kept outside the store, and the cross-checks of money records and
number sequences against the audit entries that wrote them.

A money record is covered by the chain of the station that wrote it: each payment's `post` entry
carries its receipt number, amount and allocations, each reversal's `reverse` entry its receipt number
and the payment it reverses (and, since this check exists, its amount), each bill's `issue` entry its
number and amount, each deduction from a prepaid balance its account's `deduct` entry. What is derived
from those facts (a bill's paid amounts and state, an account's balance) is recomputed from them, and
each station's receipt and work-order numbers of a year must run 1..last without a gap, as the sequence
row says. A record of a station whose chain this store does not hold (a payment made elsewhere, sent
down by sync) is counted as not covered here, not as damage. docs/SECURITY.md, "The audit log".
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, AuditEntry, AuditHead, BalanceEntry, Bill, NumberSequence, Payment, PaymentAllocation, Station
from app.services import audit
from app.services.audit import Problem
from app.services.reports import summaries

# --- messages (the "messages" context; {parameters} filled by Problem.text) ---------------------------

NO_ENTRY = QT_TRANSLATE_NOOP("messages", "{what} {number} has no audit entry")
NOT_IN_STORE = QT_TRANSLATE_NOOP("messages", "{what} {number} of audit entry {seq} is missing from the store")
DIFFERS = QT_TRANSLATE_NOOP("messages", "{what} {number}: its {field} is {stored} in the store but {written} in audit entry {seq}")
PAID_DIFFERS = QT_TRANSLATE_NOOP(
    "messages", "bill {number}: its {field} is {stored} but its payments and balance deductions add up to {facts}"
)
SUMMARY_DIFFERS = QT_TRANSLATE_NOOP(
    "messages", "report summary {table}, {key}: it holds {stored} but the records behind it add up to {facts}"
)
BALANCE_DIFFERS = QT_TRANSLATE_NOOP("messages", "account {number}: its prepaid balance is {stored} but its ledger adds up to {facts}")
LEDGER_DIFFERS = QT_TRANSLATE_NOOP("messages", "account {number}: the ledger's {kind} for {ref} is {stored} but {written} was audited")
SEQUENCE_GAP = QT_TRANSLATE_NOOP("messages", "{what} numbers of station {station} in {year}: {missing} missing (the sequence is at {last})")
SEQUENCE_BEHIND = QT_TRANSLATE_NOOP(
    "messages", "{what} numbers of station {station} in {year}: {number} is in use but the sequence is at {last}"
)
STORE_DAMAGED = QT_TRANSLATE_NOOP("messages", "the database's own integrity check failed: {detail}")
TABLE_UNREADABLE = QT_TRANSLATE_NOOP("messages", "table {table} cannot be read: {detail}")
ANCHOR_NO_CHAIN = QT_TRANSLATE_NOOP("messages", "anchor {anchor} ({source}): this store holds no chain of that station")
ANCHOR_SHORT = QT_TRANSLATE_NOOP(
    "messages", "anchor {anchor} ({source}): the chain of station {station} ends at entry {seq}; entries were cut off"
)
ANCHOR_DIFFERS = QT_TRANSLATE_NOOP(
    "messages", "anchor {anchor} ({source}): entry {seq} of station {station} has another hash; the chain was rewritten"
)

PAYMENT = QT_TRANSLATE_NOOP("messages", "payment")
REVERSAL = QT_TRANSLATE_NOOP("messages", "reversal")
BILL = QT_TRANSLATE_NOOP("messages", "bill")
RECEIPT = QT_TRANSLATE_NOOP("messages", "receipt")
WORK_ORDER = QT_TRANSLATE_NOOP("messages", "work order")
AMOUNT = QT_TRANSLATE_NOOP("messages", "amount")
ALLOCATIONS = QT_TRANSLATE_NOOP("messages", "allocations")
RECEIPT_NUMBER = QT_TRANSLATE_NOOP("messages", "receipt number")
REVERSED = QT_TRANSLATE_NOOP("messages", "payment reversed")
PAID_AMOUNT = QT_TRANSLATE_NOOP("messages", "paid amount")
FEE_PAID = QT_TRANSLATE_NOOP("messages", "late fee paid")
DEPOSIT = QT_TRANSLATE_NOOP("messages", "deposit")
DEDUCTION = QT_TRANSLATE_NOOP("messages", "deduction")
audit.WORDS.update(
    (PAYMENT, REVERSAL, BILL, RECEIPT, WORK_ORDER, AMOUNT, ALLOCATIONS, RECEIPT_NUMBER, REVERSED, PAID_AMOUNT, FEE_PAID, DEPOSIT, DEDUCTION)
)


def _records(message: str, **params) -> Problem:
    return Problem(message, params, kind="records")


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _fen(value) -> int | None:
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except (InvalidOperation, TypeError, ValueError):
        return None


def _after(raw: str) -> dict:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class Coverage:
    """How many records were checked against the chain, and how many belong to stations whose chain is
    not in this store (records sent down from the centre)."""

    payments: int = 0
    bills: int = 0
    accounts: int = 0
    numbers: int = 0
    not_covered: int = 0


def cross_check(session: Session) -> tuple[list[Problem], Coverage]:
    problems: list[Problem] = []
    cover = Coverage()
    chained = {sid for sid in session.scalars(select(AuditHead.station_id))}

    def covered(station_id) -> bool:
        return station_id is None or station_id in chained

    entries: dict[tuple[str, str], list] = defaultdict(list)
    for station_id, seq, action, entity, entity_id, after in session.execute(
        select(AuditEntry.station_id, AuditEntry.seq, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.after)
        .where(AuditEntry.entity.in_(("payment", "bill", "account")), AuditEntry.action.in_(("post", "reverse", "issue", "deduct")))
        .order_by(AuditEntry.station_id, AuditEntry.seq)
    ):
        entries[(entity, action)].append((station_id, seq, entity_id, _after(after)))

    # --- payments and reversals against their entries
    allocations: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for pid, bill_id, fee, principal, to_balance in session.execute(
        select(
            PaymentAllocation.payment_id,
            PaymentAllocation.bill_id,
            PaymentAllocation.late_fee_fen,
            PaymentAllocation.principal_fen,
            PaymentAllocation.to_balance_fen,
        )
    ):
        allocations[pid].append((str(bill_id) if bill_id else None, int(fee), int(principal), int(to_balance)))
    payments = {
        p.id: p
        for p in session.execute(
            select(Payment.id, Payment.receipt_no, Payment.kind, Payment.amount_fen, Payment.station_id, Payment.reversal_of_id)
        )
    }
    posts = {eid: (seq, after) for _sid, seq, eid, after in entries[("payment", "post")]}
    reverses = {after.get("reversal"): (seq, eid, after) for _sid, seq, eid, after in entries[("payment", "reverse")]}
    for p in payments.values():
        if not covered(p.station_id):
            cover.not_covered += 1
            continue
        cover.payments += 1
        mine = sorted(allocations.get(p.id, []), key=str)
        if p.kind == "reversal":
            found = reverses.pop(p.receipt_no, None)
            if found is None:
                problems.append(_records(NO_ENTRY, what=REVERSAL, number=p.receipt_no))
                continue
            seq, eid, after = found
            original = payments.get(p.reversal_of_id)
            if eid != str(p.reversal_of_id) or (original is not None and after.get("of") not in (None, original.receipt_no)):
                problems.append(
                    _records(
                        DIFFERS,
                        what=REVERSAL,
                        number=p.receipt_no,
                        field=REVERSED,
                        stored=original.receipt_no if original else "?",
                        written=after.get("of", eid),
                        seq=seq,
                    )
                )
            written = _fen(after["amount"]) if "amount" in after else (-original.amount_fen if original is not None else None)
            if written is not None and written != p.amount_fen:
                problems.append(
                    _records(
                        DIFFERS,
                        what=REVERSAL,
                        number=p.receipt_no,
                        field=AMOUNT,
                        stored=_yuan(p.amount_fen),
                        written=_yuan(written),
                        seq=seq,
                    )
                )
            if original is not None:
                undone = sorted(((b, -f, -pr, -tb) for b, f, pr, tb in allocations.get(original.id, [])), key=str)
                if undone != mine:
                    problems.append(
                        _records(
                            DIFFERS,
                            what=REVERSAL,
                            number=p.receipt_no,
                            field=ALLOCATIONS,
                            stored=_digest(mine),
                            written=_digest(undone),
                            seq=seq,
                        )
                    )
            continue
        found = posts.pop(str(p.id), None)
        if found is None:
            problems.append(_records(NO_ENTRY, what=PAYMENT, number=p.receipt_no))
            continue
        seq, after = found
        if after.get("receipt_no") != p.receipt_no:
            problems.append(
                _records(
                    DIFFERS,
                    what=PAYMENT,
                    number=p.receipt_no,
                    field=RECEIPT_NUMBER,
                    stored=p.receipt_no,
                    written=after.get("receipt_no"),
                    seq=seq,
                )
            )
        if _fen(after.get("amount")) != p.amount_fen:
            problems.append(
                _records(
                    DIFFERS,
                    what=PAYMENT,
                    number=p.receipt_no,
                    field=AMOUNT,
                    stored=_yuan(p.amount_fen),
                    written=after.get("amount"),
                    seq=seq,
                )
            )
        written = sorted(
            (
                (a.get("bill_id"), int(a.get("late_fee_fen", 0)), int(a.get("principal_fen", 0)), int(a.get("to_balance_fen", 0)))
                for a in after.get("allocations", [])
                if isinstance(a, dict)
            ),
            key=str,
        )
        if written != mine:
            problems.append(
                _records(
                    DIFFERS, what=PAYMENT, number=p.receipt_no, field=ALLOCATIONS, stored=_digest(mine), written=_digest(written), seq=seq
                )
            )
    for eid, (seq, after) in posts.items():
        problems.append(_records(NOT_IN_STORE, what=PAYMENT, number=after.get("receipt_no", eid), seq=seq))
    for number, (seq, _eid, _after_) in reverses.items():
        problems.append(_records(NOT_IN_STORE, what=REVERSAL, number=number, seq=seq))

    # --- bills: issued as audited, paid amounts from the facts
    ledger_by_bill: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    for bid, fee, principal in session.execute(
        select(BalanceEntry.bill_id, func.sum(BalanceEntry.late_fee_fen), func.sum(BalanceEntry.principal_fen))
        .where(BalanceEntry.bill_id.is_not(None))
        .group_by(BalanceEntry.bill_id)
    ):
        ledger_by_bill[bid] = [int(fee or 0), int(principal or 0)]
    paid_by_bill: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    for bid, fee, principal in session.execute(
        select(PaymentAllocation.bill_id, func.sum(PaymentAllocation.late_fee_fen), func.sum(PaymentAllocation.principal_fen))
        .where(PaymentAllocation.bill_id.is_not(None))
        .group_by(PaymentAllocation.bill_id)
    ):
        paid_by_bill[bid] = [int(fee or 0), int(principal or 0)]
    issues = {eid: (seq, after) for _sid, seq, eid, after in entries[("bill", "issue")]}
    for b in session.execute(
        select(Bill.id, Bill.bill_no, Bill.amount_fen, Bill.paid_fen, Bill.late_fee_paid_fen, Bill.status, Bill.station_id)
    ):
        if not covered(b.station_id):
            cover.not_covered += 1
            continue
        cover.bills += 1
        found = issues.pop(str(b.id), None)
        if found is None:
            problems.append(_records(NO_ENTRY, what=BILL, number=b.bill_no))
        else:
            seq, after = found
            if _fen(after.get("amount")) != b.amount_fen:
                problems.append(
                    _records(
                        DIFFERS, what=BILL, number=b.bill_no, field=AMOUNT, stored=_yuan(b.amount_fen), written=after.get("amount"), seq=seq
                    )
                )
        fee = paid_by_bill[b.id][0] + ledger_by_bill[b.id][0]
        principal = paid_by_bill[b.id][1] + ledger_by_bill[b.id][1]
        if principal != b.paid_fen:
            problems.append(_records(PAID_DIFFERS, number=b.bill_no, field=PAID_AMOUNT, stored=_yuan(b.paid_fen), facts=_yuan(principal)))
        if fee != b.late_fee_paid_fen:
            problems.append(_records(PAID_DIFFERS, number=b.bill_no, field=FEE_PAID, stored=_yuan(b.late_fee_paid_fen), facts=_yuan(fee)))
    for eid, (seq, after) in issues.items():
        problems.append(_records(NOT_IN_STORE, what=BILL, number=after.get("bill_no", eid), seq=seq))

    # --- balances: the ledger adds up; deposits are what payments put in; deductions are what was audited
    totals = dict(
        session.execute(select(BalanceEntry.account_id, func.sum(BalanceEntry.amount_fen)).group_by(BalanceEntry.account_id)).all()
    )
    numbers = {}
    for aid, account_no, bal in session.execute(select(Account.id, Account.account_no, Account.balance_fen)):
        numbers[aid] = account_no
        cover.accounts += 1
        if int(totals.get(aid) or 0) != bal:
            problems.append(_records(BALANCE_DIFFERS, number=account_no, stored=_yuan(bal), facts=_yuan(int(totals.get(aid) or 0))))
    into_balance = defaultdict(int)
    for pid, account_id, amount in session.execute(
        select(BalanceEntry.payment_id, BalanceEntry.account_id, BalanceEntry.amount_fen).where(
            BalanceEntry.payment_id.is_not(None), BalanceEntry.bill_id.is_(None)
        )
    ):
        into_balance[(pid, account_id)] += int(amount)
    account_of = {p.id: p for p in payments.values()}
    for (pid, account_id), amount in into_balance.items():
        p = account_of.get(pid)
        if p is None or not covered(p.station_id):
            continue
        want = sum(a[3] for a in allocations.get(pid, []))
        if want != amount:
            problems.append(
                _records(
                    LEDGER_DIFFERS,
                    number=numbers.get(account_id, "?"),
                    kind=DEPOSIT,
                    ref=p.receipt_no,
                    stored=_yuan(amount),
                    written=_yuan(want),
                )
            )
    audited = defaultdict(int)
    for _sid, _seq, eid, after in entries[("account", "deduct")]:
        for d in after.get("deductions", []):
            if isinstance(d, dict):
                audited[d.get("bill_id")] += (_fen(d.get("late_fee")) or 0) + (_fen(d.get("charges")) or 0)
    deducted = defaultdict(int)
    bill_numbers = {}
    for bid, account_id, amount, station_id in session.execute(
        select(BalanceEntry.bill_id, BalanceEntry.account_id, BalanceEntry.amount_fen, BalanceEntry.station_id).where(
            BalanceEntry.kind == "deduction"
        )
    ):
        if covered(station_id):
            deducted[str(bid)] -= int(amount)
            bill_numbers[str(bid)] = numbers.get(account_id, "?")
    for bid in set(deducted) | set(audited):
        if bid in deducted and deducted[bid] != audited.get(bid, 0):
            problems.append(
                _records(
                    LEDGER_DIFFERS,
                    number=bill_numbers.get(bid, "?"),
                    kind=DEDUCTION,
                    ref=_bill_no(session, bid),
                    stored=_yuan(deducted[bid]),
                    written=_yuan(audited.get(bid, 0)),
                )
            )

    # --- the reports' summaries: each row what its base rows add up to (app.services.reports.summaries)
    for table, key, stored, facts in summaries.differences(session):
        problems.append(
            _records(
                SUMMARY_DIFFERS,
                table=table,
                key=" / ".join(str(k) for k in key),
                stored=", ".join(str(v) for v in stored) if stored else "0",
                facts=", ".join(str(v) for v in facts) if facts else "0",
            )
        )

    # --- number sequences: gap-free and not behind what is in use
    problems += _sequences(session, cover, chained)
    return problems, cover


def _bill_no(session: Session, bill_id: str) -> str:
    try:
        return session.scalar(select(Bill.bill_no).where(Bill.id == uuid.UUID(bill_id))) or bill_id
    except (ValueError, TypeError):
        return str(bill_id)


def _digest(allocations: list[tuple]) -> str:
    """A short, readable summary of allocations: bill (or balance) and fen paid to it."""
    parts = [f"{(b or 'balance')[:8]}:{fee + principal + to_balance}" for b, fee, principal, to_balance in allocations]
    return "[" + ", ".join(parts) + "]"


_SEQUENCED = {"receipt": (RECEIPT, Payment, "receipt_no", "R"), "matter": (WORK_ORDER, None, "matter_no", "W")}


def _sequences(session: Session, cover: Coverage, chained: set) -> list[Problem]:
    from app.models import Matter

    problems = []
    codes = dict(session.execute(select(Station.id, Station.code)).all())
    for station_id, kind, year, last in session.execute(
        select(NumberSequence.station_id, NumberSequence.kind, NumberSequence.year, NumberSequence.last_value)
    ):
        if kind not in _SEQUENCED or station_id not in chained:
            continue
        what, model, column, prefix = _SEQUENCED[kind]
        model = model or Matter
        code = codes.get(station_id, str(station_id))
        pattern = re.compile(rf"^{prefix}-{re.escape(code)}-{year}-(\d+)$")
        col = getattr(model, column)
        used = set()
        for number in session.scalars(select(col).where(col.like(f"{prefix}-{code}-{year}-%"))):
            m = pattern.match(number or "")
            if m:
                used.add(int(m.group(1)))
        cover.numbers += len(used)
        beyond = sorted(n for n in used if n > last)
        if beyond:
            problems.append(
                _records(SEQUENCE_BEHIND, what=what, station=code, year=year, number=f"{prefix}-{code}-{year}-{beyond[-1]:06d}", last=last)
            )
        missing = sorted(set(range(1, last + 1)) - used)
        if missing:
            shown = ", ".join(f"{prefix}-{code}-{year}-{n:06d}" for n in missing[:5]) + (" …" if len(missing) > 5 else "")
            problems.append(_records(SEQUENCE_GAP, what=what, station=code, year=year, missing=shown, last=last))
    return problems


# --- the database's own check ----------------------------------------------------------------------


def database_check(session: Session) -> list[Problem]:
    """SQLite: PRAGMA integrity_check (every page, index and constraint of the file). PostgreSQL:
    every table of the program is read through (a damaged page fails the read), and with the amcheck
    extension installed every B-tree index of the program's tables is checked."""
    from app.models.base import Base

    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        try:
            rows = [r[0] for r in session.execute(text("PRAGMA integrity_check(20)"))]
        except Exception as exc:  # noqa: BLE001  (sqlite3.DatabaseError: file is not a database ...)
            return [Problem(STORE_DAMAGED, {"detail": str(exc).splitlines()[0][:300]}, kind="store")]
        if rows != ["ok"]:
            return [Problem(STORE_DAMAGED, {"detail": "; ".join(str(r) for r in rows[:5])[:500]}, kind="store")]
        return []
    problems = []
    for table in Base.metadata.sorted_tables:
        try:
            with session.begin_nested():
                session.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar()
        except Exception as exc:  # noqa: BLE001
            problems.append(Problem(TABLE_UNREADABLE, {"table": table.name, "detail": str(exc).splitlines()[0][:300]}, kind="store"))
    if session.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first():
        names = [t.name for t in Base.metadata.sorted_tables]
        for (index,) in session.execute(
            text(
                "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_am a ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid) "
                "WHERE a.amname = 'btree' AND c.relname = ANY(:names)"
            ),
            {"names": names},
        ).all():
            try:
                with session.begin_nested():
                    session.execute(text("SELECT bt_index_check(CAST(:i AS regclass))"), {"i": index})
            except Exception as exc:  # noqa: BLE001
                problems.append(Problem(STORE_DAMAGED, {"detail": f"{index}: {str(exc).splitlines()[0][:300]}"}, kind="store"))
    return problems


# --- anchors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A station's chain head as seen at some moment and kept outside the store (a printed report, a
    backup's check file, the centre): station (code or id), entry number and its hash."""

    station: str
    seq: int
    hash: str
    source: str = ""

    @property
    def text(self) -> str:
        return f"{self.station}:{self.seq}:{self.hash}"


_ANCHOR = re.compile(r"([0-9A-Za-z_.\-]+):(\d+):([0-9a-fA-F]{16,64})")


def anchor_text(station_code: str, seq: int, digest: str) -> str:
    """The anchor as printed on reports and given to `audit verify --anchor`: CODE:SEQ:HASH."""
    return f"{station_code}:{seq}:{digest}"


def station_anchor(session: Session, station_id: uuid.UUID) -> str:
    """The anchor of one station's chain now (for a shift or day report)."""
    head = audit.head_of(session, station_id)
    code = session.scalar(select(Station.code).where(Station.id == station_id)) or str(station_id)
    return anchor_text(code, head.seq, head.hash)


def all_anchors(session: Session) -> list[dict]:
    """Every chain's head as anchors (a backup's check file)."""
    codes = {sid: code for sid, code in session.execute(select(Station.id, Station.code))}
    codes[audit.NO_STATION] = audit.NO_STATION_CODE
    return [
        {
            "station": codes.get(h.station_id, str(h.station_id)),
            "station_id": str(h.station_id),
            "seq": h.seq,
            "hash": h.hash,
            "anchor": anchor_text(codes.get(h.station_id, str(h.station_id)), h.seq, h.hash),
        }
        for h in audit.heads(session)
    ]


def read_anchors(given: str) -> list[Anchor]:
    """Anchors from an argument: a file (a backup's check file, or any text holding CODE:SEQ:HASH
    lines, such as a report's text) or the value itself. Raises ValueError saying why not."""
    path = Path(given)
    if path.is_file():
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(str(exc)) from None
        source = path.name
        try:
            doc = json.loads(content)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("anchors"), list):
            found = [
                Anchor(str(a.get("station_id") or a["station"]), int(a["seq"]), str(a["hash"]), source)
                for a in doc["anchors"]
                if isinstance(a, dict) and "seq" in a and "hash" in a
            ]
        else:
            found = [Anchor(m.group(1), int(m.group(2)), m.group(3).lower(), source) for m in _ANCHOR.finditer(content)]
    else:
        source = given if len(given) <= 40 else given[:37] + "..."
        m = _ANCHOR.fullmatch(given.strip())
        found = [Anchor(m.group(1), int(m.group(2)), m.group(3).lower(), source)] if m else []
    if not found:
        raise ValueError("no anchor (STATION:SEQ:HASH) in it")
    return found


def compare_anchors(session: Session, result: audit.VerifyResult, anchors: list[Anchor]) -> list[Problem]:
    """Each anchor against the chain it names: the chain must reach the anchor's entry, and that
    entry's hash must be the anchor's (a prefix of 16 hex digits or more is enough)."""
    problems = []
    by_key = {}
    for c in result.chains:
        by_key[c.station_id] = c
        by_key[c.station_code] = c
    for a in anchors:
        c = by_key.get(a.station)
        label = f"{a.station}:{a.seq}:{a.hash[:16]}…" if len(a.hash) > 16 else a.text
        if c is None:
            problems.append(Problem(ANCHOR_NO_CHAIN, {"anchor": label, "source": a.source}, a.station, a.station, a.seq, None, "anchor"))
            continue
        try:
            stored = session.execute(
                select(AuditEntry.hash, AuditEntry.id).where(AuditEntry.station_id == uuid.UUID(c.station_id), AuditEntry.seq == a.seq)
            ).first()
        except ValueError:  # the "?" of unreadable rows
            stored = None
        if stored is None:
            end = c.stored_seq if c.stored_seq is not None else c.seq
            problems.append(
                Problem(
                    ANCHOR_SHORT,
                    {"anchor": label, "source": a.source, "station": c.station_code, "seq": end},
                    c.station_id,
                    c.station_code,
                    a.seq,
                    None,
                    "anchor",
                )
            )
        elif not stored[0].lower().startswith(a.hash.lower()):
            problems.append(
                Problem(
                    ANCHOR_DIFFERS,
                    {"anchor": label, "source": a.source, "station": c.station_code, "seq": a.seq},
                    c.station_id,
                    c.station_code,
                    a.seq,
                    str(stored[1]),
                    "anchor",
                )
            )
    return problems


# --- everything at once ----------------------------------------------------------------------------


@dataclass
class CheckReport:
    store: list[Problem] = field(default_factory=list)
    chains: audit.VerifyResult | None = None
    anchors: list[Problem] = field(default_factory=list)
    records: list[Problem] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def problems(self) -> list[Problem]:
        return [*self.store, *(self.chains.problems if self.chains else []), *self.anchors, *self.records]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(session: Session, anchors: list[Anchor] = (), database: bool = True) -> CheckReport:
    """The database's own check (unless `database` is false), the chains, the anchors and the
    cross-checks, in one read transaction."""
    report = CheckReport()
    if database:
        report.store = database_check(session)
    report.chains = audit.verify(session)
    report.anchors = compare_anchors(session, report.chains, list(anchors))
    try:
        report.records, report.coverage = cross_check(session)
    except Exception as exc:  # noqa: BLE001  (rows too damaged to read: said, not a traceback)
        session.rollback()
        report.records = [
            Problem(TABLE_UNREADABLE, {"table": "payments/bills/accounts", "detail": str(exc).splitlines()[0][:300]}, kind="store")
        ]
    return report


# --- a file on its own (a backup's copy) -----------------------------------------------------------


def check_sqlite_file(path: Path, anchors: list[Anchor] = ()) -> CheckReport:
    """Everything above on a SQLite file opened read-only (a backup's copy: nothing is written to it),
    its chains compared with `anchors` (a backup's check file, when it is restored)."""
    from urllib.parse import quote

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session as PlainSession

    engine = create_engine(f"sqlite:///file:{quote(str(Path(path).resolve()))}?mode=ro&uri=true")
    try:
        with PlainSession(engine) as s:
            try:
                return check(s, anchors)
            except Exception as exc:  # noqa: BLE001  (not a database at all, or damaged beyond reading)
                return CheckReport(
                    store=[Problem(STORE_DAMAGED, {"detail": str(exc).splitlines()[0][:300]}, kind="store")],
                    chains=audit.VerifyResult(False, 0),
                )
    finally:
        engine.dispose()


def check_document(report: CheckReport, made_at: str) -> dict:
    """What a backup's check file holds: the anchors of every chain in the copy (to give to `audit
    verify --anchor` later, on the store or on any other copy) and the result of the check."""
    chains = report.chains.chains if report.chains else []
    anchors = [
        {
            "station": c.station_code,
            "station_id": c.station_id,
            "seq": c.seq,
            "hash": c.hash,
            "anchor": anchor_text(c.station_code, c.seq, c.hash),
        }
        for c in chains
        if c.problem is None
    ]
    return {
        "made_at": made_at,
        "ok": report.ok,
        "anchors": anchors,
        "problems": [p.text() for p in report.problems],
        "coverage": report.coverage.__dict__,
    }
