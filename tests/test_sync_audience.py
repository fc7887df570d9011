"""The downlink's audience index (docs/SYNC.md, The downlink): each unit of the centre's log is
indexed by the stations it is for, a station's answer reads only its own units, and a station's own
work on its own area never enters the centre's log."""

from __future__ import annotations

from sqlalchemy import select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import Account, Payment, Station, SyncAudience, SyncOutbox
from app.models.sync import EVERYONE
from app.services import auth, settings
from app.services import customers as cs
from app.services.payments import posting
from app.services.sync import bundle, core, manage

PASS = "audience-pass"


def _centre_log(db: Database) -> list[tuple[int, set]]:
    with db.read() as s:
        ident = core.identity(s)
        units = list(s.scalars(select(SyncOutbox.seq).where(SyncOutbox.station_id == ident.station_id).order_by(SyncOutbox.seq)))
        audience = {}
        for station, seq in s.execute(select(SyncAudience.station_id, SyncAudience.seq)):
            audience.setdefault(seq, set()).add(station)
    return [(seq, audience.get(seq, set())) for seq in units]


def test_units_are_indexed_by_their_stations_and_answers_read_only_their_own(pg_db, tmp_path):
    centre = pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    from app.services.billing import tariffs

    tariffs.ensure_default_tariffs(centre, cadmin)
    stations = {}
    for code in ("3501", "3502"):
        cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name=f"客户{code}"))
        aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address=f"{code}村", tariff_code="ZJ-RES-Y"))
        with centre.write() as s:
            s.add(Station(code=code, name=f"站{code}"))
        manage.assign_area(centre, cadmin, code, [cid])
        with centre.read() as s:
            sid = s.scalar(select(Station.id).where(Station.code == code))
        auth.create_clerk(centre, cadmin, f"c{code}", "收费员", "clerk1234", "clerk", f"9{code}", station_id=sid)
        manage.provision(centre, cadmin, code, "", tmp_path / f"{code}.prov", PASS)
        db = Database(f"sqlite:///{tmp_path / f'{code}.sqlite'}")
        upgrade(db.engine)
        manage.set_up_station(db, (tmp_path / f"{code}.prov").read_bytes(), PASS)
        clerk = auth.login(db, f"c{code}", "clerk1234")
        posting.open_shift(db, clerk, "0")
        stations[code] = {"db": db, "clerk": clerk, "id": sid, "account": aid}
    a, b = stations["3501"], stations["3502"]
    before = _centre_log(centre)

    # A bank payment at the centre for an account of 3501's area: a unit for 3501 only.
    posting.open_shift(centre, cadmin, "0")
    posting.post_payment(centre, cadmin, a["account"], "9", "transfer", "bank-a", reference="BA")
    new = _centre_log(centre)[len(before) :]
    assert [aud for _seq, aud in new if aud] == [{a["id"]}]
    # A company setting: a unit for every station.
    with centre.write() as s:
        settings.put(s, "sync.max_days_without_sync", 9)
    assert _centre_log(centre)[-1][1] == {EVERYONE}

    # 3502's own work on its own area goes to the centre but not into the centre's log.
    units = len(_centre_log(centre))
    posting.post_payment(b["db"], b["clerk"], b["account"], "5", "cash", "own-b", "5")
    core.export_up(b["db"], tmp_path / "b.cdsync")
    assert core.import_file(centre, tmp_path / "b.cdsync").status == "applied"
    assert len(_centre_log(centre)) == units
    # A correction of a 3502 customer's file at the centre: a unit for 3502.
    with b["db"].read() as s:
        b_customer = s.scalar(select(Account.customer_id).where(Account.id == b["account"]))
    form = cs.load_customer_for_edit(centre, cadmin, b_customer)
    form.phone = "13955550000"
    cs.update_customer(centre, cadmin, b_customer, form)
    last = _centre_log(centre)[-1][1]  # (and everyone's: the audit HMAC key, made when first needed)
    assert b["id"] in last and a["id"] not in last

    # The answers: 3502's carries the setting and its customer's phone but nothing of 3501's account;
    # 3501's carries the bank payment.
    def answer(code):
        core.export_down(centre, code, tmp_path / f"down-{code}.cdsync")
        header, _line, _sig, raw = bundle.parse((tmp_path / f"down-{code}.cdsync").read_bytes())
        return [c for u in bundle.body_of(raw)["units"] for c in u["changes"]]

    to_b = answer("3502")
    assert {c["t"] for c in to_b} == {"settings", "customers"} and all(c["row"].get("id") != str(a["account"]) for c in to_b)
    assert not any(c["row"].get("account_id") == str(a["account"]) for c in to_b)
    to_a = answer("3501")
    assert [c["row"]["amount_fen"] for c in to_a if c["t"] == "payments"] == [900]
    assert all(c["row"]["station_id"] == str(a["id"]) for c in to_a if c["t"] == "customers")  # never 3502's customer
    core.import_file(a["db"], tmp_path / "down-3501.cdsync")
    with a["db"].read() as s:
        assert list(s.scalars(select(Payment.amount_fen).where(Payment.account_id == a["account"], Payment.method == "transfer"))) == [900]
    for st in stations.values():
        st["db"].dispose()
