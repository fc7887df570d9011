"""Payment-channel statements: a QR-code platform's or a bank's daily statement matched to the
counter's payments, and the differences a supervisor resolves.

Rules (docs/INTERFACES.md, "Payment-channel statements"):
- A channel is a profile data file (resources/interfaces/channels/NAME.toml, or the administrator's
  copy in <data folder>/interfaces/channels/): the payment method it takes, the columns of its CSV,
  the statuses that mean money was taken, and its total line.
- A file is read whole before anything is stored (app.services.interfaces.tabular): any bad cell, a
  wrong cell count, a missing or disagreeing total line (a cut file), lines of more than one day,
  or a reference twice refuses the whole file with the file, line and column named.
- The same file (by its SHA-256) is imported once; a line whose reference the channel has sent
  before (an overlapping file) is not stored again.
- Each taken line is matched to the counter payment of the channel's method with the same
  reference: the same amount is a match; another amount (or a payment reversed since) is an
  `amount` difference; no payment is a `line_only` difference. Every payment of the method on the
  statement's day that no line matches is a `payment_only` difference; one a later file matches is
  settled by itself.
- A supervisor resolves each difference with a note (audited). A channel's day is reconciled
  only when it has a statement and no difference is open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.ids import new_id
from app.kernel.localtime import to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.payment_methods import METHOD_CODES
from app.kernel.text import text_problem
from app.models import ChannelStatement, Payment, ReconcileItem, StatementLine, utcnow
from app.services import audit
from app.services.handling.datafiles import DataFileError, cached, read_toml, shipped_folder, user_folder
from app.services.interfaces import tabular

KINDS = ("line_only", "payment_only", "amount")
KIND_LABELS = {
    "line_only": QT_TRANSLATE_NOOP("reconcile", "On the statement, no counter payment"),
    "payment_only": QT_TRANSLATE_NOOP("reconcile", "Counter payment not on the statement"),
    "amount": QT_TRANSLATE_NOOP("reconcile", "Amounts differ"),
}
STATUS_LABELS = {
    "open": QT_TRANSLATE_NOOP("reconcile", "open"),
    "resolved": QT_TRANSLATE_NOOP("reconcile", "resolved"),
    "settled": QT_TRANSLATE_NOOP("reconcile", "matched by a later file"),
}
MAX_NOTE = 500


# ---------------------------------------------------------------- channel profiles


@dataclass(frozen=True)
class Channel:
    name: str
    label: str
    method: str
    encoding: str | None
    delimiter: str
    columns: dict[str, list[str]]
    take: tuple[str, ...]  # statuses that took money ("" = every line)
    markers: tuple[str, ...]
    count_field: str
    path: Path


def _folders() -> list[Path]:
    return [user_folder("interfaces", "channels"), shipped_folder("interfaces", "channels")]


def channel_names() -> list[str]:
    names = set()
    for folder in _folders():
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.toml"))
    return sorted(names)


def _bad_profile(path: Path, key: str, message: str = "") -> DataFileError:
    return DataFileError(
        message or QT_TRANSLATE_NOOP("messages", "{file}: “{key}” is missing or not what a channel profile needs."), file=str(path), key=key
    )


def channel(name: str) -> Channel:
    """The profile of channel `name`; UserError at "channel" naming the known ones if there is none."""
    name = (name or "").strip()
    path = next((f / f"{name}.toml" for f in _folders() if name and (f / f"{name}.toml").is_file()), None)
    if path is None or "/" in name or "\\" in name:
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "There is no payment channel “{name}” (known: {known})."),
            field="channel",
            name=name[:40],
            known=", ".join(channel_names()),
        )

    def build() -> Channel:
        data, _ = read_toml(path)
        method = data.get("method")
        if method not in METHOD_CODES or method == "cash":
            raise _bad_profile(path, "method")
        columns = data.get("columns")
        if not isinstance(columns, dict) or not all(k in columns for k in ("reference", "amount", "paid_at")):
            raise _bad_profile(path, "columns")
        cols = {}
        for key, names in columns.items():
            names = [names] if isinstance(names, str) else names
            if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
                raise _bad_profile(path, f"columns.{key}")
            cols[key] = names
        trailer = data.get("trailer") or {}
        markers = trailer.get("marker") or []
        markers = [markers] if isinstance(markers, str) else markers
        count_field = trailer.get("count", "paid_at")
        if not markers or count_field not in cols:
            raise _bad_profile(path, "trailer")
        take = (data.get("status") or {}).get("take") or []
        if take and "status" not in cols:
            raise _bad_profile(path, "status.take")
        delimiter = data.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise _bad_profile(path, "delimiter")
        return Channel(
            name,
            str(data.get("label") or name),
            method,
            data.get("encoding") or None,
            delimiter,
            cols,
            tuple(str(t).strip() for t in take),
            tuple(str(m).strip() for m in markers),
            count_field,
            path,
        )

    return cached(f"channel:{name}", [path], build)


# ---------------------------------------------------------------- reading a file


@dataclass
class Line:
    line_no: int
    reference: str
    amount_fen: int
    paid_at: datetime | None
    taken: bool


def _paid_at(row: tabular.Row, name: str) -> datetime:
    text = row.required(name)
    day_text, _, clock = text.replace("T", " ").partition(" ")
    try:
        day = tabular.parse_date(day_text if clock else row.raw(name))
        moment = time.fromisoformat(clock.strip()) if clock.strip() else time(0, 0)
    except ValueError:
        raise row.error(
            name,
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: “{value}” is not a date and time (YYYY-MM-DD HH:MM:SS)."),
            value=text[:40],
        ) from None
    return datetime.combine(day, moment.replace(tzinfo=None, microsecond=0))


def read_statement(path: Path | str, ch: Channel) -> tuple[date, list[Line], int]:
    """The statement's day, its lines and the ignored (not taken) count; TabularError for anything
    that does not add up, with nothing kept."""
    path = Path(path)
    table = tabular.read_table(path, ch.columns, ("reference", "amount", "paid_at"), encoding=ch.encoding, delimiter=ch.delimiter)
    lines: list[Line] = []
    trailer = None
    seen: dict[str, int] = {}
    for row in table.rows():
        reference = row.required("reference")
        if reference in ch.markers:
            trailer = row
            continue
        if trailer is not None:
            raise tabular.file_error(
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}: a line after the total line (line {total})."),
                path,
                row.line,
                total=trailer.line,
            )
        if reference in seen:
            raise row.error(
                "reference",
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: reference {value} is on line {first} already."),
                value=reference[:40],
                first=seen[reference],
            )
        if len(reference) > 80:
            raise row.error(
                "reference",
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: the reference is longer than 80 characters."),
            )
        seen[reference] = row.line
        amount = row.amount("amount")
        if amount <= 0:
            raise row.error(
                "amount",
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: the amount {value} is not above zero."),
                value=str(amount),
            )
        status = row.text("status") if "status" in table.positions else ""
        taken = not ch.take or status in ch.take
        lines.append(Line(row.line, reference, int(amount * 100), _paid_at(row, "paid_at"), taken))
    if trailer is None:
        raise tabular.file_error(
            QT_TRANSLATE_NOOP("messages", "{file}: the total line ({marker}) is missing; the file seems cut off. Nothing was imported."),
            path,
            0,
            marker=ch.markers[0],
        )
    total = trailer.amount("amount")
    count_text = trailer.required(ch.count_field)
    try:
        count = int(tabular.parse_number(count_text.rstrip("笔条"), 0))
    except ValueError:
        raise trailer.error(
            ch.count_field,
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: “{value}” is not the number of lines."),
            value=count_text[:40],
        ) from None
    sum_fen = sum(x.amount_fen for x in lines)
    if count != len(lines) or int(total * 100) != sum_fen:
        raise tabular.file_error(
            QT_TRANSLATE_NOOP(
                "messages",
                "{file}, line {line}: the total line says {count} lines and {total} yuan, the file has {lines} lines and {sum} yuan; it was cut or changed. Nothing was imported.",
            ),
            path,
            trailer.line,
            count=count,
            total=f"{total:,.2f}",
            lines=len(lines),
            sum=f"{Decimal(sum_fen) / 100:,.2f}",
        )
    if not lines:
        raise tabular.file_error(QT_TRANSLATE_NOOP("messages", "{file}: the statement has no lines."), path, 0)
    day = lines[0].paid_at.date()
    for x in lines:
        if x.paid_at.date() != day:
            raise tabular.file_error(
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{file}, line {line}, column {column}: {value} is not the statement's day {day} (line {first}); a statement covers one day.",
                ),
                path,
                x.line_no,
                table.column_label("paid_at"),
                value=x.paid_at.date().isoformat(),
                day=day.isoformat(),
                first=lines[0].line_no,
            )
    return day, lines, sum(1 for x in lines if not x.taken)


# ---------------------------------------------------------------- importing and matching


@dataclass
class Difference:
    id: uuid.UUID
    channel: str
    day: date
    kind: str
    reference: str
    statement_fen: int
    counter_fen: int
    status: str
    note: str = ""
    receipt_no: str = ""
    resolved_at: datetime | None = None  # local

    def as_json(self) -> dict:
        return {
            "id": str(self.id),
            "channel": self.channel,
            "day": self.day.isoformat(),
            "kind": self.kind,
            "reference": self.reference,
            "receipt_no": self.receipt_no,
            "statement": f"{Decimal(self.statement_fen) / 100:.2f}",
            "counter": f"{Decimal(self.counter_fen) / 100:.2f}",
            "status": self.status,
            "note": self.note,
        }


@dataclass
class Imported:
    channel: str
    day: date
    file: str
    duplicate: bool = False  # the same file was imported before: nothing was added
    lines: int = 0
    new_lines: int = 0
    known_lines: int = 0  # lines an earlier file of the channel brought already
    ignored: int = 0  # lines whose status took no money
    matched: int = 0
    differences: list[Difference] = field(default_factory=list)  # the day's open ones
    reconciled: bool = False

    def as_json(self) -> dict:
        return {
            "channel": self.channel,
            "day": self.day.isoformat(),
            "file": self.file,
            "duplicate": self.duplicate,
            "lines": self.lines,
            "new_lines": self.new_lines,
            "known_lines": self.known_lines,
            "ignored": self.ignored,
            "matched": self.matched,
            "reconciled": self.reconciled,
            "differences": [d.as_json() for d in self.differences],
        }


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0))
    return to_utc(start), to_utc(start + timedelta(days=1))


def import_statement(db: Database, actor: Actor, path: Path | str, channel_name: str) -> Imported:
    """Read, check and store a channel's statement, match it and list the day's differences; the
    same file again adds nothing. Supervisors only."""
    if actor is None or not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor imports and reconciles payment-channel statements."))
    ch = channel(channel_name)
    path = Path(path)
    digest = tabular.file_digest(path) if path.is_file() else ""
    if not digest:
        raise tabular.file_error(QT_TRANSLATE_NOOP("messages", "{file}: cannot be read ({reason})."), path, reason="not a file")
    with db.read() as s:
        known = s.scalar(select(ChannelStatement).where(ChannelStatement.file_sha256 == digest))
        if known is not None:
            result = Imported(known.channel, known.day, path.name, duplicate=True, lines=known.lines)
            result.differences = _differences(s, known.channel, known.day, open_only=True)
            result.reconciled = not result.differences
            return result
    day, lines, ignored = read_statement(path, ch)
    result = Imported(ch.name, day, path.name, lines=len(lines), ignored=ignored)
    try:
        with db.write() as s:
            if s.scalar(select(ChannelStatement.id).where(ChannelStatement.file_sha256 == digest)) is not None:
                result.duplicate = True  # imported meanwhile by another supervisor (SQLite: the write lock orders the two)
            else:
                _store(s, actor, ch, path, digest, day, lines, result)
    except IntegrityError:  # PostgreSQL: the other import committed the same file (or lines) first; nothing of this one stays
        result.duplicate = True
    if result.duplicate:
        return import_statement(db, actor, path, channel_name)
    return result


def _store(s, actor: Actor, ch: Channel, path: Path, digest: str, day: date, lines: list[Line], result: Imported) -> None:
    """Store the statement and its new lines, match them and list the day's differences (in the caller's unit of work)."""
    statement = ChannelStatement(
        id=new_id(),
        station_id=actor.station_id,
        channel=ch.name,
        day=day,
        file_name=path.name[:260],
        file_sha256=digest,
        lines=len(lines),
        total_fen=sum(x.amount_fen for x in lines),
        imported_by=actor.clerk_id,
        imported_at=utcnow(),
    )
    s.add(statement)
    s.flush()
    refs = [x.reference for x in lines]
    stored = set()
    for i in range(0, len(refs), 500):
        stored.update(
            s.scalars(
                select(StatementLine.reference).where(StatementLine.channel == ch.name, StatementLine.reference.in_(refs[i : i + 500]))
            )
        )
    new = [x for x in lines if x.reference not in stored]
    result.known_lines = len(lines) - len(new)
    result.new_lines = len(new)
    taken = [x for x in new if x.taken]
    payments = {}
    refs = [x.reference for x in taken]
    for i in range(0, len(refs), 500):
        for p in s.execute(
            select(Payment.id, Payment.reference, Payment.amount_fen, Payment.reversed_by_id, Payment.receipt_no).where(
                Payment.method == ch.method, Payment.kind == "payment", Payment.reference.in_(refs[i : i + 500])
            )
        ):
            payments.setdefault(p.reference, p)
    items: list[dict] = []
    line_rows = []
    for x in new:
        line_id = new_id()
        p = payments.get(x.reference) if x.taken else None
        line_rows.append(
            {
                "id": line_id,
                "statement_id": statement.id,
                "channel": ch.name,
                "day": day,
                "line_no": x.line_no,
                "reference": x.reference,
                "amount_fen": x.amount_fen,
                "paid_at": x.paid_at,
                "payment_id": p.id if p is not None else None,
            }
        )
        if not x.taken:
            continue
        if p is None:
            items.append(_item(ch.name, day, "line_only", line_id, None, x.reference, x.amount_fen, 0))
            continue
        counter = 0 if p.reversed_by_id is not None else p.amount_fen
        if counter == x.amount_fen:
            result.matched += 1
        else:
            items.append(_item(ch.name, day, "amount", line_id, p.id, x.reference, x.amount_fen, counter))
    if line_rows:
        s.execute(StatementLine.__table__.insert(), line_rows)
    # the counter's side: payments of the method on the day that no line of the channel matches
    start, end = _day_bounds(day)
    matched_ids = select(StatementLine.payment_id).where(StatementLine.channel == ch.name, StatementLine.payment_id.is_not(None))
    for p in s.execute(
        select(Payment.id, Payment.reference, Payment.amount_fen).where(
            Payment.method == ch.method,
            Payment.kind == "payment",
            Payment.reversed_by_id.is_(None),
            Payment.created_at >= start,
            Payment.created_at < end,
            Payment.id.not_in(matched_ids),
        )
    ):
        items.append(_item(ch.name, day, "payment_only", None, p.id, p.reference, 0, p.amount_fen))
    keys = [i["key"] for i in items]
    existing = set()
    for i in range(0, len(keys), 500):
        existing.update(s.scalars(select(ReconcileItem.key).where(ReconcileItem.key.in_(keys[i : i + 500]))))
    fresh = [i for i in items if i["key"] not in existing]
    if fresh:
        s.execute(ReconcileItem.__table__.insert(), fresh)
    # payment_only items of earlier files that this file's lines match now settle by themselves
    now_matched = [r["payment_id"] for r in line_rows if r["payment_id"] is not None]
    settled = 0
    for i in range(0, len(now_matched), 500):
        settled += (
            s.execute(
                update(ReconcileItem)
                .where(
                    ReconcileItem.channel == ch.name,
                    ReconcileItem.kind == "payment_only",
                    ReconcileItem.status == "open",
                    ReconcileItem.payment_id.in_(now_matched[i : i + 500]),
                )
                .values(status="settled", resolved_at=utcnow())
            ).rowcount
            or 0
        )
    audit.record(
        s,
        actor,
        "import",
        "statement",
        statement.id,
        after={
            "channel": ch.name,
            "day": day,
            "file": path.name,
            "sha256": digest,
            "lines": len(lines),
            "new_lines": len(new),
            "matched": result.matched,
            "differences": len(fresh),
            "settled": settled,
        },
    )
    s.flush()
    result.differences = _differences(s, ch.name, day, open_only=True)
    result.reconciled = not result.differences


def _item(channel_name: str, day: date, kind: str, line_id, payment_id, reference: str, statement_fen: int, counter_fen: int) -> dict:
    return {
        "id": new_id(),
        "key": f"{channel_name}:{kind}:{line_id or payment_id}",
        "channel": channel_name,
        "day": day,
        "kind": kind,
        "line_id": line_id,
        "payment_id": payment_id,
        "reference": reference or "",
        "statement_fen": statement_fen,
        "counter_fen": counter_fen,
        "status": "open",
        "note": "",
        "resolved_by": None,
        "resolved_at": None,
        "created_at": utcnow(),
    }


def _differences(s, channel_name: str | None, day: date | None, open_only: bool = True, limit: int = 2000) -> list[Difference]:
    stmt = select(ReconcileItem, Payment.receipt_no).outerjoin(Payment, Payment.id == ReconcileItem.payment_id)
    if channel_name:
        stmt = stmt.where(ReconcileItem.channel == channel_name)
    if day is not None:
        stmt = stmt.where(ReconcileItem.day == day)
    if open_only:
        stmt = stmt.where(ReconcileItem.status == "open")
    stmt = stmt.order_by(ReconcileItem.day.desc(), ReconcileItem.channel, ReconcileItem.kind, ReconcileItem.reference).limit(limit)
    return [
        Difference(
            i.id,
            i.channel,
            i.day,
            i.kind,
            i.reference,
            i.statement_fen,
            i.counter_fen,
            i.status,
            i.note,
            receipt or "",
            to_local(i.resolved_at) if i.resolved_at else None,
        )
        for i, receipt in s.execute(stmt)
    ]


def differences(db: Database, channel_name: str = "", day: date | None = None, open_only: bool = True) -> list[Difference]:
    """The differences (open ones by default), newest day first."""
    with db.read() as s:
        return _differences(s, channel_name or None, day, open_only)


@dataclass
class DayState:
    channel: str
    day: date
    statements: int
    open: int
    resolved: int

    @property
    def reconciled(self) -> bool:
        return self.statements > 0 and self.open == 0


def days(db: Database, limit: int = 60) -> list[DayState]:
    """Each channel-day with a statement: how many differences are open and resolved, newest first."""
    with db.read() as s:
        states = {
            (c, d): DayState(c, d, n, 0, 0)
            for c, d, n in s.execute(
                select(ChannelStatement.channel, ChannelStatement.day, func.count())
                .group_by(ChannelStatement.channel, ChannelStatement.day)
                .order_by(ChannelStatement.day.desc())
                .limit(limit)
            )
        }
        if states:
            for c, d, status, n in s.execute(
                select(ReconcileItem.channel, ReconcileItem.day, ReconcileItem.status, func.count())
                .where(ReconcileItem.day.in_({d for _, d in states}))
                .group_by(ReconcileItem.channel, ReconcileItem.day, ReconcileItem.status)
            ):
                st = states.get((c, d))
                if st is None:
                    continue
                if status == "open":
                    st.open += n
                elif status == "resolved":
                    st.resolved += n
    return sorted(states.values(), key=lambda x: (x.day, x.channel), reverse=True)


def day_state(db: Database, channel_name: str, day: date) -> DayState:
    with db.read() as s:
        n = (
            s.scalar(
                select(func.count())
                .select_from(ChannelStatement)
                .where(ChannelStatement.channel == channel_name, ChannelStatement.day == day)
            )
            or 0
        )
        counts = dict(
            s.execute(
                select(ReconcileItem.status, func.count())
                .where(ReconcileItem.channel == channel_name, ReconcileItem.day == day)
                .group_by(ReconcileItem.status)
            ).all()
        )
    return DayState(channel_name, day, n, counts.get("open", 0), counts.get("resolved", 0))


def resolve(db: Database, actor: Actor, item_id, note: str) -> Difference:
    """A supervisor resolves one difference with a note saying what was done (audited)."""
    if actor is None or not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor resolves a difference of a statement."))
    text = (note or "").strip()
    if not text:
        raise ValidationError.single("note", QT_TRANSLATE_NOOP("messages", "Say what was done about this difference."))
    problem = text_problem(text, "note", multiline=True)
    if problem is not None:
        raise problem
    if len(text) > MAX_NOTE:
        raise ValidationError.single(
            "note", QT_TRANSLATE_NOOP("messages", "At most {count} characters; this has {length}."), count=MAX_NOTE, length=len(text)
        )
    with db.write() as s:
        item = s.get(ReconcileItem, item_id, with_for_update=True)
        if item is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This difference no longer exists."))
        if item.status != "open":
            raise UserError(QT_TRANSLATE_NOOP("messages", "This difference was resolved already."), field="note")
        item.status, item.note, item.resolved_by, item.resolved_at = "resolved", text, actor.clerk_id, utcnow()
        audit.record(
            s,
            actor,
            "resolve",
            "reconcile_item",
            item.id,
            before={"status": "open"},
            after={
                "status": "resolved",
                "note": text,
                "channel": item.channel,
                "day": item.day,
                "kind": item.kind,
                "reference": item.reference,
            },
        )
        s.flush()
        return next(d for d in _differences(s, item.channel, item.day, open_only=False) if d.id == item.id)
