"""Ed25519 keys for signing bundles, and the passphrase protection of a provisioning file.

Keys are kept as base64 of their 32 raw bytes. A key's id is the first 16 hex digits of the
SHA-256 of its public half: bundles name the key that signed them, so a bundle signed with
another station's key is told apart from a forged one.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat


def new_key_pair() -> tuple[str, str]:
    """(private, public), base64 of the raw 32 bytes each."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def key_id(public: str) -> str:
    return hashlib.sha256(base64.b64decode(public)).hexdigest()[:16]


def sign(private: str, data: bytes) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private))
    return base64.b64encode(key.sign(data)).decode()


def verifies(public: str, data: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(base64.b64decode(signature), data)
        return True
    except (InvalidSignature, ValueError):
        return False


# ---------------------------------------------------------------- passphrase protection

MAGIC = b"COUNTERDESK-SEALED 1\n"


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1)


def seal(data: bytes, passphrase: str) -> bytes:
    """AES-256-GCM under a key derived from the passphrase with scrypt; salt and nonce in front."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _kdf(salt).derive(passphrase.encode("utf-8"))
    return MAGIC + salt + nonce + AESGCM(key).encrypt(nonce, data, MAGIC)


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(data: bytes, passphrase: str) -> bytes | None:
    """The data, or None when the passphrase is wrong or the file was changed."""
    body = data[len(MAGIC) :]
    if len(body) < 28 + 16:
        return None
    salt, nonce, sealed = body[:16], body[16:28], body[28:]
    key = _kdf(salt).derive(passphrase.encode("utf-8"))
    try:
        return AESGCM(key).decrypt(nonce, sealed, MAGIC)
    except InvalidTag:
        return None
