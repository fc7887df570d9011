"""Customer notices: an outbox of text messages to customers' phones and the gateway that sends them.

Rules (docs/INTERFACES.md, "Customer notices"):
- A notice is queued where its event happens, in the event's own unit of work (a matter registered
  or replied), or by a clerk's request (arrears and suspension reminders of a route or an account,
  a planned outage's affected accounts, a receipt). Its text comes from the template of its kind
  (resources/interfaces/notices.toml, or the administrator's copy in the data folder), filled in
  when queued. Queuing the same notice again (same kind and subject) adds nothing.
- A customer who refused messages (customers.refuses_messages) is never queued a notice, and a
  notice still waiting when the customer refuses is cancelled instead of sent. A customer without a
  mobile number is not queued either; both are counted in what the queuing says.
- Sending: only a store that has the gateway sends (a stand-alone store or the centre); at a
  station the outbox waits and reaches the centre with the next sync bundle. The gateway (URL,
  account, key: company settings) is spoken to over HTTP, one POST per message (_post). 2xx with
  ok: sent; a refusal (4xx other than 408/429, or ok false): failed with the gateway's reason; no
  answer, a timeout or 5xx: retrying later (1, 2, 4 … 60 minutes), failed after
  notices.max_attempts attempts.
- A sender first claims a batch (its next attempt moved past the time the batch may take), sends
  it, then writes every message's outcome with one audit entry each in one unit of work: two
  senders never send the same message at once, and a sender killed mid-batch leaves its messages
  to be tried again after the claim runs out (the gateway gets the notice's id, so it can tell a
  repeat).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import socket
import string
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError
from app.kernel.ids import new_id
from app.kernel.localtime import local_today, to_local
from app.kernel.masking import mask_name, mask_phone
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.models import Account, Customer, CustomerNotice, Matter, Payment, Station, utcnow
from app.services import audit, settings
from app.services.handling.datafiles import DataFileError, cached, locate, read_toml
from app.services.validation import normalize_phone

KINDS = ("arrears", "suspension", "outage", "matter_registered", "matter_replied", "receipt")
PLACEHOLDERS = {
    "arrears": {"account_no", "name", "amount", "as_of", "hotline"},
    "suspension": {"account_no", "name", "amount", "suspend_on", "hotline"},
    "outage": {"account_no", "name", "starts", "ends", "reason", "hotline"},
    "matter_registered": {"matter_no", "name", "deadline", "hotline"},
    "matter_replied": {"matter_no", "name", "reply", "hotline"},
    "receipt": {"account_no", "name", "amount", "receipt_no", "paid_at"},
}
STATUSES = ("queued", "retrying", "sent", "failed", "cancelled")
WAITING = ("queued", "retrying")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_REPLY = 200  # characters of a matter's reply quoted in the message
MAX_BACKOFF_MINUTES = 60
BATCH = 100

STATUS_LABELS = {
    "queued": QT_TRANSLATE_NOOP("notices", "queued"),
    "retrying": QT_TRANSLATE_NOOP("notices", "retrying"),
    "sent": QT_TRANSLATE_NOOP("notices", "sent"),
    "failed": QT_TRANSLATE_NOOP("notices", "failed"),
    "cancelled": QT_TRANSLATE_NOOP("notices", "cancelled"),
}
KIND_LABELS = {
    "arrears": QT_TRANSLATE_NOOP("notices", "arrears reminder"),
    "suspension": QT_TRANSLATE_NOOP("notices", "suspension notice"),
    "outage": QT_TRANSLATE_NOOP("notices", "planned outage"),
    "matter_registered": QT_TRANSLATE_NOOP("notices", "matter registered"),
    "matter_replied": QT_TRANSLATE_NOOP("notices", "matter replied"),
    "receipt": QT_TRANSLATE_NOOP("notices", "receipt"),
}

# Reasons stored with a notice (last_error) are English source texts in the "messages" context with
# {parameters} already filled in by the gateway's words: they are shown as they are.
REFUSED_BY_CUSTOMER = QT_TRANSLATE_NOOP("messages", "the customer refused text messages")
CANCELLED_AT_COUNTER = QT_TRANSLATE_NOOP("messages", "cancelled at the counter")
NO_GATEWAY = QT_TRANSLATE_NOOP(
    "messages",
    "The SMS gateway is not set: an administrator sets notices.gateway_url, notices.gateway_account and notices.gateway_key.",
)
AT_STATION = QT_TRANSLATE_NOOP(
    "messages",
    "This is a station: its notices go to the centre with the sync bundles and the centre sends them ({count} queued here in all; their status is at the centre).",
)


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class Templates:
    signature: str
    texts: dict[str, str]


def _check_template(path, key: str, text, allowed: set[str]) -> str:
    if not isinstance(text, str) or not text.strip():
        raise DataFileError(QT_TRANSLATE_NOOP("messages", "{file}: [{key}] needs a text."), file=str(path), key=key)
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise DataFileError(
            QT_TRANSLATE_NOOP("messages", "{file}: the text of [{key}] has an unmatched brace {{ or }}."), file=str(path), key=key
        ) from None
    unknown = sorted(n for n in names if n not in allowed)
    if unknown:
        raise DataFileError(
            QT_TRANSLATE_NOOP(
                "messages", "{file}: the text of [{key}] uses {{{name}}}, which this kind does not fill in; it may use {allowed}."
            ),
            file=str(path),
            key=key,
            name=unknown[0],
            allowed=", ".join("{" + a + "}" for a in sorted(allowed)),
        )
    return text.strip()


def templates() -> Templates:
    """The templates of every kind, read again when the file changes; a broken file is a DataFileError."""
    path = locate("interfaces", "notices.toml")

    def build() -> Templates:
        data, _ = read_toml(path)
        signature = _check_template(path, "signature", data.get("signature", "") or " ", {"company"}).strip()
        texts = {}
        for kind in KINDS:
            section = data.get(kind)
            if not isinstance(section, dict):
                raise DataFileError(QT_TRANSLATE_NOOP("messages", "{file}: the section [{key}] is missing."), file=str(path), key=kind)
            texts[kind] = _check_template(path, f"{kind}.text", section.get("text"), PLACEHOLDERS[kind])
        return Templates(signature, texts)

    return cached("notices", [path], build)


def render(kind: str, company: str, **params) -> str:
    t = templates()
    return t.signature.format(company=company) + t.texts[kind].format(**params)


# ---------------------------------------------------------------- queuing


def mobile_of(customer: Customer) -> str:
    """The customer's mobile number (phone, else second phone), or ""."""
    for p in (customer.phone, customer.phone2):
        n = normalize_phone(p or "")
        if MOBILE.match(n):
            return n
    return ""


@dataclass
class Queued:
    """What queuing did: how many notices were queued and why the others were not."""

    queued: int = 0
    refused: int = 0  # the customer refused messages
    no_mobile: int = 0
    already: int = 0  # queued before (same kind and subject)
    ids: list[uuid.UUID] = field(default_factory=list)

    def add(self, other: Queued) -> None:
        self.queued += other.queued
        self.refused += other.refused
        self.no_mobile += other.no_mobile
        self.already += other.already
        self.ids += other.ids

    def as_json(self) -> dict:
        return {"queued": self.queued, "refused": self.refused, "no_mobile": self.no_mobile, "already": self.already}


def _company(s: Session, actor: Actor) -> tuple[str, str]:
    station = s.get(Station, actor.station_id) if actor.station_id else None
    values = settings.get_many(s, ["company.name", "hall.phone"])
    company = (station.company_name if station else "") or str(values["company.name"])
    return company, str(values["hall.phone"] or "")


def enqueue(
    s: Session,
    actor: Actor,
    kind: str,
    customer: Customer,
    key: str,
    params: dict,
    account_id: uuid.UUID | None = None,
    result: Queued | None = None,
    company: tuple[str, str] | None = None,
    audit_items: list | None = None,
) -> Queued:
    """Queue one notice in the caller's unit of work (no commit). `key` names its subject (the same
    kind and key is queued once). With `audit_items` the audit entry is left to the caller
    (audit.record_many), else it is recorded here."""
    result = result if result is not None else Queued()
    if customer.refuses_messages:
        result.refused += 1
        return result
    phone = mobile_of(customer)
    if not phone:
        result.no_mobile += 1
        return result
    dedupe = f"{kind}:{key}"[:160]
    if s.scalar(select(CustomerNotice.id).where(CustomerNotice.dedupe_key == dedupe)) is not None:
        result.already += 1
        return result
    name, hotline = company or _company(s, actor)
    values = {"name": customer.name, "hotline": hotline, **params}
    text = render(kind, name, **{k: v for k, v in values.items() if k in PLACEHOLDERS[kind]})
    notice = CustomerNotice(
        id=new_id(),
        station_id=actor.station_id,
        customer_id=customer.id,
        account_id=account_id,
        kind=kind,
        dedupe_key=dedupe,
        phone=phone,
        text=text,
        status="queued",
        attempts=0,
        last_error="",
        gateway_id="",
        created_by=actor.clerk_id,
        created_at=utcnow(),
    )
    s.add(notice)
    item = ("queue", "notice", notice.id, None, {"kind": kind, "customer_id": str(customer.id), "key": key[:80]})
    if audit_items is not None:
        audit_items.append(item)
    else:
        audit.record(s, actor, *item)
    result.queued += 1
    result.ids.append(notice.id)
    return result


def _flush_audit(s: Session, actor: Actor, items: list) -> None:
    if items:
        s.flush()
        audit.record_many(s, actor, items)


def matter_event(s: Session, actor: Actor, matter: Matter, kind: str) -> None:
    """A matter registered or replied: its customer gets a message (in the matter's own unit of work)."""
    customer = s.get(Customer, matter.customer_id)
    if customer is None:
        return
    if kind == "matter_registered":
        key, params = str(matter.id), {"matter_no": matter.matter_no, "deadline": matter.deadline_at.strftime("%Y-%m-%d %H:%M")}
    else:
        reply = " ".join((matter.reply or "").split())
        if len(reply) > MAX_REPLY:
            reply = reply[: MAX_REPLY - 1] + "…"
        key = f"{matter.id}:{matter.reopened}"
        params = {"matter_no": matter.matter_no, "reply": reply.rstrip("。.")}
    try:
        enqueue(s, actor, kind, customer, key, params, account_id=matter.account_id)
    except DataFileError as err:  # a broken template file never stops the counter's work: no message, said in the log
        logging.getLogger(__name__).warning("notice %s of matter %s not queued: %s", kind, matter.matter_no, err.text())


def queue_arrears(db: Database, actor: Actor, route: str = "", account_no: str = "", as_of: date | None = None) -> Queued:
    """Arrears reminders (and, for accounts past the suspension limit, the suspension notice) for a
    route (supervisors) or one account: the same accounts and amounts as the printed reminders."""
    from app.services.reports import dunning

    request = dunning.DunningRequest(actor, route=(route or "").strip(), account_no=(account_no or "").strip(), as_of=as_of)
    doc = dunning.build(db, request, lambda _context, text: text)
    day = request.as_of or local_today()
    result = Queued()
    with db.write() as s:
        company = _company(s, actor)
        numbers = [r.account_no for r in doc.reminders]
        rows = s.execute(
            select(Account.account_no, Account.id, Customer)
            .join(Customer, Customer.id == Account.customer_id)
            .where(Account.account_no.in_(numbers))
        ).all()
        by_no = {no: (aid, c) for no, aid, c in rows}
        items: list = []
        for r in doc.reminders:
            if r.account_no not in by_no:
                continue
            account_id, customer = by_no[r.account_no]
            amount = format_yuan(r.principal_fen + r.late_fee_fen, sign=False)
            enqueue(
                s,
                actor,
                "arrears",
                customer,
                f"{r.account_no}:{day.isoformat()}",
                {"account_no": r.account_no, "amount": amount, "as_of": day.isoformat()},
                account_id,
                result,
                company,
                items,
            )
            if r.suspension_on:
                enqueue(
                    s,
                    actor,
                    "suspension",
                    customer,
                    f"{r.account_no}:{r.suspension_on.isoformat()}",
                    {"account_no": r.account_no, "amount": amount, "suspend_on": r.suspension_on.isoformat()},
                    account_id,
                    result,
                    company,
                    items,
                )
        _flush_audit(s, actor, items)
    return result


def queue_outage(db: Database, actor: Actor, outage_id) -> Queued:
    """A planned outage's notice to every open account on its routes and transformer areas (supervisors)."""
    from app.services.handling import outages

    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor sends the notices of a planned outage."))
    result = Queued()
    with db.write() as s:
        o = outages._load(s, outage_id)
        view = outages._view(o)
        rows = s.execute(
            select(Account.id, Account.account_no, Customer)
            .join(Customer, Customer.id == Account.customer_id)
            .where(outages._account_filter(view.routes, view.areas), Account.status != "closed")
            .order_by(Account.reading_route, Account.route_order, Account.account_no)
        ).all()
        company = _company(s, actor)
        items: list = []
        params = {"starts": o.starts_at.strftime("%Y-%m-%d %H:%M"), "ends": o.ends_at.strftime("%Y-%m-%d %H:%M"), "reason": o.reason}
        for account_id, account_no, customer in rows:
            enqueue(
                s,
                actor,
                "outage",
                customer,
                f"{o.id}:{account_id}",
                dict(params, account_no=account_no),
                account_id,
                result,
                company,
                items,
            )
        _flush_audit(s, actor, items)
    return result


def queue_receipt(db: Database, actor: Actor, receipt_no: str) -> Queued:
    """A payment's receipt as a message, when the customer asks for it."""
    number = (receipt_no or "").strip()
    with db.write() as s:
        row = s.execute(
            select(Payment, Account.account_no, Customer)
            .join(Account, Account.id == Payment.account_id)
            .join(Customer, Customer.id == Account.customer_id)
            .where(Payment.receipt_no == number)
        ).first()
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "There is no receipt {number}."), field="receipt", number=number[:40])
        payment, account_no, customer = row
        if payment.kind != "payment":
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Receipt {number} is a reversal; no message is sent for it."), field="receipt", number=number
            )
        params = {
            "account_no": account_no,
            "amount": format_yuan(payment.amount_fen, sign=False),
            "receipt_no": payment.receipt_no,
            "paid_at": to_local(payment.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        return enqueue(s, actor, "receipt", customer, payment.receipt_no, params, payment.account_id)


def set_refuses_messages(db: Database, actor: Actor, customer_id, refuses: bool) -> int:
    """Mark a customer as refusing text messages (or accepting them again); waiting notices of a
    customer who refuses are cancelled. Returns how many were cancelled."""
    with db.write() as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        before = bool(customer.refuses_messages)
        cancelled = 0
        if before != bool(refuses):
            customer.refuses_messages = bool(refuses)
            audit.record(
                s, actor, "update", "customer", customer.id, before={"refuses_messages": before}, after={"refuses_messages": bool(refuses)}
            )
        if refuses:
            ids = list(
                s.scalars(select(CustomerNotice.id).where(CustomerNotice.customer_id == customer.id, CustomerNotice.status.in_(WAITING)))
            )
            if ids:
                s.execute(
                    update(CustomerNotice)
                    .where(CustomerNotice.id.in_(ids))
                    .values(status="cancelled", last_error=REFUSED_BY_CUSTOMER, next_attempt_at=None)
                )
                audit.record_many(
                    s, actor, [("cancel", "notice", i, None, {"status": "cancelled", "reason": REFUSED_BY_CUSTOMER}) for i in ids]
                )
                cancelled = len(ids)
        return cancelled


# ---------------------------------------------------------------- the gateway


@dataclass(frozen=True)
class Gateway:
    url: str
    account: str
    key: str
    timeout: float
    max_attempts: int


def gateway(s: Session) -> Gateway | None:
    v = settings.get_many(
        s, ["notices.gateway_url", "notices.gateway_account", "notices.gateway_key", "notices.timeout_seconds", "notices.max_attempts"]
    )
    if not v["notices.gateway_url"] or not v["notices.gateway_key"]:
        return None
    return Gateway(
        str(v["notices.gateway_url"]),
        str(v["notices.gateway_account"] or ""),
        str(v["notices.gateway_key"]),
        float(v["notices.timeout_seconds"]),
        int(v["notices.max_attempts"]),
    )


@dataclass
class Outcome:
    status: str  # sent | failed | retrying
    reason: str = ""
    gateway_id: str = ""


def signature(key: str, timestamp: str, body: bytes) -> str:
    return hmac.new(key.encode("utf-8"), timestamp.encode("ascii") + b"\n" + body, hashlib.sha256).hexdigest()


def _post(gw: Gateway, notice_id: str, phone: str, text: str) -> Outcome:
    """One message to the gateway: POST JSON {account, id, phone, text}, signed with the key (HMAC-SHA256
    of the timestamp, a line end and the body); the key itself never travels."""
    body = json.dumps({"account": gw.account, "id": notice_id, "phone": phone, "text": text}, ensure_ascii=False).encode("utf-8")
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        gw.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-CounterDesk-Account": gw.account,
            "X-CounterDesk-Timestamp": stamp,
            "X-CounterDesk-Signature": signature(gw.key, stamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=gw.timeout) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        detail = _answer_text(exc.read(2000) if exc.fp else b"")
        reason = f"HTTP {exc.code}" + (f": {detail}" if detail else "")
        exc.close()
        if exc.code in (408, 429) or exc.code >= 500:
            return Outcome("retrying", reason)
        return Outcome("failed", reason)
    except (TimeoutError, socket.timeout):
        return Outcome("retrying", f"no answer within {gw.timeout:g} s")
    except urllib.error.URLError as exc:
        why = exc.reason
        if isinstance(why, (TimeoutError, socket.timeout)):
            return Outcome("retrying", f"no answer within {gw.timeout:g} s")
        return Outcome("retrying", f"gateway not reachable: {why}")
    except (OSError, ValueError) as exc:
        return Outcome("retrying", f"gateway not reachable: {exc}")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Outcome("retrying", "the gateway's answer is not JSON: " + _answer_text(raw))
    if not isinstance(answer, dict):
        return Outcome("retrying", "the gateway's answer is not a JSON object")
    if answer.get("ok") is True:
        return Outcome("sent", "", str(answer.get("message_id", ""))[:80])
    return Outcome("failed", str(answer.get("error") or "refused by the gateway")[:500])


def _answer_text(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("error"):
            text = str(data["error"])
    except ValueError:
        pass
    return " ".join(text.split())[:300]


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: 1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** max(attempts - 1, 0)))


@dataclass
class NoticeRow:
    id: uuid.UUID
    kind: str
    customer: str  # masked
    phone: str  # masked
    status: str
    attempts: int
    reason: str
    created_at: datetime  # local
    sent_at: datetime | None  # local
    next_attempt_at: datetime | None  # local
    text: str = ""  # the message as sent (shown on the screen, not in the command's list)

    def as_json(self) -> dict:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "customer": self.customer,
            "phone": self.phone,
            "status": self.status,
            "attempts": self.attempts,
            "reason": self.reason,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "sent_at": self.sent_at.isoformat(timespec="seconds") if self.sent_at else None,
            "next_attempt_at": self.next_attempt_at.isoformat(timespec="seconds") if self.next_attempt_at else None,
        }


@dataclass
class SendResult:
    rows: list[NoticeRow] = field(default_factory=list)
    waiting_at_station: int = -1  # at a station: how many wait for the centre (nothing is sent)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _row(n: CustomerNotice, customer_name: str) -> NoticeRow:
    return NoticeRow(
        n.id,
        n.kind,
        mask_name(customer_name),
        mask_phone(n.phone),
        n.status,
        n.attempts,
        n.last_error,
        to_local(n.created_at),
        to_local(n.sent_at) if n.sent_at else None,
        to_local(n.next_attempt_at) if n.next_attempt_at else None,
        n.text,
    )


def _is_station(s: Session) -> bool:
    from app.services.sync.core import identity

    ident = identity(s)
    return ident is not None and ident.role == "station"


def waiting_count(s: Session) -> int:
    from sqlalchemy import func

    return s.scalar(select(func.count()).select_from(CustomerNotice).where(CustomerNotice.status.in_(WAITING))) or 0


def send_waiting(db: Database, actor: Actor, now: datetime | None = None, limit: int = 10_000) -> SendResult:
    """Send every notice that waits and is due (UTC `now`, default the clock), batch by batch; the
    result lists each one's new status. At a station nothing is sent (the centre sends)."""
    if actor is None:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Log in first."))
    result = SendResult()
    with db.read() as s:
        if _is_station(s):
            result.waiting_at_station = waiting_count(s)
            return result
        gw = gateway(s)
    if gw is None:
        raise UserError(NO_GATEWAY, field="gateway")
    done = 0
    while done < limit:
        clock = now or utcnow()
        batch = _claim(db, gw, clock, min(BATCH, limit - done))
        if not batch:
            break
        outcomes = []
        for notice_id, phone, text, refused in batch:
            outcomes.append(Outcome("cancelled", REFUSED_BY_CUSTOMER) if refused else _post(gw, str(notice_id), phone, text))
        result.rows += _record(db, actor, gw, batch, outcomes, now)
        done += len(batch)
    return result


def _claim(db: Database, gw: Gateway, now: datetime, size: int) -> list[tuple]:
    """Take up to `size` due notices for this sender: their next attempt moves past the time the
    batch may take, so another sender leaves them alone meanwhile."""
    lease = now + timedelta(seconds=gw.timeout * size + 60)
    with db.write() as s:
        stmt = (
            select(CustomerNotice.id, CustomerNotice.phone, CustomerNotice.text, Customer.refuses_messages)
            .join(Customer, Customer.id == CustomerNotice.customer_id)
            .where(
                CustomerNotice.status.in_(WAITING),
                or_(CustomerNotice.next_attempt_at.is_(None), CustomerNotice.next_attempt_at <= now),
            )
            .order_by(CustomerNotice.created_at, CustomerNotice.id)
            .limit(size)
        )
        if s.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=CustomerNotice, skip_locked=True)
        batch = [tuple(r) for r in s.execute(stmt)]
        if batch:
            s.execute(update(CustomerNotice).where(CustomerNotice.id.in_([b[0] for b in batch])).values(next_attempt_at=lease))
        return batch


def _record(db: Database, actor: Actor, gw: Gateway, batch: list[tuple], outcomes: list[Outcome], now: datetime | None) -> list[NoticeRow]:
    """Every message's outcome and one audit entry each, in one unit of work."""
    rows = []
    items = []
    with db.write() as s:
        clock = now or utcnow()
        notices = {n.id: n for n in s.scalars(select(CustomerNotice).where(CustomerNotice.id.in_([b[0] for b in batch])))}
        names = dict(s.execute(select(Customer.id, Customer.name).where(Customer.id.in_({n.customer_id for n in notices.values()}))).all())
        for (notice_id, *_), outcome in zip(batch, outcomes):
            n = notices[notice_id]
            if outcome.status == "cancelled":
                n.status, n.last_error, n.next_attempt_at = "cancelled", outcome.reason, None
            else:
                n.attempts += 1
                if outcome.status == "sent":
                    n.status, n.sent_at, n.gateway_id, n.last_error, n.next_attempt_at = "sent", clock, outcome.gateway_id, "", None
                elif outcome.status == "retrying" and n.attempts < gw.max_attempts:
                    n.status, n.last_error, n.next_attempt_at = "retrying", outcome.reason, clock + backoff(n.attempts)
                else:
                    n.status, n.last_error, n.next_attempt_at = "failed", outcome.reason, None
            items.append(("send", "notice", n.id, None, {"status": n.status, "attempts": n.attempts, "reason": n.last_error[:200]}))
            rows.append(_row(n, names.get(n.customer_id, "")))
        s.flush()
        audit.record_many(s, actor, items)
    return rows


def notices(db: Database, status: str = "", customer_id=None, limit: int = 200) -> list[NoticeRow]:
    """The newest notices, of one status or all, of one customer or all."""
    with db.read() as s:
        stmt = select(CustomerNotice, Customer.name).join(Customer, Customer.id == CustomerNotice.customer_id)
        if status:
            stmt = stmt.where(CustomerNotice.status == status)
        if customer_id is not None:
            stmt = stmt.where(CustomerNotice.customer_id == customer_id)
        return [_row(n, name) for n, name in s.execute(stmt.order_by(CustomerNotice.created_at.desc()).limit(limit))]


# ---------------------------------------------------------------- the window's outbox screen


STATUS_ORDER = ("failed", "retrying", "queued", "sent", "cancelled")  # exceptions first
AT_STATION_ACTION = QT_TRANSLATE_NOOP("messages", "At a station the centre sends, retries and cancels the notices.")


def waiting(db: Database) -> int:
    """How many notices wait here (queued or retrying)."""
    with db.read() as s:
        return waiting_count(s)


def sender_state(db: Database) -> str:
    """Who sends here: "station" (the centre does), "no_gateway" (not set yet) or "ready"."""
    with db.read() as s:
        if _is_station(s):
            return "station"
        return "ready" if gateway(s) is not None else "no_gateway"


def outbox(db: Database, status: str = "", kind: str = "", limit: int = 500) -> list[NoticeRow]:
    """The outbox as the screen lists it: failed ones first (they wait for a clerk), then those
    retrying, queued, sent and cancelled; the newest first within each."""
    from sqlalchemy import case

    rank = case({st: i for i, st in enumerate(STATUS_ORDER)}, value=CustomerNotice.status, else_=len(STATUS_ORDER))
    with db.read() as s:
        stmt = select(CustomerNotice, Customer.name).join(Customer, Customer.id == CustomerNotice.customer_id)
        if status:
            stmt = stmt.where(CustomerNotice.status == status)
        if kind:
            stmt = stmt.where(CustomerNotice.kind == kind)
        stmt = stmt.order_by(rank, CustomerNotice.created_at.desc(), CustomerNotice.id).limit(limit)
        return [_row(n, name) for n, name in s.execute(stmt)]


def _waiting_notice(s: Session, notice_id) -> CustomerNotice:
    if _is_station(s):
        raise UserError(AT_STATION_ACTION)
    n = s.get(CustomerNotice, notice_id, with_for_update=True)
    if n is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This notice no longer exists."))
    return n


def retry(db: Database, actor: Actor, notice_id) -> None:
    """A failed notice tried again from the start (its attempts counted anew; audited)."""
    with db.write() as s:
        n = _waiting_notice(s, notice_id)
        if n.status != "failed":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Only a failed notice is tried again."))
        customer = s.get(Customer, n.customer_id)
        if customer is not None and customer.refuses_messages:
            raise UserError(QT_TRANSLATE_NOOP("messages", "The customer refused text messages; the notice is not sent."))
        before = {"status": n.status, "attempts": n.attempts, "reason": n.last_error[:200]}
        n.status, n.attempts, n.next_attempt_at = "queued", 0, None
        audit.record(s, actor, "retry", "notice", n.id, before=before, after={"status": "queued"})


def cancel(db: Database, actor: Actor, notice_id) -> None:
    """A notice that waits or failed is not sent (status cancelled, audited)."""
    with db.write() as s:
        n = _waiting_notice(s, notice_id)
        if n.status not in ("queued", "retrying", "failed"):
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Only a notice that waits or failed is cancelled; a sent or cancelled one stays as it is.")
            )
        before = {"status": n.status, "reason": n.last_error[:200]}
        n.status, n.last_error, n.next_attempt_at = "cancelled", CANCELLED_AT_COUNTER, None
        audit.record(s, actor, "cancel", "notice", n.id, before=before, after={"status": "cancelled", "reason": CANCELLED_AT_COUNTER})


@dataclass
class ReceiptChoice:
    receipt_no: str
    account_no: str
    amount_fen: int
    paid_at: datetime  # local


def receipts_of(db: Database, customer_id, limit: int = 20) -> list[ReceiptChoice]:
    """A customer's newest payments (not reversals): the receipts a message can be sent for."""
    with db.read() as s:
        rows = s.execute(
            select(Payment.receipt_no, Account.account_no, Payment.amount_fen, Payment.created_at)
            .join(Account, Account.id == Payment.account_id)
            .where(Account.customer_id == customer_id, Payment.kind == "payment")
            .order_by(Payment.created_at.desc())
            .limit(limit)
        ).all()
        return [ReceiptChoice(no, acc, fen, to_local(at)) for no, acc, fen, at in rows]
