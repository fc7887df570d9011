"""The centre's data files that travel down (docs/SYNC.md, The downlink): the handling time limits
and checklists and the calendar corrections an administrator put in the centre's data folder
(app/services/handling/datafiles.py). The centre sends its copies with every answer and with a
provisioning file; a station writes each one that differs into its own data folder (through a
temporary file renamed when complete), so its deadlines count with the company's calendar. A file
the centre does not have is not sent (the station keeps its own, or the shipped one); a file whose
path is not one of these, whose checksum does not hold or that is not valid TOML is not written."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tomllib

from app.services.handling.datafiles import clear_cache, user_folder

log = logging.getLogger(__name__)

_ALLOWED = re.compile(r"^(handling/(time_limits|checklists)\.toml|calendar/\d{4}\.toml)$")


def collect() -> list[dict]:
    """The centre's own data files: [{"path", "sha256", "text"}]."""
    out = []
    names = ["handling/time_limits.toml", "handling/checklists.toml"]
    calendar = user_folder("calendar")
    if calendar.is_dir():
        names += sorted(f"calendar/{p.name}" for p in calendar.glob("*.toml"))
    for rel in names:
        if not _ALLOWED.match(rel):
            continue
        path = user_folder(*rel.split("/"))
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            out.append({"path": rel, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "text": text})
    return out


def write(files: list[dict]) -> int:
    """Write the files that differ from this store's copies; returns how many were written."""
    written = 0
    for f in files or []:
        rel, text = str(f.get("path", "")), f.get("text")
        if not _ALLOWED.match(rel) or not isinstance(text, str) or hashlib.sha256(text.encode("utf-8")).hexdigest() != f.get("sha256"):
            log.warning("sync: data file %r from the centre not written (not one of the data files, or changed)", rel)
            continue
        target = user_folder(*rel.split("/"))
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue  # the copy here is the same (the usual case: checked before parsing anything)
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            log.warning("sync: data file %s from the centre not written: %s", rel, exc)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        try:
            with open(tmp, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        written += 1
    if written:
        clear_cache()
    return written
