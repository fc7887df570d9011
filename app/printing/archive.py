"""Every printed document is kept as PDF: archive/<kind>/<year>/<number>[-reprint-N].pdf."""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.kernel.localtime import local_now, local_today
from app.paths import archive_dir

_SAFE = re.compile(r"[^0-9A-Za-z_.-]+")


def archive_stamp() -> str:
    """The station's time for an archived file's name (YYYYmmdd-HHMMSS-ffffff), never the machine's zone:
    a counter whose clock runs on UTC still names a print of 09:05 in Shanghai 0905."""
    return local_now().strftime("%Y%m%d-%H%M%S-%f")


def archive_pdf(kind: str, number: str, data: bytes, reprint: int = 0, year: int | None = None) -> Path:
    """Write the PDF atomically (temp file + rename) and return its path."""
    folder = archive_dir() / _SAFE.sub("_", kind) / str(year or local_today().year)
    folder.mkdir(parents=True, exist_ok=True)
    name = _SAFE.sub("_", number) + (f"-reprint-{reprint}" if reprint else "") + ".pdf"
    target = folder / name
    tmp = target.with_suffix(".pdf.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target
