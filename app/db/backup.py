"""`counterdesk backup FILE`: a consistent copy of the SQLite store that can never replace the store.

The copy is made with SQLite's online backup API into a temporary file beside the target and
only then renamed onto it, so a failed copy leaves no half-written file and an existing file
(with --force) is replaced in one step. A target that is the store itself, one of its -wal /
-shm / -journal files, or one of this user's stores (the real one and the demo one) is refused
whatever the options; an existing file is refused unless `force`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.services.errors import UserError
from app.services.messages import QT_TRANSLATE_NOOP

STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def store_files(store: Path) -> list[Path]:
    """The store and the files SQLite keeps beside it, resolved."""
    store = Path(store).resolve()
    return [store.with_name(store.name + suffix) for suffix in STORE_SUFFIXES]


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def check_target(target: Path, stores: list[Path], force: bool = False) -> Path:
    """The resolved target, or a UserError saying why nothing will be written there."""
    raw = Path(target).expanduser()
    resolved = raw.resolve()
    for store in stores:
        for f in store_files(store):
            if _same(resolved, f):
                raise UserError(QT_TRANSLATE_NOOP("messages", "{target} is the store itself (or one of its -wal/-shm files); a backup must go to another file. Nothing was written."),
                                field="target", target=str(raw))
    if resolved.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("messages", "{target} is a folder; give the backup file's name, for example {example}. Nothing was written."),
                        field="target", target=str(raw), example=str(raw / "counterdesk-backup.sqlite"))
    if resolved.exists() and not force:
        raise UserError(QT_TRANSLATE_NOOP("messages", "{target} already exists. Choose another file name, or add --force to replace it. Nothing was written."),
                        field="target", target=str(raw))
    if not resolved.parent.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("messages", "The folder {folder} does not exist. Nothing was written."),
                        field="target", folder=str(resolved.parent))
    return resolved


def backup_to(store: Path, target: Path, protected: list[Path] = (), force: bool = False) -> Path:
    """Copy the SQLite file `store` to `target`; never touches the store or the `protected` stores."""
    resolved = check_target(target, [Path(store), *protected], force)
    partial = resolved.with_name(f".{resolved.name}.partial-{os.getpid()}")
    try:
        src = sqlite3.connect(str(Path(store).resolve()))
        try:
            dst = sqlite3.connect(str(partial))
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if resolved.exists() and not force:  # appeared while copying
            raise UserError(QT_TRANSLATE_NOOP("messages", "{target} already exists. Choose another file name, or add --force to replace it. Nothing was written."),
                            field="target", target=str(target))
        os.replace(partial, resolved)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(QT_TRANSLATE_NOOP("messages", "The backup could not be written to {target} ({reason}). The store is unchanged; check the disk and the folder's permissions."),
                        field="target", target=str(target), reason=str(exc)[:200]) from exc
    finally:
        for suffix in STORE_SUFFIXES:  # nothing half-written stays behind
            try:
                partial.with_name(partial.name + suffix).unlink()
            except OSError:
                pass
    return resolved
