"""Finding a customer from whatever the clerk types or scans, on indexes only.

Keys: account number (exact or prefix), name (prefix, or any 3+ character fragment),
pinyin initials or full pinyin, phone number or its last 4+ digits, last 4+ characters
of the ID number, meter number, address fragment (3+ characters). Prefixes use B-tree
ranges; fragments use SQLite FTS5 trigram or PostgreSQL pg_trgm. User text is always a
bound parameter (and a quoted FTS phrase), so no input can change the query.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.masking import mask_id, mask_phone
from app.kernel.text import ascii_digits
from app.models import Meter, SearchEntry

MAX_QUERY = 100  # longer input is cut: nothing real to find beyond this
TOP = "\U0010ffff"


@dataclass(frozen=True)
class SearchResult:
    customer_id: uuid.UUID
    account_id: uuid.UUID | None
    account_no: str
    name: str
    phone_masked: str
    id_masked: str
    address: str
    status: str
    match: str  # account | meter | phone | phone_tail | id_tail | name | pinyin | initials | fragment


# Other areas make a scanned bill, receipt or work-order number open its customer.
NumberResolver = Callable[[Session, str], "SearchResult | None"]
_resolvers: list[NumberResolver] = []


def register_number_resolver(fn: NumberResolver) -> None:
    if fn not in _resolvers:
        _resolvers.append(fn)


def normalize(text_: str) -> str:
    """What was typed or scanned, as searched: digits of any script as ASCII digits (app.kernel.text),
    hidden characters dropped, trimmed."""
    q = "".join(ch for ch in ascii_digits(text_ or "") if ch.isprintable() and unicodedata.category(ch) != "Cf")
    return q.strip()[:MAX_QUERY]


def _prefix(session: Session, column, q: str):
    if session.get_bind().dialect.name == "postgresql":
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(escaped + "%", escape="\\")
    return (column >= q) & (column < q + TOP)


def _ids(session: Session, stmt: Select, limit: int) -> list[int]:
    return list(session.scalars(stmt.limit(limit)))


def _fragment_ids(session: Session, q: str, limit: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = (
            select(SearchEntry.id)
            .where(SearchEntry.name.like(pattern, escape="\\") | SearchEntry.address.like(pattern, escape="\\"))
            .order_by(SearchEntry.id)
        )
        return _ids(session, stmt, limit)
    phrase = '"' + q.replace('"', '""') + '"'
    rows = session.execute(text("SELECT rowid FROM search_fts WHERE search_fts MATCH :p LIMIT :n"), {"p": phrase, "n": limit})
    return [r[0] for r in rows]


def _classify(q: str) -> str:
    compact = q.replace(" ", "").replace("-", "")
    if compact.isdigit():
        return "digits"
    if re.fullmatch(r"\d+[xX]", compact):
        return "id_tail"
    if q.isascii() and q.replace(" ", "").isalpha():
        return "letters"
    if q.isascii() and q.isalnum():
        return "code"
    return "text"


def _candidate_ids(session: Session, q: str, limit: int) -> list[tuple[int, str, int]]:
    """(entry id, match kind, rank): the rank is the order of the lookups, best first (an exact account
    number before a prefix, exact initials before longer ones); results are ordered by rank, then name."""
    kind = _classify(q)
    E = SearchEntry
    found: list[tuple[int, str, int]] = []
    rank = 0

    def add(ids: list[int], match: str) -> None:
        nonlocal rank
        found.extend((i, match, rank) for i in ids)
        rank += 1

    if kind == "digits":
        digits = q.replace(" ", "").replace("-", "")
        add(_ids(session, select(E.id).where(E.account_no == digits), limit), "account")
        meter_accounts = select(Meter.account_id).where(Meter.meter_no == digits)
        add(_ids(session, select(E.id).where(E.account_id.in_(meter_accounts)), limit), "meter")
        if len(digits) >= 7:
            add(_ids(session, select(E.id).where(E.phone == digits), limit), "phone")
        if len(digits) >= 4:
            add(_ids(session, select(E.id).where(_prefix(session, E.account_no, digits)).order_by(E.account_no), limit), "account")
            rev = digits[::-1]
            add(_ids(session, select(E.id).where(_prefix(session, E.phone_rev, rev)), limit), "phone_tail")
            add(_ids(session, select(E.id).where(_prefix(session, E.phone2_rev, rev)), limit), "phone_tail")
            add(_ids(session, select(E.id).where(_prefix(session, E.id_rev, rev)), limit), "id_tail")
            meters = select(Meter.account_id).where(_prefix(session, Meter.meter_no, digits)).limit(limit)
            add(_ids(session, select(E.id).where(E.account_id.in_(meters)), limit), "meter")
    elif kind == "id_tail":
        rev = q.replace(" ", "").upper()[::-1]
        if len(rev) >= 4:
            add(_ids(session, select(E.id).where(_prefix(session, E.id_rev, rev)), limit), "id_tail")
    elif kind in ("letters", "code"):
        low = q.replace(" ", "").lower()
        if kind == "letters":
            add(_ids(session, select(E.id).where(E.name_initials == low), limit), "initials")
            add(_ids(session, select(E.id).where(_prefix(session, E.name_initials, low)).order_by(E.name_initials), limit), "initials")
            if len(low) >= 2:
                add(_ids(session, select(E.id).where(_prefix(session, E.name_pinyin, low)).order_by(E.name_pinyin), limit), "pinyin")
        meters = select(Meter.account_id).where(_prefix(session, Meter.meter_no, q.upper())).limit(limit)
        add(_ids(session, select(E.id).where(E.account_id.in_(meters)), limit), "meter")
        if len(q) >= 3:
            add(_fragment_ids(session, q, limit), "fragment")
    else:
        add(_ids(session, select(E.id).where(E.name == q), limit), "name")
        add(_ids(session, select(E.id).where(_prefix(session, E.name, q)).order_by(E.name), limit), "name")
        if len(q) >= 3:
            add(_fragment_ids(session, q, limit), "fragment")
    return found


def _results(session: Session, ordered: list[tuple], limit: int) -> list[SearchResult]:
    """Rows of (entry id, match kind[, rank]), best first; an id seen again keeps its first kind."""
    seen: dict[int, tuple[str, int]] = {}
    for i, match, *rank in ordered:
        if i not in seen:
            seen[i] = (match, rank[0] if rank else 0)
        if len(seen) >= limit:
            break
    if not seen:
        return []
    rows = {r.id: r for r in session.scalars(select(SearchEntry).where(SearchEntry.id.in_(list(seen))))}
    # Within each kind of match, names in pinyin order (how a Chinese clerk reads a list of names), not
    # in code-point order; one customer's accounts by number.
    found = sorted(
        (i for i in seen if i in rows), key=lambda i: (seen[i][1], rows[i].name_pinyin or "", rows[i].name, rows[i].account_no or "")
    )
    return [
        SearchResult(
            r.customer_id, r.account_id, r.account_no, r.name, mask_phone(r.phone), mask_id(r.id_number), r.address, r.status, seen[i][0]
        )
        for i in found
        for r in (rows[i],)
    ]


def search_in(session: Session, text_: str, limit: int = 200) -> list[SearchResult]:
    q = normalize(text_)
    if not q:
        return []
    return _results(session, _candidate_ids(session, q, limit), limit)


def search(db: Database, text_: str, limit: int = 200) -> list[SearchResult]:
    """Matches for what the clerk typed, best kinds first; [] for nothing (never an error)."""
    with db.read() as s:
        return search_in(s, text_, limit)


def exact_account(db: Database, text_: str) -> SearchResult | None:
    """The account whose number is exactly `text_` (a barcode scan), or None."""
    q = normalize(text_).replace(" ", "")
    if not q.isdigit():
        return None
    with db.read() as s:
        found = _results(s, [(i, "account") for i in _ids(s, select(SearchEntry.id).where(SearchEntry.account_no == q), 1)], 1)
        return found[0] if found else None


def resolve_scan(db: Database, text_: str) -> SearchResult | None:
    """What a scanned number opens: an account number, a meter number, or (through the
    registered resolvers) a bill, receipt or work-order number."""
    q = normalize(text_).replace(" ", "")
    if not q:
        return None
    hit = exact_account(db, q)
    if hit:
        return hit
    with db.read() as s:
        meter_hits = _results(
            s,
            [
                (i, "meter")
                for i in _ids(
                    s, select(SearchEntry.id).where(SearchEntry.account_id.in_(select(Meter.account_id).where(Meter.meter_no == q))), 1
                )
            ],
            1,
        )
        if meter_hits:
            return meter_hits[0]
        for resolver in _resolvers:
            hit = resolver(s, q)
            if hit:
                return hit
    return None


def result_for_account(session: Session, account_id: uuid.UUID, match: str) -> SearchResult | None:
    """Helper for resolvers: the search result of an account."""
    ids = _ids(session, select(SearchEntry.id).where(SearchEntry.account_id == account_id), 1)
    found = _results(session, [(i, match) for i in ids], 1)
    return found[0] if found else None


def result_for_customer(session: Session, customer_id: uuid.UUID, match: str) -> SearchResult | None:
    ids = _ids(session, select(SearchEntry.id).where(SearchEntry.customer_id == customer_id).order_by(SearchEntry.id), 1)
    found = _results(session, [(i, match) for i in ids], 1)
    return found[0] if found else None
