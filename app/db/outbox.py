"""The outbox: every committed unit of work of a store that syncs is recorded, in the same
transaction, as one numbered unit of changed rows (docs/SYNC.md).

Database.write() calls begin() when a unit of work starts and before_commit() just before it
commits. While the unit runs, two session events note which rows of the synced tables it inserts
or changes: ORM flushes (new and changed objects, with the values the changed columns had) and
Core statements run through the session (INSERT parameters, UPDATE by primary key; any other
UPDATE has its rows found first with the same WHERE). before_commit() reads those rows as they are
now (one SELECT per table), writes them as JSON under the station's next outbox number (gap-free:
the station's sync_peers row is locked until commit, after everything else) and chains the unit's
hash to the previous one. A unit that only moved derived state (a bill's paid amount and status,
an account's balance: recomputed from the facts wherever they meet) records nothing.

A store without a sync identity (a stand-alone hall, the demo) records nothing and pays one query
at its first write. This module imports no service (app/db is below them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, LargeBinary, Uuid, bindparam, event, select, text, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.types import TypeDecorator

from app.models.base import Base, utcnow
from app.models.sync import EVERYONE, GENESIS, WRITING_STATION, SyncAudience, SyncOutbox, SyncPeer

# Tables whose rows travel between stations and the centre, in no particular order (apply sorts
# them by foreign keys). Not here: the search index (rebuilt where rows arrive), number sequences
# and audit heads (each store's own counters), document print counts, the sync tables.
SYNCED = frozenset(
    {
        "stations",
        "clerks",
        "customers",
        "accounts",
        "meters",
        "tariffs",
        "settings",
        "readings",
        "bills",
        "bill_lines",
        "shifts",
        "payments",
        "payment_allocations",
        "balance_entries",
        "contact_records",
        "matters",
        "matter_events",
        "outages",
        "customer_notices",
        "bank_mandates",
        "audit_log",
    }
)

# Columns that are derived state or a store's own bookkeeping: never sent as a change on their own,
# never taken from another store (recomputed from the facts, or kept locally).
DERIVED = {
    "bills": frozenset({"paid_fen", "late_fee_paid_fen", "status", "version", "print_count"}),
    "accounts": frozenset({"balance_fen", "version"}),
    "customers": frozenset({"version", "updated_at"}),
    "meters": frozenset({"version"}),
    "payments": frozenset({"reversed_by_id", "print_count", "printed_at"}),
    "clerks": frozenset({"failed_logins", "locked_at", "version"}),
    "matters": frozenset({"version", "print_count"}),
}
NO_DERIVED: frozenset = frozenset()


def derived(table: str) -> frozenset:
    return DERIVED.get(table, NO_DERIVED)


# ---------------------------------------------------------------- values <-> JSON


def plain(value: Any) -> Any:
    """A column value as JSON: UUIDs, decimals, dates as strings, bytes as base64."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, float):
        return value
    return str(value)


@lru_cache(maxsize=None)
def _converters(table_name: str) -> dict:
    table = Base.metadata.tables[table_name]
    out = {}
    for col in table.columns:
        t = col.type
        if isinstance(t, Uuid):
            out[col.name] = uuid.UUID
        elif isinstance(t, DateTime):
            out[col.name] = datetime.fromisoformat
        elif isinstance(t, Date):
            out[col.name] = date.fromisoformat
        elif isinstance(t, Boolean):
            out[col.name] = bool
        elif isinstance(t, LargeBinary):
            out[col.name] = base64.b64decode
        elif isinstance(t, TypeDecorator) and getattr(t, "SCALE", None) is not None:
            out[col.name] = Decimal
    return out


@lru_cache(maxsize=None)
def column_names(table_name: str) -> frozenset:
    return frozenset(c.name for c in Base.metadata.tables[table_name].columns)


def typed(table_name: str, row: dict) -> dict:
    """A row from JSON back to Python values by the columns' types; unknown columns are dropped."""
    conv = _converters(table_name)
    columns = column_names(table_name)
    out = {}
    for k, v in row.items():
        if k in columns:
            f = conv.get(k)
            out[k] = v if (f is None or v is None) else f(v)
    return out


def pk_name(table_name: str) -> str:
    return list(Base.metadata.tables[table_name].primary_key.columns)[0].name


# ---------------------------------------------------------------- capture


_UNKNOWN_VALUE = object()


def _note(
    session: Session, table: str, key: Any, op: str, before: dict | None = None, row: dict | None = None, set_values: dict | None = None
) -> None:
    """Note a changed row. `row` is an inserted row's every value as the statement carried it, and
    `set_values` an UPDATE's values by primary key: kept, the row need not be read back at commit;
    any value not known exactly (an SQL expression, a default made by the database, an ORM flush)
    drops it, and the row is read back."""
    info = session.info.get("sync")
    if info is None or info.get("suspended") or key is None:
        return
    changes = info["changes"]
    k = (table, key)
    seen = changes.get(k)
    if seen is None:
        changes[k] = {"op": op, "before": dict(before or {}), "row": row}
        return
    if before:
        for col, v in before.items():
            seen["before"].setdefault(col, v)
    if seen.get("row") is not None:
        if set_values is not None and _UNKNOWN_VALUE not in set_values.values():
            seen["row"].update(set_values)
        else:
            seen["row"] = None


def note_inserted(session: Session, table_name: str, rows: list[dict]) -> None:
    """Note rows inserted without a session statement (app.db.bulk.insert_rows), each with every
    column's value as a core insert would carry it, so they need not be read back at commit."""
    if table_name not in SYNCED:
        return
    pk = pk_name(table_name)
    for row in rows:
        _note(session, table_name, row[pk], "i", row=row)


def _statement_row(table, values: dict, params: dict, station) -> dict | None:
    """Every column's value of one inserted row as the statement carries it, or None if any is not
    known exactly here."""
    row = {}
    for col in table.columns:
        name = col.name
        if name in values:
            v = values[name]
            if isinstance(v, BindParameter):
                v = params.get(v.key, v.value) if v.key in params or v.value is not None or not v.required else _UNKNOWN_VALUE
            elif hasattr(v, "__clause_element__") or hasattr(v, "_from_objects"):
                return None
        elif name in params:
            v = params[name]
        elif col.server_default is not None and col.default is None:
            return None
        elif col.default is None:
            v = None
        elif getattr(col.default, "is_scalar", False):
            v = col.default.arg
        elif name == "station_id":
            v = station  # writing_station(): the unit's station
        else:
            return None
        if v is _UNKNOWN_VALUE:
            return None
        row[name] = v
    return row


def _set_values(values: dict, params: dict) -> dict:
    out = {}
    for name, v in values.items():
        if isinstance(v, BindParameter):
            out[name] = params.get(v.key, v.value)
        elif hasattr(v, "__clause_element__") or hasattr(v, "_from_objects"):
            out[name] = _UNKNOWN_VALUE
        else:
            out[name] = v
    return out


def _bind_value(value: Any, params: dict) -> Any:
    if isinstance(value, BindParameter):
        return params.get(value.key, value.value)
    return value


def _dml_parts(stmt) -> list:
    parts = [stmt]
    for cte in getattr(stmt, "_independent_ctes", ()) or ():
        element = getattr(cte, "element", None)
        if isinstance(element, (Insert, Update)):
            parts.append(element)
    return parts


def _on_execute(state) -> Any:
    session = state.session
    info = session.info.get("sync")
    if info is None or info.get("suspended") or not (state.is_insert or state.is_update):
        return None
    params = state.parameters
    param_list = params if isinstance(params, list) else [params or {}]
    missing_keys = []
    for dml in _dml_parts(state.statement):
        table = getattr(dml, "table", None)
        name = getattr(table, "name", None)
        if name not in SYNCED:
            continue
        pk = pk_name(name)
        values = {(k if isinstance(k, str) else k.key): v for k, v in (dml._values or {}).items()}
        if isinstance(dml, Insert):
            multi = getattr(dml, "_multi_values", None)
            for p in param_list:
                key = _bind_value(values[pk], p) if pk in values else p.get(pk)
                if key is None:
                    missing_keys.append(name)
                else:
                    row = None if multi else _statement_row(table, values, p, info["station"])
                    _note(session, name, key, "i", row=row)
        else:
            set_cols = set(values) or {k for p in param_list for k in p if k != pk}
            if set_cols and set_cols <= derived(name):
                continue
            where = dml.whereclause
            if where is None:  # ORM bulk UPDATE by primary key: the keys are in the parameters
                for p in param_list:
                    _note(session, name, p.get(pk), "u")
            elif (
                isinstance(where, BinaryExpression)
                and getattr(where.left, "name", None) == pk
                and getattr(where.left, "table", None) is table
                and isinstance(where.right, BindParameter)
                and where.operator.__name__ == "eq"
            ):
                for p in param_list:
                    _note(session, name, _bind_value(where.right, p), "u", set_values=_set_values(values, p) if values else None)
            else:  # any other WHERE: find its rows first, with the same condition and parameters
                for p in param_list:
                    for (key,) in session.execute(select(table.c[pk]).where(where), p):
                        _note(session, name, key, "u")
    if missing_keys:  # a key made by the database: run the statement here and read the keys back
        result = state.invoke_statement()
        rows = getattr(result, "inserted_primary_key_rows", None) or []
        for name in set(missing_keys):
            for r in rows:
                _note(session, name, r[0], "i")
        return result
    return None


def _after_flush(session: Session, _ctx) -> None:
    info = session.info.get("sync")
    if info is None or info.get("suspended"):
        return
    for obj in session.new:
        table = getattr(obj, "__table__", None)
        if table is not None and table.name in SYNCED:
            state = sa_inspect(obj)
            key = state.identity[0] if state.identity else getattr(obj, pk_name(table.name), None)
            _note(session, table.name, key, "i", set_values={"": _UNKNOWN_VALUE})
    for obj in session.dirty:
        table = getattr(obj, "__table__", None)
        if table is None or table.name not in SYNCED:
            continue
        state = sa_inspect(obj)
        before = {}
        skip = derived(table.name)
        for prop in state.mapper.column_attrs:
            hist = state.attrs[prop.key].history
            if hist.added or hist.deleted:
                col = prop.columns[0].name
                if col not in skip:
                    before[col] = plain(hist.deleted[0]) if hist.deleted else None
        if before:
            _note(session, table.name, state.identity[0] if state.identity else None, "u", before, set_values={"": _UNKNOWN_VALUE})


def install(write_factory) -> None:
    """Listen on the write sessions of a Database (called once from Database.__init__)."""
    event.listen(write_factory, "do_orm_execute", _on_execute)
    event.listen(write_factory, "after_flush", _after_flush)


_UNKNOWN = object()


def station_of(db) -> uuid.UUID | None:
    """The store's syncing station (cached on the Database), or None if it does not sync."""
    station = db.__dict__.get("sync_station", _UNKNOWN)
    if station is _UNKNOWN:
        station, role = None, ""
        try:
            with db.engine.connect() as conn:
                row = conn.execute(text("SELECT station_id, role FROM sync_identity WHERE id = 1")).first()
                if row is not None and row[1] != "joining":  # a store that asked to join records nothing yet
                    station = row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))
                    role = row[1]
        except Exception:  # noqa: BLE001  (no sync tables yet: a store that does not sync)
            station = None
        db.sync_station = station
        db.sync_role = role
    return station


def is_centre(db) -> bool:
    """The store is the centre (cached on the Database with its station)."""
    role = db.__dict__.get("sync_role")
    if role is None:
        kept = db.__dict__.pop("sync_station", _UNKNOWN)
        station_of(db)
        role = db.sync_role
        if kept is not _UNKNOWN:
            db.sync_station = kept
    return role == "centre"


def begin(db, session: Session):
    """A unit of work starts: note changes if the store syncs; rows default to its station."""
    station = station_of(db)
    if station is None:
        return None
    session.info["sync"] = {"station": station, "changes": {}, "extra": [], "origin": None, "centre": is_centre(db)}
    return WRITING_STATION.set(station)


def end(token) -> None:
    if token is not None:
        WRITING_STATION.reset(token)


@lru_cache(maxsize=1)
def _table_order() -> dict:
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def unit_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + hashlib.sha256(payload.encode("utf-8")).hexdigest()).encode()).hexdigest()


@lru_cache(maxsize=None)
def _read_statement(table_name: str):
    """The rows of one table by key, built once (building a statement costs more than running it)."""
    table = Base.metadata.tables[table_name]
    return select(table).where(table.c[pk_name(table_name)].in_(bindparam("keys", expanding=True)))


@lru_cache(maxsize=1)
def _unit_statements():
    peers, units = SyncPeer.__table__, SyncOutbox.__table__
    lock = select(peers.c.out_seq, peers.c.out_hash).where(peers.c.station_id == bindparam("station")).with_for_update()
    move = update(peers).where(peers.c.station_id == bindparam("station")).values(out_seq=bindparam("seq"), out_hash=bindparam("hash"))
    add = units.insert().values(
        station_id=bindparam("station"),
        seq=bindparam("seq"),
        at=bindparam("at"),
        rows=bindparam("rows"),
        hash=bindparam("hash"),
        payload=bindparam("payload"),
    )
    return lock, move, add


def read_changes(session: Session, noted: dict, station: uuid.UUID) -> list[dict]:
    """The noted rows as they are now, in foreign-key order: [{"t", "op", "row", "before"?}]."""
    by_table: dict[str, list] = {}
    for (table, key), change in noted.items():
        by_table.setdefault(table, []).append((key, change))
    order = _table_order()
    out = []
    conn = session.connection()
    for table_name in sorted(by_table, key=lambda n: order.get(n, 0)):
        table = Base.metadata.tables[table_name]
        pk = pk_name(table_name)
        entries = by_table[table_name]
        rows = {k: c["row"] for k, c in entries if c.get("row") is not None}
        keys = [k for k, c in entries if c.get("row") is None]
        stmt = _read_statement(table_name)
        for i in range(0, len(keys), 500):
            for r in conn.execute(stmt, {"keys": keys[i : i + 500]}).mappings():
                rows[r[pk]] = r
        has_station = "station_id" in table.c
        for key, change in entries:
            r = rows.get(key)
            if r is None:  # inserted and gone again in the same unit: nothing to send
                continue
            row = {c: plain(v) for c, v in r.items()}
            if has_station and row.get("station_id") is None and table_name not in ("customers",):
                row["station_id"] = str(station)
            item = {"t": table_name, "op": change["op"], "row": row}
            if change["op"] == "u" and change["before"]:
                item["before"] = change["before"]
            out.append(item)
    return out


def before_commit(session: Session) -> None:
    """Write the unit's changes to the outbox under the station's next number (see the module)."""
    info = session.info.get("sync")
    if info is None or (not info["changes"] and not info["extra"] and not session.new and not session.dirty):
        return
    session.flush()  # objects added or changed and not flushed yet are noted by the flush
    if not info["changes"] and not info["extra"]:
        return
    station = info["station"]
    changes = list(info["extra"]) + read_changes(session, info["changes"], station)
    info["changes"] = {}
    info["extra"] = []
    conn = session.connection()
    audience: set = set()
    if info.get("centre") and changes:
        audience, changes = audience_of(conn, changes)
    if not changes:
        return
    lock, move, add = _unit_statements()
    locked = conn.execute(lock, {"station": station}).first()
    seq, prev = (locked[0], locked[1]) if locked else (0, GENESIS)
    seq += 1
    at = utcnow()
    payload = json.dumps({"seq": seq, "at": at.isoformat(), "changes": changes}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    h = unit_hash(prev, payload)
    conn.execute(add, {"station": station, "seq": seq, "at": at, "rows": len(changes), "hash": h, "payload": payload})
    if locked is None:
        conn.execute(SyncPeer.__table__.insert().values(station_id=station, out_seq=seq, out_hash=h))
    else:
        conn.execute(move, {"station": station, "seq": seq, "hash": h})
    if audience:
        conn.execute(_audience_statement(), [{"a_station": a, "a_seq": seq} for a in sorted(audience)])


# ---------------------------------------------------------------- the downlink's audience (the centre)

MASTER = frozenset({"stations", "tariffs", "settings"})  # every station needs them
BY_HOME_ROW = frozenset({"clerks", "customers"})  # the row's own station_id is its station
BY_ACCOUNT = {
    "accounts": "id",
    "meters": "account_id",
    "payments": "account_id",
    "bills": "account_id",
    "balance_entries": "account_id",
    "bank_mandates": "account_id",
}
VIA_PARENT = {"payment_allocations": ("payment_id", "payments"), "bill_lines": ("bill_id", "bills"), "readings": ("meter_id", "meters")}


@lru_cache(maxsize=1)
def _audience_statement():
    return SyncAudience.__table__.insert().values(station_id=bindparam("a_station"), seq=bindparam("a_seq"))


def _in_keys(column, pg: bool):
    """`column` among the "keys" parameter: one array (`= ANY`) on PostgreSQL, an IN list elsewhere."""
    if pg:
        from sqlalchemy import any_
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam("keys", type_=ARRAY(column.type)))
    return column.in_(bindparam("keys", expanding=True))


@lru_cache(maxsize=None)
def _pair_statement(table_name: str, key: str, value: str, pg: bool):
    table = Base.metadata.tables[table_name]
    return select(table.c[key], table.c[value]).where(_in_keys(table.c[key], pg))


@lru_cache(maxsize=2)
def _home_statement(pg: bool):
    accounts, customers = Base.metadata.tables["accounts"], Base.metadata.tables["customers"]
    return (
        select(accounts.c.id, customers.c.station_id)
        .join(customers, customers.c.id == accounts.c.customer_id)
        .where(_in_keys(accounts.c.id, pg))
    )


def _pairs(conn, stmt, keys: set, pg: bool) -> dict:
    out = {}
    keys = [uuid.UUID(k) for k in keys if k]
    step = 50000 if pg else 2000
    for i in range(0, len(keys), step):
        for k, v in conn.execute(stmt, {"keys": keys[i : i + step]}):
            out[str(k)] = str(v) if v is not None else None
    return out


def audience_of(conn, changes: list[dict]) -> tuple[set, list[dict]]:
    """At the centre: the stations a unit's changes are for, and the changes some station needs.

    Master data is for every station (EVERYONE); clerks and customers for the station on the row;
    accounts and what hangs off them (meters, bank mandates, readings, bills and their lines, payments
    and their allocations, balance entries) for the home station of the account (its customer's station).
    A row is never for the station it came from (`o`), and the rest (audit entries, matters,
    contacts, shifts, other stations' own work on their own area) is for nobody: it stays out of
    the centre's log. The answer for a station (core.downlink_changes) applies the same rules."""
    pg = conn.dialect.name == "postgresql"
    parent_account: dict = {name: {} for name in ("payments", "bills", "meters")}
    for c in changes:
        if c["t"] in parent_account:
            parent_account[c["t"]][c["row"]["id"]] = c["row"].get("account_id")
    need: dict = {}
    for c in changes:
        via = VIA_PARENT.get(c["t"])
        if via is not None:
            k = c["row"].get(via[0])
            if k and k not in parent_account[via[1]]:
                need.setdefault(via[1], set()).add(k)
    for parent, keys in need.items():
        parent_account[parent].update(_pairs(conn, _pair_statement(parent, "id", "account_id", pg), keys, pg))
    account_of = []
    for c in changes:
        t, r = c["t"], c["row"]
        if t in BY_ACCOUNT:
            account_of.append(r.get(BY_ACCOUNT[t]))
        elif t in VIA_PARENT:
            key, parent = VIA_PARENT[t]
            account_of.append(parent_account[parent].get(r.get(key)))
        else:
            account_of.append(None)
    home = _pairs(conn, _home_statement(pg), {a for a in account_of if a}, pg)
    everyone = str(EVERYONE)
    audience, kept = set(), []
    for c, account in zip(changes, account_of):
        t = c["t"]
        if t in MASTER:
            who = everyone
        elif t in BY_HOME_ROW:
            who = c["row"].get("station_id")
        elif account is not None:
            who = home.get(account)
        else:
            who = None
        if who and who != c.get("o"):
            kept.append(c)
            audience.add(who)
    return {uuid.UUID(a) for a in audience}, kept
