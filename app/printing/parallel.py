"""Printing a long document on every core: parts rendered by worker processes, then joined.

Shared by the route bills (app.printing.billing.bill_pdf.render_route) and the arrears reminders
(app.printing.reports.dunning.render_dunning): `cores()` is how many workers to start, `pool()`
starts them (each ends with the process that asked, removing the temporary folders it was given:
app.kernel.process), and `join()` joins the rendered parts, in the order given, into one PDF with
qpdf. qpdf copies the parts' page streams as they are (`--stream-data=preserve`): it neither
decompresses nor recompresses them, which takes a third of the time of its default.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from app.kernel.process import cleanup_paths, die_with_parent


def cores() -> int:
    """The cores this process may run on: one worker each."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_join() -> bool:
    return shutil.which("qpdf") is not None


def _start_worker(parent_pid: int, *paths: str) -> None:
    """A worker's first step: what it inherited is set aside from garbage collection (gc.freeze), then
    it is tied to the process that asked (die_with_parent).

    A forked worker starts with a copy of its parent's objects (a bench or a command that issued a
    month's bills first holds millions). Rendering makes many short-lived objects, and every full
    collection walked the inherited ones too: about a tenth of a page's time, measured on a route of
    20,000 bills after issuing (docs/PRINTING.md). The inherited objects are the parent's; the worker
    never frees them anyway."""
    gc.freeze()
    die_with_parent(parent_pid, *paths)


def pool(workers: int, tmp: Path, mp_context: str | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` processes that end with this one, removing `tmp` (and the folders registered
    with app.kernel.process.removed_if_killed) if it is killed. `mp_context` "forkserver" starts them
    from a clean process (for a caller with threads, like the window)."""
    context = multiprocessing.get_context(mp_context) if mp_context else None
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), str(tmp), *cleanup_paths())
    )


def join(parts: list[str], target: Path) -> None:
    """Join the PDF files `parts`, in that order, into `target` (qpdf must be there: `can_join()`)."""
    if len(parts) == 1:
        shutil.move(parts[0], target)
        return
    subprocess.run(["qpdf", "--empty", "--stream-data=preserve", "--pages", *parts, "--", str(target)], check=True)
