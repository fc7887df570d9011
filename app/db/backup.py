"""`counterdesk backup FILE`: a consistent copy of the SQLite store that can never replace the store.

The copy is made by app.db.migrate.backup_sqlite (SQLite's online backup API) into a file
beside the target and only then renamed onto it, so a failed copy leaves no half-written file
and an existing file (with --force) is replaced in one step. A target that is the store itself, one of its -wal /
-shm / -journal files, or one of this user's stores (the real one and the demo one) is refused
whatever the options; an existing file is refused unless `force`.
"""

from __future__ import annotations

import glob
import os
import sqlite3
from pathlib import Path

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP

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
    from app.db.migrate import backup_sqlite

    resolved = check_target(target, [Path(store), *protected], force)
    label = f"partial-{os.getpid()}"  # backup_sqlite names the copy {stem}-{label}-{time}.sqlite beside the target
    try:
        made = backup_sqlite(Path(store).resolve(), resolved.parent, label)
        if resolved.exists() and not force:  # appeared while copying
            raise UserError(QT_TRANSLATE_NOOP("messages", "{target} already exists. Choose another file name, or add --force to replace it. Nothing was written."),
                            field="target", target=str(target))
        os.replace(made, resolved)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(QT_TRANSLATE_NOOP("messages", "The backup could not be written to {target} ({reason}). The store is unchanged; check the disk and the folder's permissions."),
                        field="target", target=str(target), reason=str(exc)[:200]) from exc
    finally:
        for partial in resolved.parent.glob(f"{glob.escape(Path(store).stem)}-{label}-*"):  # nothing half-written stays
            if partial == resolved:
                continue
            try:
                partial.unlink()
            except OSError:
                pass
    return resolved
