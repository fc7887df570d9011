"""Sync over the network (docs/SYNC.md): the centre's real service on 127.0.0.1 and real HTTP, SQLite
stations and a PostgreSQL centre. Several stations at once, a link cut while the request and while
the answer travels, a replayed request, a wrong key, an unknown and a revoked station, oversized and
endless bodies, a slow client, a wrong content type, clock skew, another station's rows, the rate
limit, TLS; afterwards the bundle issue's invariants: every payment once at the centre, re-sending
changes nothing, the outboxes drained, the audit chains hold, arrears agree."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import logging
import socket
import ssl
import threading
import time
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as text_

from app.db import outbox
from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import Account, Payment, Station, SyncHeld, SyncIdentity, SyncOutbox
from app.models.base import Base
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.reports import summaries
from app.services.sync import bundle, client, core, links, manage, server, wire

PASS = "provision-pass"


def _world(centre: Database, tmp_path, count: int):
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    stations = []
    for i in range(count):
        cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name=f"客户{i}", phone=f"13800000{i:03d}"))
        aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address=f"{i}村1号", tariff_code="ZJ-RES-Y"))
        mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no=f"M98{i:06d}", initial_reading="1000"))
        readings.record_reading(centre, cadmin, mid, "total", "2026-09", "1100")
        stations.append({"code": f"{3500 + i}", "customers": [cid], "accounts": [aid]})
    with centre.read() as s:
        nos = list(s.scalars(select(Account.account_no)))
    bills.issue_accounts(centre, cadmin, nos, "2026-09", today=date(2026, 10, 5))
    for i, st in enumerate(stations):
        with centre.write() as s:
            s.add(Station(code=st["code"], name=f"站{i}"))
        manage.assign_area(centre, cadmin, st["code"], st["customers"])
        with centre.read() as s:
            sid = s.scalar(select(Station.id).where(Station.code == st["code"]))
        auth.create_clerk(centre, cadmin, f"n{i}", f"收费员{i}", "clerk1234", "clerk", f"6{i:03d}", station_id=sid)
        manage.provision(centre, cadmin, st["code"], f"站{i}", tmp_path / f"p{i}.prov", PASS)
        db = Database(f"sqlite:///{tmp_path / f'st{i}.sqlite'}")
        upgrade(db.engine)
        manage.set_up_station(db, (tmp_path / f"p{i}.prov").read_bytes(), PASS)
        clerk = auth.login(db, f"n{i}", "clerk1234")
        posting.open_shift(db, clerk, "0")
        st.update(db=db, clerk=clerk, id=sid)
    return cadmin, stations


@pytest.fixture
def world(pg_db, tmp_path):
    cadmin, stations = _world(pg_db, tmp_path, 4)
    yield pg_db, cadmin, stations
    for st in stations:
        st["db"].dispose()


@pytest.fixture
def pair(pg_db, tmp_path):
    cadmin, stations = _world(pg_db, tmp_path, 2)
    yield pg_db, cadmin, stations
    for st in stations:
        st["db"].dispose()


def _pay(st, n: int, tag: str) -> list[str]:
    receipts = []
    for k in range(n):
        done = posting.post_payment(
            st["db"], st["clerk"], st["accounts"][0], str(10 + k), "cash", f"{tag}-{k}", "100", today=date(2026, 10, 10)
        )
        receipts.append(done.receipt_no if hasattr(done, "receipt_no") else str(done))
    return receipts


def _payments(db: Database) -> dict:
    with db.read() as s:
        return {str(i): (a, r) for i, a, r in s.execute(select(Payment.id, Payment.amount_fen, Payment.receipt_no))}


def _checksum(db: Database) -> str:
    h = hashlib.sha256()
    with db.read() as s:
        for t in Base.metadata.sorted_tables:
            if t.name.startswith("sync_"):
                continue
            for row in s.execute(select(t).order_by(*t.primary_key.columns)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _invariants(centre: Database, stations) -> None:
    at_centre = _payments(centre)
    for st in stations:
        mine = _payments(st["db"])
        own = {k: v for k, v in mine.items() if v[1].startswith(f"R-{st['code']}-")}
        assert own and all(at_centre.get(k) == v for k, v in own.items())  # every payment at the centre, as made
        with st["db"].read() as s:
            assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0  # all acknowledged
            arrears = s.scalar(select(Account.balance_fen).where(Account.id == st["accounts"][0]))
        with centre.read() as s:
            assert s.scalar(select(Account.balance_fen).where(Account.id == st["accounts"][0])) == arrears
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == len(at_centre)
        assert audit.verify(s).ok
        assert summaries.differences(s) == []  # the report summaries agree with the rows
    for st in stations:
        with st["db"].read() as s:
            assert audit.verify(s).ok


def _raw(url: str, head: bytes, body_parts=(), pause: float = 0.0, read: bool = True) -> bytes:
    """A hand-made HTTP request on a plain socket (a broken or slow client); the answer's bytes."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    try:
        sock.sendall(head)
        for p in body_parts:
            if pause:
                time.sleep(pause)
            sock.sendall(p)
        if not read:
            return b""
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            out += chunk
            head, sep, body = out.partition(b"\r\n\r\n")
            lengths = [int(x.split(b":")[1]) for x in head.split(b"\r\n") if x.lower().startswith(b"content-length:")]
            if sep and lengths and len(body) >= lengths[0]:
                break  # the whole answer is here
        return out
    finally:
        sock.close()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


def _signed(st, body: bytes, now=None, private=None) -> dict:
    with st["db"].read() as s:
        ident = s.get(SyncIdentity, 1)
        return wire.sign_request(private or ident.private_key, ident.public_key, str(ident.station_id), body, now=now)


def _up(st, tmp_path) -> bytes:
    path = tmp_path / f"up-{st['code']}-{time.monotonic_ns()}.bundle"
    core.export_up(st["db"], path)
    return path.read_bytes()


def _post(url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    status, _h, data = client.post(url, body, headers, timeout=20)
    try:
        return status, json.loads(data)
    except ValueError:
        return status, {}


def test_stations_exchange_at_once_then_every_bad_request_is_refused(world, tmp_path, caplog):
    centre, cadmin, stations = world
    caplog.set_level(logging.INFO, logger="counterdesk.sync")
    config = server.Config(max_body=2_000_000, body_timeout=1.5, rate_per_minute=600, rate_burst=20)
    posting.open_shift(centre, cadmin, "0")
    with server.running(centre, config) as url:
        # The health endpoint.
        conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=5)
        conn.request("GET", "/health")
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
        conn.close()

        # Several stations at once, while the centre takes a bank payment for station 0's account.
        for i, st in enumerate(stations):
            _pay(st, 3, f"a{i}")
        posting.post_payment(
            centre, cadmin, stations[0]["accounts"][0], "7", "transfer", "bank-7", reference="B7", today=date(2026, 10, 10)
        )
        results, errors = {}, []

        def go(st):
            try:
                results[st["code"]] = client.exchange(st["db"], url, timeout=30)
            except Exception as exc:  # noqa: BLE001  (collected and asserted below)
                errors.append(exc)

        threads = [threading.Thread(target=go, args=(st,)) for st in stations]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        assert all(r.result == "received" and r.units >= 3 for r in results.values())
        # Received, confirmed and dropped from the stations' outboxes, then applied by the service.
        assert server.wait_applied(centre, 30)
        for i, st in enumerate(stations):
            with st["db"].read() as s:
                assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0
            with centre.read() as s:
                assert s.scalar(select(func.count()).select_from(Payment).where(Payment.idempotency_key.like(f"a{i}-%"))) == 3
        # The bank payment made at the centre reached station 0 (its area), and no other station.
        client.exchange(stations[0]["db"], url)
        assert any(r == "B7" or a == 700 for a, r in _payments(stations[0]["db"]).values())
        assert len(_payments(stations[1]["db"])) == 3

        # A link cut while the request travels: headers and half the body, then the connection closes.
        st = stations[1]
        _pay(st, 2, "cut")
        body = _up(st, tmp_path)
        headers = _signed(st, body)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request_head = f"POST {wire.PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode()
        _raw(url, request_head, [body[: len(body) // 2]], read=False)
        # ... and a link cut while the answer travels: the centre applies, the station never hears.
        cut_proxy = _CuttingProxy(url)
        with pytest.raises(client.LinkDown):
            client.exchange(st["db"], cut_proxy.url, timeout=10)
        cut_proxy.close()
        with st["db"].read() as s:
            assert s.scalar(select(func.count()).select_from(SyncOutbox)) > 0  # not confirmed: still waiting
        again = client.exchange(st["db"], url)  # re-sent whole: applied before, now confirmed
        assert again.result == "duplicate" and again.units >= 2

        # A long outbox goes in parts, each acknowledged before the next: the link cut while the
        # second part's answer travels, the first part is not sent again.
        st = stations[1]
        _pay(st, 3, "parts")
        proxy = _CuttingProxy(url, cut_at=2)
        with pytest.raises(client.LinkDown):
            client.exchange(st["db"], proxy.url, timeout=10, part_units=2)
        proxy.close()
        with st["db"].read() as s:  # the first part (2 units) was acknowledged and left the outbox
            assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 1
        again = client.exchange(st["db"], url, part_units=2)
        assert again.units == 1 and again.result == "duplicate"  # only the cut part again, applied before
        _pay(st, 5, "parts2")
        parts = client.exchange(st["db"], url, part_units=2)
        assert parts.result == "received" and parts.units >= 5
        with st["db"].read() as s:
            assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0

        # A replayed request: the same signed request twice.
        _pay(stations[2], 1, "rep")
        body = _up(stations[2], tmp_path)
        headers = _signed(stations[2], body)
        assert _post(url, body, headers)[0] == 200
        status, doc = _post(url, body, headers)
        assert (status, doc["error"]) == (409, "replayed")
        client.exchange(stations[2]["db"], url)  # the answer the replayed request did not get

        # A wrong key: station 3's request signed with station 2's key.
        _pay(stations[3], 1, "wk")
        body = _up(stations[3], tmp_path)
        with stations[2]["db"].read() as s:
            other_private = s.get(SyncIdentity, 1).private_key
        status, doc = _post(url, body, _signed(stations[3], body, private=other_private))
        assert (status, doc["error"]) == (401, "bad_signature")
        # A body changed after signing.
        status, doc = _post(url, body + b"x", _signed(stations[3], body))
        assert (status, doc["error"]) == (401, "bad_signature")
        # An unknown station.
        h = _signed(stations[3], body)
        h[wire.H_STATION] = "00000000-0000-0000-0000-000000000001"
        assert _post(url, body, h)[1]["error"] == "unknown_station"
        # Clock skew beyond the limit, both ways.
        for off in (-3600, 3600):
            status, doc = _post(url, body, _signed(stations[3], body, now=time.time() + off))
            assert (status, doc["error"]) == (401, "clock_skew")
        # A wrong content type, and missing headers.
        h = _signed(stations[3], body)
        h["Content-Type"] = "application/json"
        assert _post(url, body, h)[0] == 415
        assert _post(url, body, {"Content-Type": wire.CONTENT_TYPE})[0] == 400
        # Oversized: by its length, and an endless chunked body.
        big = b"x" * (config.max_body + 10)
        status, doc = _post(url, big, _signed(stations[3], big))
        assert (status, doc["error"]) == (413, "too_large")
        head = "".join(f"{k}: {v}\r\n" for k, v in _signed(stations[3], b"").items())
        chunk = b"%x\r\n" % 65536 + b"y" * 65536 + b"\r\n"
        answer = _raw(url, f"POST {wire.PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n{head}\r\n".encode(), [chunk] * 40)
        assert _status(answer) == 413
        # Not a bundle at all (signed properly): 400 with the bundle's reason.
        status, doc = _post(url, b"hello", _signed(stations[3], b"hello"))
        assert (status, doc["error"]) == (400, "not_a_bundle")
        # Another station's rows, signed by the station itself: refused whole.
        forged = _with_foreign_row(stations[3], stations[0]["id"], tmp_path)
        status, doc = _post(url, forged, _signed(stations[3], forged))
        assert (status, doc["error"]) == (403, "foreign_rows")
        # Another station's bundle in this station's request.
        other = _up(stations[2], tmp_path)
        status, doc = _post(url, other, _signed(stations[3], other))
        assert (status, doc["error"]) == (403, "wrong_station")

        # A slow client trickles its body: cut off after the body timeout, while another station is served.
        slow_body = _up(stations[3], tmp_path)
        head = "".join(f"{k}: {v}\r\n" for k, v in _signed(stations[3], slow_body).items())
        slow = {}

        def trickle():
            slow["answer"] = _raw(
                url,
                f"POST {wire.PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(slow_body)}\r\n{head}\r\n".encode(),
                [slow_body[i : i + 50] for i in range(0, 1000, 50)],
                pause=0.2,
            )

        t = threading.Thread(target=trickle)
        t.start()
        time.sleep(0.3)
        t0 = time.monotonic()
        served = client.exchange(stations[0]["db"], url)
        assert served.result in ("received", "duplicate") and time.monotonic() - t0 < 1.5
        t.join(30)
        assert _status(slow["answer"]) == 408

        # The rate limit: a station that asks too often is told when to come back.
        strict = server.Config(rate_per_minute=1, rate_burst=2)
    with server.running(centre, strict) as url2:
        client.exchange(stations[3]["db"], url2)
        client.exchange(stations[3]["db"], url2)
        with pytest.raises(client.ServiceRefused) as refused:
            client.exchange(stations[3]["db"], url2)
        assert refused.value.status == 429 and refused.value.reason == "rate_limited"
        client.exchange(stations[1]["db"], url2)  # another station is served meanwhile

        # A revoked station is refused; provisioned again it exchanges.
        links.revoke(centre, cadmin, stations[2]["code"])
        with pytest.raises(client.ServiceRefused) as refused:
            client.exchange(stations[2]["db"], url2)
        assert refused.value.status == 403 and refused.value.reason == "revoked"

    # Every refusal was logged with its reason; the service kept serving.
    logged = " ".join(r.getMessage() for r in caplog.records)
    for reason in ("replayed", "bad_signature", "unknown_station", "clock_skew", "wrong_content_type", "malformed", "too_large", "cut"):
        assert f"reason={reason}" in logged, reason
    assert "reason=too_slow" in logged and "reason=foreign_rows" in logged and "reason=rate_limited" in logged

    # The invariants, with every station but the revoked one drained.
    live = [st for i, st in enumerate(stations) if i != 2]
    with server.running(centre, config) as url:
        for st in live:
            client.exchange(st["db"], url)
        before = _checksum(centre)
        for st in live:  # everything again: nothing changes
            assert client.exchange(st["db"], url).result == "duplicate"
        assert _checksum(centre) == before
    _invariants(centre, live)
    overview = {r.code: r for r in links.overview(centre)}
    assert overview[stations[2]["code"]].revoked and overview[stations[2]["code"]].refusals >= 1
    assert all(overview[st["code"]].exchanges >= 2 and overview[st["code"]].units_waiting == 0 for st in live)


def _with_foreign_row(st, other_station, tmp_path) -> bytes:
    """Station `st`'s real uplink with one payment re-labelled as another station's, re-chained and
    signed with st's own key: every check of the bundle holds, only the row is not st's to send."""
    _pay(st, 1, "foreign")
    data = _up(st, tmp_path)
    header, _line, _sig, raw = bundle.parse(data)
    units = bundle.body_of(raw)["units"]
    prev = header["prev_hash"]
    changed = False
    for u in units:
        payload = json.loads(u["payload"])
        for c in payload["changes"]:
            if c["t"] == "payments" and c["op"] == "i" and not changed:
                c["row"]["station_id"] = str(other_station)
                changed = True
        u["payload"] = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        u["hash"] = outbox.unit_hash(prev, u["payload"])
        prev = u["hash"]
    assert changed
    header = {k: v for k, v in header.items() if k not in ("body_len", "body_sha256")}
    header["last_hash"] = prev
    with st["db"].read() as s:
        private = s.get(SyncIdentity, 1).private_key
    path = tmp_path / "foreign.bundle"
    bundle.write(path, header, {"units": units}, private)
    return path.read_bytes()


class _CuttingProxy:
    """Forwards connections to the service; the `cut_at`-th (from 1) is closed as soon as its answer
    starts: the centre has done its work, the station never gets the answer (a link cut mid-transfer)."""

    def __init__(self, target: str, cut_at: int = 1) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname, parts.port)
        self.cut_at = cut_at
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @staticmethod
    def _message(sock) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = [int(ln.split(b":")[1]) for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")]
        while length and len(rest) < length[0]:
            rest += sock.recv(65536)
        return head + b"\r\n\r\n" + rest

    def _serve(self) -> None:
        for n in range(1, self.cut_at + 1):
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn, socket.create_connection(self.target, timeout=20) as up:
                conn.settimeout(10)
                up.sendall(self._message(conn))
                if n == self.cut_at:
                    up.recv(100)  # the answer begins: the centre has applied the bundle; both closed here
                else:
                    conn.sendall(self._message(up))

    def close(self) -> None:
        self.listener.close()
        self.thread.join(10)


def test_tls_and_the_command_line(pair, tmp_path, capsys):
    from app.cli import main
    from tests.cliauth import as_

    centre, cadmin, stations = pair
    cert, key = _self_signed(tmp_path)
    st = stations[0]
    _pay(st, 2, "tls")
    station_url = st["db"].url
    centre_url = centre.url
    with server.running(centre, server.Config(), ssl_context=server.tls_context(str(cert), str(key))) as url:
        assert url.startswith("https://")
        with pytest.raises(client.LinkDown):  # a certificate nobody vouches for
            client.exchange(st["db"], url)
        st["db"].dispose()
        assert main(["--db", station_url, "sync", "now", "--to", url.replace("127.0.0.1", "localhost"), "--ca", str(cert), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["result"] == "received" and out["units_sent"] >= 2 and out["acknowledged"] >= 2
    assert main(["--db", centre_url, "sync", "stations", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == {s["code"] for s in stations}
    # Stations silent longer than the company setting come first: only station 0 has exchanged.
    assert rows[-1]["code"] == st["code"] and not rows[-1]["silent"] and all(r["silent"] for r in rows[:-1])
    assert main(["--db", centre_url, "sync", "revoke", "--station", stations[1]["code"], *as_("cadmin", "admin1234")]) == 0
    capsys.readouterr()
    assert main(["--db", centre_url, "sync", "stations", "--json"]) == 0
    assert [r["revoked"] for r in json.loads(capsys.readouterr().out) if r["code"] == stations[1]["code"]] == [True]
    # No service at the address: a plain message and a non-zero exit, nothing lost.
    assert main(["--db", station_url, "sync", "now", "--to", "http://127.0.0.1:9"]) != 0
    assert "does not answer" in capsys.readouterr().err


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def test_the_service_runs_as_an_administrator_runs_it(pg_db, tmp_path):
    """`counterdesk sync serve` in its own process with TLS and a log file: healthy, refuses a bad
    request with a logged reason, stops cleanly on SIGTERM (systemd's stop)."""
    import os
    import signal
    import subprocess
    import sys

    cadmin = auth.initialize(pg_db, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(pg_db, cadmin)
    cert, key = _self_signed(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "sync.log"
    env = dict(os.environ, COUNTERDESK_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"]
    args = ["--db", pg_db.url, "sync", "serve", "--listen", f"127.0.0.1:{port}", "--cert", str(cert), "--key", str(key), "--log", str(log)]
    proc = subprocess.Popen(command + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPSConnection("localhost", port, timeout=5, context=context)
                conn.request("GET", "/health")
                resp = conn.getresponse()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
                time.sleep(0.2)
        assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
        conn.close()
        conn = http.client.HTTPSConnection("localhost", port, timeout=5, context=context)
        conn.request("POST", wire.PATH, body=b"{}", headers={"Content-Type": "application/json"})
        assert conn.getresponse().status == 400
        conn.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    text = log.read_text(encoding="utf-8")
    assert "serving on https://127.0.0.1" in text and "reason=malformed" in text and "stopped" in text
    # Bad options: a plain message and a non-zero exit, no traceback.
    from app.cli import main

    assert main(["--db", pg_db.url, "sync", "serve", "--listen", "nowhere"]) != 0
    assert main(["--db", pg_db.url, "sync", "serve", "--cert", str(cert)]) != 0


def test_a_deadlock_between_two_imports_is_told_apart_to_be_run_again(pg_db):
    """The service applies a bundle again when PostgreSQL rolled it back for meeting another import
    on the same rows (a real deadlock between two units of work here)."""
    from app.kernel.errors import StorageError
    from app.models import Setting

    with pg_db.write() as s:
        s.add_all([Setting(key="x.a", value="1"), Setting(key="x.b", value="1")])
    barrier = threading.Barrier(2)
    errors = []

    def unit(first: str, second: str) -> None:
        try:
            with pg_db.write() as s:
                s.execute(text_("UPDATE settings SET value = '2' WHERE key = :k"), {"k": first})
                barrier.wait(10)
                s.execute(text_("UPDATE settings SET value = '2' WHERE key = :k"), {"k": second})
        except StorageError as err:
            errors.append(err)

    threads = [threading.Thread(target=unit, args=("x.a", "x.b")), threading.Thread(target=unit, args=("x.b", "x.a"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(errors) == 1 and server.transient(errors[0])
    assert not server.transient(StorageError("The disk is full."))


def test_imports_of_stations_on_one_route_at_once_neither_deadlock_nor_lose_rows(world, tmp_path):
    """Four stations whose accounts share a route import at the same moment, straight into the
    centre (no service, no retry): every bundle applies the first time, and the report summaries
    (collections as deltas, readings and collected recomputed for the touched keys under the routes'
    locks) equal a recompute from the rows, as after the same bundles one after the other."""
    centre, _cadmin, stations = world
    with centre.read() as s:
        assert len(set(s.scalars(select(Account.reading_route).where(Account.id.in_([st["accounts"][0] for st in stations]))))) == 1
    for round_ in range(2):
        ups = []
        for i, st in enumerate(stations):
            _pay(st, 2 + i, f"r{round_}-{i}")
            with st["db"].read() as s:
                from app.models import Meter

                mid = s.scalar(select(Meter.id).where(Meter.account_id == st["accounts"][0]))
            readings.record_reading(st["db"], st["clerk"], mid, "total", f"2026-1{round_}", str(1200 + 100 * round_ + i))
            ups.append(_up(st, tmp_path))
        barrier = threading.Barrier(len(ups))
        results, errors = [], []

        def apply(data: bytes) -> None:
            barrier.wait(10)
            try:
                results.append(core.import_bytes(centre, data, "at-once"))
            except Exception as exc:  # noqa: BLE001  (asserted below: none)
                errors.append(exc)

        threads = [threading.Thread(target=apply, args=(data,)) for data in ups]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors and len(results) == len(ups) and all(r.status == "applied" for r in results)
        with centre.read() as s:
            assert summaries.differences(s) == []
            read = s.scalar(
                select(func.sum(text_("read"))).select_from(text_("report_readings")).where(text_(f"period = '2026-1{round_}'"))
            )
            assert read == len(stations)
    before = _checksum(centre)
    for data in ups:  # the last round again: nothing changes
        assert core.import_bytes(centre, data, "again").status == "duplicate"
    assert _checksum(centre) == before


def _worker_pids() -> list[int]:
    from tests.conftest import _children

    return [pid for pid, cmd in _children().items() if "spawn_main" in cmd]


def test_a_worker_process_ends_on_sigterm(pair):
    """SIGTERM ends a worker process. When one worker dies the pool terminates the others and waits
    for them: a worker that ignored SIGTERM kept that wait, and so this process's exit, hanging."""
    import os
    import signal

    centre, _cadmin, _stations = pair
    service = server.SyncService(centre, server.Config(processes=2))
    try:
        service.start_processes()
        workers = _worker_pids()
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGTERM)
        deadline = time.monotonic() + 10
        while workers[0] in _worker_pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers[0] not in _worker_pids(), "a worker process ignored SIGTERM"
    finally:
        for pid in _worker_pids():
            os.kill(pid, signal.SIGKILL)
        service.procs.shutdown(wait=True)
        service.pool.shutdown(wait=True)


def test_the_database_work_in_worker_processes(pair, tmp_path):
    """`sync serve --processes 2`: the database work runs in two worker processes of their own. Two
    stations exchange at once and everything arrives once; a refusal made in a worker (a replayed
    request, a bundle of another station's rows) reaches the station with its status and reason; the
    health endpoint asks the database through a worker."""
    centre, _cadmin, stations = pair
    config = server.Config(processes=2, rate_per_minute=600, rate_burst=20)
    with server.running(centre, config) as url:
        conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=10)
        conn.request("GET", "/health")
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["database"] == "ok"
        conn.close()
        for st in stations:
            _pay(st, 3, f"wp{st['code']}")
        done, errors = [], []

        def go(st):
            try:
                done.append(client.exchange(st["db"], url, timeout=60))
            except Exception as exc:  # noqa: BLE001  (asserted below)
                errors.append(exc)

        threads = [threading.Thread(target=go, args=(st,)) for st in stations]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == [] and sorted(d.result for d in done) == ["received", "received"]
        # A request sent again as it was: refused in the worker, told as a replay.
        a = stations[0]
        _pay(a, 1, "wp-again")
        body = _up(a, tmp_path)
        headers = _signed(a, body)
        assert _post(url, body, headers)[0] == 200
        status, doc = _post(url, body, headers)
        assert status == 409 and doc["error"] == "replayed"
        # A properly signed bundle carrying another station's row: the bundle's own refusal.
        forged = _with_foreign_row(a, stations[1]["id"], tmp_path)
        status, doc = _post(url, forged, _signed(a, forged))
        assert status == 403 and doc["error"] == "foreign_rows"
        assert client.exchange(a["db"], url, timeout=60).result in ("received", "duplicate")  # the outbox drained
        # A worker process killed: the request under way (or the next) is told 503, new workers take over.
        import os
        import signal

        workers = _worker_pids()
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        _pay(a, 1, "wp-killed")
        for _attempt in range(5):
            try:
                assert client.exchange(a["db"], url, timeout=60).result == "received"
                break
            except client.ServiceRefused as err:
                assert err.status == 503
                time.sleep(0.5)
        else:
            raise AssertionError("the service did not recover from a killed worker process")
    _invariants(centre, stations)


def test_a_worker_connection_is_pinged_only_after_sitting_idle(pg_db):
    """The service's worker processes (ping_idle_s): a connection used moments ago is not pinged, so
    one the server ended within that window fails its action once, and the next action reconnects;
    one that sat idle longer is pinged and replaced without a failure (docs/SYNC.md)."""
    from app.kernel.errors import StorageError

    def pid_of(db: Database) -> int:
        with db.read() as s:
            return s.scalar(text_("SELECT pg_backend_pid()"))

    def end(pid: int) -> None:
        with pg_db.read() as s:
            assert s.scalar(text_("SELECT pg_terminate_backend(:p)"), {"p": pid})
        for _ in range(200):  # until the server has ended it
            with pg_db.read() as s:
                if not s.scalar(text_("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": pid}):
                    return
            time.sleep(0.02)

    busy = Database(pg_db.url, ping_idle_s=60.0)
    try:
        first = pid_of(busy)
        end(first)
        with pytest.raises(StorageError):  # not pinged: used moments ago
            pid_of(busy)
        assert pid_of(busy) != first  # the next action reconnects
    finally:
        busy.dispose()
    idle = Database(pg_db.url, ping_idle_s=0.2)
    try:
        first = pid_of(idle)
        end(first)
        time.sleep(0.3)
        assert pid_of(idle) != first  # pinged after sitting idle: replaced, no failure
    finally:
        idle.dispose()


def test_a_received_bundle_is_kept_and_applied_after_a_restart(pair, tmp_path):
    """The centre answers once it has kept a station's bundle: the answer confirms the units and the
    station drops them; nothing is applied yet. A service that starts applies what was kept (once),
    and the kept copy goes in the same transaction. The same request again is a replay."""
    import shutil

    centre, _cadmin, stations = pair
    a = stations[0]
    _pay(a, 2, "kept")
    body = _up(a, tmp_path)
    jobs = server.Jobs(centre)
    caller = links.caller(centre, a["id"])
    result, down, _header = jobs.receive(caller, body, "ab" * 16)
    assert result.status == "received" and result.units >= 2
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncHeld).where(SyncHeld.kind == "pending")) == 1
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.idempotency_key.like("kept-%"))) == 0
    seen = {r.code: r for r in links.overview(centre)}[a["code"]]  # the centre's view tells kept from applied
    assert (seen.units_applied, seen.units_received, seen.units_waiting, seen.held) == (0, result.units, 0, 0)
    core.import_answer(a["db"], down, "centre")
    with a["db"].read() as s:
        assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0  # confirmed: left the outbox
    with pytest.raises(server.Refusal) as replay:
        jobs.receive(caller, body, "ab" * 16)
    assert replay.value.status == 409
    assert core.stations_to_apply(centre) == [a["id"]]
    with server.running(centre, server.Config()):  # its sweep at the start applies what was kept
        assert server.wait_applied(centre, 30)
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncHeld)) == 0
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.idempotency_key.like("kept-%"))) == 2
    assert core.apply_received(centre, a["id"]) == 0  # nothing left, nothing applied twice
    seen = {r.code: r for r in links.overview(centre)}[a["code"]]
    assert (seen.units_applied, seen.units_received, seen.units_waiting) == (result.units, 0, 0)
    # A station restored from an old copy re-uses unit numbers with other content: kept units do not
    # match, so the centre quarantines it at the receipt, before anything is applied or confirmed.
    b = stations[1]
    path = b["db"].url.removeprefix("sqlite:///")
    b["db"].dispose()
    shutil.copy(path, tmp_path / "b-before.sqlite")
    _pay(b, 1, "first")
    first = _up(b, tmp_path)
    assert jobs.receive(links.caller(centre, b["id"]), first, "cd" * 16)[0].status == "received"
    b["db"].dispose()
    shutil.copy(tmp_path / "b-before.sqlite", path)
    _pay(b, 1, "other")
    other = _up(b, tmp_path)
    with pytest.raises(bundle.SyncRefused) as refused:
        jobs.receive(links.caller(centre, b["id"]), other, "ef" * 16)
    assert refused.value.reason == "quarantined"
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncHeld).where(SyncHeld.kind == "quarantine")) == 1
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.idempotency_key.like("other-%"))) == 0
