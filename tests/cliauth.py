"""How tests give a command-line password: a file readable only by its owner (never the argument list)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DEMO_PASSWORDS = {"admin": "admin123", "zhangli": "clerk123", "wangqiang": "super123"}


def password_file(password: str, folder: Path | None = None) -> str:
    fd, name = tempfile.mkstemp(prefix="pw-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    os.chmod(name, 0o600)
    return name


def as_(login: str, password: str | None = None) -> list[str]:
    """`--as LOGIN --password-file FILE` for the tests' usual logins (or the password given)."""
    return ["--as", login, "--password-file", password_file(password or DEMO_PASSWORDS[login])]
