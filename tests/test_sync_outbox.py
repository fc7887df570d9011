"""The outbox records each unit of work of a syncing store exactly as committed; other stores record nothing."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from app.db import outbox
from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import Station, SyncOutbox
from app.models.base import Base
from app.services import auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.sync import core, manage


def test_units_hold_the_rows_as_committed_and_numbers_follow_on(sqlite_db, tmp_path):
    centre = sqlite_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no="M3801", initial_reading="1000"))
    with centre.write() as s:
        s.add(Station(code="3801", name="西山站"))
    manage.assign_area(centre, cadmin, "3801", [cid])
    with centre.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3801"))
    auth.create_clerk(centre, cadmin, "wu", "吴", "clerk1234", "supervisor", "8001", station_id=sid)
    manage.provision(centre, cadmin, "3801", "西山站", tmp_path / "p.prov", "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(station.engine)
    manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
    clerk = auth.login(station, "wu", "clerk1234")
    readings.record_reading(station, clerk, mid, "total", "2026-09", "1100")
    with station.read() as s:
        account_no = s.scalar(select(func.min(Base.metadata.tables["accounts"].c.account_no)))
    bills.issue_accounts(station, clerk, [account_no], "2026-09", today=date(2026, 10, 5))
    posting.open_shift(station, clerk, "0")
    posting.post_payment(station, clerk, aid, "80", "cash", "k1", "100", today=date(2026, 10, 9))
    posting.post_payment(station, clerk, aid, "5", "qr", "k2", reference="QR1", today=date(2026, 10, 9))
    with station.read() as s:
        units = s.execute(select(SyncOutbox.seq, SyncOutbox.payload).order_by(SyncOutbox.seq)).all()
        assert [u.seq for u in units] == list(range(1, len(units) + 1))
        for _seq, payload in units:
            for c in json.loads(payload)["changes"]:
                table = Base.metadata.tables[c["t"]]
                pk = outbox.pk_name(c["t"])
                now = s.execute(select(table).where(table.c[pk] == outbox.typed(c["t"], c["row"])[pk])).mappings().one()
                # a unit's row is the row as that unit left it; only later units may have changed it since
                if c["t"] in ("payments", "payment_allocations", "contact_records", "audit_log", "balance_entries", "readings"):
                    assert dict(now) == outbox.typed(c["t"], c["row"]), c["t"]
        tables = {c["t"] for _seq, payload in units for c in json.loads(payload)["changes"]}
    assert {"payments", "payment_allocations", "contact_records", "audit_log", "readings", "bills", "shifts"} <= tables
    station.dispose()


def test_a_store_that_does_not_sync_records_nothing(sqlite_db):
    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅", "示范供电公司", "", ""), "admin", "管理员", "admin123")
    cs.create_customer(sqlite_db, admin, cs.CustomerInput(name="李四"))
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0
