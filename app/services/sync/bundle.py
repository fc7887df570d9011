"""The bundle file: what a USB stick carries between a station and the centre.

    COUNTERDESK-BUNDLE 1\\n
    {header JSON}\\n
    sha256 <hex of the header line>\\n
    sig <base64 Ed25519 signature of the header line>\\n
    <body: gzip of JSON>

The header names the kind (up: a station's changes; down: the centre's answer with its
acknowledgement), the centre, the station, the sequence range, the hash the previous bundle ended
with, the schema revision, the signing key's id, and the body's length and SHA-256; the signature
covers the header, so it covers the body through its hash. Reading tells apart a file that is not a
bundle, a cut one (truncated), a changed one (a flipped bit: a checksum does not hold) and a forged
one (the checksums hold but the signature does not): each refused whole with its reason.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.sync import keys

MAGIC = b"COUNTERDESK-BUNDLE 1\n"


class SyncRefused(UserError):
    """A bundle refused whole; `reason` is a short code (tests and the log), the message says why."""

    def __init__(self, reason: str, message: str, **params) -> None:
        self.reason = reason
        super().__init__(message, **params)


NOT_A_BUNDLE = QT_TRANSLATE_NOOP("messages", "{name} is not a CounterDesk sync bundle.")
TRUNCATED = QT_TRANSLATE_NOOP(
    "messages", "Bundle {name} is cut short ({have} of {want} bytes): it was not copied completely. Copy it again."
)
DAMAGED = QT_TRANSLATE_NOOP(
    "messages",
    "Bundle {name} is damaged: its {part} does not match its checksum (the file was changed after it was made). Copy it again from the station.",
)
FORGED = QT_TRANSLATE_NOOP(
    "messages",
    "Bundle {name} is refused: its signature does not match the key of station {station} (forged, or changed by someone without the key).",
)


@dataclass
class Bundle:
    header: dict
    body: dict
    size: int


def write(path: Path, header: dict, body: dict, private_key: str) -> int:
    """Write the bundle to `path` (through a temporary file beside it, renamed when complete: a
    full disk leaves no half bundle behind). Returns its size in bytes."""
    data = encode(header, body, private_key)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    return len(data)


def encode(header: dict, body: dict, private_key: str) -> bytes:
    """The bundle's bytes (what write() puts in a file; the network sends them as they are)."""
    raw = gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"), 6, mtime=0)
    header = dict(header, body_len=len(raw), body_sha256=hashlib.sha256(raw).hexdigest())
    line = json.dumps(header, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    data = b"".join(
        [
            MAGIC,
            line,
            b"\n",
            b"sha256 ",
            hashlib.sha256(line).hexdigest().encode(),
            b"\n",
            b"sig ",
            keys.sign(private_key, line).encode(),
            b"\n",
            raw,
        ]
    )
    return data


def parse(data: bytes, name: str = "") -> tuple[dict, bytes, str, bytes]:
    """(header, header line, signature, body) of a bundle; refused whole if cut or changed."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data[: len(MAGIC)]) and len(data) < len(MAGIC):
            raise SyncRefused("truncated", TRUNCATED, name=name, have=len(data), want="?")
        raise SyncRefused("not_a_bundle", NOT_A_BUNDLE, name=name)
    rest = data[len(MAGIC) :]
    parts = rest.split(b"\n", 3)
    if len(parts) < 4:
        raise SyncRefused("truncated", TRUNCATED, name=name, have=len(data), want="?")
    line, sha_line, sig_line, body = parts
    if not sha_line.startswith(b"sha256 ") or not sig_line.startswith(b"sig "):
        raise SyncRefused("damaged", DAMAGED, name=name, part="header")
    if hashlib.sha256(line).hexdigest().encode() != sha_line[7:]:
        raise SyncRefused("damaged", DAMAGED, name=name, part="header")
    try:
        header = json.loads(line.decode("utf-8"))
        want = int(header["body_len"])
    except (ValueError, KeyError, TypeError):
        raise SyncRefused("damaged", DAMAGED, name=name, part="header") from None
    if len(body) < want:
        raise SyncRefused("truncated", TRUNCATED, name=name, have=len(data), want=len(data) - len(body) + want)
    if len(body) > want or hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise SyncRefused("damaged", DAMAGED, name=name, part="content")
    return header, line, sig_line[4:].decode("ascii", "replace"), body


def body_of(raw: bytes, name: str = "") -> dict:
    try:
        return json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, EOFError, zlib.error, ValueError):
        raise SyncRefused("damaged", DAMAGED, name=name, part="content") from None
