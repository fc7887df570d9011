"""`counterdesk backup FILE`: a consistent copy of the SQLite store that can never replace the store.

The target is checked by the one output rule (app.kernel.outfile.check_output, through
app.commands.common.output_path): never the store, its -wal/-shm/-journal files, another
database (only an earlier backup may be replaced, with --force), a device, or anything in the
data folder. The copy is made with SQLite's online backup API into a hidden file beside the
target, marked as a CounterDesk backup (PRAGMA application_id), written to disk, and only then
renamed onto the target; a copy cut short (full disk, I/O error, interrupted) is removed, so no
file named like a good backup is ever left half-written.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.outfile import BACKUP_APPLICATION_ID, check_output, move_into_place, partial_name, store_files, write_error

__all__ = ["backup_to", "check_target", "store_files"]

NOT_COPIED = QT_TRANSLATE_NOOP(
    "messages",
    "The backup could not be written to {target} ({reason}). The store is unchanged; check the disk and the folder's permissions.",
)


def check_target(target: Path, stores: list[Path], force: bool = False) -> Path:
    """The resolved target, or a UserError saying why nothing will be written there."""
    return check_output(target, stores=stores, force=force, field="target", may_replace_backup=True)


def _copy(store: Path, partial: Path) -> None:
    src = sqlite3.connect(str(store))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            # A rollback-journal file, not WAL: a copy opened only to read (checked, restored) leaves no
            # -wal/-shm files beside it, and a USB stick's FAT keeps one file per copy.
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.execute(f"PRAGMA application_id = {BACKUP_APPLICATION_ID}")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()
    with open(partial, "rb+") as f:  # on disk before it gets the good name
        os.fsync(f.fileno())


def check_file_of(backup: Path) -> Path:
    """The backup's check file: the result of checking the copy and the audit chains' anchors (JSON)."""
    return backup.with_name(backup.name + ".check.json")


def backup_to(store: Path, target: Path, protected: list[Path] = (), force: bool = False, shown: str | None = None, check=None) -> Path:
    """Copy the SQLite file `store` to `target`; never touches the store or the `protected` stores.
    `check(copy)` (app.services.integrity) checks the copy before it gets its name and returns what
    the check file beside it keeps."""
    shown = shown or str(target)
    resolved = check_target(target, [Path(store), *protected], force)
    partial = partial_name(resolved)
    try:
        _copy(Path(store).resolve(), partial)
        checked = check(partial) if check else None
        move_into_place(partial, resolved, force, shown, "target")
        if checked is not None:
            import json

            sidecar = check_file_of(resolved)
            written = sidecar.with_name(sidecar.name + ".partial")
            written.write_text(json.dumps(checked, ensure_ascii=False, indent=2), encoding="utf-8")
            os.replace(written, sidecar)
    except OSError as exc:
        raise write_error(exc, shown, "target") from exc
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "full" in text:
            raise write_error(OSError(28, "No space left on device"), shown, "target") from exc
        raise UserError(NOT_COPIED, field="target", target=shown, reason=str(exc)[:200]) from exc
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal"), partial.with_name(partial.name + "-wal")):
            try:
                leftover.unlink()
            except OSError:
                pass
    return resolved
