"""One-time notice (一次性告知) checklists per matter type, from resources/handling/checklists.toml or the
administrator's `<data dir>/handling/checklists.toml` (which replaces it); printed and archived."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.kernel.errors import NotFound
from app.kernel.localtime import local_now
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.handling import kinds
from app.services.handling.datafiles import Checker, cached, locate, read_toml

CHECKLIST_FILE = ("handling", "checklists.toml")


@dataclass(frozen=True)
class Checklist:
    type: str
    title: str
    items: tuple[str, ...]


def read_checklists(path: Path) -> dict[str, Checklist]:
    """Each table is a matter type with a `title` and a non-empty list of `items`, all texts; nothing else."""
    data, text = read_toml(path)
    c = Checker(path, text)
    c.unknown_keys(data, "", kinds.names())
    out = {}
    for k, v in data.items():
        entry = c.table(v, k)
        c.unknown_keys(entry, k, ("title", "items"))
        for needed in ("title", "items"):
            if needed not in entry:
                raise c.missing(f"{k}.{needed}")
        out[k] = Checklist(k, c.text_value(entry["title"], f"{k}.title"), tuple(c.text_list(entry["items"], f"{k}.items")))
    return out


def checklist_path() -> Path:
    return locate(*CHECKLIST_FILE)


def load() -> dict[str, Checklist]:
    p = checklist_path()
    return cached(f"checklists:{p}:{','.join(kinds.names())}", [p], lambda: read_checklists(p))


def checklist(matter_type: str) -> Checklist:
    try:
        return load()[matter_type]
    except KeyError:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "There is no checklist for “{type}”."), type=matter_type) from None


def print_checklist(db, actor, matter_type: str, paper: str = "A5", tr=None) -> tuple[bytes, str]:
    """Render the checklist with the station's name and hall phone, archive it (archive/checklist/YEAR/
    TYPE-3301-YYYYMMDD-HHMMSS.pdf); returns (pdf, path). Every print is a new copy, not a reprint."""
    from app.models import Station
    from app.printing.archive import archive_pdf
    from app.printing.handling.documents import render_checklist
    from app.printing.labels import ts_translator

    item = checklist(matter_type)
    tr = tr or ts_translator("zh_CN")
    with db.read() as s:
        station = s.get(Station, actor.station_id)
        hall, phone = (station.name, station.hall_phone) if station else (actor.station_name, "")
    data = render_checklist(item.title, list(item.items), hall, phone, paper=paper, tr=tr)
    now = local_now()  # the station's time, like every other archived paper's name
    path = archive_pdf("checklist", f"{matter_type}-{actor.station_code}-{now:%Y%m%d-%H%M%S-%f}", data, year=now.year)
    return data, str(path)
