"""Where a command may write a file it was asked to write (docs/SECURITY.md, "Output files").

One rule for every output (`pay --receipt`, `shift report --out`, `bill --print`, `backup FILE`):

- never the store, its -journal/-wal/-shm files, or another SQLite database (a store of another
  hall, a backup) — a backup file may be replaced by a new backup with --force, nothing else;
- never anything inside the data folder (archive, backups, counter.toml, the stores …);
- only a regular file: a folder, a device (/dev/sda, a printer), a pipe or a socket is refused;
- an existing file only with --force;
- the folder must exist (it is never created).

`write_bytes` / `staged` write beside the target under a hidden temporary name and rename it
onto the target only when everything is written; on any failure (full disk, no permission,
an error half-way) the temporary file is removed and the target is untouched.

Stdlib only: the callers pass the stores and folders to protect.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP

SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA application_id of a copy made by `counterdesk backup` ("CDBK"): only such a file may be
# replaced (with --force) by a newer backup.
BACKUP_APPLICATION_ID = 0x4344424B
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")
PARTIAL_MARK = ".counterdesk-partial-"

IS_STORE = QT_TRANSLATE_NOOP(
    "messages", "{target} is the store itself (or one of its -wal/-shm files); write to another file. Nothing was written."
)
IN_DATA_FOLDER = QT_TRANSLATE_NOOP(
    "messages", "{target} is inside CounterDesk's data folder {folder}; write to a file outside it. Nothing was written."
)
IS_FOLDER = QT_TRANSLATE_NOOP("messages", "{target} is a folder; give a file name, for example {example}. Nothing was written.")
NOT_REGULAR = QT_TRANSLATE_NOOP(
    "messages", "{target} is not an ordinary file (a device, pipe or socket); it is never written to. Nothing was written."
)
IS_DATABASE = QT_TRANSLATE_NOOP("messages", "{target} is a database (a store or a backup); it is never replaced. Nothing was written.")
EXISTS = QT_TRANSLATE_NOOP(
    "messages", "{target} already exists. Choose another file name, or add --force to replace it. Nothing was written."
)
NO_FOLDER = QT_TRANSLATE_NOOP("messages", "The folder {folder} does not exist. Nothing was written.")
DISK_FULL = QT_TRANSLATE_NOOP("messages", "The disk holding {target} is full. Nothing was written; free some space and try again.")
NO_PERMISSION = QT_TRANSLATE_NOOP("messages", "There is no permission to write {target}. Nothing was written.")
READ_ONLY = QT_TRANSLATE_NOOP("messages", "{target} is on a read-only disk. Nothing was written.")
NOT_WRITTEN = QT_TRANSLATE_NOOP("messages", "{target} could not be written ({reason}). Nothing was written.")


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


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def sqlite_application_id(path: Path) -> int | None:
    """The application id of a SQLite file, or None when `path` is not a SQLite database."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        return None
    if not head.startswith(SQLITE_HEADER) or len(head) < 72:
        return None
    return int.from_bytes(head[68:72], "big")


def check_output(
    target, *, stores=(), protected_dirs=(), force: bool = False, field: str = "target", may_replace_backup: bool = False
) -> Path:
    """The resolved path to write `target` to, or a UserError at `field` saying why nothing will be
    written there (see the module's rules)."""
    raw = Path(target).expanduser()
    resolved = raw.resolve()
    shown = str(raw)
    for store in stores:
        for f in store_files(store):
            if _same(resolved, f):
                raise UserError(IS_STORE, field=field, target=shown)
    for folder in protected_dirs:
        folder = Path(folder).resolve()
        if resolved == folder or _inside(resolved, folder) or _inside(raw.absolute(), folder):
            raise UserError(IN_DATA_FOLDER, field=field, target=shown, folder=str(folder))
    try:
        st = os.stat(resolved)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise write_error(exc, shown, field) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise UserError(IS_FOLDER, field=field, target=shown, example=str(raw / "output.pdf"))
        if not stat.S_ISREG(st.st_mode):
            raise UserError(NOT_REGULAR, field=field, target=shown)
        app_id = sqlite_application_id(resolved)
        if app_id is not None and not (may_replace_backup and app_id == BACKUP_APPLICATION_ID):
            raise UserError(IS_DATABASE, field=field, target=shown)
        if not force:
            raise UserError(EXISTS, field=field, target=shown)
    if not resolved.parent.is_dir():
        raise UserError(NO_FOLDER, field=field, folder=str(raw.parent if str(raw.parent) not in ("", ".") else resolved.parent))
    return resolved


def write_error(exc: OSError, target: str, field: str = "target") -> UserError:
    """An OSError while writing `target`, in the clerk's words."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return UserError(DISK_FULL, field=field, target=target)
    if code in (errno.EACCES, errno.EPERM):
        return UserError(NO_PERMISSION, field=field, target=target)
    if code == errno.EROFS:
        return UserError(READ_ONLY, field=field, target=target)
    if code == errno.ENOENT:
        return UserError(NO_FOLDER, field=field, folder=str(Path(target).parent))
    if code == errno.EISDIR:
        return UserError(IS_FOLDER, field=field, target=target, example=str(Path(target) / "output.pdf"))
    return UserError(NOT_WRITTEN, field=field, target=target, reason=(exc.strerror or str(exc))[:200])


def partial_name(target: Path) -> Path:
    """A hidden name beside `target` for what is being written to it."""
    return target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")


def move_into_place(tmp: Path, target: Path, force: bool, shown: str | None = None, field: str = "target") -> None:
    """Rename the finished `tmp` onto `target`: replacing it only with `force` (a file that appeared
    meanwhile is never replaced without it)."""
    shown = shown or str(target)
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the target exists: no window between a check and the rename
    except FileExistsError:
        raise UserError(EXISTS, field=field, target=shown) from None
    except OSError:  # a file system without hard links (FAT on a USB stick)
        if os.path.lexists(target):
            raise UserError(EXISTS, field=field, target=shown) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


@contextmanager
def staged(target: Path, force: bool, shown: str | None = None, field: str = "target") -> Iterator[Path]:
    """Yields a temporary path beside `target` to write; on success it is renamed onto `target`, on
    any failure it is removed (and an OSError becomes a UserError at `field`)."""
    target = Path(target)
    shown = shown or str(target)
    tmp = partial_name(target)
    try:
        yield tmp
        move_into_place(tmp, target, force, shown, field)
    except OSError as exc:
        raise write_error(exc, shown, field) from exc
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def write_bytes(target: Path, data: bytes, force: bool, shown: str | None = None, field: str = "target") -> Path:
    """Write `data` to `target` (already checked by check_output) through a temporary file."""
    with staged(target, force, shown, field) as tmp:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    return Path(target)
