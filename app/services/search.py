"""Finding a customer from whatever the clerk types or scans, on indexes only.

Keys: account number (exact or prefix), name (prefix, or any 3+ character fragment),
pinyin initials or full pinyin, phone number or its last 4+ digits, last 4+ characters
of the ID number, meter number, address fragment (3+ characters). Prefixes use B-tree
ranges; fragments use SQLite FTS5 trigram or PostgreSQL pg_trgm. User text is always a
bound parameter (and a quoted FTS phrase), so no input can change the query.

Speed (docs/ARCHITECTURE.md, Search): each kind of input is one prepared Core statement, built
once per database dialect and shape (`_statement`, cached), that asks every lookup of that kind
at once (a UNION ALL of index ranges, best lookup first, with the display columns) and stops
after the rows the list can show: one round trip and plain rows, no ORM objects.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from functools import lru_cache
from typing import Callable

from sqlalchemy import bindparam, literal_column, select, text, union_all
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.masking import mask_id, mask_phone
from app.kernel.text import ascii_digits
from app.models import Meter, SearchEntry

MAX_QUERY = 100  # longer input is cut: nothing real to find beyond this
TOP = "\U0010ffff"


class SearchResult:
    """One row of the result list, made from a plain database row. The ids become UUIDs and the phone
    and ID number their masked forms only when read: a list holds up to 200 rows and shows 50."""

    __slots__ = ("_customer_id", "_account_id", "account_no", "name", "_phone", "_id_number", "address", "status", "match")
    FIELDS = ("customer_id", "account_id", "account_no", "name", "phone_masked", "id_masked", "address", "status", "match")

    def __init__(
        self, customer_id, account_id, account_no: str, name: str, phone: str, id_number: str, address: str, status: str, match: str
    ):
        self._customer_id, self._account_id = customer_id, account_id
        self.account_no, self.name, self._phone, self._id_number = account_no, name, phone, id_number
        self.address, self.status, self.match = address, status, match

    @property
    def customer_id(self) -> uuid.UUID:
        v = self._customer_id
        if not isinstance(v, uuid.UUID):
            v = self._customer_id = uuid.UUID(v)
        return v

    @property
    def account_id(self) -> uuid.UUID | None:
        v = self._account_id
        if v is not None and not isinstance(v, uuid.UUID):
            v = self._account_id = uuid.UUID(v)
        return v

    @property
    def phone_masked(self) -> str:
        return mask_phone(self._phone)

    @property
    def id_masked(self) -> str:
        return mask_id(self._id_number)

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self.FIELDS)

    def __eq__(self, other) -> bool:
        return isinstance(other, SearchResult) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "SearchResult(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS) + ")"


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


# --- the prepared statements ------------------------------------------------------------------

E = SearchEntry
_COLUMNS = (E.id, E.customer_id, E.account_id, E.account_no, E.name, E.name_pinyin, E.phone, E.id_number, E.address, E.status)
# The lookups of each kind of input, best first: (match kind, rank, condition name, ordered by).
# Lookups of one match kind share a rank, so names are in pinyin order across them.
_LOOKUPS = {
    "digits": (
        ("account", 0, "account_exact", None),
        ("meter", 1, "meter_exact", None),
        ("phone", 2, "phone_exact", None),  # 7+ digits only
        ("account", 3, "account_prefix", "account_no"),  # from here on 4+ digits only
        ("phone_tail", 4, "phone_tail", None),
        ("phone_tail", 4, "phone2_tail", None),
        ("id_tail", 5, "id_tail", None),
        ("meter", 6, "meter_prefix", None),
    ),
    "id_tail": (("id_tail", 0, "id_tail", None),),
    "letters": (
        ("initials", 0, "initials_exact", None),
        ("initials", 1, "initials_prefix", "name_initials"),
        ("pinyin", 2, "pinyin_prefix", "name_pinyin"),  # 2+ letters only
        ("meter", 3, "meter_prefix", None),
        ("fragment", 4, "fragment", None),  # 3+ characters only
    ),
    "code": (
        ("meter", 0, "meter_prefix", None),
        ("fragment", 1, "fragment", None),
    ),
    "text": (
        ("name", 0, "name_exact", None),
        ("name", 1, "name_prefix", "name"),
        ("fragment", 2, "fragment", None),
    ),
}


def _prefix(dialect: str, column, key: str, after_exact: bool = False):
    """`column` starts with the bound parameter `key` (an index range on both databases); with
    `after_exact`, not equal to it (an exact lookup of the same column came first)."""
    if dialect == "postgresql":
        cond = column.like(bindparam(key + "_like"), escape="\\")
        return cond & (column != bindparam(key)) if after_exact else cond
    low = column > bindparam(key) if after_exact else column >= bindparam(key)
    return low & (column < bindparam(key + "_top"))


def _condition(dialect: str, name: str):
    n = bindparam("n")
    if name == "account_exact":
        return E.account_no == bindparam("digits")
    if name == "meter_exact":
        return E.account_id.in_(select(Meter.account_id).where(Meter.meter_no == bindparam("digits")))
    if name == "phone_exact":
        return E.phone == bindparam("digits")
    if name == "account_prefix":
        return _prefix(dialect, E.account_no, "digits", after_exact=True)
    if name == "phone_tail":
        return _prefix(dialect, E.phone_rev, "rev")
    if name == "phone2_tail":
        return _prefix(dialect, E.phone2_rev, "rev")
    if name == "id_tail":
        return _prefix(dialect, E.id_rev, "rev")
    if name == "meter_prefix":
        return E.account_id.in_(select(Meter.account_id).where(_prefix(dialect, Meter.meter_no, "meter")).limit(n))
    if name == "initials_exact":
        return E.name_initials == bindparam("low")
    if name == "initials_prefix":
        return _prefix(dialect, E.name_initials, "low", after_exact=True)
    if name == "pinyin_prefix":
        return _prefix(dialect, E.name_pinyin, "low")
    if name == "name_exact":
        return E.name == bindparam("q")
    if name == "name_prefix":
        return _prefix(dialect, E.name, "q", after_exact=True)
    if name == "fragment":
        if dialect == "postgresql":
            return E.name.like(bindparam("q_like_any"), escape="\\") | E.address.like(bindparam("q_like_any"), escape="\\")
        fts = select(text("rowid")).select_from(text("search_fts")).where(text("search_fts MATCH :phrase")).limit(n)
        return E.id.in_(fts)
    raise ValueError(name)


def _lookup(dialect: str, match: str, rank: int, cond: str, order: str | None):
    stmt = select(*_COLUMNS, literal_column(str(rank)).label("rank"), literal_column(f"'{match}'").label("match"))
    stmt = stmt.where(_condition(dialect, cond))
    if order:
        stmt = stmt.order_by(getattr(E, order))
    return stmt.limit(bindparam("n"))


class _Prepared:
    """A Core statement compiled once for a dialect: its SQL text, and the order of its parameters."""

    __slots__ = ("sql", "names", "defaults", "positional")

    def __init__(self, stmt, dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = compiled.positiontup is not None
        self.names = tuple(compiled.positiontup or compiled.binds)
        self.defaults = {k: v for k, v in compiled.params.items() if v is not None}

    def run(self, cursor, params: dict) -> list[tuple]:
        if self.positional:
            args = [params[n] if n in params else self.defaults[n] for n in self.names]
        else:
            args = {n: params[n] if n in params else self.defaults.get(n) for n in self.names}
        cursor.execute(self.sql, args)
        return cursor.fetchall()


@lru_cache(maxsize=128)
def _statements(dialect, kind: str, lookups: tuple[str, ...]) -> list[tuple[_Prepared, int, str]]:
    """The prepared statements of the given lookups of a kind of input, best first, each an index
    range limited to :n rows: on SQLite one statement per lookup (asked in turn in the same read
    transaction, in-process, until the page is full); on a server one UNION ALL of them all, limited
    to :total rows (one round trip). Built and compiled once per dialect and shape."""
    parts = [
        (_lookup(dialect.name, match, rank, cond, order), rank, match) for match, rank, cond, order in _LOOKUPS[kind] if cond in lookups
    ]
    if dialect.name == "sqlite":
        return [(_Prepared(stmt, dialect), rank, match) for stmt, rank, match in parts]
    whole = union_all(*(select(stmt.subquery()) for stmt, _, _ in parts)) if len(parts) > 1 else parts[0][0]
    return [(_Prepared(select(whole.subquery()).limit(bindparam("total")), dialect), -1, "")]


def _plan(dialect: str, q: str) -> tuple[str, tuple[str, ...], dict]:
    """The kind of input, the lookups that apply to it and their parameters."""
    kind = _classify(q)
    params: dict = {}

    def prefix(key: str, value: str) -> None:
        params[key] = value
        params[key + "_top"] = value + TOP
        params[key + "_like"] = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    if kind == "digits":
        digits = q.replace(" ", "").replace("-", "")
        prefix("digits", digits)
        prefix("rev", digits[::-1])
        prefix("meter", digits)
        lookups = ["account_exact", "meter_exact"]
        if len(digits) >= 7:
            lookups.append("phone_exact")
        if len(digits) >= 4:
            lookups += ["account_prefix", "phone_tail", "phone2_tail", "id_tail", "meter_prefix"]
    elif kind == "id_tail":
        rev = q.replace(" ", "").upper()[::-1]
        prefix("rev", rev)
        lookups = ["id_tail"] if len(rev) >= 4 else []
    elif kind in ("letters", "code"):
        low = q.replace(" ", "").lower()
        prefix("low", low)
        prefix("meter", q.upper())
        lookups = []
        if kind == "letters":
            lookups += ["initials_exact", "initials_prefix"] + (["pinyin_prefix"] if len(low) >= 2 else [])
        lookups.append("meter_prefix")
    else:
        prefix("q", q)
        lookups = ["name_exact", "name_prefix"]
    if kind in ("letters", "code", "text") and len(q) >= 3:
        lookups.append("fragment")
        params["phrase"] = '"' + q.replace('"', '""') + '"'
        params["q_like_any"] = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return kind, tuple(lookups), params


def _result(row, match: str) -> SearchResult:
    # row: id, customer_id, account_id, account_no, name, name_pinyin, phone, id_number, address, status, rank, match
    return SearchResult(row[1], row[2], row[3], row[4], row[6], row[7], row[8], row[9], match)


def _sort_key(row) -> tuple:
    # Within a rank, names in pinyin order (how a Chinese clerk reads a list of names); one customer's
    # accounts by number.
    return (row[10], row[5] or "", row[4], row[3] or "")


def search_in(session: Session, text_: str, limit: int = 200) -> list[SearchResult]:
    q = normalize(text_)
    if not q:
        return []
    dialect = session.get_bind().dialect
    kind, lookups, params = _plan(dialect.name, q)
    if not lookups:
        return []
    cursor = session.connection().connection.dbapi_connection.cursor()
    seen: dict[int, tuple] = {}  # entry id -> its row from the best lookup that found it
    params["n"] = limit
    try:
        for prepared, _, _ in _statements(dialect, kind, lookups):
            if "total" not in prepared.names:
                for r in prepared.run(cursor, params):
                    seen.setdefault(r[0], r)
                if len(seen) >= limit:
                    break
                continue
            total = limit
            while True:
                params["total"] = total
                rows = prepared.run(cursor, params)
                seen = {}
                for r in rows:
                    seen.setdefault(r[0], r)
                # An entry found by two lookups counts once: ask again for more rows when duplicates
                # left the page short although the statement stopped at its limit (rare).
                if len(seen) >= limit or len(rows) < total or total >= limit * len(lookups):
                    break
                total *= 2
    finally:
        cursor.close()
    found = sorted(seen.values(), key=_sort_key)[:limit]
    return [_result(r, r[11]) for r in found]


def search(db: Database, text_: str, limit: int = 200) -> list[SearchResult]:
    """Matches for what the clerk typed, best kinds first; [] for nothing (never an error)."""
    with db.read() as s:
        return search_in(s, text_, limit)


@lru_cache(maxsize=8)
def _by(column: str):
    return select(*_COLUMNS).where(getattr(E, column) == bindparam("v")).order_by(E.id).limit(1)


@lru_cache(maxsize=1)
def _by_meter():
    return select(*_COLUMNS).where(E.account_id.in_(select(Meter.account_id).where(Meter.meter_no == bindparam("v")))).limit(1)


def _one(session: Session, stmt, value, match: str) -> SearchResult | None:
    row = session.execute(stmt, {"v": value}).first()
    return SearchResult(row[1], row[2], row[3], row[4], row[6], row[7], row[8], row[9], match) if row else None


def exact_account(db: Database, text_: str) -> SearchResult | None:
    """The account whose number is exactly `text_` (a barcode scan), or None."""
    q = normalize(text_).replace(" ", "")
    if not q.isdigit():
        return None
    with db.read() as s:
        return _one(s, _by("account_no"), q, "account")


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
        hit = _one(s, _by_meter(), q, "meter")
        if hit:
            return hit
        for resolver in _resolvers:
            hit = resolver(s, q)
            if hit:
                return hit
    return None


def result_for_account(session: Session, account_id: uuid.UUID, match: str) -> SearchResult | None:
    """Helper for resolvers: the search result of an account."""
    return _one(session, _by("account_id"), account_id, match)


def result_for_customer(session: Session, customer_id: uuid.UUID, match: str) -> SearchResult | None:
    return _one(session, _by("customer_id"), customer_id, match)
