"""Shared pieces of the benchmarks: percentiles, peak RSS, the machine, a demo store to reuse."""

from __future__ import annotations

import os
import platform
import resource
import statistics
from pathlib import Path


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    if not s:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0}

    def pct(p: float) -> float:
        return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]

    return {"n": len(s), "p50": pct(0.50), "p95": pct(0.95), "max": s[-1], "mean": statistics.fmean(s)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def default_store(customers: int) -> Path:
    from app.paths import data_dir

    return data_dir() / f"bench-{customers}.sqlite"
