"""Where a start of the window spends its time, for the checkout and the installed program alike.

`COUNTERDESK_STARTUP_TRACE=1` prints a line to standard error at each step of the start-up
(`startup-trace SECONDS THREAD STEP`, seconds since the process started, as the kernel counts it);
a full garbage collection (generation 2) is printed with its duration too.
`COUNTERDESK_STARTUP_TRACE=imports` also prints the start of every import, with its thread. The
installed program (PyInstaller) has no `python -X importtime`: this works there too. Standard
library only, imported first by app.cli. docs/BENCHMARKS.md (Start-up).
"""

from __future__ import annotations

import os
import sys
import threading
import time


def _process_start_offset() -> float:
    """Seconds from the process start to this call, from the kernel (Linux); 0 elsewhere."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.process_time()


# The kernel counts in clock ticks (10 ms): read once, then carried on with perf_counter.
_OFFSET = _process_start_offset()
_PERF0 = time.perf_counter()


def seconds_since_process_start() -> float:
    """From the kernel's process start time (Linux), so the interpreter's (or the bundle's
    bootloader's) start-up counts too."""
    return _OFFSET + time.perf_counter() - _PERF0


MODE = os.environ.get("COUNTERDESK_STARTUP_TRACE", "")


def mark(step: str) -> None:
    if MODE:
        # One write of the whole line: two threads' print() calls could splice their lines together.
        line = f"startup-trace {seconds_since_process_start():.3f} {threading.current_thread().name} {step}\n"
        try:
            sys.stderr.flush()
            os.write(2, line.encode("utf-8", "replace"))
        except (OSError, ValueError, AttributeError):  # no standard error (the Windows window program)
            pass


def _import_hook(event: str, args) -> None:
    if event == "import":
        mark(f"import {args[0]}")


_gc_started = 0.0


def _gc_hook(phase: str, info: dict) -> None:
    global _gc_started
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_started = time.perf_counter()
    else:
        mark(f"full garbage collection: {(time.perf_counter() - _gc_started) * 1000:.0f} ms, {info.get('collected')} collected")


if MODE:
    import gc

    gc.callbacks.append(_gc_hook)
if MODE == "imports":
    sys.addaudithook(_import_hook)
