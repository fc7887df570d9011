"""Backups by themselves: a daily checked copy of the SQLite store in a folder the administrator chose,
kept 7 daily and 4 weekly, a warning when the last good one is old, and restoring one into an empty
data folder (docs/OPERATIONS.md, "Backups").

The folder belongs to the machine (a second disk or a USB stick on this PC), so it lives in the
`[backup]` section of counter.toml, beside the receipt printer; choosing it is audited. A copy is
made with SQLite's online backup API while the counters work (app.db.backup.backup_to), checked
before it gets its name (it opens, the database's own integrity check passes, every audit chain
verifies, the money records agree with the chains: app.services.integrity) and its check file
(`….check.json`: the result and the chains' anchors) is written beside it. Only a copy whose check
passed counts as good: for the rotation and for the status bar.

Never Qt: the window runs `counterdesk backup --auto` in a process of its own.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import PermissionDenied, UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.outfile import PARTIAL_MARK, move_into_place, partial_name, sqlite_application_id, store_files
from app.services import audit

log = logging.getLogger(__name__)

SECTION = "backup"
PREFIX = "counterdesk-"
SUFFIX = ".sqlite"
NAME = re.compile(r"^counterdesk-(\d{4}-\d{2}-\d{2})\.sqlite$")
KEEP_DAILY = 7
KEEP_WEEKLY = 4
WARN_AFTER_DAYS = 2

NO_FOLDER_GIVEN = QT_TRANSLATE_NOOP("messages", "Choose the folder the backups go to (a second disk or a USB stick).")
FOLDER_MISSING = QT_TRANSLATE_NOOP("messages", "The folder {folder} does not exist (is the disk or USB stick plugged in?).")
NOT_A_FOLDER = QT_TRANSLATE_NOOP("messages", "{folder} is a file, not a folder.")
NOT_ABSOLUTE = QT_TRANSLATE_NOOP("messages", "Give the folder's full path, e.g. E:\\CounterDesk-backups or /media/usb/backups.")
IN_DATA_FOLDER = QT_TRANSLATE_NOOP(
    "messages", "{folder} is inside CounterDesk's data folder: a backup there is lost with the store. Choose another disk or a USB stick."
)
NOT_WRITABLE = QT_TRANSLATE_NOOP("messages", "CounterDesk cannot write in {folder} ({reason}).")
ONLY_ADMIN = QT_TRANSLATE_NOOP("messages", "Only an administrator can choose the backup folder.")
NOT_SQLITE_STORE = QT_TRANSLATE_NOOP(
    "messages", "Automatic backups copy a SQLite store; the hall's PostgreSQL server is backed up on the server (pg_dump)."
)

RESTORE_STORE_EXISTS = QT_TRANSLATE_NOOP(
    "messages",
    "A store already exists at {store}; a backup is restored only where there is none. Restore into an empty data folder "
    "(--data-dir), or move the store away first. Nothing was changed.",
)
RESTORE_NO_FILE = QT_TRANSLATE_NOOP("messages", "{file} cannot be read ({reason}). Nothing was changed.")
RESTORE_NOT_SQLITE = QT_TRANSLATE_NOOP("messages", "{file} is not a CounterDesk store or backup. Nothing was changed.")
RESTORE_FAILS_CHECK = QT_TRANSLATE_NOOP(
    "messages", "{file} fails its check and is not restored ({count} problems; the first: {first}). Nothing was changed."
)


# --- the folder (counter.toml) ---------------------------------------------------------------------


def configured_folder() -> str:
    """The folder chosen for this machine's backups ("" when none is chosen yet)."""
    from app.services.counter.settings import read_sections

    section = read_sections().get(SECTION, {})
    value = section.get("folder", "") if isinstance(section, dict) else ""
    return value.strip() if isinstance(value, str) else ""


def check_folder(folder: str, data_folder: Path) -> Path:
    """The folder as typed, if backups can go there: an existing folder outside the data folder that
    CounterDesk can write in. A ValidationError at "folder" otherwise."""

    def refuse(message: str, **params) -> ValidationError:
        return ValidationError.single("folder", message, **params)

    text = (folder or "").strip()
    if not text:
        raise refuse(NO_FOLDER_GIVEN)
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise refuse(NOT_ABSOLUTE)
    if path.exists() and not path.is_dir():
        raise refuse(NOT_A_FOLDER, folder=text)
    if not path.is_dir():
        raise refuse(FOLDER_MISSING, folder=text)
    resolved, data = path.resolve(), Path(data_folder).resolve()
    if resolved == data or data in resolved.parents:
        raise refuse(IN_DATA_FOLDER, folder=text)
    probe = resolved / f".counterdesk-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise refuse(NOT_WRITABLE, folder=text, reason=exc.strerror or type(exc).__name__) from None
    return resolved


def choose_folder(db: Database, actor: Actor, folder: str, data_folder: Path) -> Path:
    """An administrator chooses this machine's backup folder: checked, audited, written to counter.toml."""
    from app.services.counter.settings import machine, read_sections, render, settings_path, write_atomic

    if not actor.is_admin:
        raise PermissionDenied(ONLY_ADMIN)
    path = check_folder(folder, data_folder)
    before = configured_folder()
    sections = read_sections()
    sections[SECTION] = {"folder": str(path)}
    with db.write() as s:
        audit.record(
            s, actor, "configure", "backup_folder", machine(), before={"folder": before} if before else None, after={"folder": str(path)}
        )
        write_atomic(settings_path(), render(sections))
    log.info("backup folder set to %s", path)
    return path


# --- the copies in the folder -----------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    path: Path
    day: date
    ok: bool  # its check file says the check passed
    made_at: str = ""


def name_for(day: date) -> str:
    return f"{PREFIX}{day.isoformat()}{SUFFIX}"


def check_file_of(backup: Path) -> Path:
    from app.db.backup import check_file_of as beside

    return beside(backup)


def copies(folder: Path) -> list[Copy]:
    """The daily copies in `folder`, newest first; a copy without a readable check file is not good."""
    found = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        m = NAME.match(path.name)
        if not m or not path.is_file():
            continue
        try:
            day = date.fromisoformat(m.group(1))
        except ValueError:
            continue
        ok, made_at = False, ""
        try:
            doc = json.loads(check_file_of(path).read_text(encoding="utf-8"))
            ok, made_at = doc.get("ok") is True, str(doc.get("made_at", ""))
        except (OSError, ValueError, AttributeError):
            pass
        found.append(Copy(path, day, ok, made_at))
    return sorted(found, key=lambda c: c.day, reverse=True)


def to_keep(days: list[date], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> set[date]:
    """Of the days that have a good copy: the newest `daily` days, and the newest day of each of the
    newest `weekly` ISO weeks that have one (a day may count as both, as in restic and borg)."""
    ordered = sorted(set(days), reverse=True)
    keep = set(ordered[:daily])
    weeks_seen: list[tuple[int, int]] = []
    for d in ordered:
        week = d.isocalendar()[:2]
        if week not in weeks_seen:
            if len(weeks_seen) == weekly:
                break
            weeks_seen.append(week)
            keep.add(d)
    return keep


def rotate(folder: Path, today: date) -> list[Path]:
    """Remove the copies the rotation no longer keeps (and their check files); returns what was removed.
    A copy that failed its check is kept for a week (support may want it), then removed; a copy cut
    short by a killed process (a hidden partial file) is removed after a day."""
    all_copies = copies(folder)
    keep = to_keep([c.day for c in all_copies if c.ok])
    removed = []
    for c in all_copies:
        if c.ok and c.day in keep:
            continue
        if not c.ok and (today - c.day).days < KEEP_DAILY:
            continue
        for p in (c.path, check_file_of(c.path)):
            try:
                p.unlink()
                removed.append(p)
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("backup rotation: cannot remove %s: %s", p, exc)
    day_ago = time.time() - 86400
    for p in Path(folder).glob(f".{PREFIX}*{PARTIAL_MARK}*"):
        try:
            if p.stat().st_mtime < day_ago:
                p.unlink()
                removed.append(p)
        except OSError:
            pass
    if removed:
        log.info("backup rotation removed %s", ", ".join(p.name for p in removed))
    return removed


# --- one daily run -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    path: Path | None  # the copy made (None: today's good copy was there already)
    ok: bool
    problems: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def run_daily(store: Path, folder: Path, today: date, again: bool = False, protected: list[Path] = ()) -> Outcome:
    """Today's copy of the SQLite file `store` into `folder` (unless a good one is there and not
    `again`), checked, then the rotation. A UserError when the folder cannot take it."""
    from app.db.backup import backup_to
    from app.services import integrity

    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(FOLDER_MISSING, field="folder", folder=str(folder))
    target = folder / name_for(today)
    if not again and any(c.ok and c.day == today for c in copies(folder)):
        return Outcome(None, True, removed=rotate(folder, today))
    reports = []

    def check(copy: Path) -> dict:
        report = integrity.check_sqlite_file(copy)
        reports.append(report)
        return integrity.check_document(report, datetime.now(timezone.utc).isoformat(timespec="seconds"))

    started = time.monotonic()
    made = backup_to(Path(store), target, protected=list(protected), force=True, check=check)
    report = reports[0]
    problems = [p.text() for p in report.problems]
    if report.ok:
        log.info("backup %s made and checked in %.1f s", made, time.monotonic() - started)
    else:
        log.error("backup %s FAILED its check: %s", made, "; ".join(problems[:5]))
    return Outcome(made, report.ok, problems, rotate(folder, today))


# --- what the status bar says --------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    state: str  # ok | no_folder | missing | old | never
    folder: str
    last_good: date | None

    @property
    def warn(self) -> bool:
        return self.state != "ok"


def status(folder: str, today: date) -> Status:
    """Whether this machine's backups are in order: a folder chosen and present, and a good copy no
    older than two days."""
    if not folder:
        return Status("no_folder", "", None)
    path = Path(folder)
    if not path.is_dir():
        return Status("missing", folder, None)
    good = [c.day for c in copies(path) if c.ok]
    last = max(good) if good else None
    if last is None:
        return Status("never", folder, None)
    if (today - last).days > WARN_AFTER_DAYS:
        return Status("old", folder, last)
    return Status("ok", folder, last)


# --- restoring ---------------------------------------------------------------------------------------------


def restore(source: Path, store: Path):
    """Copy the backup `source` to `store`, which must not exist (nor its -wal/-shm/-journal files),
    after checking the backup: it opens, passes the database's own check, every audit chain verifies
    and, when its check file lies beside it, the chains still reach the anchors written there.
    Returns the integrity report. Nothing is written when anything fails."""
    from app.services import integrity

    source, store = Path(source), Path(store)
    for f in store_files(store):
        if os.path.lexists(f):
            raise UserError(RESTORE_STORE_EXISTS, field="store", store=str(store))
    try:
        with open(source, "rb"):
            pass
    except OSError as exc:
        raise UserError(RESTORE_NO_FILE, field="file", file=str(source), reason=exc.strerror or type(exc).__name__) from None
    if sqlite_application_id(source) is None:
        raise UserError(RESTORE_NOT_SQLITE, field="file", file=str(source))
    anchors = []
    beside = check_file_of(source)
    if beside.is_file():
        try:
            anchors = integrity.read_anchors(str(beside))
        except ValueError:
            anchors = []
    report = integrity.check_sqlite_file(source, anchors)
    if not report.ok:
        problems = report.problems
        log.error("restore of %s refused: %s", source, "; ".join(p.text() for p in problems[:5]))
        raise UserError(RESTORE_FAILS_CHECK, field="file", file=str(source), count=len(problems), first=problems[0].text())
    store.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_name(store)
    try:
        src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                dst.execute("PRAGMA application_id = 0")  # a store again, not a backup
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        move_into_place(partial, store, force=False, shown=str(store), field="store")
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            try:
                leftover.unlink()
            except OSError:
                pass
    log.info("restored %s to %s (%d audit entries verified)", source, store, report.chains.checked if report.chains else 0)
    return report
