"""Customer notices: queued from arrears, outages, matters and receipts with the templates filled in;
never for a customer who refused them; sent through a real HTTP gateway on 127.0.0.1 (one that
takes, one that refuses, one that fails, one that is slow), with retries and per-message status;
a station's outbox waits for the centre."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.kernel.errors import PermissionDenied, UserError
from app.kernel.localtime import local_now
from app.models import AuditEntry, CustomerNotice, SyncIdentity, utcnow
from app.services import customers as cs
from app.services import settings
from app.services.billing import bills, readings, tariffs
from app.services.handling import matters, outages
from app.services.interfaces import notices
from app.services.payments import posting
from tests.cliauth import as_

KEY = "test-gateway-key-0001"


class Gateway:
    """A small SMS gateway: checks the signature, answers by `mode` (ok | refuse | error | slow)."""

    def __init__(self, mode: str = "ok", delay: float = 0.0):
        self.mode = mode
        self.delay = delay
        self.received: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-CounterDesk-Timestamp"]
                good = hmac.new(KEY.encode(), stamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(good, self.headers["X-CounterDesk-Signature"]):
                    return self._answer(401, {"ok": False, "error": "bad signature"})
                message = json.loads(body)
                outer.received.append(message)
                if outer.mode == "slow":
                    time.sleep(outer.delay)
                if outer.mode == "refuse":
                    return self._answer(400, {"ok": False, "error": "number on the blocked list"})
                if outer.mode == "error":
                    return self._answer(503, {"ok": False, "error": "busy"})
                return self._answer(200, {"ok": True, "message_id": "GW-" + message["id"][:8]})

            def _answer(self, code, data):
                raw = json.dumps(data).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the slow gateway)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def gateway():
    gw = Gateway()
    yield gw
    gw.close()


def use_gateway(db, admin, url: str, timeout: int = 5) -> None:
    settings.set_setting(db, admin, "notices.gateway_url", url)
    settings.set_setting(db, admin, "notices.gateway_account", "counterdesk")
    settings.set_setting(db, admin, "notices.gateway_key", KEY)
    settings.set_setting(db, admin, "notices.timeout_seconds", str(timeout))


def _customer(db, clerk, name, phone, route="R01", n=1, owing=True):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name=name, phone=phone))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address=f"幸福路{n}号", tariff_code="ZJ-RES-Y", reading_route=route))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"33019900000{n:02d}", initial_reading="1000"))
    with db.read() as s:
        from app.models import Account

        account_no = s.get(Account, aid).account_no
    if owing:
        readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
        bills.issue_accounts(db, clerk, [account_no], "2026-09", today=date(2026, 10, 5))
    return cid, aid, account_no


@pytest.fixture
def town(db, clerk):
    """Three customers on route R01 owing the 2026-09 bill (53.80, due 2026-10-20): one with a mobile,
    one who refused messages, one with a landline only."""
    tariffs.ensure_default_tariffs(db)
    a = _customer(db, clerk, "张三丰", "13812345678", n=1)
    b = _customer(db, clerk, "李四", "13900001111", n=2)
    c = _customer(db, clerk, "王五", "0571-88776655", n=3)
    notices.set_refuses_messages(db, clerk, b[0], True)
    return a, b, c


def _notices(db):
    with db.read() as s:
        return list(s.scalars(select(CustomerNotice).order_by(CustomerNotice.created_at, CustomerNotice.kind)))


def test_arrears_queue_fills_the_template_and_skips_refusing_and_landline_customers(db, clerk, supervisor, town):
    (cid, aid, account_no), _, _ = town
    result = notices.queue_arrears(db, supervisor, route="R01", as_of=date(2026, 12, 25))
    # 66 days past due (> 30): the arrears reminder and the suspension notice, 7 days ahead, for each
    # customer; counted per notice
    assert (result.queued, result.refused, result.no_mobile, result.already) == (2, 2, 2, 0)
    rows = _notices(db)
    assert {n.kind for n in rows} == {"arrears", "suspension"}
    arrears = next(n for n in rows if n.kind == "arrears")
    assert arrears.customer_id == cid and arrears.phone == "13812345678" and arrears.status == "queued"
    with db.read() as s:
        from app.models import Bill

        bill = s.scalar(select(Bill).where(Bill.account_id == aid))
        owed = bill.amount_fen
    # the late fee of 66 days at 0.1 % a day on 53.80 is 3.55; the message names the account, the sum and the day
    assert owed == 5380
    assert arrears.text.startswith("【示范供电公司】尊敬的张三丰")
    assert f"户号{account_no}截至2026-12-25尚欠电费/水费57.35元" in arrears.text
    suspension = next(n for n in rows if n.kind == "suspension")
    assert "如2027-01-01前仍未缴清" in suspension.text
    # queued again: nothing new
    again = notices.queue_arrears(db, supervisor, route="R01", as_of=date(2026, 12, 25))
    assert (again.queued, again.already) == (0, 2)
    assert len(_notices(db)) == 2
    with pytest.raises(PermissionDenied):
        notices.queue_arrears(db, clerk, route="R01", as_of=date(2026, 12, 25))


def test_matter_registered_and_replied_queue_a_message_in_the_same_unit(db, clerk, town):
    (cid, aid, _), (refusing, _, _), _ = town
    reg = matters.register(db, clerk, matters.MatterInput("fault", "家里停电了", customer_id=cid, account_id=aid))
    matters.register(db, clerk, matters.MatterInput("fault", "楼道灯不亮", customer_id=refusing))
    rows = _notices(db)
    assert [n.kind for n in rows] == ["matter_registered"]
    assert reg.matter_no in rows[0].text and "前办结" in rows[0].text
    matters.start(db, clerk, reg.matter_id)
    matters.resolve(db, clerk, reg.matter_id, "更换了保险丝")
    matters.reply(db, clerk, reg.matter_id, "已派人更换保险丝，供电已恢复。")
    replied = [n for n in _notices(db) if n.kind == "matter_replied"]
    assert len(replied) == 1 and "已答复：已派人更换保险丝，供电已恢复。如有疑问" in replied[0].text
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "notice")) == 2


def test_outage_and_receipt_notices(db, clerk, supervisor, town, capsys):
    (cid, aid, account_no), _, _ = town
    now = local_now().replace(second=0, microsecond=0)
    day = (now + timedelta(days=10)).date()
    oid = outages.register_outage(
        db, supervisor, "R01", "", datetime.combine(day, time_of(8)), datetime.combine(day, time_of(17)), "线路检修", now_local=now
    )
    with pytest.raises(PermissionDenied):
        notices.queue_outage(db, clerk, oid)
    result = notices.queue_outage(db, supervisor, oid)
    assert (result.queued, result.refused, result.no_mobile) == (1, 1, 1)
    outage = next(n for n in _notices(db) if n.kind == "outage")
    assert "因线路检修" in outage.text and f"{day} 08:00至{day} 17:00" in outage.text and account_no in outage.text
    assert notices.queue_outage(db, supervisor, oid).already == 1
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "notices", "queue", "outage", "--json"] + as_("wangqiang")) == 0  # every outage not ended
    assert json.loads(capsys.readouterr().out) == {"queued": 0, "refused": 1, "no_mobile": 1, "already": 1}

    posting.open_shift(db, clerk, "0")
    paid = posting.post_payment(db, clerk, aid, "53.80", "cash", "pay-1", tendered_text="60")
    got = notices.queue_receipt(db, clerk, paid.receipt_no)
    assert got.queued == 1
    receipt = next(n for n in _notices(db) if n.kind == "receipt")
    assert f"收据号{paid.receipt_no}" in receipt.text and "缴费53.80元" in receipt.text
    with pytest.raises(UserError) as err:
        notices.queue_receipt(db, clerk, "R-9999-2026-0000404")
    assert err.value.field == "receipt"


def test_sending_through_the_gateway_sets_each_status_and_retries(db, admin, clerk, supervisor, town, gateway):
    with pytest.raises(UserError) as err:
        notices.send_waiting(db, clerk)  # no gateway set yet
    assert err.value.field == "gateway"
    notices.queue_arrears(db, supervisor, route="R01", as_of=date(2026, 12, 25))
    assert len(_notices(db)) == 2

    # a gateway that answers 503: both retry later; not sent again before their time
    failing = Gateway("error")
    try:
        use_gateway(db, admin, failing.url)
        first = notices.send_waiting(db, clerk)
        assert [r.status for r in first.rows] == ["retrying", "retrying"]
        assert all(r.attempts == 1 and "HTTP 503: busy" in r.reason for r in first.rows)
        assert notices.send_waiting(db, clerk).rows == []  # not due yet
    finally:
        failing.close()

    # later, the good gateway: sent, with its message id
    use_gateway(db, admin, gateway.url)
    later = utcnow() + timedelta(minutes=2)
    second = notices.send_waiting(db, clerk, now=later)
    assert [r.status for r in second.rows] == ["sent", "sent"]
    assert {m["phone"] for m in gateway.received} == {"13812345678"}
    assert {m["account"] for m in gateway.received} == {"counterdesk"}
    sent = _notices(db)
    assert all(n.status == "sent" and n.attempts == 2 and n.gateway_id.startswith("GW-") for n in sent)
    assert notices.send_waiting(db, clerk, now=later + timedelta(hours=2)).rows == []  # nothing twice


def test_refusal_timeout_and_a_customer_who_refuses_after_queuing(db, admin, clerk, supervisor, town):
    (cid, aid, _), _, _ = town
    other = _customer(db, clerk, "赵六", "13700002222", n=4, owing=False)
    reg = matters.register(db, clerk, matters.MatterInput("fault", "电表不走", customer_id=cid, account_id=aid))
    matters.register(db, clerk, matters.MatterInput("fault", "电压低", customer_id=other[0]))
    assert len(_notices(db)) == 2

    refusing = Gateway("refuse")
    try:
        use_gateway(db, admin, refusing.url)
        notices.set_refuses_messages(db, clerk, other[0], True)  # refuses while the notice waits: never sent
        result = notices.send_waiting(db, clerk)
    finally:
        refusing.close()
    assert [(r.status, r.reason) for r in result.rows] == [("failed", "HTTP 400: number on the blocked list")]
    assert len(refusing.received) == 1
    cancelled = [n for n in _notices(db) if n.customer_id == other[0]]
    assert [(n.status, n.last_error, n.attempts) for n in cancelled] == [("cancelled", notices.REFUSED_BY_CUSTOMER, 0)]

    matters.start(db, clerk, reg.matter_id)
    matters.resolve(db, clerk, reg.matter_id, "已处理")
    matters.reply(db, clerk, reg.matter_id, "电表已更换")
    slow = Gateway("slow", delay=2.5)
    try:
        use_gateway(db, admin, slow.url, timeout=1)
        started = time.monotonic()
        timed_out = notices.send_waiting(db, clerk)
        assert time.monotonic() - started < 2.4  # the timeout, not the gateway, ended the wait
        assert [(r.status, r.reason) for r in timed_out.rows] == [("retrying", "no answer within 1 s")]
        slow.mode, slow.delay = "ok", 0
        retried = notices.send_waiting(db, clerk, now=utcnow() + timedelta(minutes=5))
        assert [r.status for r in retried.rows] == ["sent"]
    finally:
        slow.close()


def test_attempts_run_out_and_the_message_fails(db, admin, clerk, town):
    (cid, aid, _), _, _ = town
    matters.register(db, clerk, matters.MatterInput("fault", "跳闸", customer_id=cid, account_id=aid))
    settings.set_setting(db, admin, "notices.max_attempts", "2")
    failing = Gateway("error")
    try:
        use_gateway(db, admin, failing.url)
        assert [r.status for r in notices.send_waiting(db, clerk).rows] == ["retrying"]
        final = notices.send_waiting(db, clerk, now=utcnow() + timedelta(minutes=2))
    finally:
        failing.close()
    assert [(r.status, r.attempts) for r in final.rows] == [("failed", 2)]


def test_a_station_keeps_its_notices_for_the_centre(db, admin, clerk, town, gateway):
    (cid, aid, _), _, _ = town
    matters.register(db, clerk, matters.MatterInput("fault", "跳闸", customer_id=cid, account_id=aid))
    use_gateway(db, admin, gateway.url)
    from app.services.sync import keys

    private, public = keys.new_key_pair()
    with db.write() as s:  # this store becomes a station (the identity provisioning gives it)
        s.add(
            SyncIdentity(
                id=1,
                role="station",
                centre_id=admin.station_id,
                station_id=admin.station_id,
                private_key=private,
                public_key=public,
                centre_public_key=public,
            )
        )
    result = notices.send_waiting(db, clerk)
    assert result.rows == [] and result.waiting_at_station == 1 and gateway.received == []
    assert _notices(db)[0].status == "queued"


def test_the_gateway_key_is_never_shown_or_logged(db, admin):
    settings.set_setting(db, admin, "notices.gateway_key", KEY)
    view = next(v for v in settings.list_settings(db) if v.key == "notices.gateway_key")
    assert view.value == view.text == settings.SECRET_SHOWN
    with db.read() as s:
        logged = " ".join(f"{b} {a}" for b, a in s.execute(select(AuditEntry.before, AuditEntry.after)))
    assert KEY not in logged
    with pytest.raises(UserError):
        settings.set_setting(db, admin, "notices.gateway_url", "ftp://example")


def test_command_line_send_prints_each_status(db, admin, clerk, supervisor, town, gateway, capsys):
    url = str(db.engine.url)
    use_gateway(db, admin, gateway.url)
    account_no = town[0][2]
    assert (
        main(["--db", url, "notices", "queue", "arrears", "--account", account_no, "--as-of", "2026-12-25", "--json"] + as_("zhangli")) == 0
    )
    assert json.loads(capsys.readouterr().out) == {"queued": 2, "refused": 0, "no_mobile": 0, "already": 0}
    assert main(["--db", url, "notices", "send", "--json"] + as_("zhangli")) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["status"] for m in out["sent"]] == ["sent", "sent"] and out["sent"][0]["phone"] == "138****5678"
    assert main(["--db", url, "notices", "send"] + as_("zhangli")) == 0
    assert "No notice waits" in capsys.readouterr().out
    assert main(["--db", url, "notices", "refuse", account_no] + as_("zhangli")) == 0
    assert "refuses text messages" in capsys.readouterr().out
    assert main(["--db", url, "notices", "queue", "outage", "not-an-id"] + as_("wangqiang")) == 2
    assert "not an outage id" in capsys.readouterr().err


def test_the_customer_file_says_whether_messages_are_refused(db, admin, clerk, town, gateway):
    (cid, aid, _), _, _ = town
    matters.register(db, clerk, matters.MatterInput("fault", "跳闸", customer_id=cid, account_id=aid))
    edit = cs.load_customer_for_edit(db, clerk, cid)
    assert edit.messages == "accepted"
    edit.messages = "refused"  # the clerk ticks it on the customer file while the notice waits
    cs.update_customer(db, clerk, cid, edit)
    assert cs.load_customer_for_edit(db, clerk, cid).messages == "refused"
    use_gateway(db, admin, gateway.url)
    result = notices.send_waiting(db, clerk)
    assert [(r.status, r.reason) for r in result.rows] == [("cancelled", notices.REFUSED_BY_CUSTOMER)] and gateway.received == []
    edit = cs.load_customer_for_edit(db, clerk, cid)
    edit.messages = "maybe"
    with pytest.raises(UserError) as err:
        cs.update_customer(db, clerk, cid, edit)
    assert err.value.field == "messages"


def test_a_broken_template_file_is_named_and_never_stops_a_matter(db, clerk, supervisor, town, _data_dir):
    (cid, aid, account_no), _, _ = town
    own = _data_dir / "interfaces" / "notices.toml"
    own.parent.mkdir()
    shipped = (notices.locate("interfaces", "notices.toml")).read_text(encoding="utf-8")
    own.write_text(shipped.replace("{matter_no}，我们将在{deadline}", "{matter_no}，我们将在{due}"), encoding="utf-8")
    reg = matters.register(db, clerk, matters.MatterInput("fault", "跳闸", customer_id=cid, account_id=aid))
    assert reg.matter_no and _notices(db) == []
    with pytest.raises(UserError) as err:
        notices.queue_arrears(db, supervisor, account_no=account_no, as_of=date(2026, 12, 25))
    assert "matter_registered.text" in err.value.text() and "{due}" in err.value.text() and str(own) in err.value.text()


def test_a_stations_notice_reaches_the_centre_by_bundle_and_the_centre_sends_it(sqlite_db, tmp_path, gateway):
    """A station (offline) registers a matter: the notice waits there, goes up in the bundle, and the
    centre sends it; the answer does not bring it back down."""
    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Station
    from app.services import auth
    from app.services.sync import core, manage

    centre = sqlite_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰", phone="13800000001"))
    with centre.write() as s:
        s.add(Station(code="3501", name="北山站"))
    manage.assign_area(centre, cadmin, "3501", [cid])
    with centre.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3501"))
    auth.create_clerk(centre, cadmin, "sup", "站长", "super1234", "supervisor", "7001", station_id=sid)
    manage.provision(centre, cadmin, "3501", "北山站", tmp_path / "p.prov", "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    try:
        upgrade(station.engine)
        manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
        sup = auth.login(station, "sup", "super1234")
        matters.register(station, sup, matters.MatterInput("fault", "跳闸", customer_id=cid))
        assert notices.send_waiting(station, sup).waiting_at_station == 1 and gateway.received == []

        core.export_up(station, tmp_path / "up.cdsync")
        core.import_file(centre, tmp_path / "up.cdsync")
        use_gateway(centre, cadmin, gateway.url)
        sent = notices.send_waiting(centre, cadmin)
        assert [r.status for r in sent.rows] == ["sent"]
        assert [m["phone"] for m in gateway.received] == ["13800000001"] and "【示范供电公司】尊敬的张三丰" in gateway.received[0]["text"]

        core.export_down(centre, "3501", tmp_path / "down.cdsync")
        core.import_file(station, tmp_path / "down.cdsync")
        assert [n.status for n in _notices(station)] == ["queued"]  # the station's copy is not changed from above
    finally:
        station.dispose()
