"""Worker processes that end with the process that started them (docs/SECURITY.md, "Output files").

A printing worker (app.printing.billing.bill_pdf) runs `die_with_parent` as its pool initializer.
When the parent goes — killed with kill -9, a crash, the window closed by force — the worker
removes the temporary folders it was given (the route's parts, the command's hidden staging folder)
and exits: no orphan keeps rendering, and no half-written output is left under a good name.

On Linux the kernel tells the worker at once (prctl PR_SET_PDEATHSIG); everywhere a watchdog
thread also checks every half second that the parent is still there.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_PR_SET_PDEATHSIG = 1
_registered: list[str] = []


@contextmanager
def removed_if_killed(path: Path) -> Iterator[None]:
    """While the block runs, workers started by this process remove `path` if this process dies."""
    _registered.append(str(path))
    try:
        yield
    finally:
        try:
            _registered.remove(str(path))
        except ValueError:
            pass


def cleanup_paths() -> tuple[str, ...]:
    """The folders a worker started now must remove if this process dies (pass as initargs)."""
    return tuple(_registered)


def _cleanup_and_exit(paths: tuple[str, ...]) -> None:
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)
    os._exit(1)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def die_with_parent(parent_pid: int = 0, *paths: str) -> None:
    """Pool initializer: end this worker (removing `paths`) as soon as `parent_pid` (the process that
    asked for the work; default this worker's parent) is gone."""
    parent_pid = parent_pid or os.getppid()
    original_ppid = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            signal.signal(signal.SIGTERM, lambda *_: _cleanup_and_exit(paths))
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError, ValueError):
            pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != original_ppid or not _alive(parent_pid):
                _cleanup_and_exit(paths)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
    if os.getppid() != original_ppid or not _alive(parent_pid):  # the parent died before prctl took effect
        _cleanup_and_exit(paths)
