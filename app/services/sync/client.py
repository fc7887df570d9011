"""The station's side of network sync: one exchange with the centre's service (docs/SYNC.md, Sync
over the network). Used by `counterdesk sync now` and by the window's background worker.

An exchange sends every unit after the centre's last acknowledgement (the same uplink bundle a USB
stick carries) in a signed request and applies the centre's answer. A link cut anywhere is harmless:
the units stay in the outbox until an answer acknowledges them, the next exchange sends them whole
again, and the centre applies a unit once (the same units again are "applied before").
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.db.engine import Database
from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.sync import core, wire

LINK_DOWN = QT_TRANSLATE_NOOP("messages", "The centre at {url} does not answer ({why}); the changes stay here and are sent later.")
BAD_URL = QT_TRANSLATE_NOOP("messages", "{url} is not an address of the centre's sync service (http://host:port or https://host:port).")
NO_URL = QT_TRANSLATE_NOOP("messages", "No address of the centre is set (company setting “Centre's sync address”, or --to URL).")
BAD_ANSWER = QT_TRANSLATE_NOOP("messages", "The centre answered with something that is not a sync bundle (HTTP {status}).")
EXCHANGED = QT_TRANSLATE_NOOP(
    "messages", "Exchanged with the centre: sent {units} units ({rows} rows), the centre {result}; received {down} changed rows."
)
EXCHANGED_NOTHING_UP = QT_TRANSLATE_NOOP("messages", "Exchanged with the centre: nothing to send; received {down} changed rows.")
RESULT_WORDS = {
    "applied": QT_TRANSLATE_NOOP("messages", "applied them"),
    "received": QT_TRANSLATE_NOOP("messages", "received them and applies them now"),
    "duplicate": QT_TRANSLATE_NOOP("messages", "had them already"),
    "held": QT_TRANSLATE_NOOP("messages", "keeps them until missing units arrive"),
}

CONNECT_TIMEOUT = 15.0
PART_UNITS = 2000  # units in one request (a station-month is about 4,400 units, 2.3 MB)


class LinkDown(UserError):
    """The centre could not be reached, or the link broke: nothing is lost, try again later."""


class ServiceRefused(UserError):
    """The centre answered with a refusal; `status` is the HTTP status, `reason` its code."""

    def __init__(self, status: int, reason: str, message: str, **params) -> None:
        self.status, self.reason = status, reason
        super().__init__(message, **params)


@dataclass
class Exchange:
    result: str  # the centre's: received (kept, applied right after) | applied | duplicate | held
    units: int  # units sent
    rows: int  # changed rows sent
    down_rows: int  # changed rows received and applied
    ack: int  # the last unit the centre has confirmed
    seconds: float
    bytes_sent: int
    bytes_received: int

    def after(self, later: "Exchange") -> "Exchange":
        """This part and a later one together."""
        return Exchange(
            result=next((r for r in ("received", "applied") if r in (self.result, later.result)), later.result),
            units=self.units + later.units,
            rows=self.rows + later.rows,
            down_rows=self.down_rows + later.down_rows,
            ack=later.ack,
            seconds=self.seconds + later.seconds,
            bytes_sent=self.bytes_sent + later.bytes_sent,
            bytes_received=self.bytes_received + later.bytes_received,
        )

    def text(self, translate=None) -> str:
        t = translate or (lambda _c, s: s)
        if not self.units:
            return t("messages", EXCHANGED_NOTHING_UP).format(down=self.down_rows)
        return t("messages", EXCHANGED).format(
            units=self.units, rows=self.rows, result=t("messages", RESULT_WORDS.get(self.result, self.result)), down=self.down_rows
        )


def centre_url(db: Database) -> str:
    """The company setting `sync.centre_url` (set at the centre, it reaches every station)."""
    from app.services import settings

    with db.read() as s:
        return str(settings.get(s, "sync.centre_url") or "").strip()


def _target(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(BAD_URL, field="url", url=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UserError(BAD_URL, field="url", url=url) from None
    return parts.scheme, parts.hostname, port, parts.path.rstrip("/")


def _connection(scheme: str, host: str, port: int, timeout: float, cafile: str | None):
    if scheme == "https":
        ctx = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ctx)
    return http.client.HTTPConnection(host, port, timeout=timeout)


def post(url: str, body: bytes, headers: dict, timeout: float = 120.0, cafile: str | None = None) -> tuple[int, dict, bytes]:
    """One HTTP POST to the service's exchange path; (status, headers, body). LinkDown when the link
    does not answer or breaks."""
    scheme, host, port, base = _target(url)
    conn = _connection(scheme, host, port, CONNECT_TIMEOUT, cafile)
    try:
        conn.connect()
        conn.sock.settimeout(timeout)
        conn.request("POST", base + wire.PATH, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    except ssl.SSLError as exc:
        raise LinkDown(LINK_DOWN, url=url, why=f"TLS: {exc.reason or exc}") from None
    except (OSError, http.client.HTTPException, socket.timeout) as exc:
        why = getattr(exc, "strerror", None) or type(exc).__name__
        raise LinkDown(LINK_DOWN, url=url, why=why) from None
    finally:
        conn.close()


def exchange(
    db: Database, url: str | None = None, timeout: float = 120.0, cafile: str | None = None, part_units: int = PART_UNITS
) -> Exchange:
    """An exchange with the centre: the uplink sent, the answer applied. A long outbox goes in parts
    of `part_units` units, each acknowledged before the next is sent (a link cut after a part does not
    send that part again). LinkDown when the link fails (try again later), ServiceRefused when the
    centre refuses, a SyncRefused when its answer does not hold (then nothing of it was applied)."""
    url = (url or centre_url(db)).strip()
    if not url:
        raise UserError(NO_URL, field="url")
    _target(url)
    total: Exchange | None = None
    for _ in range(10_000):
        done, acked, written = _exchange_part(db, url, timeout, cafile, part_units)
        total = done if total is None else total.after(done)
        if done.ack >= written or done.ack <= acked:
            break
    return total


def _exchange_part(db: Database, url: str, timeout: float, cafile: str | None, part_units: int) -> tuple[Exchange, int, int]:
    """One request: (the exchange, units the centre had confirmed before it, units written here when
    it was made). Three transactions on the station's store: its key read, the uplink read, the
    answer applied with the export's stamp (nothing is stamped when the request fails)."""
    t0 = time.monotonic()
    with db.read() as s:
        ident = core.require(s, "station")
        private, public, station = ident.private_key, ident.public_key, str(ident.station_id)
    up = core.export_up(db, None, max_units=part_units, stamp=False)  # the bytes as they are sent, no file
    acked, written = int(up.params["acked"]), int(up.params["written"])
    body = up.data
    headers = wire.sign_request(private, public, station, body)
    del private
    status, answer_headers, answer = post(url, body, headers, timeout, cafile)
    if status != 200:
        try:
            doc = json.loads(answer.decode("utf-8"))
            reason, message, params = str(doc["error"]), str(doc["message"]), dict(doc.get("params") or {})
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ServiceRefused(status, "bad_answer", BAD_ANSWER, status=status) from None
        raise ServiceRefused(status, reason, message, **params)
    down = core.import_answer(db, answer, "centre")
    done = Exchange(
        result=answer_headers.get(wire.H_RESULT.lower(), ""),
        units=up.units,
        rows=up.rows,
        down_rows=down.rows,
        ack=max(acked, int(down.params.get("ack") or 0)),
        seconds=time.monotonic() - t0,
        bytes_sent=len(body),
        bytes_received=len(answer),
    )
    return done, acked, written
