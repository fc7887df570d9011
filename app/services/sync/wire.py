"""The signed request between a station and the centre's sync service (docs/SYNC.md, Sync over the
network).

A station POSTs its uplink bundle to PATH with content type CONTENT_TYPE and five headers: its
station id, the id of its key, the time (Unix seconds), a random nonce, and an Ed25519 signature
of the canonical text below made with the station's key. The body is bound to the signature by its
SHA-256, so a captured request cannot be changed, and its nonce is remembered by the centre for as
long as its time is acceptable, so it cannot be sent again. The answer (200) is the downlink bundle,
itself signed by the centre; a refusal is JSON: {"error": code, "message": English text with
{placeholders}, "params": {...}}.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.sync import keys

PATH = "/sync/v1/exchange"
HEALTH_PATH = "/health"
CONTENT_TYPE = "application/vnd.counterdesk.bundle"
H_STATION = "X-CounterDesk-Station"
H_KEY = "X-CounterDesk-Key"
H_TIME = "X-CounterDesk-Time"
H_NONCE = "X-CounterDesk-Nonce"
H_SIGNATURE = "X-CounterDesk-Signature"
H_RESULT = "X-CounterDesk-Result"
PREFIX = b"COUNTERDESK-REQUEST 1"

# Refusals made by the service itself (the bundle's own refusals are in bundle.py and core.py).
MALFORMED = QT_TRANSLATE_NOOP("messages", "The centre refused the request: it is not a proper sync request ({why}).")
WRONG_TYPE = QT_TRANSLATE_NOOP("messages", "The centre refused the request: content type {got} instead of a sync bundle.")
TOO_LARGE = QT_TRANSLATE_NOOP("messages", "The centre refused the request: it is larger than the {limit} bytes it accepts.")
TOO_SLOW = QT_TRANSLATE_NOOP("messages", "The centre stopped waiting: the request did not arrive within {seconds} seconds.")
CLOCK_SKEW = QT_TRANSLATE_NOOP(
    "messages", "The centre refused the request: this computer's clock is {seconds} seconds off the centre's. Set the clock right."
)
UNKNOWN = QT_TRANSLATE_NOOP("messages", "The centre does not know this station (or its key); it must be provisioned again.")
REVOKED = QT_TRANSLATE_NOOP("messages", "The centre has revoked this station's key; it must be provisioned again.")
BAD_SIGNATURE = QT_TRANSLATE_NOOP("messages", "The centre refused the request: its signature does not match this station's key.")
REPLAYED = QT_TRANSLATE_NOOP("messages", "The centre refused the request: it was sent before (a replayed request).")
RATE_LIMITED = QT_TRANSLATE_NOOP(
    "messages", "The centre is taking too many requests from this station; it will try again in {seconds} seconds."
)
WRONG_STATION = QT_TRANSLATE_NOOP(
    "messages", "The centre refused the request: the bundle is of station {bundle}, the request of {request}."
)
FOREIGN_ROWS = QT_TRANSLATE_NOOP(
    "messages", "The centre refused the bundle: it carries a row of another station ({table} {id}); a station sends only its own."
)
SERVICE_ERROR = QT_TRANSLATE_NOOP("messages", "The centre could not take the bundle now (an error at the centre); it will be sent again.")
SERVICE_UNAVAILABLE = QT_TRANSLATE_NOOP("messages", "The centre's database is not answering; the bundle will be sent again.")


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical(method: str, path: str, station: str, key_id: str, when: str, nonce: str, body_digest: str) -> bytes:
    """The text a request's signature covers: one field a line."""
    return b"\n".join([PREFIX] + [str(x).encode("utf-8") for x in (method.upper(), path, station, key_id, when, nonce, body_digest)])


def sign_request(private: str, public: str, station: str, body: bytes, method: str = "POST", path: str = PATH, now=None) -> dict:
    """The headers of a signed request for `body`."""
    when = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    kid = keys.key_id(public)
    signature = keys.sign(private, canonical(method, path, station, kid, when, nonce, digest(body)))
    return {
        H_STATION: station,
        H_KEY: kid,
        H_TIME: when,
        H_NONCE: nonce,
        H_SIGNATURE: signature,
        "Content-Type": CONTENT_TYPE,
    }
