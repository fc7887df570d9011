"""One audit chain per station: own heads and numbers, verify names the station, segments carried
to another store check there as they are, and stores from before are converted with their chain."""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
from sqlalchemy import create_engine, event, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.db.engine import Database
from app.kernel.errors import StorageError
from app.models import AuditEntry, AuditHead, Station
from app.services import audit, auth, numbering
from tests.conftest import PG_ADMIN_URL


def _second_station(db, admin, code="3302"):
    """A second station at the same store (as at a centre) with an administrator of its own."""
    with db.write() as s:
        st = Station(code=code, name=f"站{code}")
        s.add(st)
        s.flush()
        station_id = st.id
    auth.create_clerk(db, admin, f"admin{code}", f"管理员{code}", "admin123", "admin", f"9{code}", station_id=station_id)
    return auth.get_actor(db, f"admin{code}")


def _chain(db, station_id):
    with db.read() as s:
        return s.execute(
            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.hash)
            .where(AuditEntry.station_id == station_id)
            .order_by(AuditEntry.seq)
        ).all()


def test_each_station_numbers_its_own_chain_from_one(db, admin):
    other = _second_station(db, admin)
    auth.create_clerk(db, other, "li", "李四", "clerk123", "clerk", "2001")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    mine, theirs = _chain(db, admin.station_id), _chain(db, other.station_id)
    assert [r.seq for r in mine] == [1, 2, 3, 4]  # setup, admin, the other station's admin (made here), zhangli
    assert [r.seq for r in theirs] == [1]
    assert theirs[0].prev_hash == audit.GENESIS and mine[0].prev_hash == audit.GENESIS
    with db.read() as s:
        heads = {h.station_id: (h.seq, h.hash) for h in audit.heads(s)}
        result = audit.verify(s)
    assert heads == {admin.station_id: (4, mine[-1].hash), other.station_id: (1, theirs[0].hash)}
    assert result.ok and result.checked == 5
    assert {(c.station_code, c.checked) for c in result.chains} == {("3301", 4), ("3302", 1)}


def test_station_and_seq_are_unique_together(db, admin):
    with pytest.raises(IntegrityError):
        with db.write() as s:
            first = s.scalar(select(AuditEntry).where(AuditEntry.seq == 1))
            s.execute(
                AuditEntry.__table__.insert().values(
                    id=uuid.uuid4(),
                    seq=1,
                    at=first.at,
                    station_id=first.station_id,
                    clerk_id=None,
                    action="x",
                    entity="x",
                    entity_id="",
                    before="",
                    after="",
                    prev_hash=audit.GENESIS,
                    hash=audit.GENESIS,
                )
            )


def test_verify_names_the_first_broken_entry_and_its_station(db, admin):
    other = _second_station(db, admin)
    for n in range(3):
        auth.create_clerk(db, other, f"c{n}", f"营业员{n}", "clerk123", "clerk", f"20{n}")
    with db.write() as s:
        victim = s.scalar(select(AuditEntry).where(AuditEntry.station_id == other.station_id, AuditEntry.seq == 3))
        s.execute(update(AuditEntry).where(AuditEntry.id == victim.id).values(after='{"login":"mallory"}'))
    with db.read() as s:
        result = audit.verify(s)
    assert not result.ok
    assert (result.station_code, result.first_broken_seq, result.first_broken_id) == ("3302", 3, str(victim.id))
    assert "hash" in result.reason
    chains = {c.station_code: c for c in result.chains}
    assert chains["3301"].problem is None and chains["3301"].checked == 3
    assert chains["3302"].problem is not None and chains["3302"].checked == 2


def test_a_cut_chain_with_its_head_moved_back_is_still_found_by_a_missing_number(db, admin):
    """Deleting entries in the middle of a station's chain leaves a gap in its numbers."""
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    auth.create_clerk(db, admin, "wangwu", "王五", "clerk123", "clerk", "1002")
    with db.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with db.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken_seq == 2 and result.station_code == "3301"


def test_verify_cli_names_each_station(tmp_path, capsys):
    from app.cli import main

    db = Database(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    from app.db.migrate import upgrade

    upgrade(db.engine)
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    other = _second_station(db, admin)
    auth.create_clerk(db, other, "li", "李四", "clerk123", "clerk", "2001")
    db.dispose()
    url = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    assert main(["--db", url, "--lang", "en", "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "intact: 4 entries in 2 chains" in out
    assert "station 3301: 3 entries intact" in out and "station 3302: 1 entries intact" in out
    import sqlite3

    con = sqlite3.connect(tmp_path / "centre.sqlite")
    con.execute("UPDATE audit_log SET entity_id = 'x' WHERE seq = 1 AND station_id = ?", (other.station_id.hex,))
    con.commit()
    con.close()
    assert main(["--db", url, "--lang", "en", "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "station 3302: BROKEN at entry 1" in out and "station 3301: 3 entries intact" in out


def test_entries_made_without_anyone_go_to_the_stores_own_chain(db):
    """Shipped tariffs are imported on a store's first use with no one logged in."""
    from app.services.billing import tariffs

    assert tariffs.ensure_default_tariffs(db) > 0
    with db.read() as s:
        result = audit.verify(s)
        stations = set(s.scalars(select(AuditEntry.station_id)))
    assert stations == {audit.NO_STATION} and result.ok
    assert [c.station_code for c in result.chains] == [audit.NO_STATION_CODE]


# --- the payment's fast path ---------------------------------------------------------------------


def _count_statements(db):
    seen = []
    event.listen(db.engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2]))
    return seen


def test_receipt_number_and_the_stations_head_in_one_round_trip_on_postgresql(pg_db):
    admin = auth.initialize(pg_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    other = _second_station(pg_db, admin)
    auth.create_clerk(pg_db, other, "li", "李四", "clerk123", "clerk", "2001")  # the station's chain has begun
    seen = _count_statements(pg_db)
    with pg_db.write() as s:
        s.execute(text("SELECT 1"))
        seen.clear()
        number, head = numbering.next_value(s, other.station_id, "receipt", 2026, lock_audit_head=True)
        assert len(seen) == 1
        assert (number, head.station_id, head.seq) == (1, other.station_id, 1)
        seen.clear()
        audit.record(s, other, "post", "payment", uuid.uuid4(), after={"n": 1}, head=head)
        assert len(seen) == 1  # the entry and the head's move together
    with pg_db.read() as s:
        assert audit.head_of(s, other.station_id).seq == 2 and audit.verify(s).ok


def test_a_station_without_a_head_yet_gets_one_on_its_first_number(pg_db):
    with pg_db.write() as s:
        st = Station(code="3399", name="新站")
        s.add(st)
        s.flush()
        station_id = st.id
    with pg_db.write() as s:
        number, head = numbering.next_value(s, station_id, "receipt", 2026, lock_audit_head=True)
        assert (number, head.seq, head.hash) == (1, 0, audit.GENESIS)
        audit.record_many(s, None, [("post", "payment", "p", None, {"n": 1})], head=head, station_id=station_id)
    with pg_db.read() as s:
        assert audit.head_of(s, station_id).seq == 1 and audit.verify(s).ok


def test_stations_do_not_wait_for_each_others_head(pg_db):
    """One station's writer holding its head does not hold up another station's."""
    admin = auth.initialize(pg_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    other = _second_station(pg_db, admin)
    with pg_db.write() as holder:
        audit.lock_head(holder, admin.station_id)
        with pg_db.write() as s:
            s.execute(text("SET LOCAL lock_timeout = '500ms'"))
            audit.record(s, other, "test", "x", "1")  # another station: no wait
        with pytest.raises((OperationalError, StorageError)):  # (a lock wait cut short, said as such)
            with pg_db.write() as s:
                s.execute(text("SET LOCAL lock_timeout = '300ms'"))
                audit.record(s, admin, "test", "x", "2")  # the same station: waits for the holder


# --- segments ------------------------------------------------------------------------------------


def test_a_stations_segment_appends_elsewhere_as_it_is_and_a_bad_one_is_refused(sqlite_db, pg_db):
    station = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    for n in range(3):
        auth.create_clerk(sqlite_db, station, f"c{n}", f"营业员{n}", "clerk123", "clerk", f"10{n}")
    with sqlite_db.read() as s:
        first, rest = audit.entries_after(s, station.station_id, 0, limit=2), audit.entries_after(s, station.station_id, 2)
    assert [e["seq"] for e in first] == [1, 2] and [e["seq"] for e in rest] == [3, 4, 5]
    with pg_db.write() as s:
        head = audit.append_segment(s, station.station_id, first)
    assert head.seq == 2
    tampered = [dict(e) for e in rest]
    tampered[1]["after"] = tampered[1]["after"].replace("c1", "cX")
    with pytest.raises(ValueError, match="entry 4"):
        with pg_db.write() as s:
            audit.append_segment(s, station.station_id, tampered)
    with pytest.raises(ValueError, match="entry 2 is missing|entry 3 is missing"):
        with pg_db.write() as s:
            audit.append_segment(s, station.station_id, first)  # the same segment again does not continue the chain
    with pg_db.write() as s:
        audit.append_segment(s, station.station_id, rest)
    with pg_db.read() as s:
        result = audit.verify(s)
        assert result.ok and result.checked == 5
        assert audit.head_of(s, station.station_id).hash == rest[-1]["hash"]


# --- stores from before: one chain for the whole store --------------------------------------------


def _previous_revision() -> str:
    from alembic.script import ScriptDirectory

    from app.db.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_revision("0010_audit_per_station").down_revision


def _legacy_store(engine) -> tuple[uuid.UUID, int]:
    """A store at the revision before per-station chains, written as that version wrote it: one
    global chain (head row id 1) with entries of the station and entries without one."""
    from alembic import command

    from app.db.migrate import alembic_config

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, _previous_revision())
    station_id = uuid.uuid4()
    clerk_id = uuid.uuid4()
    rows, prev = [], audit.GENESIS
    plan = [
        (None, None, "import", "tariff", "ZJ.toml"),
        (station_id, clerk_id, "setup", "station", str(station_id)),
        (station_id, clerk_id, "create", "clerk", str(clerk_id)),
        (None, None, "import", "tariff", "water.toml"),
        (station_id, clerk_id, "login", "clerk", str(clerk_id)),
    ]
    for seq, (sid, cid, action, entity, eid) in enumerate(plan, start=1):
        at = datetime(2026, 11, 1, 8, seq, 30, 123456)
        after = audit.to_json({"n": seq, "名": "张三"})
        digest = audit.hash_of(seq, at, sid, cid, action, entity, eid, "", after, prev)
        rows.append(
            {
                "id": uuid.uuid4(),
                "seq": seq,
                "at": at,
                "station_id": sid,
                "clerk_id": cid,
                "action": action,
                "entity": entity,
                "entity_id": eid,
                "before": "",
                "after": after,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    import sqlalchemy as sa

    log = sa.table(
        "audit_log",
        *[
            sa.column(c)
            for c in ("id", "seq", "at", "station_id", "clerk_id", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")
        ],
    )
    log.c.id.type = log.c.station_id.type = log.c.clerk_id.type = sa.Uuid()
    log.c.at.type = sa.DateTime()
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO stations (id, code, name, company_name, hall_phone, address, timezone, created_at) "
                "VALUES (:id, '3301', '城东营业厅', '', '', '', 'Asia/Shanghai', :at)"
            ),
            {"id": station_id.hex if engine.dialect.name == "sqlite" else station_id, "at": datetime(2026, 11, 1)},
        )
        conn.execute(log.insert(), rows)
        conn.execute(sa.text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": len(rows), "hash": prev})
    return station_id, len(rows)


def _upgraded_store_keeps_its_chain(db):
    from app.db.migrate import upgrade

    station_id, n = _legacy_store(db.engine)
    with db.engine.connect() as conn:
        before = dict(conn.execute(text("SELECT id, hash FROM audit_log")).all())
    upgrade(db.engine)
    with db.read() as s:
        result = audit.verify(s)
        assert result.ok and result.checked == n, result.reason
        assert [(c.station_id, c.checked) for c in result.chains] == [(str(station_id), n)]
        assert audit.head_of(s, station_id).seq == n
        assert dict(s.execute(text("SELECT id, hash FROM audit_log")).all()) == before  # no entry re-hashed
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.station_in_hash.is_(False))) == 2
    with db.write() as s:  # the chain goes on from the old head
        audit.record_many(s, None, [("test", "x", "1", None, None)], station_id=station_id)
    with db.read() as s:
        result = audit.verify(s)
        assert result.ok and result.checked == n + 1
        assert s.scalar(select(AuditHead.seq).where(AuditHead.station_id == station_id)) == n + 1
    with db.write() as s:  # and tampering with an old entry is still found
        s.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(entity_id="other.toml"))
    with db.read() as s:
        result = audit.verify(s)
        assert not result.ok and result.first_broken_seq == 4 and result.station_code == "3301"


def test_upgrading_an_sqlite_store_keeps_its_chain(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        _upgraded_store_keeps_its_chain(db)
    finally:
        db.dispose()


@pytest.fixture
def fresh_pg():
    name = f"counterdesk_audit_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrading_a_postgresql_store_keeps_its_chain(fresh_pg):
    _upgraded_store_keeps_its_chain(fresh_pg)


def test_upgrading_a_store_without_a_station(tmp_path):
    """Tariffs imported before anyone set the store up: the chain is kept as the store's own."""
    from alembic import command

    from app.db.migrate import alembic_config, upgrade

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, _previous_revision())
    at = datetime(2026, 11, 1, 8, 0, 0)
    digest = audit.hash_of(1, at, None, None, "import", "tariff", "ZJ.toml", "", "", audit.GENESIS)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (id, seq, at, station_id, clerk_id, action, entity, entity_id, before, after, "
                "prev_hash, hash) VALUES (:id, 1, :at, NULL, NULL, 'import', 'tariff', 'ZJ.toml', '', '', :prev, :h)"
            ),
            {"id": uuid.uuid4().hex, "at": at, "prev": audit.GENESIS, "h": digest},
        )
        conn.execute(text("UPDATE audit_head SET seq = 1, hash = :h WHERE id = 1"), {"h": digest})
    upgrade(db.engine)
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    with db.read() as s:
        result = audit.verify(s)
    assert result.ok, result.reason
    assert {(c.station_code, c.checked) for c in result.chains} == {(audit.NO_STATION_CODE, 1), ("3301", 2)}
    assert admin.station_code == "3301"
    db.dispose()
