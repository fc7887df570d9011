"""Sync: the outbox's cost on a payment (p95 with and without it, SQLite) and the export of a station's month.

Partial (see docs/SYNC.md): the import rate at a PostgreSQL centre for whole station-months is not
measured here yet; the simulation test (tests/test_sync_simulation.py) covers correctness.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import machine, peak_rss_mb, percentiles

FLOOR_P95_MS = 50.0
FLOOR_EXPORT_S = 5.0


def add_arguments(p) -> None:
    p.add_argument("--accounts", type=int, default=3000)
    p.add_argument("--payments", type=int, default=400, help="payments timed with and without the outbox")
    p.add_argument("--json", action="store_true")


def _station(folder: Path, accounts: int):
    from sqlalchemy import select

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Account, SyncIdentity, SyncPeer
    from app.services import auth, demo
    from app.services.billing import demo_data
    from app.services.payments import posting
    from app.services.sync import keys

    db = Database(f"sqlite:///{folder / 'station.sqlite'}")
    upgrade(db.engine)
    admin = demo.fill_new_store(db, accounts)
    demo_data.fill(db, random.Random(5), admin)
    auth.create_clerk(db, admin, "benchclerk", "收费员", "clerk12345", "clerk", "9001")
    clerk = auth.get_actor(db, "benchclerk")
    posting.open_shift(db, clerk, "0")
    private, public = keys.new_key_pair()
    with db.write() as s:
        s.add(SyncIdentity(id=1, role="station", centre_id=uuid.uuid4(), station_id=clerk.station_id, private_key=private,
                           public_key=public, centre_public_key=public))
        s.add(SyncPeer(station_id=clerk.station_id, public_key=public))
    with db.read() as s:
        ids = list(s.scalars(select(Account.id).where(Account.status != "closed")))
    return db, clerk, ids


def _pay(db, clerk, ids, n, rng, tag) -> list[float]:
    from app.services.payments import posting

    times = []
    for i in range(n):
        t = time.perf_counter()
        posting.post_payment(db, clerk, rng.choice(ids), str(rng.randrange(10, 300)), "cash", f"{tag}-{i}", "300")
        times.append((time.perf_counter() - t) * 1000)
    return times


def run(args) -> int:
    from sqlalchemy import func, insert, select

    from app.models import SyncOutbox
    from app.services.sync import core

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, clerk, ids = _station(folder, args.accounts)
        db.sync_station = None  # the outbox off: the same store as a stand-alone counter
        off = percentiles(_pay(db, clerk, ids, args.payments, rng, "off"))
        db.__dict__.pop("sync_station", None)  # on again (read from the store's identity)
        on = percentiles(_pay(db, clerk, ids, args.payments, rng, "on"))
        with db.read() as s:
            units = s.scalar(select(func.count()).select_from(SyncOutbox))
            rows = s.scalar(select(func.sum(SyncOutbox.rows)))
        t = time.perf_counter()
        core.export_up(db, folder / "month.cdsync")
        export_s = time.perf_counter() - t
        size = (folder / "month.cdsync").stat().st_size
        # The machine's own limit for writing the same rows: raw executemany of the outbox payloads.
        with db.read() as s:
            payloads = [dict(station_id=uuid.uuid4(), seq=r.seq, at=r.at, rows=r.rows, hash=r.hash, payload=r.payload)
                        for r in s.scalars(select(SyncOutbox))]
        t = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(insert(SyncOutbox.__table__), payloads)
        raw_s = time.perf_counter() - t
        db.dispose()
    result = {
        "machine": machine(),
        "payment_p95_ms_without_outbox": off["p95"], "payment_p95_ms_with_outbox": on["p95"],
        "payment_p50_ms_without_outbox": off["p50"], "payment_p50_ms_with_outbox": on["p50"],
        "floor_p95_ms": FLOOR_P95_MS, "outbox_units": units, "outbox_rows": rows,
        "export_s": round(export_s, 3), "export_floor_s": FLOOR_EXPORT_S, "bundle_bytes": size,
        "raw_write_same_units_s": round(raw_s, 3), "export_to_raw_ratio": round(export_s / raw_s, 1) if raw_s else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"machine: {result['machine']}")
        print(f"payment p95: {on['p95']:.1f} ms with the outbox, {off['p95']:.1f} ms without (the machine's own, same store); "
              f"floor {FLOOR_P95_MS} ms: {'met' if on['p95'] <= FLOOR_P95_MS else 'MISSED'}")
        print(f"export of {units} units ({rows} rows, {size} bytes): {export_s:.2f} s; raw executemany of the same units "
              f"{raw_s:.2f} s (ratio {result['export_to_raw_ratio']}); floor {FLOOR_EXPORT_S} s: "
              f"{'met' if export_s <= FLOOR_EXPORT_S else 'MISSED'}")
        print(f"peak RSS {result['peak_rss_mb']} MB")
    return 0
